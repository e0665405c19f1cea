"""What the tiswatch pipelines of one crawl share: settings read once, the database, the registry,
the run being recorded and the evidence store. (A listing's verdict and scope travel on the item.)

`RunContext.from_crawler(crawler)` returns one instance per crawler, so the pipelines (built one by one
by Scrapy) and the evidence middleware work on the same run.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipelines.evidence import DatabaseEvidenceStore, EvidenceStore
from pipelines.registry_source import LoadedRegistry, load_registry
from pipelines.store.history import HistoryStore, ScopeCoverage
from pipelines.store.models import COMPLETE
from standards_data.database import make_engine

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.spiders import Spider
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)

_CRAWLER_ATTRIBUTE = "_tiswatch_run_context"
# Spider attributes that are Scrapy's or the class's own, not arguments given with `-a`.
_NOT_ARGUMENTS = frozenset(
    {"name", "crawler", "settings", "start_urls", "allowed_domains", "custom_settings", "state"}
)
# Coverage counters the pipelines add to the spiders' (`crawler.coverage` reads them by these names):
# a listing lost between the page and the database leaves its scope incomplete.
LOST_COUNTS = ("dropped", "store_errors", "unjudged")


def count_lost(stats: StatsCollector, what: str, scope: str | None) -> None:
    """Count a listing lost on its way to the database, in total and for its scope."""
    stats.inc_value(f"tiswatch/{what}")
    if scope:
        stats.inc_value(f"tiswatch/query/{scope}/{what}")


def spider_arguments(spider: Spider) -> dict[str, Any]:
    """The spider's `-a` arguments: instance attributes of plain types set at construction."""
    explicit = getattr(spider, "tiswatch_arguments", None)
    if isinstance(explicit, dict):
        return dict(explicit)
    return {
        key: value
        for key, value in vars(spider).items()
        if not key.startswith("_")
        and key not in _NOT_ARGUMENTS
        and isinstance(value, str | int | float | bool)
    }


@dataclass
class RunContext:
    crawler: Crawler
    db_url: str
    registry_csv: str
    out_dir: Path
    job_dir: str | None
    batch: str = ""
    """`TISWATCH_RUN_BATCH`: runs started together (one `crawl --all`) are exported together."""
    run_id: int | None = None
    external_run: bool = False
    """True when the run belongs to a campaign (`TISWATCH_RUN_ID`): many crawlers write to it, and
    the coordinator, not the crawler, finishes it."""
    summary: dict[str, Any] | None = None
    _store: HistoryStore | None = None
    _registry: LoadedRegistry | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunContext:
        context = getattr(crawler, _CRAWLER_ATTRIBUTE, None)
        if context is None:
            settings = crawler.settings
            context = cls(
                crawler=crawler,
                db_url=settings.get("TISWATCH_DB_URL") or "sqlite:///data/tiswatch.sqlite",
                registry_csv=settings.get("TISWATCH_REGISTRY_CSV") or "",
                out_dir=Path(settings.get("TISWATCH_OUT_DIR") or "out"),
                job_dir=settings.get("JOBDIR") or None,
                batch=settings.get("TISWATCH_RUN_BATCH") or "",
            )
            campaign_run = settings.getint("TISWATCH_RUN_ID", 0)
            if campaign_run:
                context.run_id = campaign_run
                context.external_run = True
                crawler.stats.set_value("tiswatch_run_id", campaign_run)
            setattr(crawler, _CRAWLER_ATTRIBUTE, context)
        return context

    @property
    def store(self) -> HistoryStore:
        if self._store is None:
            self._store = HistoryStore(make_engine(self.db_url))
            self._store.ensure_schema()
        return self._store

    @property
    def registry(self) -> LoadedRegistry:
        if self._registry is None:
            self._registry = load_registry(self.store.engine, self.registry_csv or None)
            logger.info(
                "tiswatch: matching against %s (%d licences)",
                self._registry.ref.source,
                len(self._registry.licences),
            )
        return self._registry

    @property
    def evidence(self) -> EvidenceStore | DatabaseEvidenceStore:
        return EvidenceStore.from_crawler(self.crawler)

    def start(self) -> int:
        """Open (or, from the same JOBDIR, resume) the run of this crawl."""
        if self.run_id is None:
            spider = self.crawler.spider
            assert spider is not None
            self.run_id = self.store.start_run(
                spider.name,
                spider_arguments(spider),
                self.registry.ref,
                job_dir=self.job_dir,
                batch=self.batch,
            )
            # Outside the `tiswatch/` counters, which a resumed crawl adds onto its previous values.
            self.crawler.stats.set_value("tiswatch_run_id", self.run_id)
            logger.info("tiswatch: recording run %d in %s", self.run_id, self.store.engine.url)
        return self.run_id

    def finish(
        self,
        status: str = COMPLETE,
        finish_reason: str | None = None,
        scopes: Mapping[str, ScopeCoverage] | None = None,
    ) -> dict[str, Any]:
        """Close the run once with its status and coverage (later calls return the same summary)."""
        if self.external_run:
            return {"run_id": self.run_id}
        if self.summary is None:
            run_id = self.start()
            stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
            self.summary = self.store.finish_run(
                run_id, stats, status=status, finish_reason=finish_reason, scopes=scopes
            )
        return self.summary

    def runs_to_export(self) -> list[int]:
        """This run and the runs started with it (`TISWATCH_RUN_BATCH`): one export covers them all."""
        return self.store.batch_runs(self.batch) or [self.start()]
