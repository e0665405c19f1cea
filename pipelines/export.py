"""Write the investigator's export when the crawl closes."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from pipelines.context import RunContext
from pipelines.exports import UnimportedDecisions, write_exports

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class ExportPipeline:
    """At close: flagged.xlsx, flagged.csv, listings.jsonl and evidence/manifest.csv in
    `TISWATCH_OUT_DIR`, covering every run of this process that writes there (so `crawl --all` and
    `demo` end with one export of all their spiders), each marked against its previous run."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.context = RunContext.from_crawler(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExportPipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        return item

    def close_spider(self) -> None:
        stats = self.crawler.stats
        assert stats is not None
        summary = self.context.finish()
        try:
            result = write_exports(
                self.context.store, self.context.out_dir, run_ids=self.context.runs_to_export()
            )
        except UnimportedDecisions as refused:
            # The run is stored; only the export waits until the investigator's sheet is imported.
            stats.set_value("tiswatch/export/refused_unimported_decisions", refused.count)
            logger.error("tiswatch: export not written: %s (then: tiswatch export --out …)", refused)
            return
        stats.set_value("tiswatch/export/flagged", len(result.report.flagged_rows))
        logger.info(
            "tiswatch: run %s: %d listings, %d flagged (%d new, %d still flagged, %d gone); wrote %s",
            summary["run_id"],
            summary["listings"],
            summary["flagged"],
            summary["new"],
            summary["still_flagged"],
            summary["gone"],
            ", ".join(str(path) for path in result.paths),
        )
