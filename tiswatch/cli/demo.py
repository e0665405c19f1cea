"""`tiswatch demo`: the main job end to end on the bundled demo marketplace (`make demo`).

    tiswatch demo --out out

Starts the demo marketplace on 127.0.0.1 (an ephemeral port), crawls it with the real `shopee` and
`lazada` spiders through the real pipelines (validate → match → store → export), and writes to OUT:
`tiswatch.sqlite` (the run's database), `flagged.csv` and `flagged.xlsx` (flagged listings for
review), `listings.jsonl` (everything crawled, with verdicts), `evidence/` (raw pages), `summary.json`
(coverage) and `demo.log` (the crawl log). Ends with a short run summary.

The demo market is a loopback server of our own, so the politeness delays meant for real sites are
switched off for it; robots.txt is still obeyed.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from crawler.runner import (
    LISTINGS_FILE,
    SUMMARY_FILE,
    CrawlOutcome,
    CrawlPlan,
    combine_summaries,
    project_settings,
    run_crawls,
    write_summary,
)
from tiswatch.cli import out_folder, positive_int

DB_FILE = "tiswatch.sqlite"
LOG_FILE = "demo.log"
EXPORT_FILES = ("flagged.csv", "flagged.xlsx", LISTINGS_FILE)
DEMO_SPIDERS = ("shopee", "lazada")
# Our own loopback server: no need to wait between requests. (Real sites get crawler/settings.py.)
LOOPBACK_SETTINGS = {
    "DOWNLOAD_DELAY": 0,
    "DOWNLOAD_DELAY_JITTER": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
}


def fresh_database(path: Path) -> None:
    """The demo's database holds the demo run only: remove the previous demo's file (and its WAL)."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def verdict_agreement(listings_path: Path, catalogue: Any) -> tuple[int, int]:
    """How many crawled listings got the verdict the demo catalogue intends for them (agreeing, judged)."""
    intended: dict[tuple[str, str], str] = {}
    for entry in catalogue:
        for platform in DEMO_SPIDERS:
            if platform in entry.platforms:
                intended[(platform, entry.listing_id(platform))] = entry.verdict
    agreeing = judged = 0
    with open(listings_path, encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            verdict = (record.get("verdict") or {}).get("verdict")
            expected = intended.get((record.get("platform"), record.get("listing_id")))
            if verdict is None or expected is None:
                continue
            judged += 1
            agreeing += verdict == expected
    return agreeing, judged


def print_demo_summary(
    outcomes: list[CrawlOutcome],
    combined: dict[str, Any],
    market_url: str,
    seeded: int,
    duration: float,
    written: list[Path],
    agreement: tuple[int, int] | None,
) -> None:
    print(f"tiswatch demo: crawled the demo marketplace at {market_url} ({seeded} listings seeded)")
    for outcome in outcomes:
        s = outcome.summary
        line = (
            f"  {outcome.plan.name:<7} {s.get('pages_fetched', 0):>4} pages fetched, "
            f"{s.get('listings', 0):>4} listings, {s.get('blocked', 0)} blocked, "
            f"{s.get('failed', 0)} failed, {s.get('parse_errors', 0)} parse errors"
        )
        print(line + (f" — could not run: {outcome.error}" if outcome.error else ""))
    verdicts = Counter(combined.get("verdicts") or {})
    flagged = ", ".join(
        f"{name.replace('_', ' ')} {verdicts[name]}"
        for name in ("invalid_licence", "uncertified", "unverifiable")
    )
    print(f"  listings: {combined['listings']}; flagged: {combined['flagged']} ({flagged})")
    print(f"  not flagged: certified {verdicts['certified']}, not regulated {verdicts['not_regulated']}")
    if agreement and agreement[1]:
        agreeing, judged = agreement
        print(
            f"  verdicts as the demo catalogue intends: {agreeing}/{judged} ({100 * agreeing / judged:.1f}%)"
        )
    print(f"  pages blocked: {combined['blocked']}, failed: {combined['failed']}")
    for outcome in outcomes:
        for keyword, counts in (outcome.summary.get("keywords") or {}).items():
            if counts.get("status") in ("blocked", "failed", "incomplete"):
                print(f"    {outcome.plan.name} keyword {keyword!r}: {counts['status']}")
    print(f"  duration: {duration:.1f} s")
    print("  wrote: " + ", ".join(str(path) for path in written))


def demo_command(args: argparse.Namespace) -> int:
    from crawler.demo_market import DemoMarket

    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    if args.db:
        db_url = args.db
    else:
        fresh_database(out_dir / DB_FILE)
        db_url = f"sqlite:///{out_dir / DB_FILE}"
    from tiswatch.cli.crawl import prepare_database

    prepare_database(db_url)
    (out_dir / LOG_FILE).unlink(missing_ok=True)
    settings = project_settings(
        {
            **LOOPBACK_SETTINGS,
            "TISWATCH_DB_URL": db_url,
            "LOG_FILE": str(out_dir / LOG_FILE),
            "LOG_LEVEL": "INFO",
        }
    )
    started = time.monotonic()
    market_options: dict[str, Any] = {"size": args.size, "seed": args.seed}
    if args.blocked_shopee:
        market_options["blocked_shopee"] = set(args.blocked_shopee)
    with DemoMarket(port=0, **market_options) as market:
        plans = [CrawlPlan(spider, {"base_url": market.base_url}) for spider in DEMO_SPIDERS]
        outcomes = run_crawls(plans, settings, out_dir)
        duration = time.monotonic() - started
        combined = combine_summaries(outcomes)
        combined["market"] = {"base_url": market.base_url, "size": len(market.catalogue), "seed": args.seed}
        catalogue, seeded, market_url = market.catalogue, len(market.catalogue), market.base_url

    write_summary(out_dir / SUMMARY_FILE, combined)
    expected = [out_dir / DB_FILE] if not args.db else []
    expected += [out_dir / name for name in EXPORT_FILES]
    missing = [path for path in expected if not path.exists()]
    written = [*expected, out_dir / SUMMARY_FILE, out_dir / "evidence", out_dir / LOG_FILE]
    listings_path = out_dir / LISTINGS_FILE
    agreement = verdict_agreement(listings_path, catalogue) if listings_path.exists() else None
    print_demo_summary(outcomes, combined, market_url, seeded, duration, written, agreement)
    if missing or any(outcome.error for outcome in outcomes):
        for path in missing:
            print(f"tiswatch demo: {path} was not written; see {out_dir / LOG_FILE}", file=sys.stderr)
        return 1
    return 0


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "demo",
        help="crawl the bundled demo marketplace end to end and write the flagged-listing export",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--out", default="out", type=out_folder, metavar="DIR", help="output folder (default: out)"
    )
    parser.add_argument(
        "--db",
        metavar="URL",
        help=f"database URL (default: a fresh OUT/{DB_FILE} for each demo; given: history is kept)",
    )
    parser.add_argument(
        "--size", type=positive_int, default=400, help="listings in the demo market (default: 400)"
    )
    parser.add_argument("--seed", type=int, default=2432, help="seed of the demo catalogue (default: 2432)")
    parser.add_argument(
        "--blocked-shopee",
        action="append",
        metavar="KEYWORD",
        help="answer this Shopee keyword with the anti-bot error 90309999 (repeatable), to see a blocked run",
    )
    parser.set_defaults(handler=demo_command)
