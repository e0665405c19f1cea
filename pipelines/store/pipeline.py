"""Record each crawled listing, its verdict and its evidence in the history database."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy import signals
from sqlalchemy.exc import SQLAlchemyError

from pipelines.context import RunContext
from pipelines.store.history import EvidenceRef
from pipelines.store.models import FINISHED
from pipelines.store.types import parse_utc, utcnow

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.spiders import Spider

logger = logging.getLogger(__name__)


class StorePipeline:
    """One transaction per listing (listing, observation, verdict, evidence): a crawl killed with
    `kill -9` keeps every listing stored before it, whole, and a rerun updates instead of duplicating.

    Opens the run when the spider opens (resuming it when the crawl resumes from the same `JOBDIR`),
    closes it with the crawl's stats and summary, and records Scrapy's close reason as its status.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.context = RunContext.from_crawler(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self) -> None:
        self.context.start()

    def process_item(self, item: Any) -> Any:
        stats = self.crawler.stats
        assert stats is not None
        listing = ItemAdapter(item).asdict()
        key = (str(listing.get("platform")), str(listing.get("listing_id")))
        verdict = self.context.pending_verdicts.pop(key, None)
        try:
            self.context.store.record_observation(
                self.context.start(), listing, verdict, self.context.registry.ref, self._evidence(listing)
            )
        except SQLAlchemyError:
            logger.exception("tiswatch: could not store listing %s", listing.get("url"))
            stats.inc_value("tiswatch/store/errors")
            return item
        stats.inc_value("tiswatch/store/stored")
        return item

    def _evidence(self, listing: dict[str, Any]) -> EvidenceRef | None:
        evidence = self.context.evidence
        for url in (listing.get("source_url"), listing.get("url")):
            if not url:
                continue
            found = evidence.lookup(url)
            if found is not None:
                sha256, fetched_at = found
                return EvidenceRef(
                    sha256=sha256,
                    url=url,
                    fetched_at=parse_utc(fetched_at) or utcnow(),
                    path=str(evidence.path_for(sha256).resolve()),
                )
        return None

    def close_spider(self) -> None:
        self.context.finish()

    def spider_closed(self, spider: Spider, reason: str) -> None:
        # Runs after the pipelines closed: a crawl stopped early (Ctrl-C, CLOSESPIDER_*) is not a clean
        # baseline for the next run's "gone" marks.
        if reason != FINISHED and self.context.run_id is not None and not self.context.external_run:
            self.context.store.set_run_status(self.context.run_id, reason)
