"""`tiswatch rematch`: re-judge every stored listing against the current registry and vocabulary.

    tiswatch rematch [--db URL] [--registry FILE] [--dry-run] [--by NAME] [--limit N]

Prints what changed (newly flagged first, e.g. listings whose licence was revoked) and stores it
(`pipelines.rematch`: the verdicts, plus a `rematch_runs` row and one `rematch_changes` row per change);
the next `tiswatch export` shows the new verdicts, each row marked with the re-match behind it.
`--dry-run` prints the changes and stores nothing. `--registry FILE` is validated exactly as
`tiswatch registry import` validates it; any error rejects it and nothing is judged.
Exit codes: 0 done, 1 no tiswatch database at --db (none is created), nothing to re-match against (no
registry imported and no --registry), or the --registry file is missing or was rejected.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from standards_data.outside_text import terminal_text
from tiswatch.cli import add_db_argument, existing_engine, input_file
from tiswatch.cli.registry import default_officer


def _judgement_text(judgement: Any) -> str:
    if judgement is None:
        return "(not judged)"
    text = judgement.verdict
    if judgement.licence_no:
        text += f" [{judgement.licence_no}]"
    return text


def positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {value}")
    return number


def rematch_command(args: argparse.Namespace) -> int:
    from pipelines.rematch import (
        CHANGED,
        CLEARED,
        NEWLY_FLAGGED,
        NoRegistryError,
        RegistryFileRejected,
        rematch,
    )

    if args.registry:
        input_file(args.registry, "registry file", "--registry")
    # A database that does not exist has nothing to re-match: say so rather than create an empty one.
    engine = existing_engine(args.db)
    try:
        result = rematch(
            engine,
            run_by=args.by,
            registry_csv=args.registry,
            dry_run=args.dry_run,
            workers=args.workers,
        )
    except NoRegistryError as error:
        print(f"tiswatch rematch: {error}", file=sys.stderr)
        return 1
    except RegistryFileRejected as error:
        for line in error.lines:
            print(line, file=sys.stderr)
        print(f"tiswatch rematch: rejected {args.registry}: nothing was judged", file=sys.stderr)
        return 1
    vocabulary = (
        f"stored vocabulary version {result.vocabulary_version}"
        if result.vocabulary_version is not None
        else "the bundled vocabulary"
    )
    print(
        ("rematch (dry run, nothing stored)" if args.dry_run else f"rematch {result.rematch_id}")
        + f": {result.listings} stored listings judged against "
        f"{result.registry.ref.source} ({len(result.registry.licences)} licences) and {vocabulary}: "
        f"{len(result.changes)} changed — {result.count(NEWLY_FLAGGED)} newly flagged, "
        f"{result.count(CLEARED)} cleared, {result.count(CHANGED)} other changes; "
        f"{len(result.errors)} could not be judged"
    )
    for kind, title in ((NEWLY_FLAGGED, "newly flagged"), (CLEARED, "cleared"), (CHANGED, "changed")):
        changes = [change for change in result.changes if change.kind == kind]
        if not changes:
            continue
        print(f"\n{title} ({len(changes)}):")
        shown = changes[: args.limit] if args.limit else changes
        for change in shown:
            # Seller-written title and id: no terminal control characters (standards_data/outside_text.py).
            print(
                terminal_text(f"  {change.platform} {change.listing_id}  {change.title[:60]}")
                + f"\n    {_judgement_text(change.old)} -> {_judgement_text(change.new)}: "
                + terminal_text(change.explanation)
            )
        if len(shown) < len(changes):
            print(f"  … {len(changes) - len(shown)} more (stored; use --limit 0 to print all)")
    if result.cases is not None:
        print(
            f"cases: {result.cases.examined} listings regrouped, {result.cases.changed} given another case "
            f"number, {result.cases.new_cases} new cases"
        )
    for name, message in result.errors:
        print(f"rematch: could not judge {name}: {message}", file=sys.stderr)
    return 0


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "rematch",
        help="re-judge every stored listing against the current registry and vocabulary; store the changes",
    )
    parser.add_argument(
        "--registry",
        default=None,
        metavar="FILE",
        help="judge against this registry file (validated like `registry import`) instead of the newest "
        "imported version",
    )
    parser.add_argument("--dry-run", action="store_true", help="print the changes; store nothing")
    parser.add_argument("--by", default=default_officer(), metavar="NAME", help="who runs the re-match")
    parser.add_argument("--limit", type=int, default=50, help="changes printed per section (0 = all)")
    parser.add_argument(
        "--workers",
        type=positive_int,
        default=1,
        metavar="N",
        help="split the listings over N processes (each with its own matcher; writes batched)",
    )
    add_db_argument(parser)
    parser.set_defaults(handler=rematch_command)
