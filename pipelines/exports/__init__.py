"""The investigator's export: flagged.xlsx, flagged.csv, listings.jsonl and evidence/manifest.csv.

`write_exports(store, out_dir, run_ids=None, since=None, spiders=None)` writes all four for a set of
runs (default: per scope of every spider, or of `spiders`, its newest complete coverage and the runs
since; see `pipelines.store.report`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pipelines.exports.evidence_manifest import write_evidence_manifest
from pipelines.exports.flagged_csv import write_flagged_csv
from pipelines.exports.flagged_xlsx import write_flagged_xlsx
from pipelines.exports.listings_jsonl import write_listings_jsonl
from pipelines.store.history import HistoryStore
from pipelines.store.report import Report

FLAGGED_XLSX = "flagged.xlsx"
FLAGGED_CSV = "flagged.csv"
LISTINGS_JSONL = "listings.jsonl"


@dataclass(frozen=True)
class ExportResult:
    report: Report
    paths: list[Path]
    listings_written: int
    evidence_files: int


def write_exports(
    store: HistoryStore,
    out_dir: str | Path,
    run_ids: Sequence[int] | None = None,
    since: datetime | None = None,
    spiders: Sequence[str] | None = None,
) -> ExportResult:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    report = store.report(run_ids=run_ids, since=since, spiders=spiders)
    xlsx = write_flagged_xlsx(report, out / FLAGGED_XLSX)
    csv_path = write_flagged_csv(report.rows, out / FLAGGED_CSV)
    jsonl, listings = write_listings_jsonl(store, report.run_ids, out / LISTINGS_JSONL)
    manifest, evidence_files = write_evidence_manifest(report.rows, out)
    return ExportResult(
        report=report,
        paths=[xlsx, csv_path, jsonl, manifest],
        listings_written=listings,
        evidence_files=evidence_files,
    )
