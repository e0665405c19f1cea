"""The audit log of checks: one row per draft judged, written in batches off the request path.

Requests append rows to an in-memory buffer; the server's background task writes them every
`FLUSH_SECONDS` (and at shutdown) in one transaction. A database that is busy (an officer's registry
import holding SQLite's write lock) only delays the write: the rows stay buffered and are retried.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, insert
from sqlalchemy.exc import SQLAlchemyError

from tiswatch.api.tables import API_AUDIT

logger = logging.getLogger("tiswatch.api")

FLUSH_SECONDS = 0.5
# Beyond this many unwritten rows (a database down for long) the oldest are dropped and counted,
# rather than letting the server's memory grow without bound.
MAX_BUFFERED = 200_000


@dataclass(frozen=True)
class AuditRow:
    key_id: int
    endpoint: str
    verdict: str
    tis_number: str | None
    registry_version: str
    vocabulary_version: str
    draft_sha256: str


def utc_now_ms() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class AuditLog:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._rows: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self.written = 0
        self.dropped = 0

    def record(self, rows: list[AuditRow]) -> None:
        checked_at = utc_now_ms()
        with self._lock:
            self._rows.extend({**row.__dict__, "checked_at": checked_at} for row in rows)
            overflow = len(self._rows) - MAX_BUFFERED
            if overflow > 0:
                del self._rows[:overflow]
                self.dropped += overflow

    def flush(self) -> int:
        """Write the buffered rows; returns how many were written (0 when the database is busy)."""
        with self._lock:
            rows, self._rows = self._rows, []
        if not rows:
            return 0
        try:
            with self.engine.begin() as connection:
                connection.execute(insert(API_AUDIT), rows)
        except SQLAlchemyError as error:
            logger.warning("tiswatch api: audit log not written yet (%d rows kept): %s", len(rows), error)
            with self._lock:
                self._rows[:0] = rows
            return 0
        self.written += len(rows)
        return len(rows)
