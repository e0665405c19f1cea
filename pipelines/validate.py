"""Clean and validate each crawled listing before it is matched and stored."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from pipelines.cleaning import DEFAULT_MAX_PRICE, clean_listing
from pipelines.context import count_lost

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class ValidateListingPipeline:
    """Normalises whitespace, prices, counts and brands in place; drops listings that lack a required
    field (platform, listing_id, url, title), counted per field in the crawl stats and logged with
    the URL they came from. Unusable values (price 0 or absurd) are set to None and counted, and the
    listing is kept: no good data is lost for one bad field.

    Settings: `TISWATCH_MAX_PRICE` (THB, default 10,000,000).
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.max_price = crawler.settings.getfloat("TISWATCH_MAX_PRICE", DEFAULT_MAX_PRICE)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidateListingPipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        stats = self.crawler.stats
        assert stats is not None
        adapter = ItemAdapter(item)
        result = clean_listing(adapter.asdict(), max_price=self.max_price)
        where = result.listing.get("url") or result.listing.get("source_url") or "(no url)"
        if result.missing:
            stats.inc_value("tiswatch/validate/dropped")
            # A listing seen but lost: its scope (and the run) is incomplete.
            count_lost(stats, "dropped", str(adapter.get("scope") or ""))
            for name in result.missing:
                stats.inc_value(f"tiswatch/validate/dropped/missing_{name}")
            raise DropItem(f"listing from {where} lacks {', '.join(result.missing)}")
        for problem in result.problems:
            stats.inc_value(f"tiswatch/validate/{problem}")
            logger.warning("tiswatch: %s in listing %s", problem.replace("_", " "), where)
        # A dict item takes every cleaned key; a Listing dataclass only its declared fields.
        writable = None if isinstance(item, dict) else set(adapter.field_names())
        for name, value in result.listing.items():
            if name in ("verdict", "scope"):
                continue
            if writable is None or name in writable:
                adapter[name] = value
        stats.inc_value("tiswatch/validate/passed")
        return item
