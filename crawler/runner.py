"""Run crawls in this process with the project's settings, and report their coverage.

`run_crawls(plans, settings)` runs one or more spiders one after another in a single reactor (the
CLI's `tiswatch crawl`, `tiswatch crawl --all` and `tiswatch demo` all go through it) and returns each
crawl's coverage summary (`crawler.coverage.build_summary`). A first Ctrl-C / SIGTERM stops the
running crawl cleanly (its JOBDIR, if any, keeps the queue for a resume) and skips the plans not yet
started; a second one forces the stop.
"""

from __future__ import annotations

import contextlib
import json
import logging
import shutil
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from scrapy.crawler import AsyncCrawlerProcess, Crawler
from scrapy.settings import Settings
from scrapy.spiderloader import get_spider_loader
from scrapy.utils.defer import deferred_from_coro

from crawler.coverage import COUNTS, build_summary

logger = logging.getLogger(__name__)

STORE_PIPELINE = "pipelines.store.StorePipeline"
LISTINGS_FILE = "listings.jsonl"
SUMMARY_FILE = "summary.json"


@dataclass
class CrawlPlan:
    """One spider run: which spider, its `-a` arguments, and a name for its JOBDIR and summary."""

    spider: str
    arguments: dict[str, str] = field(default_factory=dict)
    name: str = ""

    def __post_init__(self) -> None:
        self.name = self.name or self.spider
        self.arguments = {str(key): str(value) for key, value in self.arguments.items()}


@dataclass
class CrawlOutcome:
    plan: CrawlPlan
    summary: dict[str, Any]
    stats: dict[str, Any]
    error: str | None = None
    """Why the crawl could not run at all (bad spider argument, unknown spider), else None."""

    @property
    def ok(self) -> bool:
        return self.error is None and self.summary.get("status") == "complete"


def project_settings(overrides: Mapping[str, Any] | None = None) -> Settings:
    """The project's settings (crawler/settings.py, whatever the working directory) plus overrides."""
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    if overrides:
        settings.update(dict(overrides), priority="cmdline")
    return settings


def export_enabled(settings: Settings) -> bool:
    """The store pipeline records runs, and with it `crawler.extensions.RunCloser` writes the export."""
    pipelines = settings.getdict("ITEM_PIPELINES")
    return pipelines.get(STORE_PIPELINE) is not None


def plan_settings(
    base: Settings,
    out_dir: Path,
    job_dir: Path | None = None,
    append_listings: bool = False,
    batch: str = "",
) -> Settings:
    """Settings of one crawl: its output folder, JOBDIR, batch, and a listings feed when nothing exports."""
    settings = base.copy()
    settings.set("TISWATCH_OUT_DIR", str(out_dir), priority="cmdline")
    if batch:
        settings.set("TISWATCH_RUN_BATCH", batch, priority="cmdline")
    if job_dir is not None:
        settings.set("JOBDIR", str(job_dir), priority="cmdline")
    if not export_enabled(settings):
        # Without the export pipeline (which writes listings.jsonl with verdicts), write the items raw.
        feed = {"format": "jsonlines", "encoding": "utf-8", "overwrite": not append_listings}
        settings.set("FEEDS", {str(out_dir / LISTINGS_FILE): feed}, priority="cmdline")
    return settings


def run_crawls(
    plans: Sequence[CrawlPlan],
    settings: Settings,
    out_dir: Path,
    job_dirs: Mapping[str, Path] | None = None,
) -> list[CrawlOutcome]:
    """Run the plans one after another in this process (starts and stops the reactor: once only)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    job_dirs = dict(job_dirs or {})
    # The runs of this call are one batch: each spider's close exports all of the batch's spiders.
    batch = uuid.uuid4().hex
    process = AsyncCrawlerProcess(settings)
    loader = get_spider_loader(settings)
    started: list[tuple[CrawlPlan, Crawler | None, str | None]] = []

    async def run_all() -> None:
        try:
            for index, plan in enumerate(plans):
                if started and _interrupted(started[-1][1]):
                    logger.warning("Crawl stopped: not starting %s", ", ".join(p.name for p in plans[index:]))
                    break
                try:
                    spidercls = loader.load(plan.spider)
                except KeyError:
                    known = ", ".join(sorted(loader.list()))
                    started.append((plan, None, f"unknown spider {plan.spider!r} (known: {known})"))
                    continue
                crawl_settings = plan_settings(
                    settings, out_dir, job_dirs.get(plan.name), append_listings=index > 0, batch=batch
                )
                crawler = Crawler(spidercls, crawl_settings)
                try:
                    await process.crawl(crawler, **plan.arguments)
                except Exception as error:  # a spider that cannot start: bad arguments, bad settings
                    logger.error("Crawl %s could not run: %s", plan.name, error)
                    started.append((plan, crawler, f"{type(error).__name__}: {error}"))
                    continue
                started.append((plan, crawler, None))
        finally:
            from twisted.internet import reactor

            if reactor.running:
                cast(Any, reactor).callLater(0, _stop_reactor)  # twisted's stubs type the module oddly

    from twisted.internet import reactor

    reactor.callWhenRunning(lambda: deferred_from_coro(run_all()))
    process.start(stop_after_crawl=False)

    outcomes = []
    for plan, crawler, error in started:
        stats = _stats_of(crawler)
        summary = build_summary(stats, plan.spider, plan.arguments)
        summary["name"] = plan.name
        if error is not None:
            summary["status"] = "error"
            summary["error"] = error
        outcomes.append(CrawlOutcome(plan, summary, stats, error))
        job_dir = job_dirs.get(plan.name)
        if job_dir is not None and error is None and summary.get("finish_reason") == "finished":
            # A finished crawl must not leave its seen-requests behind: the next run would skip them all.
            shutil.rmtree(job_dir, ignore_errors=True)
    return outcomes


def _stats_of(crawler: Crawler | None) -> dict[str, Any]:
    """A crawler's final stats; empty when it never started (Scrapy sets `stats` at crawl start)."""
    if crawler is None:
        return {}
    try:
        stats = crawler.stats
    except RuntimeError:
        return {}
    return dict(stats.get_stats()) if stats is not None else {}


def _interrupted(crawler: Crawler | None) -> bool:
    reason = _stats_of(crawler).get("finish_reason")
    return reason is not None and reason != "finished"


def _stop_reactor() -> None:
    from twisted.internet import reactor
    from twisted.internet.error import ReactorNotRunning

    # After Ctrl-C/SIGTERM Scrapy's own handler has already asked the reactor to stop, and
    # `reactor.running` stays True until it has: a second stop() raises ReactorNotRunning, which
    # Twisted logs as a CRITICAL traceback (and cron mails). Stopping twice means nothing more.
    with contextlib.suppress(ReactorNotRunning):
        cast(Any, reactor).stop()


def write_summary(path: Path, summary: Mapping[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(path.suffix + ".tmp")
    temporary.write_text(
        json.dumps(summary, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8"
    )
    temporary.replace(path)
    return path


def combine_summaries(outcomes: Sequence[CrawlOutcome]) -> dict[str, Any]:
    """One summary for several crawls (`crawl --all`, `demo`): totals, and each crawl's own summary."""
    # Every coverage count but `duplicates`, which only means something within one crawl.
    totals = tuple(count for count in COUNTS if count != "duplicates")
    statuses = [outcome.summary.get("status") for outcome in outcomes]
    if not outcomes:
        status = "error"
    elif all(s == "complete" for s in statuses):
        status = "complete"
    else:
        worst = ("error", "blocked", "failed", "interrupted", "incomplete")
        status = next((s for s in worst if s in statuses), "incomplete")
    verdicts: dict[str, int] = {}
    for outcome in outcomes:
        for verdict, count in outcome.summary.get("verdicts", {}).items():
            verdicts[verdict] = verdicts.get(verdict, 0) + count
    durations = [o.summary.get("duration_seconds") or 0.0 for o in outcomes]
    return {
        "status": status,
        **{name: sum(int(o.summary.get(name, 0) or 0) for o in outcomes) for name in totals},
        "flagged": sum(int(o.summary.get("flagged", 0) or 0) for o in outcomes),
        "verdicts": verdicts,
        "duration_seconds": round(sum(durations), 2),
        "crawls": {outcome.plan.name: outcome.summary for outcome in outcomes},
    }
