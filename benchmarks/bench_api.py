"""Benchmark of the check API: a real `tiswatch serve` (one worker process) on 127.0.0.1, loaded by an
asyncio httpx client.

    python -m benchmarks.bench_api                          # 30,000 and 100,000 licences
    python -m benchmarks.bench_api --licences 30000 --seconds 20 --concurrency 8

For each registry size: generates a registry with realistic shapes (`benchmarks.synth`: TISI-shaped
licence numbers, brands with Thai forms, models, statuses, spread over the mandatory standards),
imports it into a fresh SQLite database with `tiswatch registry import` (which also stores the
version's registry index in the index cache beside the database), starts the server and prints

- start-up: from spawning `tiswatch serve` to its first answer (wall time, and the CPU time the
  server process used by then: on a busy machine wall time stretches, CPU time much less), and the
  part of it spent loading the registry and building the matcher (the server's own figure, /health):
  once without the index cache (`--index-cache ''`: registry rows read, index built), then as
  deployed (index loaded from the cache `registry import` wrote);
- single checks (POST /api/v1/check, synthetic drafts written the way sellers write): checks/s over
  wall time, checks per CPU-second of the server process (= per core: one worker uses one core), and
  p50/p99 latency as the client sees it.

The client is `wrk` (Debian's package; `benchmarks/wrk_load.py` says why) when it is installed, else
an asyncio httpx client (`--client httpx` forces it): its own pauses show in its p99, so its latency
figures are an upper bound. The printed line names the client.

Targets (issue 16): ≥ 500 checks/s per core and p99 < 50 ms at 30,000 licences; start-up < 5 s at 100,000.
Run it on a quiet machine for the wall-clock figures (`uptime`'s load average below the core count).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

from benchmarks.synth import make_data
from benchmarks.wrk_load import run_wrk, write_script, wrk_binary
from matchers.vocabulary import load_vocabulary
from standards_data.database import make_engine
from standards_data.registry import write_registry_csv
from tests.api_tests.server import ServerProcess, tiswatch_output
from tiswatch.api.keys import add_key

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def _prepare(folder: Path, licences: int, seed: int) -> tuple[str, str, list[dict[str, object]]]:
    data = make_data(licences, 5_000, seed, load_vocabulary())
    registry = folder / f"registry_{licences}.csv"
    write_registry_csv(data.licences, registry)
    url = f"sqlite:///{folder}/bench_{licences}.sqlite"
    started = time.perf_counter()
    status, printed = tiswatch_output(
        "registry", "import", str(registry), "--replace", "--by", "bench", "--db", url
    )
    assert status == 0, f"generated registry rejected:\n{printed}"
    print(
        f"{licences:,} licences: tiswatch registry import {time.perf_counter() - started:.2f} s wall "
        "(validation, import, the index stored for the server)"
    )
    engine = make_engine(url)
    _, key = add_key(engine, "bench", rate_per_second=1e9)
    engine.dispose()
    return url, key, data.listings


async def _load(
    api: str, key: str, drafts: list[dict[str, object]], seconds: float, concurrency: int
) -> tuple[list[float], int, float]:
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(
        base_url=api, headers={"X-API-Key": key}, limits=limits, timeout=30
    ) as client:
        stop_at = time.perf_counter() + seconds

        async def worker(offset: int) -> None:
            nonlocal errors
            index = offset
            while time.perf_counter() < stop_at:
                draft = drafts[index % len(drafts)]
                index += concurrency
                started = time.perf_counter()
                response = await client.post("/check", json=draft)
                latencies.append(time.perf_counter() - started)
                if response.status_code != 200:
                    errors += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker(i) for i in range(concurrency)))
        return latencies, errors, time.perf_counter() - started


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def _start(url: str, licences: int, *args: str) -> ServerProcess:
    """A server, once it answers; prints its start-up figures."""
    server = ServerProcess(url, args=args)
    startup_cpu = _cpu_seconds(server.process.pid)
    health = httpx.get(f"{server.api}/health").json()
    cached = health["index_from_cache"]
    how = "index from the cache" if cached else "no index cache: registry read, index built"
    print(
        f"{licences:,} licences: start-up {server.started_in:.2f} s wall from spawning the server "
        f"to its first answer, {startup_cpu:.2f} s of its CPU "
        f"(registry load + matcher build {health['matcher_build_seconds']:.2f} s wall; {how})"
    )
    return server


def run(licences: int, seconds: float, concurrency: int, seed: int, client: str) -> None:
    with tempfile.TemporaryDirectory(prefix="tiswatch-bench-api-") as folder:
        url, key, listings = _prepare(Path(folder), licences, seed)
        drafts = [dict(listing) for listing in listings]
        random.Random(seed).shuffle(drafts)
        _start(url, licences, "--index-cache", "").stop()
        server = _start(url, licences)
        try:
            if client == "wrk":
                script = write_script(Path(folder), drafts, key, "/api/v1/check")
                run_wrk(server.url, script, 2.0, concurrency)  # warm-up, not counted
                cpu_before = _cpu_seconds(server.process.pid)
                result = run_wrk(server.url, script, seconds, concurrency)
                count, elapsed, p50, p99, errors = (
                    result.requests, result.seconds, result.p50, result.p99, result.errors
                )  # fmt: skip
            else:
                asyncio.run(_load(server.api, key, drafts, 2.0, concurrency))  # warm-up, not counted
                cpu_before = _cpu_seconds(server.process.pid)
                latencies, errors, elapsed = asyncio.run(_load(server.api, key, drafts, seconds, concurrency))
                count, p50, p99 = len(latencies), statistics.median(latencies), _percentile(latencies, 0.99)
            cpu = _cpu_seconds(server.process.pid) - cpu_before
        finally:
            server.stop()
    print(
        f"{licences:,} licences: {count:,} checks in {elapsed:.1f} s = {count / elapsed:,.0f} checks/s wall, "
        f"{count / cpu:,.0f} checks per CPU-second of the server (one worker); "
        f"p50 {p50 * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms; "
        f"{errors} errors ({client} client, concurrency {concurrency})"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.bench_api", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--licences", default="30000,100000", help="registry sizes, comma-separated")
    parser.add_argument("--seconds", type=float, default=15.0, help="load duration per size")
    parser.add_argument("--concurrency", type=int, default=8, help="requests in flight")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument(
        "--client",
        choices=["auto", "wrk", "httpx"],
        default="auto",
        help="load generator (auto: wrk when installed, else httpx)",
    )
    args = parser.parse_args(argv)
    client = args.client
    if client == "auto":
        client = "wrk" if wrk_binary() else "httpx"
    if client == "wrk" and wrk_binary() is None:
        parser.error("--client wrk: wrk is not installed (apt-get install wrk)")
    if client == "httpx":
        print("load generator: the asyncio httpx client (wrk not used): its own pauses are in the p99")
    for size in (int(part) for part in args.licences.split(",")):
        run(size, args.seconds, args.concurrency, args.seed, client)
    return 0


if __name__ == "__main__":
    sys.exit(main())
