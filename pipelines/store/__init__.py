"""The crawl history: SQLAlchemy tables on the shared `Base`, the `HistoryStore` that reads and writes
them, and the `StorePipeline` that records each crawled listing (see `history.HistoryStore` for the
methods other modules use)."""

from pipelines.store.history import EvidenceRef, HistoryStore, NewDecision, RegistryRef, StoredListing
from pipelines.store.pipeline import StorePipeline

__all__ = ["EvidenceRef", "HistoryStore", "NewDecision", "RegistryRef", "StorePipeline", "StoredListing"]
