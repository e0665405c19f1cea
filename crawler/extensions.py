"""`RunCloser`: the Scrapy extension that closes a crawl's run in the history and writes its export.

On `spider_closed` (after the item pipelines closed, with Scrapy's finish reason), in this order:

1. the run's status and per-scope coverage are computed from the finish reason and the coverage
   counters (`crawler.coverage.build_summary`, the same function the console and `summary.json` use)
   and recorded (`HistoryStore.finish_run`), *before* anything is judged;
2. the run's summary (new / still flagged / gone, per scope) is computed from what was recorded;
3. the investigator's export is written for the spiders of this run and of every run started with
   it (`TISWATCH_RUN_BATCH`: one `crawl --all` or `demo` ends with one export), as `tiswatch export`
   shows them: per scope the newest complete coverage, so a blocked run never hides earlier flags.

Enabled when the store pipeline is (`pipelines.store.StorePipeline` in `ITEM_PIPELINES`).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy import signals
from scrapy.exceptions import NotConfigured

from crawler.coverage import build_summary
from pipelines.context import RunContext, spider_arguments
from pipelines.exports import NothingToExport, UnimportedDecisions, write_exports
from pipelines.store.history import ScopeCoverage

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.spiders import Spider

logger = logging.getLogger(__name__)

STORE_PIPELINE = "pipelines.store.StorePipeline"


def store_enabled(crawler: Crawler) -> bool:
    return crawler.settings.getdict("ITEM_PIPELINES").get(STORE_PIPELINE) is not None


class RunCloser:
    """Closes the crawl's run (status and coverage first, then judging) and writes the export."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.context = RunContext.from_crawler(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunCloser:
        if not store_enabled(crawler):
            raise NotConfigured("the history store pipeline is off")
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_closed(self, spider: Spider, reason: str) -> None:
        stats = self.crawler.stats
        assert stats is not None
        coverage = build_summary(
            stats.get_stats(), spider.name, spider_arguments(spider), finish_reason=reason
        )
        scopes = {
            scope: ScopeCoverage(counts["status"], {k: v for k, v in counts.items() if k != "status"})
            for scope, counts in coverage["keywords"].items()
        }
        summary = self.context.finish(coverage["status"], finish_reason=reason, scopes=scopes or None)
        store = self.context.store
        spiders = store.spiders_of(self.context.runs_to_export())
        try:
            result = write_exports(store, self.context.out_dir, spiders=spiders)
        except UnimportedDecisions as refused:
            # The run is stored; only the export waits until the investigator's sheet is imported.
            stats.set_value("tiswatch/export/refused_unimported_decisions", refused.count)
            logger.error("tiswatch: export not written: %s (then: tiswatch export --out …)", refused)
            return
        except NothingToExport as nothing:
            logger.warning("tiswatch: export not written: %s", nothing)
            return
        for stale in result.report.stale:
            logger.warning("tiswatch: not re-checked: %s", stale.describe())
        stats.set_value("tiswatch/export/flagged", len(result.report.flagged_rows))
        logger.info(
            "tiswatch: run %s %s: %d listings, %d flagged (%d new, %d still flagged, %d gone); wrote %s",
            summary["run_id"],
            summary["status"],
            summary["listings"],
            summary["flagged"],
            summary["new"],
            summary["still_flagged"],
            summary["gone"],
            ", ".join(str(path) for path in result.paths),
        )
