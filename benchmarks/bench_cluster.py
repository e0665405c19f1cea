"""Cluster benchmark: one campaign crawled by 1, 2 and 3 `tiswatch worker` processes.

    python -m benchmarks.bench_cluster [--workers 1,2,3] [--latency 0.2] [--fleet-delay 0.02] [--size 2000]
                                       [--fleet-concurrency 4]

Several sites, each a demo marketplace on its own port (a site is a host:port) answering every
request after `--latency` seconds, served from a separate process. Each round: a fresh PostgreSQL
database (`--pg URL`, default `$TISWATCH_TEST_PG_URL`) and a clean Redis (`--redis URL`, default a
throwaway `redis-server` on a unix socket), `tiswatch campaign start`, N workers `--until-idle`, then
`tiswatch campaign finish`. The campaign's plans: the `lazada` spider (catalog and product pages) on
every site. Printed per round: pages fetched ÷ the crawl window (first to last request any site
saw), the same over the whole wall time (worker start-up included), each site's busiest second and
mean rate against the fleet limit (`--fleet-delay`: seconds between two requests to one site), and
listings stored in PostgreSQL per second of the crawl window. Then the speed-up over one worker.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from standards_data.database import normalise_db_url, scratch_postgres_database

SITES = 3


def serve_markets(
    count: int, size: int, latency: float, ready: Any, report: Any, stop: Any, asked: Any
) -> None:
    from crawler.demo_market import DemoMarket

    markets = [DemoMarket(port=0, size=size, seed=2432 + number, latency=latency) for number in range(count)]
    for market in markets:
        market.start()
    ready.put([market.base_url for market in markets])
    while not stop.is_set():
        if asked.wait(0.2):
            asked.clear()
            report.put([market.request_times() for market in markets])
    for market in markets:
        market.stop()


def tiswatch(*args: str) -> list[str]:
    return [sys.executable, "-m", "tiswatch.cli", *args]


def start_redis(base: Path) -> tuple[subprocess.Popen[bytes], str]:
    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit("bench_cluster: no redis-server (apt-get install redis-server, or give --redis)")
    socket = base / "redis.sock"
    process = subprocess.Popen(
        [
            binary,
            "--port",
            "0",
            "--unixsocket",
            str(socket),
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(base),
        ],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while not socket.exists():
        if time.monotonic() > deadline:
            raise SystemExit("bench_cluster: redis-server did not start")
        time.sleep(0.05)
    return process, f"unix://{socket}"


def write_plans(path: Path, sites: list[str], max_pages: int) -> Path:
    lines = []
    for number, base_url in enumerate(sites, start=1):
        lines += [
            "[[plan]]",
            f'name = "lazada-site{number}"',
            'spider = "lazada"',
            f'arguments = {{ base_url = "{base_url}", max_pages = "{max_pages}" }}',
            "",
        ]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise SystemExit(
            f"bench_cluster: {' '.join(command[3:5])} failed:\n{done.stdout}\n{done.stderr[-3000:]}"
        )
    return done


def busiest_second(times: list[float]) -> int:
    busiest, start = 0, 0
    for end, moment in enumerate(times):
        while moment - times[start] >= 1.0:
            start += 1
        busiest = max(busiest, end - start + 1)
    return busiest


def one_round(
    workers: int, args: argparse.Namespace, sites: list[str], markets: dict[str, Any], work: Path
) -> dict[str, Any]:
    round_dir = work / f"workers{workers}"
    round_dir.mkdir()
    redis_process, redis_url = start_redis(round_dir) if not args.redis else (None, args.redis)
    if args.redis:
        import redis

        redis.Redis.from_url(redis_url).flushdb()
    database = scratch_postgres_database(args.pg, "tiswatch_bench")
    db_url = database.__enter__()  # dropped in the `finally` below
    try:
        plans = write_plans(round_dir / "plans.toml", sites, args.max_pages)
        settings = [
            "-s", f"TISWATCH_FLEET_DELAY={args.fleet_delay}",
            "-s", f"CONCURRENT_REQUESTS={args.concurrency}",
            "-s", f"TISWATCH_FLEET_CONCURRENCY={args.fleet_concurrency}",
        ]  # fmt: skip
        started = run(
            tiswatch(
                "campaign",
                "start",
                "--plans",
                str(plans),
                "--redis",
                redis_url,
                "--db",
                db_url,
                "-L",
                "WARNING",
                *settings,
            ),
            round_dir,
        )
        campaign_id = started.stdout.strip().splitlines()[-1]
        markets["asked"].set()
        before = markets["report"].get(timeout=60)
        began = time.monotonic()
        processes = [
            subprocess.Popen(
                tiswatch(
                    "worker",
                    "--redis",
                    redis_url,
                    "--db",
                    db_url,
                    "--until-idle",
                    "-L",
                    "WARNING",
                    "--logfile",
                    str(round_dir / f"worker{number}.log"),
                ),
                cwd=round_dir,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for number in range(workers)
        ]
        codes = [process.wait() for process in processes]
        wall = time.monotonic() - began
        markets["asked"].set()
        after = markets["report"].get(timeout=60)
        finished = run(
            tiswatch(
                "campaign",
                "finish",
                "--redis",
                redis_url,
                "--db",
                db_url,
                "--out",
                str(round_dir / "out"),
                "-L",
                "WARNING",
            ),
            round_dir,
        )
        engine = create_engine(normalise_db_url(db_url))
        with engine.connect() as connection:
            listings = int(connection.execute(text("SELECT count(*) FROM observations")).scalar_one())
        engine.dispose()
    finally:
        database.__exit__(None, None, None)
        if redis_process is not None:
            redis_process.terminate()
            redis_process.wait()
    per_site = [sorted(t for t, _ in log[len(old) :]) for old, log in zip(before, after, strict=True)]
    every = sorted(t for times in per_site for t in times)
    window = every[-1] - every[0] if len(every) > 1 else float("nan")
    pages = len(every)
    return {
        "workers": workers,
        "campaign": campaign_id,
        "exit_codes": codes,
        "finish": next((line for line in finished.stdout.splitlines() if line.startswith("campaign ")), ""),
        "pages": pages,
        "window": window,
        "wall": wall,
        "listings": listings,
        "sites": [
            (busiest_second(times), len(times) / (times[-1] - times[0]) if len(times) > 1 else 0.0)
            for times in per_site
        ],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_cluster", description=__doc__)
    parser.add_argument("--workers", default="1,2,3", help="worker counts to measure (default 1,2,3)")
    parser.add_argument("--latency", type=float, default=0.5, help="seconds each site takes to answer")
    parser.add_argument(
        "--fleet-delay", type=float, default=0.02, help="fleet-wide seconds between requests to a site"
    )
    parser.add_argument(
        "--concurrency", type=int, default=1, help="CONCURRENT_REQUESTS of each worker's crawler of a site"
    )
    parser.add_argument(
        "--fleet-concurrency",
        type=int,
        default=4,
        help="fleet-wide requests in flight per site (TISWATCH_FLEET_CONCURRENCY; default 4)",
    )
    parser.add_argument("--size", type=int, default=300, help="listings per demo site")
    parser.add_argument("--max-pages", type=int, default=1, help="catalog pages per keyword")
    parser.add_argument("--pg", default=os.environ.get("TISWATCH_TEST_PG_URL"), help="PostgreSQL server URL")
    parser.add_argument("--redis", help="Redis URL (flushed!); default: a throwaway redis-server")
    args = parser.parse_args(argv)
    if not args.pg:
        parser.error("give --pg URL (or set TISWATCH_TEST_PG_URL; .ci/postgres.sh starts a server)")
    counts = [int(part) for part in args.workers.split(",")]

    context = multiprocessing.get_context("spawn")
    ready, report, stop, asked = context.Queue(), context.Queue(), context.Event(), context.Event()
    server = context.Process(
        target=serve_markets, args=(SITES, args.size, args.latency, ready, report, stop, asked)
    )
    server.start()
    sites = ready.get(timeout=120)
    markets = {"report": report, "asked": asked}
    limit = 1.0 / args.fleet_delay
    print(
        f"bench_cluster: {SITES} sites ({args.size} listings each, {args.latency * 1000:.0f} ms per answer), "
        f"lazada plans, fleet limit {limit:.0f} requests/s per site, "
        f"{args.concurrency} request(s) at a time per site per worker, "
        f"at most {args.fleet_concurrency} per site for the fleet; "
        f"{os.cpu_count()} CPUs"
    )
    results = []
    try:
        with tempfile.TemporaryDirectory(prefix="bench-cluster-") as work:
            for workers in counts:
                result = one_round(workers, args, sites, markets, Path(work))
                results.append(result)
                rates = ", ".join(
                    f"busiest second {busiest}, mean {mean:.1f}/s" for busiest, mean in result["sites"]
                )
                pages, window, wall = result["pages"], result["window"], result["wall"]
                print(
                    f"{workers} worker(s): {pages} pages in {window:.1f} s = {pages / window:.1f} pages/s "
                    f"({pages / wall:.1f} pages/s over {wall:.1f} s wall, start-up included); "
                    f"{result['listings']} listings stored = {result['listings'] / window:.1f} listings/s "
                    f"into PostgreSQL; exit codes {result['exit_codes']}"
                )
                print(f"  per site (limit {limit:.0f}/s): {rates}")
                print(f"  {result['finish']}")
    finally:
        stop.set()
        server.join(timeout=30)
    base = results[0]["pages"] / results[0]["window"] if results and results[0]["workers"] == 1 else None
    if base:
        for result in results[1:]:
            speed = result["pages"] / result["window"] / base
            print(f"speed-up with {result['workers']} workers: {speed:.2f}x (target for 3: >= 2.5x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
