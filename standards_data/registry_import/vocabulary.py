"""Validated, versioned import of the product vocabulary (the file the matcher reads).

The vocabulary's meaning belongs to the matcher (`matchers.vocabulary`, which documents the
columns); this module gives it the registry's import discipline: every problem with its row and
column, all or nothing, and a new stored version per accepted file. Callers that can import the
matcher pass its own reader as `extra_check` (standards_data must not import matchers), so a file
the matcher would refuse is refused here too.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, insert

from standards_data.catalogue import mandatory_standards
from standards_data.outside_text import spreadsheet_text
from standards_data.registry_import.encoding import EncodingProblem
from standards_data.registry_import.fields import FieldError, clean_text, parse_tis_number
from standards_data.registry_import.problems import Problems
from standards_data.registry_import.readers import Table, UnreadableFile
from standards_data.registry_import.shapes import header_key
from standards_data.registry_import.validate import file_sha256
from standards_data.registry_store import (
    VOCABULARY_TERMS,
    VOCABULARY_VERSIONS,
    inserted_id,
    utc_now_iso,
    vocabulary_rows,
)

REQUIRED_COLUMNS = ("tis_number", "family", "kind", "term", "search")
OPTIONAL_COLUMNS = ("note",)
"""`note`: the reason on a `not_sold_online` row (required there), a comment elsewhere; older files
without the column still import."""
# Kinds and what each needs, as matchers.vocabulary reads them (its docstring explains them).
PRODUCT, NOT_PRODUCT, RELATED_STANDARD = "product", "not_product", "related_standard"
PATTERN, SIBLING, NOT_SOLD_ONLINE = "pattern", "sibling", "not_sold_online"
NEEDS = {
    PRODUCT: ("tis_number", "term"),
    NOT_PRODUCT: ("term",),
    RELATED_STANDARD: ("tis_number", "family"),
    PATTERN: ("tis_number", "term"),
    SIBLING: ("family", "term"),
    NOT_SOLD_ONLINE: ("tis_number", "note"),
}
REGEX_KINDS = (PATTERN, SIBLING)
# Kinds that give a standard words or rules a listing can be classified by.
COVERING_KINDS = (PRODUCT, PATTERN, SIBLING, RELATED_STANDARD)
SEARCH_FLAGS = {"1": "1", "0": "0", "": "0", "true": "1", "false": "0", "yes": "1", "no": "0"}

ExtraCheck = Callable[[Path], None]
"""Reads a canonical vocabulary CSV and raises ValueError if the matcher would refuse it."""


@dataclass
class ValidatedVocabulary:
    path: Path
    problems: Problems
    columns: list[str]
    rows: list[dict[str, str]]
    sha256: str = ""

    @property
    def ok(self) -> bool:
        return self.problems.ok


def _check_row(
    row: int, values: dict[str, str], problems: Problems, mandatory: Mapping[str, object]
) -> dict[str, str]:
    """Report the row's problems; return its cleaned values (canonical tis_number, search 0/1)."""
    kind = values["kind"]
    values.setdefault("note", "")
    if kind not in NEEDS:
        problems.error(row, "kind", f"unknown kind {kind!r} (expected one of {', '.join(NEEDS)})")
    else:
        for column in NEEDS[kind]:
            if not values[column]:
                what = "a note (the reason)" if column == "note" else f"a {column}"
                problems.error(row, column, f"a {kind} row needs {what}")
    if kind in REGEX_KINDS and values["term"]:
        try:
            re.compile(values["term"])
        except re.error as problem:
            problems.error(row, "term", f"not a valid regular expression: {problem}")
    if values["tis_number"]:
        try:
            values["tis_number"] = parse_tis_number(values["tis_number"]).canonical
        except FieldError as problem:
            problems.error(row, "tis_number", str(problem))
        else:
            if values["tis_number"] not in mandatory:
                problems.warning(
                    row, "tis_number", f"standard {values['tis_number']} is not a mandatory standard"
                )
    flag = SEARCH_FLAGS.get(values["search"].lower())
    if flag is None:
        problems.error(row, "search", f"search flag {values['search']!r} is not 1 or 0")
    else:
        values["search"] = flag
    if values["search"] == "1" and kind != PRODUCT:
        problems.warning(row, "search", f"only product rows are used as search keywords, not {kind} rows")
    return values


def validate_vocabulary_file(path: str | Path, extra_check: ExtraCheck | None = None) -> ValidatedVocabulary:
    """Read and check the whole vocabulary file; nothing is written."""
    path = Path(path)
    problems = Problems(source=str(path))
    result = ValidatedVocabulary(path=path, problems=problems, columns=[], rows=[])
    if not path.is_file():
        problems.error(0, "", "is a folder, not a file" if path.is_dir() else "file not found")
        return result
    try:
        table = Table(path)
        columns = [header_key(column) for column in table.columns]
        result.columns = columns
        for column in REQUIRED_COLUMNS:
            if column not in columns:
                problems.error(1, column, f"missing required column {column!r}")
        if not problems.ok:
            return result
        mandatory = mandatory_standards()
        first_row_of: dict[tuple[str, str, str], int] = {}
        row_numbers: list[int] = []
        for row, cells in table.rows():
            if len(cells) > len(columns) and any(cell.strip() for cell in cells[len(columns) :]):
                problems.error(row, "", f"row has {len(cells)} cells but the header has {len(columns)}")
                continue
            padded = cells + [""] * (len(columns) - len(cells))
            values = {column: clean_text(padded[i]) for i, column in enumerate(columns)}
            values = _check_row(row, values, problems, mandatory)
            kind = values["kind"]
            identity = {RELATED_STANDARD: values["family"], NOT_SOLD_ONLINE: ""}.get(kind, values["term"])
            if kind == SIBLING:
                identity = f"{values['family']} {values['term']}"
            key = (kind, values["tis_number"], identity)
            first = first_row_of.setdefault(key, row)
            if first != row:
                problems.error(row, "term", f"duplicate of row {first} ({', '.join(filter(None, key))})")
            result.rows.append(values)
            row_numbers.append(row)
        _check_not_sold_online_is_uncovered(result.rows, row_numbers, problems)
    except (EncodingProblem, UnreadableFile) as problem:
        problems.error(0, "", str(problem))
        return result
    if not result.rows and problems.ok:
        problems.error(0, "", "the file has a header but no rows")
    result.sha256 = file_sha256(path)
    if problems.ok and extra_check is not None:
        _run_extra_check(result, extra_check)
    return result


def _check_not_sold_online_is_uncovered(
    rows: list[dict[str, str]], row_numbers: list[int], problems: Problems
) -> None:
    """A standard marked not sold online that also has product words is a contradiction: warn."""
    covered = {r["tis_number"] for r in rows if r["kind"] in COVERING_KINDS and r["tis_number"]}
    for row, values in zip(row_numbers, rows, strict=True):
        if values["kind"] == NOT_SOLD_ONLINE and values["tis_number"] in covered:
            problems.warning(
                row,
                "kind",
                f"standard {values['tis_number']} is marked not sold online but has product words or rules",
            )


def write_vocabulary_csv(columns: list[str], rows: list[dict[str, str]], path: str | Path) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        # Neutralised like every file the project writes; the importer's reader undoes the `'`.
        writer.writerows({key: spreadsheet_text(value) for key, value in row.items()} for row in rows)


def _run_extra_check(result: ValidatedVocabulary, extra_check: ExtraCheck) -> None:
    """Give the matcher's reader the cleaned file exactly as it will be stored and exported."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="tiswatch-vocab-") as folder:
        canonical = Path(folder) / "vocabulary.csv"
        write_vocabulary_csv(result.columns, result.rows, canonical)
        try:
            extra_check(canonical)
        except ValueError as problem:
            message = str(problem).replace(str(canonical), "")
            result.problems.error(0, "", f"the matcher refuses this vocabulary: {message.lstrip(':')}")


@dataclass
class VocabularyImportOutcome:
    validated: ValidatedVocabulary
    version_id: int | None = None

    @property
    def ok(self) -> bool:
        return self.version_id is not None


def import_vocabulary(
    engine: Engine,
    path: str | Path,
    *,
    imported_by: str,
    extra_check: ExtraCheck | None = None,
) -> VocabularyImportOutcome:
    """Validate the vocabulary file and, with no errors, store it as a new vocabulary version."""
    validated = validate_vocabulary_file(path, extra_check)
    outcome = VocabularyImportOutcome(validated=validated)
    if not validated.ok:
        return outcome
    with engine.begin() as connection:
        version_id = inserted_id(
            connection.execute(
                insert(VOCABULARY_VERSIONS).values(
                    imported_at=utc_now_iso(),
                    imported_by=imported_by,
                    source_file=str(validated.path.resolve()),
                    source_sha256=validated.sha256,
                    columns=json.dumps(validated.columns, ensure_ascii=False),
                    rows_in_file=len(validated.rows),
                    warnings=len(validated.problems.warnings),
                )
            )
        )
        connection.execute(
            insert(VOCABULARY_TERMS),
            [
                {
                    "version_id": version_id,
                    "position": position,
                    "tis_number": values["tis_number"],
                    "term": values["term"],
                    "values": json.dumps(values, ensure_ascii=False),
                }
                for position, values in enumerate(validated.rows)
            ],
        )
    outcome.version_id = version_id
    return outcome


def export_vocabulary(engine: Engine, path: str | Path, version: int | None = None) -> int | None:
    """Write a stored vocabulary version (default: newest) as CSV; returns its rows, None if none stored."""
    stored = vocabulary_rows(engine, version)
    if stored is None:
        return None
    columns, rows = stored
    write_vocabulary_csv(columns, rows, path)
    return len(rows)
