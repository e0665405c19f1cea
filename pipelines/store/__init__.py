"""The crawl history: SQLAlchemy tables on the shared `Base`, the `HistoryStore` that reads and writes
them, and the `StorePipeline` that records each crawled listing (see `history.HistoryStore` for the
methods other modules use)."""

from __future__ import annotations

from typing import Any

from pipelines.store.history import (
    EvidenceRef,
    HistoryStore,
    NewDecision,
    RegistryRef,
    ScopeCoverage,
    StoredListing,
)

__all__ = [
    "EvidenceRef",
    "HistoryStore",
    "NewDecision",
    "RegistryRef",
    "ScopeCoverage",
    "StorePipeline",
    "StoredListing",
]


def __getattr__(name: str) -> Any:
    # The pipeline needs Scrapy and the run context, which needs this package: load it on first use
    # (`ITEM_PIPELINES` names it `pipelines.store.StorePipeline`).
    if name == "StorePipeline":
        from pipelines.store.pipeline import StorePipeline

        return StorePipeline
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
