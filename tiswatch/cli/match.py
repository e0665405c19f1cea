"""`tiswatch match`: judge a file of listings against a registry file, without a crawl or a database.

    tiswatch match --registry REGISTRY.csv --listings LISTINGS.jsonl --out VERDICTS.jsonl [--vocabulary V.csv]
        [--index-cache DIR]

Writes one verdict per listing (the Verdict contract: listing_id, verdict, flagged, tis_number,
licence_no, score, reasons) in the order of the listings. A line that is not a JSON object, or lacks
`listing_id` or `title`, is skipped; the first ten are reported on stderr with their line numbers,
the rest counted in one line. Every other line is still judged. A summary of the verdicts goes to
stderr. The registry goes through `tiswatch registry import`'s validation: a file that is not a
registry is rejected; rows with errors are named and left out, the other licences used (nothing is
written, so unlike an import a bad row does not cost the good ones). The listings are read as
UTF-8 (also UTF-16 and Thai cp874); a binary file is refused. The verdicts are written beside OUT
and renamed over it at the end: when nothing could be judged, nothing is written and an earlier OUT
stays as it was.

Exit codes: 0 done (skipped lines are reported, not fatal), 1 an input file is missing, unreadable
or rejected, or no listing in it could be judged, 2 usage errors (argparse).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from standards_data.outside_text import terminal_text
from tiswatch.cli import CommandError, input_file, out_file, out_folder

if TYPE_CHECKING:
    from standards_data.registry import Licence

EXIT_OK = 0
EXIT_UNREADABLE = 1
EXIT_USAGE = 2
# Bad lines printed one by one; the rest are counted in one line.
BAD_LINES_SHOWN = 10


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "match",
        help="judge a JSON Lines file of listings against a registry CSV",
        description="Judge listings against a registry of TISI licences; one verdict line per listing.",
    )
    parser.add_argument(
        "--registry",
        required=True,
        type=Path,
        metavar="REGISTRY.csv",
        help="registry file, as `tiswatch registry import` takes it (canonical or TISI CSV, or .xlsx)",
    )
    parser.add_argument(
        "--listings",
        required=True,
        type=Path,
        metavar="LISTINGS.jsonl",
        help="listings, one JSON object per line (Listing contract)",
    )
    parser.add_argument(
        "--out",
        required=True,
        type=out_file,
        metavar="VERDICTS.jsonl",
        help="where to write the verdicts (JSON Lines, same order as the listings)",
    )
    parser.add_argument(
        "--vocabulary",
        type=Path,
        metavar="VOCABULARY.csv",
        help="product vocabulary CSV (default: the bundled standards_data/vocabulary.csv)",
    )
    parser.add_argument(
        "--index-cache",
        type=out_folder,
        metavar="DIR",
        help="keep the built registry index in DIR, one file per registry version; a later run on the "
        "same registry loads it instead of building it (default: build every time)",
    )
    parser.set_defaults(handler=match_command)


def read_listings(path: Path, problems: list[str], encoding: str = "utf-8-sig") -> Iterator[dict[str, Any]]:
    """Listings of a JSON Lines file; bad lines are appended to `problems` (with line numbers) and skipped."""
    with open(path, encoding=encoding, errors="replace") as handle:
        for line_no, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                problems.append(
                    f"{path}:{line_no}: not valid JSON ({error.msg} at column {error.colno}); skipped"
                )
                continue
            if not isinstance(record, dict):
                problems.append(f"{path}:{line_no}: not a JSON object; skipped")
                continue
            missing = [
                name
                for name in ("listing_id", "title")
                if record.get(name) in (None, "") or isinstance(record.get(name), dict | list)
            ]
            if missing:
                problems.append(f"{path}:{line_no}: missing {' and '.join(missing)}; skipped")
                continue
            record["listing_id"] = str(record["listing_id"])
            yield record


def listings_encoding(path: Path) -> str:
    """The text encoding of a listings file (UTF-8 as JSON Lines should be; also UTF-16 and Thai
    cp874, as the registry importer reads them): a file in none of them, or binary, is refused
    instead of read as replacement characters that would be judged as garbled titles."""
    from standards_data.registry_import.encoding import EncodingProblem, detect_encoding

    try:
        encoding = detect_encoding(path)
    except EncodingProblem as error:
        raise CommandError(f"listings file {path} (--listings) is not JSON Lines text: {error}") from None
    return "utf-8-sig" if encoding == "utf-8" else encoding


class BadLines:
    """The first few bad lines of a file printed as found, the rest only counted (a binary or wrong
    file would otherwise print a line for each of its thousands of lines)."""

    def __init__(self, shown: int = BAD_LINES_SHOWN) -> None:
        self.shown = shown
        self.count = 0

    def report(self, problems: list[str]) -> None:
        for problem in problems:
            self.count += 1
            if self.count <= self.shown:
                print(terminal_text(problem), file=sys.stderr)
        problems.clear()

    def finish(self) -> None:
        if self.count > self.shown:
            print(f"… and {self.count - self.shown:,} more bad line(s)", file=sys.stderr)


def _load_registry(path: Path) -> list[Licence]:
    """The registry file through `tiswatch registry import`'s validation (canonical or TISI shape,
    CSV in UTF-8/UTF-16/cp874 or .xlsx). A file that is not a registry is refused; rows with errors
    are named and left out, and the good rows are judged against (matching writes nothing, so a
    bad row must not cost the other licences, unlike an import)."""
    from pipelines.rematch import registry_of
    from standards_data.registry_import import validate_registry_file

    validated = validate_registry_file(path, keep_good_rows=True)
    try:
        for line in validated.problems.lines():
            if ": warning: " not in line and "more warning(s)" not in line:
                print(terminal_text(line), file=sys.stderr)
        if not validated.ok and not validated.usable_in_part:
            raise CommandError(f"rejected the registry file {path} (--registry); nothing was judged")
        licences = registry_of(validated).licences
    finally:
        validated.close()
    if validated.problems.error_count:
        print(
            f"{path}: {validated.problems.error_count:,} problem(s) in its rows: those rows were left "
            f"out; judging against the {len(licences):,} good licence(s)",
            file=sys.stderr,
        )
    if not licences:
        raise CommandError(f"no usable licence in the registry file {path} (--registry); nothing was judged")
    return licences


def match_command(args: argparse.Namespace) -> int:
    from matchers.matcher import Matcher
    from matchers.vocabulary import VocabularyError, load_vocabulary

    registry_path = input_file(args.registry, "registry file", "--registry")
    listings_path = input_file(args.listings, "listings file", "--listings")
    if args.vocabulary:
        input_file(args.vocabulary, "vocabulary file", "--vocabulary")
    out: Path = args.out
    for given, option in ((registry_path, "--registry"), (listings_path, "--listings")):
        if out.exists() and out.resolve() == given.resolve():
            raise CommandError(
                f"--out {out} is the {option} file: the verdicts would replace it; give another name",
                status=EXIT_USAGE,
            )
    encoding = listings_encoding(listings_path)
    licences = _load_registry(registry_path)
    try:
        vocabulary = load_vocabulary(args.vocabulary) if args.vocabulary else None
    except (UnicodeDecodeError, ValueError, VocabularyError, csv.Error) as error:
        raise CommandError(f"vocabulary file {args.vocabulary} (--vocabulary): {error}") from None

    matcher = Matcher(licences, vocabulary, index_cache=args.index_cache)
    counts: Counter[str] = Counter()
    problems: list[str] = []
    bad_lines = BadLines()
    out.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the target and renamed over it only when something was judged: a file of
    # garbage never replaces the verdicts of an earlier run with an empty file.
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=out.parent, prefix=f".{out.name}.", suffix=".part", delete=False
    ) as partial:
        partial_path = Path(partial.name)
        try:
            for listing in read_listings(listings_path, problems, encoding):
                verdict = matcher.judge(listing)
                counts[verdict.verdict] += 1
                partial.write(json.dumps(verdict.to_dict(), ensure_ascii=False) + "\n")
                bad_lines.report(problems)
            bad_lines.report(problems)
        except BaseException:
            partial_path.unlink(missing_ok=True)
            raise
    bad_lines.finish()
    judged = sum(counts.values())
    if judged == 0:
        partial_path.unlink(missing_ok=True)
        kept = f"; {out} was left as it was" if out.exists() else ""
        print(
            f"tiswatch match: no listing in {listings_path} could be judged "
            f"({bad_lines.count:,} bad line(s); give a JSON Lines file of listings with listing_id and "
            f"title); nothing was written{kept}",
            file=sys.stderr,
        )
        return EXIT_UNREADABLE
    os.replace(partial_path, out)
    flagged = sum(counts[v] for v in ("invalid_licence", "uncertified", "unverifiable"))
    summary = ", ".join(f"{name} {count}" for name, count in sorted(counts.items()))
    print(
        f"judged {judged} listings against {len(licences)} licences: {flagged} flagged ({summary}); "
        f"{bad_lines.count} bad line(s) skipped; wrote {out}",
        file=sys.stderr,
    )
    return EXIT_OK
