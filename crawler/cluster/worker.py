"""`tiswatch worker`: take work from the shared campaign queues until told to stop.

One process, one reactor: for the oldest active campaign that has work in the plans this worker
takes (`--sites`), one crawler per plan runs side by side, fed from the plan's queue; when the
campaign is drained the crawlers close and the worker looks for the next campaign. With
`until_idle` it returns once no campaign has work left, including work a dead worker held (reclaimed
once that worker's heartbeat has expired). A heartbeat key with a time to live says the worker is
alive; SIGTERM / Ctrl-C stop the crawlers cleanly, handing unfinished requests back to the queue.

A worker given an out folder (`--out DIR`) finishes every campaign it sees drained (nothing queued,
nothing held by a live or dead worker): `crawler.cluster.coordinator.finish_campaign`, in a thread so
the heartbeat goes on, exporting to DIR/<campaign id>. The campaign's `finishing` key makes that
happen once for the whole fleet; the other workers then find it finished. With `until_idle` such a
worker stays until no active campaign has work in any plan, so that it is there to finish it.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import os
import signal
import socket
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import redis
from scrapy.crawler import AsyncCrawlerProcess, Crawler
from scrapy.settings import Settings
from scrapy.spiderloader import get_spider_loader
from scrapy.utils.defer import deferred_from_coro

from crawler.cluster import campaign as campaigns
from crawler.cluster import keys
from crawler.cluster.alerts import AlertSettings
from crawler.cluster.coordinator import CampaignAlreadyFinished, CampaignBusy, finish_campaign
from crawler.cluster.crawl_settings import plan_crawl_settings, worker_spider_class
from crawler.cluster.monitors import MonitorSettingsError, check_monitor_settings
from crawler.cluster.queue import reclaim_dead

logger = logging.getLogger(__name__)


@dataclass
class WorkerOptions:
    redis_url: str
    db_url: str
    sites: Sequence[str] = ()
    until_idle: bool = False
    heartbeat_seconds: float = 30.0
    """The heartbeat's time to live: after this long without one, the worker counts as dead."""
    poll_seconds: float = 1.0
    worker_id: str = ""
    out_dir: str | Path | None = None
    """Finish drained campaigns, exporting to `out_dir/<campaign id>`; None: leave it to `campaign finish`."""


@dataclass
class WorkerReport:
    worker_id: str
    campaigns: list[str] = field(default_factory=list)
    finished: list[str] = field(default_factory=list)
    """Campaigns this worker finished (it saw them drained first)."""
    stopped: bool = False
    errors: list[str] = field(default_factory=list)


def new_worker_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


def reclaim_all(server: redis.Redis, campaign: campaigns.Campaign) -> int:
    return sum(reclaim_dead(server, campaign.id, plan.name) for plan in campaign.plans)


def next_campaign(
    server: redis.Redis, sites: Sequence[str]
) -> tuple[campaigns.Campaign, list[campaigns.CampaignPlan]] | None:
    """The oldest active campaign with work in this worker's plans (reclaiming dead workers' first)."""
    for campaign in campaigns.active_campaigns(server):
        plans = campaign.plans_for(sites)
        for plan in plans:
            reclaim_dead(server, campaign.id, plan.name)
        busy = [plan for plan in plans if any(campaigns.plan_backlog(server, campaign.id, plan.name))]
        if busy:
            return campaign, busy
    return None


def campaign_settings(base: Settings, campaign: campaigns.Campaign) -> Settings:
    """The worker's settings with the campaign's own (`campaign start -s`) over them."""
    settings = base.copy()
    settings.update(campaign.settings, priority="cmdline")
    return settings


def run_worker(options: WorkerOptions, base: Settings) -> WorkerReport:
    # Workers run the monitors unless a campaign turns them off: a missing setting stops it here, named.
    check_monitor_settings(base, enabled=True)
    if options.out_dir is not None:
        AlertSettings.from_settings(base)  # a finisher's half-configured alert fails now, not when drained
    server = redis.Redis.from_url(options.redis_url)
    server.ping()
    report = WorkerReport(options.worker_id or new_worker_id())
    process = AsyncCrawlerProcess(base)
    loader = get_spider_loader(base)

    def beat() -> None:
        server.set(keys.alive(report.worker_id), "1", px=int(options.heartbeat_seconds * 1000))

    async def heartbeat() -> None:
        while True:
            beat()
            await asyncio.sleep(max(options.heartbeat_seconds / 3, 0.2))

    failed_to_finish: set[str] = set()

    async def finish_drained() -> None:
        """Finish the active campaigns that are drained (once each: see the module docstring)."""
        assert options.out_dir is not None
        for campaign in campaigns.active_campaigns(server):
            if campaign.id in failed_to_finish or server.exists(keys.finishing(campaign.id)):
                continue
            reclaim_all(server, campaign)
            if campaigns.has_work(server, campaign):
                continue
            out = Path(options.out_dir) / campaign.id
            try:
                result = await asyncio.to_thread(
                    finish_campaign,
                    options.redis_url,
                    options.db_url,
                    out,
                    campaign_settings(base, campaign),
                    campaign.id,
                    False,
                    report.worker_id,
                )
            except (CampaignAlreadyFinished, CampaignBusy) as other:
                logger.info("Worker %s: %s", report.worker_id, other)  # another finisher, or new work
                continue
            except Exception as error:  # the database, the out folder: named, and not tried again
                failed_to_finish.add(campaign.id)
                report.errors.append(f"finishing campaign {campaign.id}: {type(error).__name__}: {error}")
                logger.error(
                    "Worker %s: finishing campaign %s failed: %s", report.worker_id, campaign.id, error
                )
                continue
            report.finished.append(campaign.id)
            logger.info(
                "Worker %s finished campaign %s: %s; export in %s%s",
                report.worker_id,
                campaign.id,
                result.summary.get("status", "?").upper(),
                out,
                f"; alerts sent: {', '.join(result.alerts)}" if result.alerts else "",
            )

    def fleet_has_work() -> bool:
        return any(campaigns.has_work(server, campaign) for campaign in campaigns.active_campaigns(server))

    async def main() -> None:
        beating = asyncio.ensure_future(heartbeat())
        try:
            beat()
            if options.out_dir is not None:
                server.hset(keys.FINISHERS, report.worker_id, str(Path(options.out_dir).resolve()))
            while not report.stopped:
                if options.out_dir is not None:
                    await finish_drained()
                found = next_campaign(server, options.sites)
                if found is None:
                    # A finisher stays while other workers drain a campaign, to finish it.
                    if options.until_idle and (options.out_dir is None or not fleet_has_work()):
                        logger.info("Worker %s: no campaign has work left; exiting", report.worker_id)
                        break
                    await asyncio.sleep(options.poll_seconds)
                    continue
                campaign, plans = found
                await crawl_campaign(campaign, plans)
        finally:
            beating.cancel()
            server.hdel(keys.FINISHERS, report.worker_id)
            server.delete(keys.alive(report.worker_id))
            from twisted.internet import reactor

            if reactor.running:
                cast(Any, reactor).callLater(0, cast(Any, reactor).stop)

    async def crawl_campaign(campaign: campaigns.Campaign, plans: list[campaigns.CampaignPlan]) -> None:
        logger.info(
            "Worker %s joins campaign %s: plans %s",
            report.worker_id,
            campaign.id,
            ", ".join(plan.name for plan in plans),
        )
        server.sadd(keys.workers(campaign.id), report.worker_id)
        report.campaigns.append(campaign.id)
        crawlers: list[Crawler] = []
        tasks = []
        for plan in plans:
            settings = plan_crawl_settings(
                base, campaign, plan, options.redis_url, options.db_url, report.worker_id
            )
            try:
                check_monitor_settings(settings)
            except MonitorSettingsError as error:
                report.errors.append(f"campaign {campaign.id}: {error}")
                report.stopped = True
                return
            crawler = Crawler(worker_spider_class(loader.load(plan.spider)), settings)
            crawlers.append(crawler)
            tasks.append(process.crawl(crawler, **plan.arguments))
        results = await asyncio.gather(*tasks, return_exceptions=True)
        for plan, result in zip(plans, results, strict=True):
            if isinstance(result, BaseException):
                report.errors.append(f"{plan.name}: {type(result).__name__}: {result}")
                logger.error("Worker %s: plan %s failed: %s", report.worker_id, plan.name, result)
        for crawler in crawlers:
            reason = crawler.stats.get_value("finish_reason") if crawler.stats else None
            if reason not in (None, "finished"):
                report.stopped = True  # Ctrl-C / SIGTERM: the crawlers stopped, so does the worker
        if report.errors:
            report.stopped = True

    from twisted.internet import reactor

    def on_signal(signum: int, frame: Any) -> None:
        if report.stopped:
            logger.warning("Worker %s: second signal, stopping now", report.worker_id)
            reactor.callFromThread(cast(Any, reactor).stop)
            return
        logger.info("Worker %s: stopping (signal %d); unfinished requests go back", report.worker_id, signum)
        report.stopped = True
        reactor.callFromThread(lambda: deferred_from_coro(_stop(process)))

    reactor.callWhenRunning(lambda: deferred_from_coro(main()))
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    process.start(stop_after_crawl=False, install_signal_handlers=False)
    return report


async def _stop(process: AsyncCrawlerProcess) -> None:
    result = process.stop()
    if inspect.isawaitable(result):
        await result
