"""Crawl benchmark: the lazada spider with the full pipeline over a 10,000-listing demo marketplace,
measured beside `scrapy bench` in the same run on the same machine.

    python -m benchmarks.crawl [--size 10000] [--json bench.json]

Three processes, so none competes with another for the interpreter lock: the demo marketplace (a
server process), the tiswatch crawl (a child process: `run_crawls` with the project's pipelines —
validate, match, store to a fresh SQLite file, export — and the evidence middleware), then
`scrapy bench` (Scrapy's own link-following spider against its mock server, run outside the project
so it gets Scrapy's default settings). Both crawls use Scrapy's default concurrency (16 requests,
8 per domain) and no politeness delay: the demo market is loopback. Figures printed: pages per second
(pages fetched ÷ the crawl's `elapsed_time_seconds`), peak resident memory of each crawl process (from
`wait4`), and the ratio tiswatch ÷ scrapy bench.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

MB = 1024 * 1024
BENCH_SETTINGS = {
    "DOWNLOAD_DELAY": 0,
    "DOWNLOAD_DELAY_JITTER": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
    "LOG_LEVEL": "INFO",
    "LOGSTATS_INTERVAL": 10,
}


def _serve_market(size: int, seed: int, ready: Any, stop: Any) -> None:
    from crawler.demo_market import DemoMarket

    with DemoMarket(port=0, size=size, seed=seed) as market:
        ready.put((market.base_url, len(market.catalogue)))
        stop.wait()


def _run_child(command: list[str], cwd: Path | None = None) -> tuple[int, str, str, float, float]:
    """Run a command; return (exit code, stdout, stderr, wall seconds, peak RSS in MB from wait4)."""
    started = time.monotonic()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        wall = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    return process.returncode, stdout, stderr, wall, usage.ru_maxrss / 1024  # Linux: KiB


def crawl_child(base_url: str, out_dir: Path, crawler_only: bool = False) -> dict[str, Any]:
    """(In the child process) crawl the market with the lazada spider and the full pipeline (or, with
    `crawler_only`, with no item pipeline and no evidence: the spider, parsers and middlewares alone)."""
    from crawler.runner import CrawlPlan, project_settings, run_crawls

    overrides: dict[str, Any] = {
        **BENCH_SETTINGS,
        "TISWATCH_DB_URL": f"sqlite:///{out_dir / 'bench.sqlite'}",
        "LOG_FILE": str(out_dir / "bench.log"),
    }
    if crawler_only:
        overrides.update(ITEM_PIPELINES={}, TISWATCH_EVIDENCE_ENABLED=False)
    settings = project_settings(overrides)
    plan = CrawlPlan("lazada", {"base_url": base_url, "max_pages": "1000"})
    (outcome,) = run_crawls([plan], settings, out_dir)
    stats, summary = outcome.stats, outcome.summary
    return {
        "status": summary["status"],
        "pages": summary["pages_fetched"],
        "listings": summary["listings"],
        "items_stored": summary["items_stored"],
        "flagged": summary["flagged"],
        "elapsed_seconds": stats.get("elapsed_time_seconds"),
        "error": outcome.error,
    }


def measure_tiswatch(base_url: str, work_dir: Path, crawler_only: bool = False) -> dict[str, Any]:
    command = [sys.executable, "-m", "benchmarks.crawl", "--crawl-child", base_url, str(work_dir)]
    if crawler_only:
        command.append("--crawler-only")
    # The benchmarks package is not installed: the child runs from the checkout that holds it.
    code, stdout, stderr, wall, peak_mb = _run_child(command, cwd=Path(__file__).resolve().parents[1])
    if code != 0 or not stdout.strip():
        raise RuntimeError(f"tiswatch crawl failed (exit {code}): {stderr[-2000:]}")
    result = json.loads(stdout.strip().splitlines()[-1])
    result.update(wall_seconds=round(wall, 2), peak_rss_mb=round(peak_mb, 1))
    result["pages_per_second"] = round(result["pages"] / result["elapsed_seconds"], 1)
    return result


_STAT = re.compile(r"'(response_received_count|elapsed_time_seconds|memusage/max)':\s*([\d.]+)")


def measure_scrapy_bench(seconds: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as outside_project:
        command = [
            sys.executable,
            "-m",
            "scrapy",
            "bench",
            "-s",
            f"CLOSESPIDER_TIMEOUT={seconds}",
            "-s",
            "LOG_LEVEL=INFO",
        ]
        code, _, stderr, wall, peak_mb = _run_child(command, cwd=Path(outside_project))
    stats = {name: float(value) for name, value in _STAT.findall(stderr)}
    if code != 0 or "response_received_count" not in stats:
        raise RuntimeError(f"scrapy bench failed (exit {code}): {stderr[-2000:]}")
    pages, elapsed = int(stats["response_received_count"]), stats["elapsed_time_seconds"]
    return {
        "pages": pages,
        "elapsed_seconds": elapsed,
        "pages_per_second": round(pages / elapsed, 1),
        "peak_rss_mb": round(peak_mb, 1),
        "wall_seconds": round(wall, 2),
    }


def run_benchmark(size: int, seed: int, bench_seconds: int, crawler_only: bool = False) -> dict[str, Any]:
    context = multiprocessing.get_context("spawn")
    ready, stop = context.Queue(), context.Event()
    server = context.Process(target=_serve_market, args=(size, seed, ready, stop), daemon=True)
    server.start()
    try:
        base_url, seeded = ready.get(timeout=300)
        with tempfile.TemporaryDirectory(prefix="tiswatch-crawl-bench-") as work:
            tiswatch = measure_tiswatch(base_url, Path(work))
        spider_only = None
        if crawler_only:
            with tempfile.TemporaryDirectory(prefix="tiswatch-crawl-bench-") as work:
                spider_only = measure_tiswatch(base_url, Path(work), crawler_only=True)
    finally:
        stop.set()
        server.join(timeout=30)
    scrapy = measure_scrapy_bench(bench_seconds)
    result: dict[str, Any] = {
        "market": {"listings": seeded, "seed": seed},
        "tiswatch": tiswatch,
        "scrapy_bench": scrapy,
        "ratio": round(tiswatch["pages_per_second"] / scrapy["pages_per_second"], 2),
        "cpus": os.cpu_count(),
    }
    if spider_only is not None:
        result["tiswatch_crawler_only"] = spider_only
    return result


def report(result: dict[str, Any]) -> str:
    ours, theirs = result["tiswatch"], result["scrapy_bench"]
    market = result["market"]["listings"]
    return "\n".join(
        [
            f"crawl benchmark ({result['cpus']} CPUs; demo market of {market:,} listings)",
            f"  tiswatch lazada + full pipeline: {ours['pages']:,} pages in {ours['elapsed_seconds']:.1f} s"
            f" = {ours['pages_per_second']} pages/s; {ours['listings']:,} listings, "
            f"{ours['flagged']:,} flagged; peak RSS {ours['peak_rss_mb']} MB",
            f"  scrapy bench:                    {theirs['pages']:,} pages in "
            f"{theirs['elapsed_seconds']:.1f} s"
            f" = {theirs['pages_per_second']} pages/s; peak RSS {theirs['peak_rss_mb']} MB",
            f"  ratio tiswatch / scrapy bench: {result['ratio']} (target >= 0.5); "
            f"tiswatch peak memory {ours['peak_rss_mb']} MB (target < 300 MB)",
        ]
        + (
            [
                f"  (tiswatch lazada, no pipeline, no evidence: {only['pages']:,} pages in "
                f"{only['elapsed_seconds']:.1f} s = {only['pages_per_second']} pages/s; "
                f"peak RSS {only['peak_rss_mb']} MB)"
            ]
            if (only := result.get("tiswatch_crawler_only"))
            else []
        )
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.crawl", description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000, help="demo market listings (default 10000)")
    parser.add_argument("--seed", type=int, default=2432)
    parser.add_argument("--bench-seconds", type=int, default=10, help="scrapy bench duration (default 10)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures as JSON")
    parser.add_argument(
        "--crawler-only",
        action="store_true",
        help="also time the spider alone (no item pipeline, no evidence) to show what the pipeline costs",
    )
    parser.add_argument("--crawl-child", nargs=2, metavar=("BASE_URL", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.crawl_child:
        base_url, work_dir = args.crawl_child
        print(json.dumps(crawl_child(base_url, Path(work_dir), crawler_only=args.crawler_only)))
        return 0
    result = run_benchmark(args.size, args.seed, args.bench_seconds, crawler_only=args.crawler_only)
    print(report(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
