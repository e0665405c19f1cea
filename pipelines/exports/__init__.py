"""The investigator's export: flagged.xlsx, flagged.csv, listings.jsonl and evidence/manifest.csv.

`write_exports(store, out_dir, run_ids=None, since=None, spiders=None, force=False)` writes every
format of `EXPORTERS` for a set of runs (default: per scope of every spider, or of `spiders`, its newest
complete coverage and the runs since; see `pipelines.store.report`).

Like Scrapy's FEED_EXPORTERS, `EXPORTERS` maps a file name (relative to the out folder) to the
`module:function` that writes it (an `pipelines.exports.job.Exporter`): a new format is one module
and one line here.

Safety (issue 11): nothing is written when there is no run to export; every file is written to a
private staging folder and swapped in only when all are complete (`staging.py`), so a failed or
killed export leaves the previous files, and exports running at once into one folder do not collide;
a flagged.xlsx holding decisions not yet imported is not replaced without `force` (`pending.py`).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pipelines.exports.job import Exporter, ExportJob
from pipelines.exports.pending import UnimportedDecisions, unimported_decisions
from pipelines.exports.staging import staging_folder, swap_in
from pipelines.store.history import HistoryStore
from pipelines.store.report import Report

FLAGGED_XLSX = "flagged.xlsx"
FLAGGED_CSV = "flagged.csv"
LISTINGS_JSONL = "listings.jsonl"
EVIDENCE_MANIFEST = "evidence/manifest.csv"

EXPORTERS: dict[str, str] = {
    FLAGGED_XLSX: "pipelines.exports.flagged_xlsx:export",
    FLAGGED_CSV: "pipelines.exports.flagged_csv:export",
    LISTINGS_JSONL: "pipelines.exports.listings_jsonl:export",
    EVIDENCE_MANIFEST: "pipelines.exports.evidence_manifest:export",
}


class NothingToExport(LookupError):
    """No finished run in the scope asked for; nothing was written."""


@dataclass(frozen=True)
class ExportResult:
    report: Report
    paths: list[Path]
    listings_written: int
    evidence_files: int


def load_exporter(target: str) -> Exporter:
    module_name, _, function = target.partition(":")
    exporter: Exporter = getattr(importlib.import_module(module_name), function)
    return exporter


def write_exports(
    store: HistoryStore,
    out_dir: str | Path,
    run_ids: Sequence[int] | None = None,
    since: datetime | None = None,
    spiders: Sequence[str] | None = None,
    *,
    force: bool = False,
    exporters: Mapping[str, str] | None = None,
) -> ExportResult:
    out = Path(out_dir)
    report = store.report(run_ids=run_ids, since=since, spiders=spiders)
    if not report.runs:
        raise NothingToExport("no closed run" + (f" since {since:%Y-%m-%d %H:%M} UTC" if since else ""))
    if not force:
        pending = unimported_decisions(store, out / FLAGGED_XLSX)
        if pending:
            raise UnimportedDecisions(out / FLAGGED_XLSX, pending)
    formats = dict(exporters if exporters is not None else EXPORTERS)
    counts: dict[str, int] = {}
    with staging_folder(out) as staging:
        job = ExportJob(store=store, report=report, out_dir=out)
        for name, target in formats.items():
            path = staging / name
            path.parent.mkdir(parents=True, exist_ok=True)
            counts[name] = load_exporter(target)(job, path)
        swap_in(staging, out)
    return ExportResult(
        report=report,
        paths=[out / name for name in formats],
        listings_written=counts.get(LISTINGS_JSONL, 0),
        evidence_files=counts.get(EVIDENCE_MANIFEST, 0),
    )


__all__ = [
    "EXPORTERS",
    "ExportResult",
    "NothingToExport",
    "UnimportedDecisions",
    "write_exports",
]
