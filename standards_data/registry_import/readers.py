"""Read an import file into a header and numbered rows of strings: CSV (any accepted encoding) or .xlsx.

A `Table` can be iterated more than once (the importer validates the whole file before it writes
anything, then reads it again to write), so it re-opens the file on each pass instead of holding
500,000 rows in memory.
"""

from __future__ import annotations

import csv
import zipfile
import zlib
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

from standards_data.limits import FileLimits, LimitExceeded, check_xlsx_sizes
from standards_data.outside_text import unspreadsheet_text
from standards_data.registry_import.encoding import detect_encoding

XLSX_SUFFIXES = (".xlsx", ".xlsm")
DELIMITERS = (",", "\t", ";")


class UnreadableFile(ValueError):
    """The file cannot be read as a table at all (the message says why)."""


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unspreadsheet_text(str(value))


def _blank(cells: list[str]) -> bool:
    return not any(cell.strip() for cell in cells)


class Table:
    """Header and rows of one file; rows are numbered like a spreadsheet (header = row 1)."""

    def __init__(self, path: str | Path, limits: FileLimits | None = None) -> None:
        self.path = Path(path)
        self.limits = limits or FileLimits.from_environment()
        self.is_xlsx = self.path.suffix.lower() in XLSX_SUFFIXES
        if self.is_xlsx:
            try:
                check_xlsx_sizes(self.path, self.limits)
            except LimitExceeded as error:
                raise UnreadableFile(str(error)) from None
        self.encoding = "xlsx" if self.is_xlsx else detect_encoding(self.path)
        self.delimiter = "," if self.is_xlsx else self._sniff_delimiter()
        self.columns = self._header()

    def _sniff_delimiter(self) -> str:
        with open(self.path, encoding=self.encoding, newline="") as handle:
            first_line = handle.readline()
        return max(DELIMITERS, key=first_line.count)

    def _header(self) -> list[str]:
        for _number, cells in self._all_rows():
            if not _blank(cells):
                return cells
        raise UnreadableFile("the file has no header row")

    def _all_rows(self) -> Iterator[tuple[int, list[str]]]:
        # Blank rows count too: a sheet of millions of empty rows is as costly as a full one.
        last_allowed = self.limits.max_rows + 1  # the header row is not a data row
        for number, cells in self._physical_rows():
            if number > last_allowed:
                raise UnreadableFile(
                    f"more than {self.limits.max_rows:,} rows (the limit TISWATCH_MAX_ROWS); "
                    "split the file or raise the limit"
                )
            yield number, cells

    def _physical_rows(self) -> Iterator[tuple[int, list[str]]]:
        if self.is_xlsx:
            yield from self._xlsx_rows()
            return
        with open(self.path, encoding=self.encoding, newline="") as handle:
            reader = csv.reader(handle, delimiter=self.delimiter)
            try:
                for number, cells in enumerate(reader, start=1):
                    yield number, [unspreadsheet_text(cell) for cell in cells]
            except csv.Error as error:
                raise UnreadableFile(f"CSV syntax error near line {reader.line_num}: {error}") from None

    def _xlsx_rows(self) -> Iterator[tuple[int, list[str]]]:
        from openpyxl import load_workbook  # only xlsx imports pay for openpyxl

        try:
            workbook = load_workbook(self.path, read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many types for a damaged workbook
            raise UnreadableFile(f"not a readable .xlsx workbook: {error}") from None
        try:
            sheet = workbook.worksheets[0]
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, [_cell_text(value) for value in values]
        # A damaged part: bad CRC, cut deflate, or bytes inflating to broken XML (ParseError and lxml's
        # XMLSyntaxError are both SyntaxErrors).
        except (zipfile.BadZipFile, zlib.error, EOFError, SyntaxError) as error:
            raise UnreadableFile(f"damaged .xlsx workbook ({error})") from None
        finally:
            workbook.close()

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """Data rows after the header, blank rows skipped, each with its spreadsheet row number."""
        seen_header = False
        for number, cells in self._all_rows():
            if _blank(cells):
                continue
            if not seen_header:
                seen_header = True
                continue
            yield number, cells
