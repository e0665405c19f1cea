"""Record each crawled listing, its verdict and its evidence in the history database."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from sqlalchemy.exc import SQLAlchemyError

from pipelines.context import RunContext, count_lost
from pipelines.store.history import EvidenceRef
from pipelines.store.types import parse_utc, utcnow

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class StorePipeline:
    """One transaction per listing (listing, observation, verdict, evidence): a crawl killed with
    `kill -9` keeps every listing stored before it, whole, and a rerun updates instead of duplicating.

    Opens the run when the spider opens (resuming it when the crawl resumes from the same `JOBDIR`).
    The run is closed by `crawler.extensions.RunCloser` on `spider_closed`, when Scrapy's finish reason
    is known. A listing that cannot be stored is logged, and counted (`store_errors`, in total and for
    its scope): its scope, and so the run, is then incomplete.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.context = RunContext.from_crawler(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        self.context.start()

    def process_item(self, item: Any) -> Any:
        stats = self.crawler.stats
        assert stats is not None
        adapter = ItemAdapter(item)
        # The verdict (set by the match pipeline) and the scope travel on the item, not in the record.
        verdict = adapter.get("verdict")
        listing = {key: value for key, value in adapter.asdict().items() if key not in ("verdict", "scope")}
        scope = str(adapter.get("scope") or "")
        try:
            self.context.store.record_observation(
                self.context.start(),
                listing,
                verdict,
                self.context.registry.ref,
                self._evidence(listing),
                scope=scope,
            )
        except SQLAlchemyError as error:
            logger.error(
                "tiswatch: could not store listing %s (scope %r): %s",
                listing.get("url"),
                scope,
                str(error).splitlines()[0],
            )
            count_lost(stats, "store_errors", scope)
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
                    path=evidence.reference(sha256),
                )
        return None
