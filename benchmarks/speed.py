"""`python -m benchmarks.speed`: matcher throughput against a 100,000-licence registry.

Builds a synthetic registry and listings (`benchmarks.synth`), builds the matcher's index, judges
every listing on one core, and prints listings per second, index build time, peak memory (max RSS of
the process, after generating the data and after matching), and the speed-up over a naive baseline —
rapidfuzz `process.extractOne(title, every registry entry, scorer=token_set_ratio)` — timed on a sample
of the same listings in the same run. The baseline's registry strings are preprocessed once, outside
its timing (which only makes the baseline faster and the reported ratio smaller).
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from rapidfuzz import fuzz, process, utils

from benchmarks.synth import make_data
from matchers.matcher import Matcher
from matchers.vocabulary import load_vocabulary


@dataclass
class SpeedResult:
    licences: int
    listings: int
    build_seconds: float
    build_cpu_seconds: float
    cached_load_seconds: float
    """Starting again on the same registry: the index read from its per-version cache file."""
    cached_load_cpu_seconds: float
    index_kb_per_licence: float
    """Peak RSS growth while building the index, per licence."""
    match_seconds: float
    match_cpu_seconds: float
    listings_per_second: float
    baseline_sample: int
    baseline_listings_per_second: float
    speedup: float
    peak_rss_mb_data: float
    peak_rss_mb_total: float
    verdict_counts: dict[str, int]


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports KiB, macOS bytes.
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def run_speed(licence_count: int, listing_count: int, seed: int, baseline_sample: int) -> SpeedResult:
    vocabulary = load_vocabulary()
    data = make_data(licence_count, listing_count, seed, vocabulary)
    gc.collect()
    rss_data = _peak_rss_mb()

    started, cpu_started = time.perf_counter(), time.process_time()
    matcher = Matcher(data.licences, vocabulary)
    build_seconds, build_cpu = time.perf_counter() - started, time.process_time() - cpu_started
    index_kb = (_peak_rss_mb() - rss_data) * 1024 / max(len(data.licences), 1)
    with tempfile.TemporaryDirectory(prefix="tiswatch-index-cache-") as cache:
        Matcher(data.licences, vocabulary, index_cache=Path(cache))  # builds and stores it
        started, cpu_started = time.perf_counter(), time.process_time()
        Matcher(data.licences, vocabulary, index_cache=Path(cache))
        load_seconds, load_cpu = time.perf_counter() - started, time.process_time() - cpu_started

    # Load the lazy parts (Thai dictionary trie, transliteration) and warm caches on a few listings,
    # outside the timing: a long-running crawl pays these once.
    matcher.warm_up()
    for listing in data.listings[:20]:
        matcher.judge(listing)

    counts: dict[str, int] = {}
    started, cpu_started = time.perf_counter(), time.process_time()
    for listing in data.listings:
        verdict = matcher.judge(listing)
        counts[verdict.verdict] = counts.get(verdict.verdict, 0) + 1
    match_seconds, match_cpu = time.perf_counter() - started, time.process_time() - cpu_started
    rate = len(data.listings) / match_seconds

    choices = [
        utils.default_process(f"{lic.brand} {' '.join(lic.models)} {lic.tis_number} {lic.licence_no}")
        for lic in data.licences
    ]
    sample = data.listings[:baseline_sample]
    started = time.perf_counter()
    for listing in sample:
        process.extractOne(utils.default_process(listing["title"]), choices, scorer=fuzz.token_set_ratio)
    baseline_seconds = time.perf_counter() - started
    baseline_rate = len(sample) / baseline_seconds

    return SpeedResult(
        licences=len(data.licences),
        listings=len(data.listings),
        build_seconds=build_seconds,
        build_cpu_seconds=build_cpu,
        cached_load_seconds=load_seconds,
        cached_load_cpu_seconds=load_cpu,
        index_kb_per_licence=index_kb,
        match_seconds=match_seconds,
        match_cpu_seconds=match_cpu,
        listings_per_second=rate,
        baseline_sample=len(sample),
        baseline_listings_per_second=baseline_rate,
        speedup=rate / baseline_rate,
        peak_rss_mb_data=rss_data,
        peak_rss_mb_total=_peak_rss_mb(),
        verdict_counts=counts,
    )


def print_speed(result: SpeedResult, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    print(f"registry: {result.licences} licences; listings: {result.listings}", file=out)
    print(f"index build: {result.build_seconds:.2f} s ({result.build_cpu_seconds:.2f} s CPU)", file=out)
    print(
        f"index from its per-registry cache: {result.cached_load_seconds:.2f} s "
        f"({result.cached_load_cpu_seconds:.2f} s CPU)",
        file=out,
    )
    print(f"index memory: {result.index_kb_per_licence:.2f} KB per licence (peak RSS growth)", file=out)
    print(
        f"matcher: {result.listings_per_second:,.0f} listings/s "
        f"({result.listings} listings in {result.match_seconds:.2f} s, {result.match_cpu_seconds:.2f} s CPU, "
        "one core)",
        file=out,
    )
    end_to_end = result.listings / (result.build_seconds + result.match_seconds)
    cached = result.listings / (result.cached_load_seconds + result.match_seconds)
    cpu = result.listings / (result.build_cpu_seconds + result.match_cpu_seconds)
    cpu_cached = result.listings / (result.cached_load_cpu_seconds + result.match_cpu_seconds)
    print(
        f"end to end (index + matching): {end_to_end:,.0f} listings/s built, {cached:,.0f} cached; "
        f"by CPU time {cpu:,.0f} and {cpu_cached:,.0f} listings/s",
        file=out,
    )
    print(
        f"naive baseline (extractOne token_set_ratio over {result.licences} entries, "
        f"{result.baseline_sample} listings): {result.baseline_listings_per_second:.2f} listings/s",
        file=out,
    )
    print(f"speed-up vs naive: {result.speedup:,.0f}x", file=out)
    print(
        f"peak memory (max RSS): {result.peak_rss_mb_data:.0f} MB after generating the data, "
        f"{result.peak_rss_mb_total:.0f} MB after indexing and matching",
        file=out,
    )
    summary = ", ".join(f"{k} {v}" for k, v in sorted(result.verdict_counts.items()))
    print(f"verdicts: {summary}", file=out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.speed", description=__doc__.split("\n\n")[0])
    parser.add_argument("--licences", type=int, default=100_000)
    parser.add_argument("--listings", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--baseline-sample", type=int, default=20, help="listings timed for the naive baseline"
    )
    args = parser.parse_args(argv)
    print_speed(run_speed(args.licences, args.listings, args.seed, args.baseline_sample))
    return 0


if __name__ == "__main__":
    sys.exit(main())
