"""`FetchLogMiddleware`: every fetch of the crawl, one row in the history's `fetch_log` table.

It sits between HTTP decompression (590) and the evidence middleware (587), so it sees each answer
decompressed, after redirects were followed, before a block is dropped: the row's `sha256` is the
same as the evidence key of that body. A download error (timeout, refused connection) is a row with
no status and the error's name as its outcome. Campaign crawls add the campaign and the worker.
Rows are written in batches (`pipelines.fetch_log.FetchLog`); the last batch when the spider closes.
`TISWATCH_FETCH_LOG_ENABLED = False` turns it off.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Request, Response

from pipelines.context import RunContext
from pipelines.fetch_log import DEFAULT_BATCH, DEFAULT_SECONDS, Fetch, FetchLog, outcome_of

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler


class FetchLogMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.context = RunContext.from_crawler(crawler)
        self.batch = settings.getint("TISWATCH_FETCH_LOG_BATCH", DEFAULT_BATCH)
        self.seconds = settings.getfloat("TISWATCH_FETCH_LOG_SECONDS", DEFAULT_SECONDS)
        self.campaign: str | None = settings.get("TISWATCH_CAMPAIGN_ID") or None
        self.worker: str | None = settings.get("TISWATCH_WORKER_ID") or None
        self.stats = crawler.stats
        self._log: FetchLog | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("TISWATCH_FETCH_LOG_ENABLED", True):
            raise NotConfigured("TISWATCH_FETCH_LOG_ENABLED is off")
        middleware = cls(crawler)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    @property
    def log(self) -> FetchLog:
        if self._log is None:  # the database is opened (and migrated) by the first fetch, not at import
            self._log = FetchLog(self.context.store.engine, self.batch, self.seconds)
        return self._log

    def _add(self, request: Request, **values: Any) -> None:
        latency = request.meta.get("download_latency")
        self.log.add(
            Fetch(
                fetched_at=datetime.now(UTC),
                url=request.url if "url" not in values else values.pop("url"),
                duration_ms=None if latency is None else round(float(latency) * 1000),
                run_id=self.context.run_id,
                campaign=self.campaign,
                worker=self.worker,
                **values,
            )
        )
        if self.stats is not None:
            self.stats.inc_value("tiswatch_fetch_log/rows")

    def process_response(self, request: Request, response: Response) -> Response:
        body = response.body
        self._add(
            request,
            url=response.url,
            status=response.status,
            size=len(body),
            sha256=hashlib.sha256(body).hexdigest(),
            outcome=outcome_of(response.status),
        )
        return response

    def process_exception(self, request: Request, exception: BaseException) -> None:
        if isinstance(exception, IgnoreRequest):
            return None  # not sent (a site backed off, robots.txt): no fetch to log
        self._add(request, status=None, size=0, sha256=None, outcome=type(exception).__name__[:100])
        return None

    def spider_closed(self, spider: Any) -> None:
        if self._log is not None:
            self._log.flush()
