"""`tiswatch evidence screenshots`: full-page screenshots of the flagged listings' pages.

    tiswatch evidence screenshots [--run ID] [--again] [--browser /usr/bin/chromium]
                                  [--evidence-dir DIR] [--db URL]

Takes the flagged listings the review desk's queue holds (the latest run of every spider, or one run),
skipping listings that have a screenshot already unless `--again`. Exit codes: 0 every page captured,
1 some pages failed (each named on one line) or the browser could not start, 2 usage errors.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from tiswatch.cli import add_db_argument, open_existing_store

EXIT_OK = 0
EXIT_INCOMPLETE = 1


def screenshots_command(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from pipelines.evidence import evidence_dir_from_settings
    from tiswatch.screenshots import take_screenshots
    from tiswatch.web.models import QueueRow
    from tiswatch.web.queue import ensure_fresh

    store = open_existing_store(args.db)
    ensure_fresh(store, wait=True)
    query = select(QueueRow.listing_key, QueueRow.platform, QueueRow.listing_id, QueueRow.url).order_by(
        QueueRow.sort_rank
    )
    if args.run is not None:
        query = query.where(QueueRow.run_id == args.run)
    with store.session() as session:
        targets = [
            (key, platform, listing_id, url) for key, platform, listing_id, url in session.execute(query)
        ]
    evidence_dir = (
        Path(args.evidence_dir)
        if args.evidence_dir
        else evidence_dir_from_settings({"TISWATCH_DB_URL": args.db})
    )
    if not Path(args.browser).exists():
        print(
            f"tiswatch evidence screenshots: no browser at {args.browser} "
            "(install chromium or pass --browser)",
            file=sys.stderr,
        )
        return EXIT_INCOMPLETE
    try:
        result = take_screenshots(
            store,
            evidence_dir,
            targets,
            browser_path=args.browser,
            again=args.again,
        )
    except Exception as error:  # the browser did not start: one line, not a traceback
        print(
            f"tiswatch evidence screenshots: browser {args.browser} failed: {str(error).splitlines()[0]}",
            file=sys.stderr,
        )
        return EXIT_INCOMPLETE
    for line in result.failed:
        print(f"failed: {line}", file=sys.stderr)
    print(
        f"{result.taken} screenshots taken, {result.skipped} listings had one already, "
        f"{len(result.failed)} failed; stored in {evidence_dir / 'screenshots'}"
    )
    return EXIT_INCOMPLETE if result.failed else EXIT_OK


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("evidence", help="evidence of flagged listings (screenshots)")
    commands = parser.add_subparsers(dest="evidence_command", required=True, metavar="SUBCOMMAND")
    shots = commands.add_parser("screenshots", help="full-page screenshots of the flagged listings' pages")
    shots.add_argument("--run", type=int, default=None, metavar="ID", help="only this run's flagged listings")
    shots.add_argument("--again", action="store_true", help="also listings that have a screenshot already")
    shots.add_argument(
        "--browser",
        default=os.environ.get("TISWATCH_BROWSER", "/usr/bin/chromium"),
        metavar="PATH",
        help="chromium executable (default: $TISWATCH_BROWSER or /usr/bin/chromium)",
    )
    shots.add_argument(
        "--evidence-dir",
        default=None,
        metavar="DIR",
        help="default: evidence/ next to a SQLite database, else data/evidence",
    )
    add_db_argument(shots)
    shots.set_defaults(handler=screenshots_command)
