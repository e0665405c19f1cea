"""`tiswatch match`: judge a file of listings against a registry file, without a crawl or a database.

    tiswatch match --registry REGISTRY.csv --listings LISTINGS.jsonl --out VERDICTS.jsonl [--vocabulary V.csv]
        [--index-cache DIR]

Writes one verdict per listing (the Verdict contract: listing_id, verdict, flagged, tis_number,
licence_no, score, reasons) in the order of the listings. A line that is not a JSON object, or lacks
`listing_id` or `title`, is reported on stderr with its line number and skipped; every other line is
still judged. A summary of the verdicts goes to stderr.

Exit codes: 0 done (skipped lines are reported, not fatal), 1 the registry or listings file cannot be
read or no listing in it could be judged, 2 usage errors (argparse).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from standards_data.registry import Licence

EXIT_OK = 0
EXIT_UNREADABLE = 1


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
        help="registry in the canonical CSV shape (licence_no, tis_number, brand, models, status, …)",
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
        type=Path,
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
        type=Path,
        metavar="DIR",
        help="keep the built registry index in DIR, one file per registry version; a later run on the "
        "same registry loads it instead of building it (default: build every time)",
    )
    parser.set_defaults(handler=match_command)


def read_listings(path: Path, problems: list[str]) -> Iterator[dict[str, Any]]:
    """Listings of a JSON Lines file; bad lines are appended to `problems` (with line numbers) and skipped."""
    with open(path, encoding="utf-8-sig", errors="replace") as handle:
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


def _load_licences(path: Path, problems: list[str]) -> list[Licence]:
    from standards_data.registry import CANONICAL_COLUMNS, Licence

    licences: list[Licence] = []
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in ("licence_no", "tis_number", "brand") if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(
                f"{path}: not a registry CSV: missing column(s) {', '.join(missing)} "
                f"(expected {', '.join(CANONICAL_COLUMNS)})"
            )
        for row_no, row in enumerate(reader, start=2):
            licence = Licence.from_row(row)
            if not licence.licence_no or not licence.tis_number:
                problems.append(f"{path}:{row_no}: licence without licence_no or tis_number; skipped")
                continue
            licences.append(licence)
    return licences


def match_command(args: argparse.Namespace) -> int:
    from matchers.matcher import Matcher
    from matchers.vocabulary import VocabularyError, load_vocabulary

    problems: list[str] = []
    try:
        licences = _load_licences(args.registry, problems)
        vocabulary = load_vocabulary(args.vocabulary) if args.vocabulary else None
    except (OSError, UnicodeDecodeError, ValueError, VocabularyError, csv.Error) as error:
        print(f"tiswatch match: {error}", file=sys.stderr)
        return EXIT_UNREADABLE
    for problem in problems:
        print(problem, file=sys.stderr)
    problems.clear()

    matcher = Matcher(licences, vocabulary, index_cache=args.index_cache)
    counts: Counter[str] = Counter()
    skipped = 0
    try:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        with open(args.out, "w", encoding="utf-8") as out:
            for listing in read_listings(args.listings, problems):
                verdict = matcher.judge(listing)
                counts[verdict.verdict] += 1
                out.write(json.dumps(verdict.to_dict(), ensure_ascii=False) + "\n")
                skipped += len(problems)
                for problem in problems:
                    print(problem, file=sys.stderr)
                problems.clear()
    except OSError as error:
        print(f"tiswatch match: {error}", file=sys.stderr)
        return EXIT_UNREADABLE
    skipped += len(problems)
    for problem in problems:
        print(problem, file=sys.stderr)
    judged = sum(counts.values())
    flagged = sum(counts[v] for v in ("invalid_licence", "uncertified", "unverifiable"))
    summary = ", ".join(f"{name} {count}" for name, count in sorted(counts.items()))
    print(
        f"judged {judged} listings against {len(licences)} licences: {flagged} flagged ({summary}); "
        f"{skipped} bad line(s) skipped; wrote {args.out}",
        file=sys.stderr,
    )
    if judged == 0:
        print(
            f"tiswatch match: no listing in {args.listings} could be judged "
            "(give a JSON Lines file of listings with listing_id and title)",
            file=sys.stderr,
        )
        return EXIT_UNREADABLE
    return EXIT_OK
