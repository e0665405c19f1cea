"""evidence/manifest.csv: the evidence of every flagged listing, with its hash and UTC fetch time.

The gzip files sit next to the manifest (`evidence/<sha256>.gz`); evidence recorded elsewhere (another
out dir, a previous run, the database's `evidence_blobs`: `pipelines.evidence.stored_evidence`) is
copied in, and a file already in the final folder is never rewritten (its name is its hash). Every
text cell is neutralised: `listing_id` and the URLs come from sellers.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.engine import Engine

from pipelines.evidence import stored_evidence
from pipelines.exports.atomic import atomic_path
from pipelines.exports.columns import utc_text
from pipelines.exports.job import ExportJob
from pipelines.store.report import FlagRow
from standards_data.outside_text import spreadsheet_row

MANIFEST_COLUMNS = (
    "sha256",
    "file",
    "size_bytes",
    "fetched_at",
    "url",
    "platform",
    "listing_id",
    "status",
    "screenshot_sha256",
    "screenshot_file",
    "screenshot_taken_at",
)


def _screenshot_columns(row: FlagRow, evidence_dir: Path, final_dir: Path) -> list[str]:
    """The listing's latest screenshot, copied in as `evidence/<sha256>.png` (empty when none)."""
    if not row.screenshot_sha256:
        return ["", "", ""]
    name = f"{row.screenshot_sha256}.png"
    present = _bring_in(Path(row.screenshot_path), evidence_dir / name, final_dir / name)
    return [
        row.screenshot_sha256,
        f"evidence/{name}" if present else f"file missing: {row.screenshot_path}",
        utc_text(row.screenshot_taken_at),
    ]


def _bring_in(source: Path, target: Path, final: Path) -> Path | None:
    """The evidence file to list: `final` if it is already there, else a copy of `source` at `target`
    (in the staging folder); None when the source is missing."""
    if final.is_file():
        return final
    if target.is_file():
        return target
    if not source.is_file():
        return None
    shutil.copyfile(source, target)
    return target


def _bring_in_evidence(engine: Engine | None, row: FlagRow, target: Path, final: Path) -> Path | None:
    """Like `_bring_in`, for a response body, wherever its store keeps it (a file or a database row)."""
    if final.is_file():
        return final
    if target.is_file():
        return target
    if engine is None:
        return _bring_in(Path(row.evidence_path), target, final)
    compressed = stored_evidence(engine, row.evidence_sha256, row.evidence_path)
    if compressed is None:
        return None
    target.write_bytes(compressed)
    return target


def write_evidence_manifest(
    rows: Sequence[FlagRow], path: Path, final_dir: Path | None = None, engine: Engine | None = None
) -> int:
    """Write `path` (…/evidence/manifest.csv) and copy the evidence next to it; `final_dir` is where
    the evidence folder will finally be (files already there are not copied again); `engine`, the
    history's database, where bodies kept in the database are read from."""
    evidence_dir = path.parent
    evidence_dir.mkdir(parents=True, exist_ok=True)
    final_dir = final_dir or evidence_dir
    written = 0
    with atomic_path(path) as temporary, open(temporary, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(MANIFEST_COLUMNS)
        for row in rows:
            if not row.evidence_sha256:
                writer.writerow(
                    spreadsheet_row(
                        [
                            *("", "", "", "", row.url, row.platform, row.listing_id, "no evidence recorded"),
                            *_screenshot_columns(row, evidence_dir, final_dir),
                        ]
                    )
                )
                continue
            name = f"{row.evidence_sha256}.gz"
            present = _bring_in_evidence(engine, row, evidence_dir / name, final_dir / name)
            writer.writerow(
                spreadsheet_row(
                    [
                        row.evidence_sha256,
                        f"evidence/{name}" if present else "",
                        present.stat().st_size if present else "",
                        utc_text(row.evidence_fetched_at),
                        row.evidence_url,
                        row.platform,
                        row.listing_id,
                        "ok" if present else f"file missing: {row.evidence_path}",
                        *_screenshot_columns(row, evidence_dir, final_dir),
                    ]
                )
            )
            written += present is not None
    return written


def export(job: ExportJob, path: Path) -> int:
    return write_evidence_manifest(job.report.rows, path, job.out_dir / path.parent.name, job.store.engine)
