"""The fetch log: one row per fetch of every crawl, in the history database (`fetch_log` table).

It used to be a `fetch_log.csv` beside the evidence files, which many workers cannot share; the table
is now its one place, for `tiswatch crawl` and for campaigns alike (nothing reads a csv any more).
Rows are buffered and written in batches (`TISWATCH_FETCH_LOG_BATCH` rows, or every
`TISWATCH_FETCH_LOG_SECONDS`), and the rest when the crawl closes: a crawler killed with `kill -9`
loses at most one batch of log rows, never a listing (those are written one transaction each).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.engine import Engine

from pipelines.store.models import FetchLogEntry

DEFAULT_BATCH = 200
DEFAULT_SECONDS = 5.0


@dataclass(frozen=True)
class Fetch:
    fetched_at: datetime
    url: str
    status: int | None
    size: int
    duration_ms: int | None
    sha256: str | None
    outcome: str
    run_id: int | None = None
    campaign: str | None = None
    worker: str | None = None


def outcome_of(status: int) -> str:
    """`ok` for an answer, `redirect` for 3xx, else `http_<status>` (blocks are counted in coverage)."""
    if 200 <= status < 300:
        return "ok"
    if 300 <= status < 400:
        return "redirect"
    return f"http_{status}"


class FetchLog:
    """Buffered writer of `fetch_log` rows."""

    def __init__(self, engine: Engine, batch: int = DEFAULT_BATCH, seconds: float = DEFAULT_SECONDS) -> None:
        self.engine = engine
        self.batch = max(batch, 1)
        self.seconds = seconds
        self._rows: list[dict[str, Any]] = []
        self._flushed_at = time.monotonic()
        self.written = 0

    def add(self, fetch: Fetch) -> None:
        self._rows.append(asdict(fetch))
        if len(self._rows) >= self.batch or time.monotonic() - self._flushed_at >= self.seconds:
            self.flush()

    def flush(self) -> int:
        rows, self._rows = self._rows, []
        self._flushed_at = time.monotonic()
        if rows:
            with self.engine.begin() as connection:
                connection.execute(insert(FetchLogEntry), rows)
            self.written += len(rows)
        return len(rows)


def read_fetch_log(
    engine: Engine, run_id: int | None = None, campaign: str | None = None
) -> Iterator[FetchLogEntry]:
    """The logged fetches of a run or a campaign (all when neither is given), in the order written."""
    query = select(FetchLogEntry).order_by(FetchLogEntry.id)
    if run_id is not None:
        query = query.where(FetchLogEntry.run_id == run_id)
    if campaign is not None:
        query = query.where(FetchLogEntry.campaign == campaign)
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        yield from session.execute(query).scalars()
