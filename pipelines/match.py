"""Judge each listing against the registry of TISI licences with the project's matcher."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter

from matchers.matcher import Matcher
from matchers.verdict import FLAGGED_VERDICTS, Verdict
from pipelines.context import RunContext

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class MatchPipeline:
    """Gives every listing a verdict (ARCHITECTURE.md) and hands it to the store pipeline.

    The registry is the newest version imported into the database (`TISWATCH_DB_URL`), else the CSV of
    `TISWATCH_REGISTRY_CSV`, else the bundled sample registry. A listing the matcher fails on is logged
    with its URL, counted (`tiswatch/match/errors`) and still stored, without a verdict.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.context = RunContext.from_crawler(crawler)
        self.matcher: Matcher | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> MatchPipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        from matchers.stored_vocabulary import current_vocabulary

        # The newest vocabulary an officer imported (`tiswatch registry vocabulary import`), else the bundled.
        vocabulary = current_vocabulary(self.context.store.engine)
        self.matcher = Matcher(self.context.registry.licences, vocabulary)

    def process_item(self, item: Any) -> Any:
        stats = self.crawler.stats
        assert stats is not None
        if self.matcher is None:
            self.open_spider()
        assert self.matcher is not None
        listing = ItemAdapter(item).asdict()
        verdict: Verdict | None
        try:
            verdict = self.matcher.judge(listing)
        except Exception:
            # One listing the matcher cannot handle must not stop the crawl nor lose the listing.
            logger.exception("tiswatch: matching failed for listing %s", listing.get("url"))
            stats.inc_value("tiswatch/match/errors")
            verdict = None
        else:
            stats.inc_value(f"tiswatch/verdict/{verdict.verdict}")
            if verdict.verdict in FLAGGED_VERDICTS:
                stats.inc_value("tiswatch/flagged")
        self.context.pending_verdicts[(str(listing.get("platform")), str(listing.get("listing_id")))] = (
            verdict
        )
        return item
