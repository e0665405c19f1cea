"""`tiswatch crawl`: run a spider (or every configured plan) and report what it covered.

    tiswatch crawl lazada -a standards=2432-2555 -a max_pages=2 --out out/lazada
    tiswatch crawl shopee -a base_url=http://127.0.0.1:8000 --out out/shopee --db sqlite:///data/t.sqlite
    tiswatch crawl --all --plans crawl_plans.toml        # for cron: locked, resumable

Writes `DIR/listings.jsonl` and `DIR/summary.json` (pages fetched, listings, blocked, failed, parse
errors — in total and per keyword) and prints the summary. Exit status: 0 when every page was
covered; 1 when a crawl was blocked, failed, was interrupted, could not start, or left a keyword
incomplete (a results page it could not read, a keyword with no page fetched); 3 when another
`crawl --all` holds the lock.

`--all` runs every plan of `--plans FILE` (TOML, below), else of the `TISWATCH_CRAWL_PLANS` setting,
else shopee and lazada over every standard with vocabulary:

    [[plan]]
    name = "lazada-plugs"           # optional; names the JOBDIR and the summary section
    spider = "lazada"
    arguments = { standards = "2432-2555,166-2549", max_pages = 3 }

    [[plan]]
    spider = "schema_org"
    arguments = { base_url = "https://shop.example.co.th", max_pages = 200 }

Each plan runs with `JOBDIR=<state-dir>/jobs/<name>`: a run stopped cleanly (Ctrl-C, SIGTERM) resumes
where it stopped on the next `--all`; a finished run clears its JOBDIR so the next one starts afresh.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import sys
import tomllib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from scrapy.spiderloader import get_spider_loader

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
from pipelines.evidence import evidence_store_kind
from tiswatch.cli import add_db_argument, out_file, out_folder, unreadable_input

EXIT_OK = 0
EXIT_INCOMPLETE = 1
EXIT_USAGE = 2
EXIT_LOCKED = 3

DEFAULT_PLANS = (CrawlPlan("shopee"), CrawlPlan("lazada"))
EVIDENCE_STORE_SETTING = "TISWATCH_EVIDENCE_STORE"


def add_evidence_store_argument(parser: argparse.ArgumentParser) -> None:
    """`--evidence-store files|database` (setting TISWATCH_EVIDENCE_STORE): see pipelines/evidence.py."""
    parser.add_argument(
        "--evidence-store",
        choices=("files", "database"),
        help="where response bodies are kept: files in TISWATCH_EVIDENCE_DIR (default), or rows of the "
        f"history database, shared by every machine ({EVIDENCE_STORE_SETTING})",
    )


class LockHeld(RuntimeError):
    pass


@contextlib.contextmanager
def run_lock(path: Path) -> Iterator[None]:
    """An exclusive lock for the duration of a run; the OS frees it if the process dies."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 — held open for the whole run
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise LockHeld(f"another crawl run holds {path} (pid {holder})") from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        handle.close()


def parse_pairs(pairs: Sequence[str] | None, option: str) -> dict[str, str]:
    """`["k=v", …]` → `{"k": "v"}`, as `scrapy crawl -a` and `-s` take them."""
    result: dict[str, str] = {}
    for pair in pairs or ():
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"{option} {pair!r}: expected NAME=VALUE")
        result[key.strip()] = value
    return result


def check_setting_values(overrides: dict[str, str]) -> None:
    """`-s NAME=VALUE` of a setting whose default is a number or a yes/no must be one: said here, in one
    line, instead of `could not convert string to float: 'abc'` from inside Scrapy after it started."""
    defaults = project_settings()
    for name, value in overrides.items():
        default = defaults.get(name)
        text = value.strip()
        if not text:  # `-s NAME=` unsets a setting; whoever reads it says whether it may be unset
            continue
        if isinstance(default, bool):
            valid = text.lower() in ("0", "1", "true", "false")
            kind = "True or False (or 1 or 0)"
        elif isinstance(default, int | float):
            # A number, whole or not: Scrapy reads some settings with a whole default as floats
            # (CLOSESPIDER_TIMEOUT=0.5).
            kind = "a number"
            try:
                float(text)
                valid = True
            except ValueError:
                valid = False
        else:
            continue
        if not valid:
            raise ValueError(f"-s {name}={value!r}: expected {kind} (the default is {default!r})")


def check_spider_arguments(settings: Any, plans: Sequence[CrawlPlan]) -> None:
    """Build each plan's spider once with its `-a` arguments before Scrapy starts (the spiders'
    constructors only check and store them), so `-a max_pages=abc` is one line and exit 2, not a
    crawl that logs its start and then fails. Not for `--all`: there a plan's bad argument is
    recorded in its summary and the other plans still run (cron)."""
    loader = get_spider_loader(settings)
    for plan in plans:
        try:
            loader.load(plan.spider)(**plan.arguments)
        except ValueError as error:
            raise ValueError(f"{plan.name}: {error}") from None


def load_plans(path: Path | None, configured: Any) -> list[CrawlPlan]:
    """Plans from a TOML file, else from the `TISWATCH_CRAWL_PLANS` setting, else the defaults."""
    if path is not None:
        problem = unreadable_input(path, "plans file", "--plans")
        if problem:
            raise ValueError(problem)
        try:
            with open(path, "rb") as handle:
                entries = tomllib.load(handle).get("plan", [])
        except tomllib.TOMLDecodeError as error:
            raise ValueError(f"plans file {path} (--plans) is not valid TOML: {error}") from None
        except UnicodeDecodeError:
            raise ValueError(
                f"plans file {path} (--plans) is not UTF-8 text (TOML files are UTF-8: save it as UTF-8)"
            ) from None
        source = str(path)
    elif configured:
        entries, source = configured, "TISWATCH_CRAWL_PLANS"
    else:
        return [CrawlPlan(plan.spider, dict(plan.arguments), plan.name) for plan in DEFAULT_PLANS]
    plans = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not entry.get("spider"):
            raise ValueError(f"{source}: plan {number} has no `spider`")
        arguments = entry.get("arguments") or {}
        if not isinstance(arguments, dict):
            raise ValueError(f"{source}: plan {number}: `arguments` must be a table")
        plans.append(CrawlPlan(str(entry["spider"]), arguments, str(entry.get("name") or "")))
    names = [plan.name for plan in plans]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ValueError(f"{source}: plan names must be unique; give `name =` to {', '.join(duplicates)}")
    if not plans:
        raise ValueError(f"{source}: no [[plan]] entries")
    return plans


def format_summary(summary: dict[str, Any]) -> str:
    """A few lines a person reads at the end of a run (the JSON file has everything)."""
    lines = [
        f"{summary.get('name') or summary.get('spider')}: {summary.get('status', '?').upper()} — "
        f"{summary.get('pages_fetched', 0)} pages fetched, {summary.get('listings', 0)} listings, "
        f"{summary.get('blocked', 0)} blocked, {summary.get('failed', 0)} failed, "
        f"{summary.get('parse_errors', 0)} parse errors"
        + (f" ({summary['duration_seconds']} s)" if summary.get("duration_seconds") is not None else "")
    ]
    if summary.get("error"):
        lines.append(f"  could not run: {summary['error']}")
    if summary.get("limits_hit"):
        hits = ", ".join(f"{setting} {count}" for setting, count in sorted(summary["limits_hit"].items()))
        lines.append(f"  limits hit (pages cut, counted as failed or unreadable): {hits}")
    if summary.get("robots_forbidden"):
        lines.append(
            f"  {summary['robots_forbidden']} link(s) not followed: forbidden by the site's robots.txt"
        )
    if summary.get("links_not_followed"):
        reasons = ", ".join(
            f"{why} {n}" for why, n in sorted((summary.get("links_not_followed_by") or {}).items())
        )
        lines.append(
            f"  {summary['links_not_followed']} shop link(s) not followed ({reasons}): "
            "raise max_depth/max_pages to crawl them"
        )
    if summary.get("repeated_pages"):
        lines.append(
            f"  {summary['repeated_pages']} result page(s) repeated earlier results: "
            "those keywords' pagination stopped there"
        )
    if summary.get("product_pages_blocked"):
        lines.append(
            f"  {summary['product_pages_blocked']} listing(s) kept from search cards only: "
            "their product page (spec table, licence text) was blocked"
        )
    if summary.get("backed_off_sites"):
        lines.append(f"  backed off (blocked): {', '.join(summary['backed_off_sites'])}")
    if summary.get("verdicts"):
        verdicts = ", ".join(f"{name} {count}" for name, count in sorted(summary["verdicts"].items()))
        lines.append(f"  flagged {summary.get('flagged', 0)}; verdicts: {verdicts}")
    keywords = summary.get("keywords") or {}
    # Every keyword that was not covered cleanly, by name; the clean ones as a count (all in the JSON).
    notable = {k: c for k, c in keywords.items() if c.get("status") != "complete" or c.get("parse_errors")}
    if notable:
        lines.append("  keyword: pages fetched/listings/blocked/failed/parse errors, status")
        for keyword, counts in notable.items():
            lines.append(
                f"    {keyword}: {counts.get('pages_fetched', 0)}/{counts.get('listings', 0)}/"
                f"{counts.get('blocked', 0)}/{counts.get('failed', 0)}/{counts.get('parse_errors', 0)}, "
                f"{counts.get('status')}"
            )
    clean = len(keywords) - len(notable)
    if clean:
        lines.append(
            f"  {clean} keyword(s) covered without problems" + (" (others above)" if notable else "")
        )
    return "\n".join(lines)


def print_outcomes(outcomes: Sequence[CrawlOutcome], stream: TextIO = sys.stdout) -> None:
    for outcome in outcomes:
        print(format_summary(outcome.summary), file=stream)


def prepare_database(url: str) -> None:
    """Open the database and bring its schema up to date before Scrapy starts, so an unusable `--db`
    (a folder, a file that is not a database, a server that does not answer) is one line from the
    CLI, not a traceback per pipeline; raises what `tiswatch.cli.main` turns into that line."""
    from pipelines.store import HistoryStore

    HistoryStore.from_url(url).engine.dispose()


def crawl_command(args: argparse.Namespace) -> int:
    try:
        overrides = parse_pairs(args.set, "-s")
        check_setting_values(overrides)
        arguments = parse_pairs(args.argument, "-a")
    except ValueError as error:
        print(f"tiswatch crawl: {error}", file=sys.stderr)
        return EXIT_USAGE
    overrides["TISWATCH_DB_URL"] = args.db
    if args.evidence_store:
        overrides[EVIDENCE_STORE_SETTING] = args.evidence_store
    if args.loglevel:
        overrides["LOG_LEVEL"] = args.loglevel
    if args.logfile:
        overrides["LOG_FILE"] = str(args.logfile)
    settings = project_settings(overrides)
    try:
        evidence_store_kind(settings)  # a misspelt store is named now, not a traceback mid-crawl
    except ValueError as error:
        print(f"tiswatch crawl: {error}", file=sys.stderr)
        return EXIT_USAGE
    out_dir = Path(args.out)
    known = set(get_spider_loader(settings).list())
    if args.spider and not args.all and args.spider not in known:
        print(
            f"tiswatch crawl: unknown spider {args.spider!r} (known: {', '.join(sorted(known))})",
            file=sys.stderr,
        )
        return EXIT_USAGE

    # Usage errors (plans, spider arguments) first: nothing is opened or created for a command that
    # cannot run. Then the database, before Scrapy starts.
    if args.all:
        if args.spider:
            print("tiswatch crawl: give a SPIDER or --all, not both", file=sys.stderr)
            return EXIT_USAGE
        try:
            plans = load_plans(args.plans, settings.get("TISWATCH_CRAWL_PLANS"))
        except (OSError, ValueError, tomllib.TOMLDecodeError) as error:
            print(f"tiswatch crawl --all: {error}", file=sys.stderr)
            return EXIT_USAGE
        unknown = sorted({plan.spider for plan in plans if plan.spider not in known})
        if unknown:
            print(
                f"tiswatch crawl --all: unknown spider(s) {', '.join(unknown)} in the plans "
                f"(known: {', '.join(sorted(known))}); nothing was crawled",
                file=sys.stderr,
            )
            return EXIT_USAGE
        prepare_database(args.db)
        state_dir = Path(args.state_dir)
        try:
            with run_lock(state_dir / "crawl.lock"):
                job_dirs = {plan.name: state_dir / "jobs" / plan.name for plan in plans}
                outcomes = run_crawls(plans, settings, out_dir, job_dirs)
        except LockHeld as error:
            print(f"tiswatch crawl --all: {error}; not starting", file=sys.stderr)
            return EXIT_LOCKED
    else:
        if not args.spider:
            print("tiswatch crawl: name a SPIDER (shopee, lazada, schema_org) or give --all", file=sys.stderr)
            return EXIT_USAGE
        plan = CrawlPlan(args.spider, arguments)
        try:
            check_spider_arguments(settings, [plan])
        except ValueError as error:
            print(f"tiswatch crawl: {error}", file=sys.stderr)
            return EXIT_USAGE
        prepare_database(args.db)
        job_dirs = {plan.name: Path(args.jobdir)} if args.jobdir else {}
        outcomes = run_crawls([plan], settings, out_dir, job_dirs)

    single = len(outcomes) == 1 and not args.all
    summary = outcomes[0].summary if single else combine_summaries(outcomes)
    summary["outputs"] = {
        "summary": str(out_dir / SUMMARY_FILE),
        "listings": str(out_dir / LISTINGS_FILE),
    }
    write_summary(out_dir / SUMMARY_FILE, summary)
    print_outcomes(outcomes)
    print(f"wrote {out_dir / SUMMARY_FILE} and {out_dir / LISTINGS_FILE}")
    return EXIT_OK if outcomes and all(outcome.ok for outcome in outcomes) else EXIT_INCOMPLETE


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "crawl",
        help="run a spider (or every configured plan with --all) and write listings + a coverage summary",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("spider", nargs="?", help="shopee, lazada or schema_org")
    parser.add_argument(
        "-a", dest="argument", action="append", metavar="NAME=VALUE", help="spider argument (repeatable)"
    )
    parser.add_argument(
        "-s", dest="set", action="append", metavar="NAME=VALUE", help="Scrapy setting override (repeatable)"
    )
    parser.add_argument(
        "--out", default="out", type=out_folder, metavar="DIR", help="output folder (default: out)"
    )
    add_db_argument(parser)
    parser.add_argument("--all", action="store_true", help="run every configured spider/keyword plan")
    parser.add_argument("--plans", type=Path, metavar="FILE.toml", help="plans for --all (see above)")
    parser.add_argument(
        "--state-dir",
        default="data",
        type=out_folder,
        metavar="DIR",
        help="where --all keeps its lock file and JOBDIRs (default: data)",
    )
    parser.add_argument(
        "--jobdir",
        type=out_folder,
        metavar="DIR",
        help="JOBDIR for a single spider (resume after a clean stop)",
    )
    add_evidence_store_argument(parser)
    parser.add_argument("--loglevel", "-L", metavar="LEVEL", help="log level (default: INFO)")
    parser.add_argument("--logfile", type=out_file, metavar="FILE", help="write the crawl log to FILE")
    parser.set_defaults(handler=crawl_command)
