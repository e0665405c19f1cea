"""Whole-file validation of a registry import: every error and warning, before anything is written."""

from __future__ import annotations

import csv
import hashlib
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from standards_data.registry_import.encoding import EncodingProblem
from standards_data.registry_import.problems import Problems
from standards_data.registry_import.readers import Table, UnreadableFile
from standards_data.registry_import.shapes import Record, RowConverter, Shape, detect_shape


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class ValidatedFile:
    """A registry file after validation: its problems and, when it has none, a way to read its records."""

    path: Path
    problems: Problems
    table: Table | None = None
    shape: Shape | None = None
    rows: int = 0
    """Data rows read (blank rows not counted)."""
    sha256: str = ""

    @property
    def ok(self) -> bool:
        return self.problems.ok

    @property
    def source_format(self) -> str:
        """`canonical` or `tisi_search`, with `+xlsx` for a workbook and the text encoding otherwise."""
        if self.shape is None or self.table is None:
            return "unknown"
        return f"{self.shape.name}+{self.table.encoding}"

    spool: IO[str] | None = None
    """The canonical records as validated, in a temporary file (deleted when closed)."""
    keep_good_rows: bool = False
    """Validated for a read-only use (`tiswatch match`): rows with errors are left out, the good
    rows stay readable. An import never does this: a file with any error writes nothing."""
    file_error: bool = False
    """A problem with the file as a whole (unreadable, not a registry's columns, no rows)."""

    def records(self) -> Iterator[tuple[int, Record]]:
        """(row number, canonical record) of every row, exactly as validated; only without errors.

        Read back from the spool written during validation, so the import writes what was checked
        even if the source file changes meanwhile, and rows are not held in memory.
        """
        if (not self.ok and not self.usable_in_part) or self.spool is None:
            raise ValueError(f"{self.path} has errors; its records must not be imported")
        self.spool.seek(0)
        for row_text, *record in csv.reader(self.spool):
            yield int(row_text), tuple(record)  # type: ignore[misc]

    @property
    def usable_in_part(self) -> bool:
        """Validated with `keep_good_rows`, and only rows (not the file) have errors."""
        return self.keep_good_rows and not self.file_error and self.shape is not None

    def close(self) -> None:
        if self.spool is not None:
            self.spool.close()
            self.spool = None


def validate_registry_file(path: str | Path, *, keep_good_rows: bool = False) -> ValidatedFile:
    """Read the whole file and report every problem; nothing is written anywhere.

    With `keep_good_rows`, a file whose problems are in some rows keeps its other rows readable
    (duplicates of a licence number: the first row); see `ValidatedFile.keep_good_rows`."""
    path = Path(path)
    problems = Problems(source=str(path))
    result = ValidatedFile(path=path, problems=problems, keep_good_rows=keep_good_rows)
    if not path.is_file():
        problems.error(0, "", "is a folder, not a file" if path.is_dir() else "file not found")
        result.file_error = True
        return result
    try:
        table = Table(path)
    except (EncodingProblem, UnreadableFile) as problem:
        problems.error(0, "", str(problem))
        result.file_error = True
        return result
    result.table = table
    result.sha256 = file_sha256(path)
    shape = detect_shape(table.columns, problems.error, problems.warning)
    if shape is None:
        return result
    result.shape = shape
    converter = RowConverter(shape, problems.error, problems.warning, problems.summarised_warning)
    first_row_of: dict[str, int] = {}
    # Outlives this function: records() reads it back during the import, close() deletes it.
    result.spool = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")  # noqa: SIM115
    spool = csv.writer(result.spool)
    try:
        for row, cells in table.rows():
            result.rows += 1
            record = converter.convert(row, cells)
            if record is None:
                continue
            licence_no = record[0]
            first = first_row_of.setdefault(licence_no, row)
            if first != row:
                problems.error(
                    row, shape.header["licence_no"], f"duplicate licence {licence_no} (first at row {first})"
                )
                continue
            spool.writerow((row, *record))
    except UnreadableFile as problem:
        problems.error(0, "", str(problem))
        result.file_error = True
    if result.rows == 0 and problems.ok:
        problems.error(0, "", "the file has a header but no licence rows")
        result.file_error = True
    if not problems.ok and not result.usable_in_part:
        result.close()
    return result
