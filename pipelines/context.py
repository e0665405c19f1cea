"""What the tiswatch pipelines of one crawl share: settings read once, the database, the registry,
the run being recorded, the evidence store, and the verdicts travelling from match to store.

`RunContext.from_crawler(crawler)` returns one instance per crawler, so the pipelines (built one by one
by Scrapy) and the evidence middleware work on the same run.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from matchers.verdict import Verdict
from pipelines.evidence import EvidenceStore
from pipelines.registry_source import LoadedRegistry, load_registry
from pipelines.store.history import HistoryStore
from pipelines.store.models import FINISHED
from standards_data.database import make_engine

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.spiders import Spider

logger = logging.getLogger(__name__)

_CRAWLER_ATTRIBUTE = "_tiswatch_run_context"
# Spider attributes that are Scrapy's or the class's own, not arguments given with `-a`.
_NOT_ARGUMENTS = frozenset(
    {"name", "crawler", "settings", "start_urls", "allowed_domains", "custom_settings", "state"}
)
# Runs exported together: every run of this process that writes to the same out dir (`crawl --all`,
# `demo`), so the last spider to close writes an export covering all of them.
_RUNS_BY_OUT_DIR: dict[str, list[int]] = {}


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
    pending_verdicts: dict[tuple[str, str], Verdict | None] = field(default_factory=dict)
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
    def evidence(self) -> EvidenceStore:
        return EvidenceStore.from_crawler(self.crawler)

    def start(self) -> int:
        """Open (or, from the same JOBDIR, resume) the run of this crawl."""
        if self.run_id is None:
            spider = self.crawler.spider
            assert spider is not None
            self.run_id = self.store.start_run(
                spider.name, spider_arguments(spider), self.registry.ref, job_dir=self.job_dir
            )
            _RUNS_BY_OUT_DIR.setdefault(str(self.out_dir.resolve()), []).append(self.run_id)
            # Outside the `tiswatch/` counters, which a resumed crawl adds onto its previous values.
            self.crawler.stats.set_value("tiswatch_run_id", self.run_id)
            logger.info("tiswatch: recording run %d in %s", self.run_id, self.store.engine.url)
        return self.run_id

    def finish(self, status: str = FINISHED) -> dict[str, Any]:
        """Close the run once (later calls return the same summary)."""
        if self.external_run:
            return {"run_id": self.run_id}
        if self.summary is None:
            run_id = self.start()
            stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
            self.summary = self.store.finish_run(run_id, stats, status=status)
        return self.summary

    def runs_to_export(self) -> list[int]:
        return list(_RUNS_BY_OUT_DIR.get(str(self.out_dir.resolve()), [self.start()]))
