"""The platforms' pre-listing check API (`/api/v1/...`), mounted on the server by `install`.

Modules: `schemas` (request/answer shapes), `routes` (endpoints), `snapshot` (matcher + registry +
vocabulary, swapped whole), `runtime` (start-up, hot swap watcher, audit writer), `answers` (verdict →
answer, sentences in `messages.toml`), `drafts` (draft → listing dict, draft hash), `keys`,
`rate_limit`, `audit`, `tables` (Alembic revision 0006_api), `errors` and `body_limit` (422/413 shapes),
`no_redirect` (a trailing slash is a 404, never a redirect).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool

if TYPE_CHECKING:
    from fastapi import FastAPI

    from tiswatch.server import ServerConfig

PREFIX = "/api/v1"
# A single draft is a few kilobytes; a batch of 1,000 real drafts is 2–5 MB.
MAX_CHECK_BYTES = 256 * 1024
MAX_BATCH_BYTES = 8 * 1024 * 1024


def _limit_for(path: str) -> int:
    return MAX_BATCH_BYTES if path.startswith(f"{PREFIX}/check/batch") else MAX_CHECK_BYTES


def install(app: FastAPI, config: ServerConfig) -> None:
    """Adds the API's routes, its body limit and its start-up work (registry, matcher, keys) to the app."""
    from tiswatch.api.body_limit import BodyLimitMiddleware
    from tiswatch.api.no_redirect import NoTrailingSlashMiddleware
    from tiswatch.api.routes import router
    from tiswatch.api.runtime import DEFAULT_RELOAD_SECONDS, ApiRuntime

    app.include_router(router, prefix=PREFIX, tags=["check API"])
    app.add_middleware(BodyLimitMiddleware, prefix=f"{PREFIX}/", limit_for=_limit_for)
    app.add_middleware(NoTrailingSlashMiddleware, prefix=f"{PREFIX}/")
    reload_seconds = float(config.options.get("api_reload_seconds", DEFAULT_RELOAD_SECONDS))  # type: ignore[arg-type]
    index_cache = _index_cache(config)
    previous = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app_: Any) -> AsyncIterator[Any]:
        # Built before the server accepts requests, so the first check is as fast as the others.
        runtime = await run_in_threadpool(ApiRuntime.start, config.db_url, reload_seconds, index_cache)
        app_.state.api = runtime
        runtime.run_background()
        try:
            async with previous(app_) as state:
                yield state
        finally:
            await runtime.stop()

    app.router.lifespan_context = lifespan


def _index_cache(config: ServerConfig) -> Path | None:
    """The registry index cache folder: `index_cache` option (`tiswatch serve --index-cache`; "" for
    none), by default `pipelines.index_cache.default_cache_dir` of the database."""
    from pipelines.index_cache import default_cache_dir

    chosen = config.options.get("index_cache")
    if chosen is None:
        return default_cache_dir(config.db_url)
    return Path(str(chosen)) if chosen else None
