"""Text from outside (crawled pages, registry, review and vocabulary files) made safe to write out.

One place for every CSV/xlsx cell and every terminal line the project writes, so no writer keeps its
own copy of the rules:

- `spreadsheet_text(value)`: a CSV cell that Excel/LibreOffice would run as a formula (`=`, `+`, `-`,
  `@`, tab, CR, LF at the start) gets a leading `'` (OWASP's CSV-injection advice; xlsx cells are
  written with the string type instead, which no spreadsheet evaluates); control characters
  that a workbook cannot hold are removed; a cell longer than Excel's 32,767 characters is cut, ending
  with a visible marker instead of being cut silently by the spreadsheet program.
- `unspreadsheet_text(value)`: the inverse of the `'` prefix, for files the project reads back
  (registry export → registry import, flagged.xlsx → review import).
- `terminal_text(value)`: control characters (ESC, BEL, CR, …) removed, so a registry cell cannot
  move the cursor, retitle the window or hide a line on an officer's terminal.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Excel's limit of characters in one cell; LibreOffice and Google Sheets cut near it too.
XLSX_CELL_LIMIT = 32_767
CUT_MARKER = " …[cut: {dropped:,} more characters]"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
# C0 controls but tab/LF/CR, DEL and C1 controls: invalid in xlsx XML or meaningful to terminals.
_SPREADSHEET_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_TERMINAL_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def cut_to_cell(text: str, limit: int = XLSX_CELL_LIMIT) -> str:
    """`text`, or its start plus a marker saying how much was cut, never longer than `limit`."""
    if len(text) <= limit:
        return text
    marker = CUT_MARKER.format(dropped=len(text) - limit)
    # The marker's own length counts against the limit; recompute once with the final drop count.
    keep = limit - len(marker)
    marker = CUT_MARKER.format(dropped=len(text) - keep)
    return text[: limit - len(marker)] + marker


def spreadsheet_text(value: str, *, quote_formulas: bool = True) -> str:
    """A text cell as it may be written to a CSV or xlsx file the project produces.

    `quote_formulas=False` is for xlsx cells written with the string type (`t="s"`/inline string):
    Excel and LibreOffice never evaluate those, so the text stays as the seller wrote it.
    """
    text = _SPREADSHEET_CONTROLS.sub("", value)
    if quote_formulas and text.startswith(FORMULA_PREFIXES):
        text = "'" + text
    return cut_to_cell(text)


def unspreadsheet_text(value: str) -> str:
    """Undo `spreadsheet_text`'s `'` prefix (the only change a round trip must not keep)."""
    if value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


def terminal_text(value: object) -> str:
    """Any value as text that is safe to print: control and bidi-override characters removed."""
    return _TERMINAL_CONTROLS.sub("", str(value))


def spreadsheet_row(values: Iterable[object]) -> list[object]:
    """A CSV row with every text cell passed through `spreadsheet_text` (numbers stay numbers)."""
    return [spreadsheet_text(value) if isinstance(value, str) else value for value in values]
