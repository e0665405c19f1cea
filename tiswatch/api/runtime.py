"""The API's running state and its background work: the hot swap watcher and the audit writer.

The watcher polls the database for a newer registry or vocabulary version (and reloads the API keys).
When one appears it builds a new snapshot in a worker thread, beside the one serving requests, and
swaps it in when it is ready: no request waits for the build and none fails during it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from pipelines.store.schema import migrated_engine
from tiswatch.api.audit import FLUSH_SECONDS, AuditLog
from tiswatch.api.keys import KeyRing
from tiswatch.api.rate_limit import RateLimiter
from tiswatch.api.snapshot import SnapshotHolder, build_snapshot, newest_versions

logger = logging.getLogger("tiswatch.api")

DEFAULT_RELOAD_SECONDS = 1.0


@dataclass
class ApiRuntime:
    engine: Engine
    holder: SnapshotHolder
    keyring: KeyRing
    audit: AuditLog
    limiter: RateLimiter = field(default_factory=RateLimiter)
    reload_seconds: float = DEFAULT_RELOAD_SECONDS
    index_cache: Path | None = None
    started_in: float = 0.0
    tasks: list[asyncio.Task[None]] = field(default_factory=list)

    @classmethod
    def start(
        cls, db_url: str, reload_seconds: float = DEFAULT_RELOAD_SECONDS, index_cache: Path | None = None
    ) -> ApiRuntime:
        """Migrate the database, load keys, registry and vocabulary, build the matcher (blocking).
        `index_cache`: the folder of stored registry indexes (`pipelines.index_cache`; None: none)."""
        started = time.perf_counter()
        engine = migrated_engine(db_url)
        snapshot = build_snapshot(engine, index_cache)
        runtime = cls(
            engine=engine,
            holder=SnapshotHolder(snapshot),
            keyring=KeyRing.load(engine),
            audit=AuditLog(engine),
            reload_seconds=reload_seconds,
            index_cache=index_cache,
        )
        runtime.started_in = time.perf_counter() - started
        logger.info("tiswatch api: started in %.2f s", runtime.started_in)
        return runtime

    def run_background(self) -> None:
        self.tasks = [
            asyncio.create_task(self._watch(), name="tiswatch-api-watch"),
            asyncio.create_task(self._write_audit(), name="tiswatch-api-audit"),
        ]

    async def stop(self) -> None:
        for task in self.tasks:
            task.cancel()
        for task in self.tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await asyncio.to_thread(self.audit.flush)
        self.engine.dispose()

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(self.reload_seconds)
            try:
                self.keyring = await asyncio.to_thread(KeyRing.load, self.engine)
                newest = await asyncio.to_thread(newest_versions, self.engine)
                if newest != self.holder.current.versions:
                    logger.info("tiswatch api: new registry or vocabulary version %s: building", newest)
                    snapshot = await asyncio.to_thread(build_snapshot, self.engine, self.index_cache)
                    self.holder.swap(snapshot)
            except Exception:  # a failed reload keeps serving the current snapshot; retried next round
                logger.exception(
                    "tiswatch api: reload failed; still serving %s", self.holder.current.registry_version
                )

    async def _write_audit(self) -> None:
        while True:
            await asyncio.sleep(FLUSH_SECONDS)
            await asyncio.to_thread(self.audit.flush)
