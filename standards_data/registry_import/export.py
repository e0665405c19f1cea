"""Export a registry version as a canonical CSV that imports back unchanged."""

from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path

from sqlalchemy import Engine

from standards_data.outside_text import spreadsheet_text
from standards_data.registry_store import CONTENT_COLUMNS, iter_licence_records, resolve_version


def export_registry(engine: Engine, path: str | Path, version: int | None = None) -> tuple[int, int]:
    """Write registry `version` (default: newest) to `path`; returns (version, licences written).

    UTF-8 without BOM, canonical columns, one row per licence ordered by licence number. Every field
    is already canonical in the database, so importing this file with `--replace` changes nothing.
    Cells are neutralised for spreadsheets (a licensee `=cmd|…` is written `'=cmd|…`); the importer
    removes that `'` again.
    """
    resolved = resolve_version(engine, version)
    if resolved is None:
        raise LookupError("the database holds no registry version to export")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    # A unique temporary name: two exports to one file never write into each other's temporary file.
    handle_fd, temporary_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    temporary = Path(temporary_name)
    try:
        with os.fdopen(handle_fd, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(CONTENT_COLUMNS)
            for record in iter_licence_records(engine, resolved):
                writer.writerow([spreadsheet_text(cell) for cell in record])
                written += 1
        os.chmod(temporary, 0o644)
        temporary.replace(path)  # a reader never sees half a registry
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return resolved, written
