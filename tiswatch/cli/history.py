"""`tiswatch export`, `tiswatch review import` and `tiswatch runs`: the investigator's side of the history.

    tiswatch export [--run ID ... | --since DATE] --out DIR [--db URL]
    tiswatch review import FILE.xlsx [--by NAME] [--db URL]
    tiswatch runs [--last N] [--db URL]

Exit codes: 0 done, 1 nothing to export / the review file was rejected (every error is printed, nothing
was recorded), 2 usage errors (argparse).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from datetime import UTC, datetime

from tiswatch.cli import add_db_argument, open_existing_store, out_folder, unreadable_input

EXIT_OK = 0
EXIT_REJECTED = 1


def _since(text: str) -> datetime:
    """`2026-01-31` or `2026-01-31T08:00[:00][Z|+07:00]`; a time without zone is UTC."""
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not a date: {text!r} (use YYYY-MM-DD or an ISO 8601 time)"
        ) from None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"not a positive whole number: {text!r}")
    return value


def default_reviewer() -> str:
    """Who a review is recorded as when `--by` is not given: $TISWATCH_USER, else the login name."""
    try:
        return os.environ.get("TISWATCH_USER") or getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers)
        return "unknown"


def export_command(args: argparse.Namespace) -> int:
    from pipelines.exports import NothingToExport, UnimportedDecisions, write_exports

    store = open_existing_store(args.db)
    try:
        result = write_exports(store, args.out, run_ids=args.run, since=args.since, force=args.force)
    except KeyError as error:
        print(f"tiswatch export: {error.args[0]}", file=sys.stderr)
        return EXIT_REJECTED
    except NothingToExport as error:
        print(f"tiswatch export: {error} in {args.db}; nothing was written", file=sys.stderr)
        return EXIT_REJECTED
    except UnimportedDecisions as error:
        print(f"tiswatch export: {error}", file=sys.stderr)
        return EXIT_REJECTED
    for run in result.report.runs:
        s = run.summary
        baseline = f"vs run {s['baseline_run_id']}" if s["baseline_run_id"] else "no earlier complete run"
        print(
            f"run {s['run_id']} {s['spider']} ({s['status']}, {baseline}): {s['listings']} listings, "
            f"{s['flagged']} flagged ({s['new']} new, {s['still_flagged']} still flagged, "
            f"{s['relisted']} re-listed), {s['gone']} gone, {s['dismissed_unchanged']} dismissed"
        )
    for stale in result.report.stale:
        print(f"not re-checked: {stale.describe()}")
    print(f"{len(result.report.flagged_rows)} flagged listings, {result.evidence_files} evidence files")
    for path in result.paths:
        print(f"wrote {path}")
    return EXIT_OK


def review_import_command(args: argparse.Namespace) -> int:
    from pipelines.review import ReviewImportError, import_review
    from standards_data.outside_text import terminal_text

    problem = unreadable_input(args.file, "review file")
    if problem:
        print(f"tiswatch review import: {problem}", file=sys.stderr)
        return EXIT_REJECTED
    store = open_existing_store(args.db)
    try:
        result = import_review(store, args.file, reviewer=args.by or default_reviewer())
    except ReviewImportError as error:
        for problem in error.errors:
            print(terminal_text(problem), file=sys.stderr)
        if error.count > len(error.errors):
            print(
                f"… and {error.count - len(error.errors):,} more error(s) (only the first "
                "TISWATCH_MAX_ERRORS are shown)",
                file=sys.stderr,
            )
        print(f"rejected {args.file}: {error.count} error(s); nothing was recorded", file=sys.stderr)
        return EXIT_REJECTED
    counts = ", ".join(f"{n} {decision}" for decision, n in sorted(result.by_decision.items())) or "none"
    print(
        f"recorded {result.recorded} decision(s) ({counts}); {result.unchanged} unchanged, "
        f"{result.blank} row(s) without a decision"
    )
    return EXIT_OK


def runs_command(args: argparse.Namespace) -> int:
    store = open_existing_store(args.db)
    # A run left `running` by a dead process is shown as what it is.
    store.abandon_dead_runs()
    runs = store.runs(last=args.last)
    if not runs:
        print(f"no runs in {args.db}")
        return EXIT_OK
    for run in runs:
        s = run.summary or {}
        finished = f"{run.finished_at:%Y-%m-%d %H:%M}" if run.finished_at else "-"
        gone = s.get("gone", "-") if s.get("gone_assessed", True) else "not assessed"
        print(
            f"{run.id:>5}  {run.spider:<12} {run.status:<11} {run.started_at:%Y-%m-%d %H:%M} -> {finished}  "
            f"listings {s.get('listings', '-')}, flagged {s.get('flagged', '-')} "
            f"(new {s.get('new', '-')}, gone {gone})  registry {run.registry_source}"
        )
        gaps = list(s.get("coverage_gaps") or [])
        uncovered = [
            f"{scope or '(whole run)'} {covered.status}"
            for scope, covered in store.run_scopes(run.id).items()
            if covered.status != "complete"
        ]
        if run.finish_reason and run.finish_reason != "finished":
            gaps.append(f"finish reason {run.finish_reason}")
        if uncovered:
            shown = ", ".join(uncovered[:5]) + (
                f", … {len(uncovered) - 5} more" if len(uncovered) > 5 else ""
            )
            gaps.append(f"scopes not covered: {shown}")
        if gaps:
            print(f"       gaps: {'; '.join(gaps)}")
    return EXIT_OK


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    export = subparsers.add_parser(
        "export",
        help="write flagged.xlsx, flagged.csv, listings.jsonl and evidence/manifest.csv from the history",
        description="Write the investigator's export for some runs, each marked against the run before it "
        "(default: per scope — keyword or shop — of every spider, its newest complete coverage and what "
        "runs since saw; scopes whose newest run was blocked or incomplete are named, not re-checked).",
    )
    scope = export.add_mutually_exclusive_group()
    scope.add_argument("--run", type=int, action="append", metavar="ID", help="run id (repeatable)")
    scope.add_argument(
        "--since",
        type=_since,
        metavar="DATE",
        help="latest run of each spider since DATE, marked against the state before DATE",
    )
    export.add_argument(
        "--out", required=True, type=out_folder, metavar="DIR", help="folder to write the export to"
    )
    export.add_argument(
        "--force",
        action="store_true",
        help="replace a flagged.xlsx even if it holds decisions not yet imported (tiswatch review import)",
    )
    add_db_argument(export)
    export.set_defaults(handler=export_command)

    review = subparsers.add_parser("review", help="record investigators' decisions on flagged listings")
    review_commands = review.add_subparsers(dest="review_command", required=True, metavar="COMMAND")
    review_import = review_commands.add_parser(
        "import",
        help="import the decision/note columns of a filled-in flagged.xlsx",
        description="Validate every row, then record all decisions (confirmed, dismissed, needs-info) "
        "with who and when; any error rejects the whole file.",
    )
    review_import.add_argument("file", metavar="FILE.xlsx")
    review_import.add_argument("--by", metavar="NAME", help="reviewer (default: $TISWATCH_USER or login)")
    add_db_argument(review_import)
    review_import.set_defaults(handler=review_import_command)

    runs = subparsers.add_parser(
        "runs", help="list the crawl runs in the history with their status and coverage gaps"
    )
    runs.add_argument("--last", type=_positive, metavar="N", help="only the newest N runs")
    add_db_argument(runs)
    runs.set_defaults(handler=runs_command)
