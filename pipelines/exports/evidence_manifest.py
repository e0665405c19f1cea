"""evidence/manifest.csv: the evidence of every flagged listing, with its hash and UTC fetch time.

The gzip files sit next to the manifest (`evidence/<sha256>.gz`); evidence recorded elsewhere (another
out dir, a previous run) is copied in, and an existing file is never rewritten.
"""

from __future__ import annotations

import csv
import os
import shutil
from collections.abc import Sequence
from pathlib import Path

from pipelines.exports.atomic import atomic_path
from pipelines.exports.columns import utc_text
from pipelines.store.report import FlagRow

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


def _screenshot_columns(row: FlagRow, evidence_dir: Path) -> list[str]:
    """The listing's latest screenshot, copied in as `evidence/<sha256>.png` (empty when none)."""
    if not row.screenshot_sha256:
        return ["", "", ""]
    target = evidence_dir / f"{row.screenshot_sha256}.png"
    present = _bring_in(Path(row.screenshot_path), target)
    return [
        row.screenshot_sha256,
        f"evidence/{target.name}" if present else f"file missing: {row.screenshot_path}",
        utc_text(row.screenshot_taken_at),
    ]


def _bring_in(source: Path, target: Path) -> bool:
    """Make `target` hold the evidence file; False when the source is missing."""
    if target.exists():
        return True
    if not source.is_file():
        return False
    partial = target.with_name(f".{target.name}.partial")
    shutil.copyfile(source, partial)
    try:
        os.link(partial, target)
    except FileExistsError:
        pass
    finally:
        partial.unlink(missing_ok=True)
    return True


def write_evidence_manifest(rows: Sequence[FlagRow], out_dir: Path) -> tuple[Path, int]:
    evidence_dir = out_dir / "evidence"
    evidence_dir.mkdir(parents=True, exist_ok=True)
    path = evidence_dir / "manifest.csv"
    written = 0
    with atomic_path(path) as temporary, open(temporary, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(MANIFEST_COLUMNS)
        for row in rows:
            if not row.evidence_sha256:
                writer.writerow(
                    [
                        *("", "", "", "", row.url, row.platform, row.listing_id, "no evidence recorded"),
                        *_screenshot_columns(row, evidence_dir),
                    ]
                )
                continue
            target = evidence_dir / f"{row.evidence_sha256}.gz"
            present = _bring_in(Path(row.evidence_path), target)
            writer.writerow(
                [
                    row.evidence_sha256,
                    f"evidence/{target.name}" if present else "",
                    target.stat().st_size if present else "",
                    utc_text(row.evidence_fetched_at),
                    row.evidence_url,
                    row.platform,
                    row.listing_id,
                    "ok" if present else f"file missing: {row.evidence_path}",
                    *_screenshot_columns(row, evidence_dir),
                ]
            )
            written += present
    return path, written
