"""`tiswatch registry …`: what a standards officer does with the registry of TISI licences.

    tiswatch registry import FILE (--replace | --update) [--by NAME] [--dry-run] [--db URL]
    tiswatch registry versions
    tiswatch registry show LICENCE_NO
    tiswatch registry diff [A [B]]
    tiswatch registry export --out FILE.csv [--version N]
    tiswatch registry vocabulary import FILE [--by NAME] [--dry-run]
    tiswatch registry vocabulary versions | export --out FILE.csv [--version N]

Exit codes: 0 done, 1 the file was rejected (every error is printed) or the thing asked for does not
exist, 2 usage errors (argparse).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import Any, TextIO

from pipelines.store.schema import migrated_engine
from standards_data.outside_text import terminal_text
from standards_data.registry import Licence
from standards_data.registry_import.problems import Problems
from tiswatch.cli import add_db_argument, existing_engine, out_file

EXIT_OK = 0
EXIT_REJECTED = 1


def default_officer() -> str:
    """Who an import is recorded as when `--by` is not given: $TISWATCH_USER, else the login name."""
    try:
        return os.environ.get("TISWATCH_USER") or getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers)
        return "unknown"


def _print_problems(problems: Problems, out: TextIO) -> None:
    """Every kept error on its own line, then how many more were only counted; warnings with the
    same column and message share a line. Cell text is printed without control characters."""
    for problem in problems.errors:
        print(terminal_text(f"{problems.source}: {problem}"), file=out)
    if problems.errors_not_kept:
        print(
            f"{problems.source}: … and {problems.errors_not_kept:,} more error(s) "
            "(only the first TISWATCH_MAX_ERRORS are shown)",
            file=out,
        )
    grouped: dict[tuple[str, str], list[int]] = {}
    for problem in problems.warnings:
        grouped.setdefault((problem.column, problem.message), []).append(problem.row)
    for (column, message), rows in grouped.items():
        shown = ", ".join(str(row) for row in rows[:20]) + (
            f" and {len(rows) - 20} more" if len(rows) > 20 else ""
        )
        where = f"row{'s' if len(rows) > 1 else ''} {shown}" if any(rows) else "file"
        if column:
            where += f", column {column}"
        print(terminal_text(f"{problems.source}: warning: {where}: {message}"), file=out)
    for line in problems.summary_lines():
        print(terminal_text(line), file=out)
    if problems.warnings_not_kept:
        print(f"{problems.source}: … and {problems.warnings_not_kept:,} more warning(s)", file=out)


def _licence_line(licence: Licence) -> str:
    models = ";".join(licence.models) or "(all models)"
    brand = licence.brand or "(no brand)"
    return (
        f"{licence.licence_no}  {licence.tis_number}  {licence.licence_type}  {licence.status}  "
        f"{brand}  {models}  {licence.licensee}  issued {licence.issued or '-'}"
    )


def _say(*values: object, file: TextIO | None = None) -> None:
    """`print` for lines holding registry or vocabulary text: no control characters reach the terminal."""
    print(*(terminal_text(value) for value in values), file=file or sys.stdout)


# -- registry import ------------------------------------------------------------------------------


def import_command(args: argparse.Namespace) -> int:
    from standards_data.registry_import import import_registry, validate_registry_file

    validated = validate_registry_file(args.file)
    _print_problems(validated.problems, sys.stderr)
    errors, warnings = validated.problems.error_count, validated.problems.warning_count
    if not validated.ok:
        print(
            f"rejected {args.file}: {errors} error(s), {warnings} warning(s); nothing was imported",
            file=sys.stderr,
        )
        return EXIT_REJECTED
    if args.dry_run:
        print(
            f"{args.file}: {validated.rows} licence rows ({validated.source_format}) are valid, "
            f"{warnings} warning(s); dry run, nothing imported"
        )
        return EXIT_OK
    engine = migrated_engine(args.db)
    outcome = import_registry(engine, args.file, mode=args.mode, imported_by=args.by, validated=validated)
    print(
        f"registry version {outcome.version_id}: {validated.rows} rows from {args.file} "
        f"({validated.source_format}, {args.mode}) by {args.by}: {outcome.added} added, "
        f"{outcome.changed} changed, {outcome.ended} ended, {outcome.unchanged} unchanged; "
        f"{outcome.total_licences} licences in the registry; {warnings} warning(s)"
    )
    _store_index(engine, args)
    return EXIT_OK


def _store_index(engine: Any, args: argparse.Namespace) -> None:
    """Builds the new version's registry index and stores it in the index cache, so `tiswatch serve`
    (its next start, or its hot swap) loads it instead of building it."""
    from pathlib import Path

    from pipelines.index_cache import default_cache_dir, newest_registry_index

    if args.index_cache == "":
        return
    folder = Path(args.index_cache) if args.index_cache else default_cache_dir(args.db)
    indexed = newest_registry_index(engine, folder)
    if indexed is not None:
        print(f"registry index of {indexed.registry.ref.ref} stored in {folder} (for tiswatch serve)")


# -- registry versions / show ---------------------------------------------------------------------


def versions_command(args: argparse.Namespace) -> int:
    from standards_data.registry_store import registry_versions

    versions = registry_versions(existing_engine(args.db))
    if not versions:
        _say("no registry version imported yet (tiswatch registry import FILE --replace)")
        return EXIT_OK
    _say(
        "version  imported_at           by            mode     rows     +added  ~changed  -ended  total  file"
    )
    for version in versions:
        _say(
            f"{version.id:>7}  {version.imported_at:<20}  {version.imported_by[:12]:<12}  {version.mode:<7}  "
            f"{version.rows_in_file:>7}  {version.added:>6}  {version.changed:>8}  {version.ended:>6}  "
            f"{version.total_licences:>5}  {version.source_file} [{version.source_format}]"
        )
    return EXIT_OK


def show_command(args: argparse.Namespace) -> int:
    from standards_data.registry_import.fields import FieldError, normalise_licence_no
    from standards_data.registry_store import current_version_id, licence_history

    try:
        licence_no = normalise_licence_no(args.licence_no)
    except FieldError:
        licence_no = args.licence_no.strip()
    engine = existing_engine(args.db)
    history = licence_history(engine, licence_no)
    if not history:
        _say(f"licence {licence_no} is in no registry version", file=sys.stderr)
        return EXIT_REJECTED
    newest = current_version_id(engine)
    current = history[-1]
    if current.valid_to is None:
        _say(f"licence {licence_no} in the current registry (version {newest}):")
    else:
        _say(f"licence {licence_no} is NOT in the current registry (ended in version {current.valid_to}):")
    licence = current.licence
    for name, value in (
        ("type", licence.licence_type),
        ("standard", licence.tis_number),
        ("licensee", licence.licensee),
        ("brand", licence.brand or "(none)"),
        ("models", "; ".join(licence.models) or "(all models of the brand)"),
        ("issued", licence.issued or "(unknown)"),
        ("status", licence.status),
    ):
        _say(f"  {name:<9} {value}")
    _say("history:")
    for entry in history:
        until = f"until version {entry.valid_to}" if entry.valid_to is not None else "current"
        _say(f"  versions {entry.valid_from}–{until}: {_licence_line(entry.licence)}")
    return EXIT_OK


# -- registry diff / export -----------------------------------------------------------------------


def diff_command(args: argparse.Namespace) -> int:
    from standards_data.registry_import import diff_versions

    if len(args.versions) > 2:
        _say("registry diff: give at most two versions (OLD NEW)", file=sys.stderr)
        return EXIT_REJECTED
    # No version: newest against the one before; one: that version against the newest.
    old, new = (*args.versions, None, None)[:2]
    try:
        diff = diff_versions(existing_engine(args.db), old, new)
    except LookupError as error:
        _say(f"tiswatch registry diff: {error}", file=sys.stderr)
        return EXIT_REJECTED
    _say(
        f"registry version {diff.old_version} -> {diff.new_version}: {len(diff.added)} added, "
        f"{len(diff.ended)} ended, {len(diff.status_changes)} status changed, "
        f"{len(diff.brand_or_model_changes)} brand/models changed, {len(diff.other_changes)} other changes"
    )
    limit = args.limit

    def section(title: str, lines: list[str]) -> None:
        if not lines:
            return
        print()
        _say(f"{title} ({len(lines)}):")
        for line in lines[:limit] if limit else lines:
            _say(f"  {line}")
        if limit and len(lines) > limit:
            _say(f"  … {len(lines) - limit} more (use --limit 0 for all)")

    section("added", [_licence_line(licence) for licence in diff.added])
    section("ended", [_licence_line(licence) for licence in diff.ended])
    section(
        "status changed",
        [
            f"{change.new.licence_no}  {change.new.tis_number}  {change.new.brand}: "
            f"{change.old.status} -> {change.new.status}"
            for change in diff.status_changes
        ],
    )
    section(
        "brand/models changed",
        [
            f"{change.new.licence_no}  {change.new.tis_number}: brand {change.old.brand!r} -> "
            f"{change.new.brand!r}, models {';'.join(change.old.models)!r} -> {';'.join(change.new.models)!r}"
            for change in diff.brand_or_model_changes
        ],
    )
    section(
        "other changes",
        [
            f"{change.new.licence_no}: "
            + ", ".join(
                f"{name} {change.old.to_row()[name]!r} -> {change.new.to_row()[name]!r}"
                for name in change.fields
            )
            for change in diff.other_changes
        ],
    )
    return EXIT_OK


def export_command(args: argparse.Namespace) -> int:
    from standards_data.registry_import import export_registry

    try:
        version, written = export_registry(existing_engine(args.db), args.out, args.version)
    except LookupError as error:
        print(f"tiswatch registry export: {error}", file=sys.stderr)
        return EXIT_REJECTED
    print(f"wrote {written} licences of registry version {version} to {args.out}")
    return EXIT_OK


# -- registry vocabulary --------------------------------------------------------------------------


def _matcher_check(path: Any) -> None:
    """The matcher's own reader: a vocabulary it would refuse is refused at import."""
    from matchers.vocabulary import read_vocabulary_rows

    read_vocabulary_rows(path)


def vocabulary_import_command(args: argparse.Namespace) -> int:
    from standards_data.registry_import.vocabulary import import_vocabulary, validate_vocabulary_file

    if args.dry_run:
        validated = validate_vocabulary_file(args.file, _matcher_check)
        _print_problems(validated.problems, sys.stderr)
        if not validated.ok:
            print(f"rejected {args.file}: {validated.problems.error_count} error(s)", file=sys.stderr)
            return EXIT_REJECTED
        print(f"{args.file}: {len(validated.rows)} vocabulary rows are valid; dry run, nothing imported")
        return EXIT_OK
    outcome = import_vocabulary(
        migrated_engine(args.db), args.file, imported_by=args.by, extra_check=_matcher_check
    )
    problems = outcome.validated.problems
    _print_problems(problems, sys.stderr)
    if not outcome.ok:
        print(
            f"rejected {args.file}: {problems.error_count} error(s), {problems.warning_count} warning(s); "
            "nothing was imported",
            file=sys.stderr,
        )
        return EXIT_REJECTED
    print(
        f"vocabulary version {outcome.version_id}: {len(outcome.validated.rows)} rows from {args.file} "
        f"by {args.by}; {problems.warning_count} warning(s). The matcher now uses this vocabulary."
    )
    return EXIT_OK


def vocabulary_versions_command(args: argparse.Namespace) -> int:
    from standards_data.registry_store import vocabulary_versions

    versions = vocabulary_versions(existing_engine(args.db))
    if not versions:
        print("no vocabulary imported; the matcher uses the bundled standards_data/vocabulary.csv")
        return EXIT_OK
    print("version  imported_at           by            rows  file")
    for version in versions:
        print(
            f"{version.id:>7}  {version.imported_at:<20}  {version.imported_by[:12]:<12}  "
            f"{version.rows_in_file:>5}  {version.source_file}"
        )
    return EXIT_OK


def vocabulary_export_command(args: argparse.Namespace) -> int:
    from standards_data.registry_import.vocabulary import export_vocabulary
    from standards_data.registry_store import UnknownVersionError

    try:
        written = export_vocabulary(existing_engine(args.db), args.out, args.version)
    except UnknownVersionError as error:
        print(f"tiswatch registry vocabulary export: {error}", file=sys.stderr)
        return EXIT_REJECTED
    if written is None:
        print("no vocabulary imported; nothing to export", file=sys.stderr)
        return EXIT_REJECTED
    print(f"wrote {written} vocabulary rows to {args.out}")
    return EXIT_OK


# -- parser ---------------------------------------------------------------------------------------


def _add_by_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--by",
        default=default_officer(),
        metavar="NAME",
        help="who is importing (recorded with the version; default: $TISWATCH_USER or your login)",
    )


def register(subparsers: Any) -> None:
    registry = subparsers.add_parser(
        "registry", help="import, inspect, diff and export the TISI licence registry"
    )
    commands = registry.add_subparsers(dest="registry_command", required=True, metavar="SUBCOMMAND")

    importing = commands.add_parser(
        "import",
        help="validate a licence file and store it as a new registry version (all or nothing)",
        description="Accepts the canonical registry CSV or TISI's licence-search shape, as CSV "
        "(UTF-8 with or without BOM, or TIS-620/cp874) or .xlsx.",
    )
    importing.add_argument("file", help="registry file (.csv or .xlsx)")
    mode = importing.add_mutually_exclusive_group(required=True)
    mode.add_argument(
        "--replace",
        dest="mode",
        action="store_const",
        const="replace",
        help="the file is the whole registry: licences not in it are ended",
    )
    mode.add_argument(
        "--update",
        dest="mode",
        action="store_const",
        const="update",
        help="the file adds and changes licences; the others stay as they are",
    )
    _add_by_argument(importing)
    importing.add_argument("--dry-run", action="store_true", help="validate only; write nothing")
    importing.add_argument(
        "--index-cache",
        metavar="DIR",
        help="where to store the new version's registry index for tiswatch serve "
        "(default: beside a SQLite file, else ~/.cache/tiswatch/registry-index; '' for none)",
    )
    add_db_argument(importing)
    importing.set_defaults(handler=import_command)

    versions = commands.add_parser("versions", help="list registry versions (who, when, which file, changes)")
    add_db_argument(versions)
    versions.set_defaults(handler=versions_command)

    show = commands.add_parser("show", help="one licence: current content and its history across versions")
    show.add_argument("licence_no", metavar="LICENCE_NO")
    add_db_argument(show)
    show.set_defaults(handler=show_command)

    diff = commands.add_parser(
        "diff",
        help="what changed between two registry versions",
        description="No version: the newest against the one before. One: that version against the newest.",
    )
    diff.add_argument("versions", nargs="*", type=int, metavar="VERSION")
    diff.add_argument("--limit", type=int, default=50, help="lines per section (0 = all; default 50)")
    add_db_argument(diff)
    diff.set_defaults(handler=diff_command)

    export = commands.add_parser("export", help="write a registry version as canonical CSV")
    export.add_argument("--out", required=True, type=out_file, metavar="FILE.csv")
    export.add_argument("--version", type=int, default=None, help="registry version (default: newest)")
    add_db_argument(export)
    export.set_defaults(handler=export_command)

    vocabulary = commands.add_parser("vocabulary", help="import and list versions of the product vocabulary")
    vocabulary_commands = vocabulary.add_subparsers(
        dest="vocabulary_command", required=True, metavar="ACTION"
    )
    vocabulary_import = vocabulary_commands.add_parser(
        "import", help="validate a vocabulary CSV and store it as the vocabulary the matcher uses"
    )
    vocabulary_import.add_argument("file", help="vocabulary CSV (columns as standards_data/vocabulary.csv)")
    _add_by_argument(vocabulary_import)
    vocabulary_import.add_argument("--dry-run", action="store_true", help="validate only; write nothing")
    add_db_argument(vocabulary_import)
    vocabulary_import.set_defaults(handler=vocabulary_import_command)
    vocabulary_versions = vocabulary_commands.add_parser("versions", help="list stored vocabulary versions")
    add_db_argument(vocabulary_versions)
    vocabulary_versions.set_defaults(handler=vocabulary_versions_command)
    vocabulary_export = vocabulary_commands.add_parser(
        "export", help="write a stored vocabulary version as CSV"
    )
    vocabulary_export.add_argument("--out", required=True, type=out_file, metavar="FILE.csv")
    vocabulary_export.add_argument("--version", type=int, default=None)
    add_db_argument(vocabulary_export)
    vocabulary_export.set_defaults(handler=vocabulary_export_command)
