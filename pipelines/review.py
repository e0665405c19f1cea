"""Import an investigator's decisions from a filled-in flagged.xlsx (`tiswatch review import`).

The `flagged` sheet's `decision` column takes `confirmed`, `dismissed` or `needs-info` (any case;
`needs info` too), `note` is free text; rows with an empty decision are skipped. Rows are found by
their `platform` and `listing_id` columns, wherever those columns are. Every row is checked first:
one unknown listing or unknown decision stops the import with an error naming the file, sheet and row,
and nothing is recorded. Importing the same file twice records nothing new.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from pipelines.exports.flagged_xlsx import SHEET_FLAGGED
from pipelines.store.history import HistoryStore, NewDecision
from pipelines.store.models import DECISIONS, ListingRecord
from standards_data.limits import FileLimits, LimitExceeded, check_xlsx_sizes
from standards_data.outside_text import unspreadsheet_text

REQUIRED_HEADERS = ("platform", "listing_id", "decision")
_HASH = re.compile(r"^[0-9a-f]{64}$")


class ReviewImportError(Exception):
    """The file cannot be imported; `errors` lists the problems kept (the first TISWATCH_MAX_ERRORS),
    `count` how many there were in all (nothing was recorded)."""

    def __init__(self, errors: list[str], count: int | None = None) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors
        self.count = len(errors) if count is None else count


class _ProblemList(list[str]):
    """Problems of one file: keeps the first `max_kept`, counts all."""

    def __init__(self, max_kept: int) -> None:
        super().__init__()
        self.max_kept = max_kept
        self.total = 0

    def append(self, problem: str) -> None:
        self.total += 1
        if len(self) < self.max_kept:
            super().append(problem)

    def error(self) -> ReviewImportError:
        return ReviewImportError(list(self), self.total)


@dataclass(frozen=True)
class ReviewRow:
    row_number: int
    platform: str
    listing_id: str
    decision: str
    note: str
    content_hash: str


@dataclass
class ReviewImportResult:
    recorded: int = 0
    unchanged: int = 0
    """Rows whose decision and note equal the listing's current decision (a re-import)."""
    blank: int = 0
    """Rows without a decision."""
    by_decision: dict[str, int] = field(default_factory=dict)


def normalise_decision(text: str) -> str | None:
    """`Confirmed`, ` dismissed `, `Needs info`, `needs_info` -> the canonical decision, or None."""
    decision = re.sub(r"[\s_]+", "-", text.strip().casefold())
    return decision if decision in DECISIONS else None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # an id Excel turned into a number
    return unspreadsheet_text(str(value).strip())


def read_review_rows(
    path: Path, limits: FileLimits | None = None
) -> tuple[list[ReviewRow], _ProblemList, int]:
    """The filled-in rows of the workbook, the problems found, and how many rows had no decision."""
    limits = limits or FileLimits.from_environment()
    where = path.name
    try:
        check_xlsx_sizes(path, limits)
        workbook = load_workbook(path, read_only=True, data_only=True)
    except LimitExceeded as error:
        raise ReviewImportError([f"{where}: {error}"]) from None
    except (
        InvalidFileException,
        BadZipFile,
        zlib.error,
        OSError,
        KeyError,
        ValueError,
        SyntaxError,
    ) as error:
        raise ReviewImportError([f"{where}: not a readable .xlsx workbook ({error})"]) from None
    try:
        return _read_flagged_sheet(workbook, where, limits)
    # A damaged part: bad CRC, a cut deflate stream, or bytes that inflate to broken XML (ElementTree's
    # ParseError and lxml's XMLSyntaxError are both SyntaxErrors).
    except (BadZipFile, zlib.error, EOFError, SyntaxError) as error:
        raise ReviewImportError([f"{where}: damaged .xlsx workbook ({error})"]) from None
    finally:
        workbook.close()


def _read_flagged_sheet(
    workbook: Any, where: str, limits: FileLimits
) -> tuple[list[ReviewRow], _ProblemList, int]:
    if SHEET_FLAGGED not in workbook.sheetnames:
        raise ReviewImportError(
            [f"{where}: no sheet named {SHEET_FLAGGED!r} (sheets: {workbook.sheetnames})"]
        )
    sheet = workbook[SHEET_FLAGGED]
    rows = sheet.iter_rows(values_only=True)
    header = [_text(cell).casefold() for cell in next(rows, ())]
    missing = [name for name in REQUIRED_HEADERS if name not in header]
    if missing:
        raise ReviewImportError(
            [f"{where}, sheet {SHEET_FLAGGED!r}: header lacks column(s) {', '.join(missing)}"]
        )
    column = {name: header.index(name) for name in header if name}
    result: list[ReviewRow] = []
    problems = _ProblemList(limits.max_errors)
    blank = 0
    for row_number, values in enumerate(rows, start=2):
        if row_number > limits.max_rows + 1:
            raise ReviewImportError(
                [
                    f"{where}, sheet {SHEET_FLAGGED!r}: more than {limits.max_rows:,} rows "
                    "(the limit TISWATCH_MAX_ROWS); nothing was read past it"
                ]
            )

        def cell(name: str, values: tuple[Any, ...] = values) -> str:
            index = column.get(name)
            return _text(values[index]) if index is not None and index < len(values) else ""

        raw_decision = cell("decision")
        if not raw_decision:
            blank += 1
            continue
        at = f"{where}, sheet {SHEET_FLAGGED!r}, row {row_number}"
        decision = normalise_decision(raw_decision)
        if decision is None:
            problems.append(f"{at}: unknown decision {raw_decision!r} (use one of: {', '.join(DECISIONS)})")
        platform, listing_id = cell("platform"), cell("listing_id")
        if not platform or not listing_id:
            problems.append(f"{at}: a decision without platform and listing_id")
        content_hash = cell("content_hash").lower()
        if content_hash and not _HASH.match(content_hash):
            problems.append(f"{at}: content_hash {content_hash!r} is not a SHA-256 (was the cell edited?)")
        result.append(
            ReviewRow(row_number, platform, listing_id, decision or raw_decision, cell("note"), content_hash)
        )
    return result, problems, blank


def import_review(store: HistoryStore, path: str | Path, reviewer: str) -> ReviewImportResult:
    """Validate every row, then record all decisions in one transaction (or none, raising the errors)."""
    path = Path(path)
    rows, problems, blank = read_review_rows(path)
    keys = store.listing_keys(
        (row.platform, row.listing_id) for row in rows if row.platform and row.listing_id
    )
    seen: dict[int, ReviewRow] = {}
    for row in rows:
        key = keys.get((row.platform, row.listing_id))
        at = f"{path.name}, sheet {SHEET_FLAGGED!r}, row {row.row_number}"
        if row.platform and row.listing_id and key is None:
            problems.append(f"{at}: unknown listing {row.platform} {row.listing_id} (not in this database)")
        elif key is not None and key in seen and seen[key].decision != row.decision:
            problems.append(
                f"{at}: listing {row.platform} {row.listing_id} is also on row {seen[key].row_number} "
                f"with another decision ({seen[key].decision})"
            )
        elif key is not None and key in seen and seen[key].note != row.note:
            problems.append(
                f"{at}: listing {row.platform} {row.listing_id} is also on row {seen[key].row_number} "
                f"with another note ({seen[key].note!r}); keep one of them"
            )
        elif key is not None:
            seen[key] = row
    if problems.total:
        raise problems.error()

    current = store.latest_decisions()
    with store.session() as session:
        hashes = {key: session.get(ListingRecord, key).content_hash for key in seen}  # type: ignore[union-attr]
    result = ReviewImportResult(blank=blank)
    decisions: list[NewDecision] = []
    for key, row in seen.items():
        content_hash = row.content_hash or hashes[key]
        previous = current.get(key)
        if (
            previous is not None
            and previous.decision == row.decision
            and previous.note == row.note
            and previous.content_hash == content_hash
        ):
            result.unchanged += 1
            continue
        decisions.append(
            NewDecision(
                listing_key=key,
                decision=row.decision,
                note=row.note,
                content_hash=content_hash,
                source=f"{path.name} row {row.row_number}",
            )
        )
        result.by_decision[row.decision] = result.by_decision.get(row.decision, 0) + 1
    result.recorded = store.record_decisions(decisions, reviewer)
    return result
