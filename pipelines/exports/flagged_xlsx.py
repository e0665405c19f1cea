"""flagged.xlsx: the investigator's workbook.

Sheets: `flagged` (one row per flagged listing, highest priority first, then the gone ones; clickable
URLs; `decision` and `note` to fill in and import back), `run summary`, `per seller`, `confirmed`.
Every sheet has a frozen, bold header row, filters and set column widths.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from pipelines.exports.atomic import atomic_path
from pipelines.exports.columns import FLAGGED_COLUMNS, VERDICT_WORDS
from pipelines.exports.job import ExportJob
from pipelines.store.models import DECISIONS
from pipelines.store.report import GONE, ConfirmedRow, Report, RunReport, SellerRow, StaleScope
from standards_data.outside_text import spreadsheet_text

SHEET_FLAGGED = "flagged"
SHEET_SUMMARY = "run summary"
SHEET_SELLERS = "per seller"
SHEET_CONFIRMED = "confirmed"

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="305496")
GONE_FONT = Font(color="808080")
LINK_FONT = Font(color="0563C1", underline="single")
NUMBER_FORMATS = {"money": "#,##0.00", "int": "#,##0", "number": "0.0", "datetime": "yyyy-mm-dd hh:mm"}


def _excel_value(value: Any) -> Any:
    if isinstance(value, datetime):
        # Excel has no time zones: write UTC wall time (headers and the summary say UTC).
        return value.replace(tzinfo=None)
    if isinstance(value, str):
        # Written with the string type below, so no `'` is needed against formulas; control
        # characters go and an over-long cell is cut with a marker (standards_data/outside_text.py).
        return spreadsheet_text(value, quote_formulas=False)
    return value


_EVIDENCE_FILE = re.compile(r"^evidence/[0-9a-f]{64}\.png$")


def _cell(sheet: Any, value: Any, kind: str = "text") -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=_excel_value(value))
    if isinstance(cell.value, str):
        cell.data_type = "s"  # text from outside is never a formula, whatever it starts with
    if kind == "url" and isinstance(cell.value, str) and cell.value.startswith(("http://", "https://")):
        cell.hyperlink = cell.value
        cell.font = LINK_FONT
    elif kind == "file" and isinstance(cell.value, str) and _EVIDENCE_FILE.match(cell.value):
        # Only the export's own evidence files: a relative link opens the copy next to the workbook.
        cell.hyperlink = cell.value
        cell.font = LINK_FONT
    elif kind in NUMBER_FORMATS and cell.value is not None:
        cell.number_format = NUMBER_FORMATS[kind]
    return cell


def _header(sheet: Any, headers: Sequence[str], widths: Sequence[float]) -> None:
    # Widths and the frozen header go first: a write-only sheet writes them before its first row.
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    row = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center")
        row.append(cell)
    sheet.append(row)


def _finish_table(sheet: Any, columns: int, rows: int) -> None:
    sheet.auto_filter.ref = f"A1:{get_column_letter(columns)}{max(rows + 1, 2)}"


def _flagged_sheet(sheet: Any, report: Report) -> None:
    _header(sheet, [c.header for c in FLAGGED_COLUMNS], [c.width for c in FLAGGED_COLUMNS])
    for rank, row in enumerate(report.rows, start=1):
        cells = []
        for column in FLAGGED_COLUMNS:
            cell = _cell(sheet, column.value(row, rank), column.kind)
            if row.mark == GONE and column.kind != "url":
                cell.font = GONE_FONT
            cells.append(cell)
        sheet.append(cells)
    _finish_table(sheet, len(FLAGGED_COLUMNS), len(report.rows))
    decision_column = get_column_letter([c.header for c in FLAGGED_COLUMNS].index("decision") + 1)
    # A drop-down in Excel/LibreOffice; the importer still validates whatever comes back.
    validation = DataValidation(type="list", formula1='"' + ",".join(DECISIONS) + '"', allow_blank=True)
    validation.error = "decision must be one of: " + ", ".join(DECISIONS)
    validation.showErrorMessage = True
    sheet.data_validations.append(validation)  # what add_data_validation does; write-only sheets lack it
    validation.add(f"{decision_column}2:{decision_column}{max(len(report.rows) + 1, 2)}")


SUMMARY_LINES: tuple[tuple[str, str], ...] = (
    ("run", "run_id"),
    ("spider", "spider"),
    ("arguments", "arguments"),
    ("status", "status"),
    ("started (UTC)", "started_at"),
    ("finished (UTC)", "finished_at"),
    ("duration (s)", "duration_s"),
    ("registry", "registry"),
    ("compared with run", "baseline_run_id"),
    ("pages fetched", "pages_fetched"),
    ("pages blocked", "pages_blocked"),
    ("pages failed", "pages_failed"),
    ("pages unreadable (parse errors)", "parse_errors"),
    ("items dropped (invalid)", "items_dropped"),
    ("listings seen", "listings"),
    ("listings seen for the first time", "new_listings"),
    ("listings not judged (matcher error)", "unjudged"),
    ("flagged", "flagged"),
    ("  new", "new"),
    ("  still flagged", "still_flagged"),
    ("  re-listings", "relisted"),
    ("gone (flagged, left a completely covered scope)", "gone"),
    ("scopes completely covered (only these can mark gone)", "scopes_complete"),
    ("coverage gaps", "coverage_gaps"),
    ("cleared (flagged last run, not flagged now)", "cleared"),
    ("dismissed, unchanged (not flagged again)", "dismissed_unchanged"),
    ("exposure of flagged (THB, price × sold)", "exposure"),
)


def _summary_value(summary: dict[str, Any], key: str) -> Any:
    value = summary.get(key)
    if key == "arguments":
        return ", ".join(f"{k}={v}" for k, v in (value or {}).items())
    if key == "coverage_gaps":
        return "; ".join(value or []) or "none"
    if key in ("started_at", "finished_at") and value:
        return str(value).replace("+00:00", "")[:19].replace("T", " ")
    if key == "baseline_run_id" and value is None:
        return "none (no earlier complete run)"
    return value


def _summary_sheet(sheet: Any, runs: Sequence[RunReport], stale: Sequence[StaleScope] = ()) -> None:
    headers = ["", *[f"run {run.run_id}" for run in runs]]
    _header(sheet, headers, [44, *[28] * len(runs)])
    lines: list[tuple[str, str]] = list(SUMMARY_LINES)
    verdicts = sorted({v for run in runs for v in run.summary.get("verdicts", {})})
    lines += [(f"verdict: {VERDICT_WORDS.get(v, v)}", f"verdicts.{v}") for v in verdicts]
    for label, key in lines:
        name = WriteOnlyCell(sheet, value=label)
        name.font = Font(bold=True)
        cells = [name]
        for run in runs:
            if key.startswith("verdicts."):
                value = run.summary.get("verdicts", {}).get(key.split(".", 1)[1], 0)
            else:
                value = _summary_value(run.summary, key)
            cells.append(_cell(sheet, value, "money" if key == "exposure" else "text"))
        sheet.append(cells)
    _finish_table(sheet, len(headers), len(lines))
    if stale:
        # Scopes whose newest run did not cover them: their flags above are from an older run.
        sheet.append([])
        title = WriteOnlyCell(sheet, value="not re-checked (newest run blocked, incomplete or stopped)")
        title.font = Font(bold=True)
        sheet.append([title])
        for scope in stale:
            sheet.append([_cell(sheet, scope.describe(), "text")])


SELLER_HEADERS = (
    ("platform", 10),
    ("seller_id", 14),
    ("seller_name", 28),
    ("flagged", 9),
    ("new", 7),
    ("invalid_licence", 14),
    ("uncertified", 12),
    ("unverifiable", 12),
    ("exposure", 14),
    ("listings_seen", 13),
)


def _sellers_sheet(sheet: Any, sellers: Sequence[SellerRow]) -> None:
    _header(sheet, [h for h, _ in SELLER_HEADERS], [w for _, w in SELLER_HEADERS])
    for seller in sellers:
        values = (
            (seller.platform, "text"),
            (seller.seller_id, "text"),
            (seller.seller_name, "text"),
            (seller.flagged, "int"),
            (seller.new, "int"),
            (seller.by_verdict.get("invalid_licence", 0), "int"),
            (seller.by_verdict.get("uncertified", 0), "int"),
            (seller.by_verdict.get("unverifiable", 0), "int"),
            (seller.exposure, "money"),
            (seller.listings_seen, "int"),
        )
        sheet.append([_cell(sheet, value, kind) for value, kind in values])
    _finish_table(sheet, len(SELLER_HEADERS), len(sellers))


CONFIRMED_HEADERS = (
    ("platform", 10, "text"),
    ("listing_id", 18, "text"),
    ("title", 50, "text"),
    ("url", 36, "url"),
    ("seller_name", 24, "text"),
    ("seller_id", 14, "text"),
    ("still_online", 12, "text"),
    ("verdict", 15, "text"),
    ("first_price", 11, "money"),
    ("last_price", 11, "money"),
    ("last_sold", 10, "int"),
    ("runs_seen", 10, "int"),
    ("first_seen", 18, "datetime"),
    ("last_seen", 18, "datetime"),
    ("decided_by", 16, "text"),
    ("decided_at", 18, "datetime"),
    ("note", 30, "text"),
    ("evidence_sha256", 20, "text"),
)


def _confirmed_sheet(sheet: Any, confirmed: Sequence[ConfirmedRow]) -> None:
    _header(sheet, [h for h, _, _ in CONFIRMED_HEADERS], [w for _, w, _ in CONFIRMED_HEADERS])
    for row in confirmed:
        cells = []
        for name, _, kind in CONFIRMED_HEADERS:
            value = getattr(row, name)
            if name == "verdict":
                value = VERDICT_WORDS.get(value, value)
            cells.append(_cell(sheet, value, kind))
        sheet.append(cells)
    _finish_table(sheet, len(CONFIRMED_HEADERS), len(confirmed))


def write_flagged_xlsx(report: Report, path: Path) -> Path:
    # Write-only: rows stream to the file as they are made, so a big export holds one row at a time.
    workbook = Workbook(write_only=True)
    _flagged_sheet(workbook.create_sheet(SHEET_FLAGGED), report)
    _summary_sheet(workbook.create_sheet(SHEET_SUMMARY), report.runs, report.stale)
    _sellers_sheet(workbook.create_sheet(SHEET_SELLERS), report.sellers)
    _confirmed_sheet(workbook.create_sheet(SHEET_CONFIRMED), report.confirmed)
    with atomic_path(path) as temporary:
        workbook.save(temporary)
    return path


def export(job: ExportJob, path: Path) -> int:
    write_flagged_xlsx(job.report, path)
    return len(job.report.rows)
