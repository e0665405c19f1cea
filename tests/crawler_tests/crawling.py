"""Run a spider in-process (pytest-twisted's asyncio reactor) and collect what it yielded and counted."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.settings import Settings

from crawler.coverage import build_summary
from crawler.items import Listing
from crawler.runner import project_settings


def local_settings(out_dir: Path, **overrides: Any) -> Settings:
    """Project settings with politeness delays off (a local server) and, by default, no pipelines."""
    values: dict[str, Any] = {
        "DOWNLOAD_DELAY": 0,
        "DOWNLOAD_DELAY_JITTER": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "RETRY_TIMES": 1,
        "ITEM_PIPELINES": {},
        "TISWATCH_OUT_DIR": str(out_dir),
        "TISWATCH_DB_URL": f"sqlite:///{out_dir / 'tiswatch.sqlite'}",
        "LOG_LEVEL": "DEBUG",
    }
    values.update(overrides)
    return project_settings(values)


@dataclass
class CrawlResult:
    items: list[Listing] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)

    def ids(self) -> list[str]:
        return [item.listing_id for item in self.items]

    def by_id(self) -> dict[str, Listing]:
        return {item.listing_id: item for item in self.items}


class _Collector:
    def __init__(self) -> None:
        self.items: list[Listing] = []

    def item_scraped(self, item: Listing, **_: Any) -> None:
        self.items.append(item)


async def run_spider(spidercls: type, settings: Settings, **arguments: Any) -> CrawlResult:
    crawler = Crawler(spidercls, settings)
    collector = _Collector()  # kept referenced: Scrapy's signals hold receivers weakly
    crawler.signals.connect(collector.item_scraped, signal=signals.item_scraped)
    await crawler.crawl_async(**arguments)
    stats = dict(crawler.stats.get_stats())
    summary = build_summary(stats, spidercls.name, arguments)
    return CrawlResult(collector.items, stats, summary)
