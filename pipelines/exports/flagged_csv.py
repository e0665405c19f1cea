"""flagged.csv: the flagged sheet as CSV, UTF-8 with BOM so Excel shows Thai text."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from pipelines.exports.atomic import atomic_path
from pipelines.exports.columns import FLAGGED_COLUMNS, utc_text
from pipelines.exports.job import ExportJob
from pipelines.store.report import FlagRow
from standards_data.outside_text import spreadsheet_text


def csv_cell(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return utc_text(value)
    if kind == "money" and isinstance(value, int | float):
        return f"{value:.2f}"
    # Seller-written text is never a formula when Excel opens the CSV (standards_data/outside_text.py).
    return spreadsheet_text(str(value))


def write_flagged_csv(rows: Sequence[FlagRow], path: Path) -> Path:
    with atomic_path(path) as temporary, open(temporary, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([column.header for column in FLAGGED_COLUMNS])
        for rank, row in enumerate(rows, start=1):
            writer.writerow([csv_cell(column.value(row, rank), column.kind) for column in FLAGGED_COLUMNS])
    return path


def export(job: ExportJob, path: Path) -> int:
    write_flagged_csv(job.report.rows, path)
    return len(job.report.rows)
