"""What every export format is handed: the store, the report of the runs, and the final folder."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pipelines.store.history import HistoryStore
from pipelines.store.report import Report


@dataclass(frozen=True)
class ExportJob:
    store: HistoryStore
    report: Report
    out_dir: Path
    """Where the files land once every format is written (they are written to a staging folder)."""


Exporter = Callable[[ExportJob, Path], int]
"""Writes one format to the given path (in the staging folder); returns how many records it wrote."""
