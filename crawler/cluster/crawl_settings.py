"""The Scrapy settings of one campaign plan's crawler, on a worker or in the coordinator's seeding."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from scrapy.http import Request
from scrapy.settings import Settings

from crawler.cluster import keys
from crawler.cluster.campaign import Campaign, CampaignPlan

EXTENSION = "crawler.cluster.extension.CampaignWorkerExtension"
POLITENESS = "crawler.cluster.politeness.FleetPolitenessMiddleware"
SPIDERMON = "spidermon.contrib.scrapy.extensions.Spidermon"
MONITOR_SUITE = "crawler.cluster.monitors.WorkerCloseSuite"
# Closes a single crawl's run and writes its export; a campaign's run is closed once, by `campaign finish`.
RUN_CLOSER = "crawler.extensions.RunCloser"


def plan_crawl_settings(
    base: Settings,
    campaign: Campaign,
    plan: CampaignPlan,
    redis_url: str,
    db_url: str,
    worker_id: str,
    *,
    seeding: bool = False,
) -> Settings:
    settings = base.copy()
    settings.update(campaign.settings, priority="cmdline")
    settings.setdict(
        {
            "SCHEDULER": "crawler.cluster.scheduler."
            + ("SeedingScheduler" if seeding else "CampaignScheduler"),
            "SCHEDULER_QUEUE_CLASS": "crawler.cluster.queue.ReliableQueue",
            "SCHEDULER_QUEUE_KEY": keys.queue(campaign.id, plan.name),
            "SCHEDULER_DUPEFILTER_KEY": keys.seen(campaign.id, plan.name),
            "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
            "SCHEDULER_PERSIST": True,
            "REDIS_URL": redis_url,
            "STATS_CLASS": "crawler.cluster.stats.CampaignStatsCollector",
            "TISWATCH_CAMPAIGN_ID": campaign.id,
            "TISWATCH_PLAN": plan.name,
            "TISWATCH_WORKER_ID": worker_id,
            "TISWATCH_RUN_ID": campaign.run_id,
            "TISWATCH_DB_URL": db_url,
            # The fleet's token bucket paces each site; a per-process delay would only add to it.
            "DOWNLOAD_DELAY": 0,
            "AUTOTHROTTLE_ENABLED": False,
            "JOBDIR": None,
            "FEEDS": {},
        },
        priority="cmdline",
    )
    pipelines = dict(settings.getdict("ITEM_PIPELINES"))
    if seeding:
        pipelines = {}
    settings.set("ITEM_PIPELINES", pipelines, priority="cmdline")
    extensions = dict(settings.getdict("EXTENSIONS"))
    extensions[RUN_CLOSER] = None  # one run close and one export, by `campaign finish`
    middlewares = dict(settings.getdict("DOWNLOADER_MIDDLEWARES"))
    if not seeding:
        extensions[EXTENSION] = 100
        middlewares[POLITENESS] = 950
        # Spidermon on each worker's stats, unless the campaign turns it off (`-s SPIDERMON_ENABLED=0`).
        if "SPIDERMON_ENABLED" not in campaign.settings:
            settings.set("SPIDERMON_ENABLED", True, priority="cmdline")
        extensions[SPIDERMON] = 500
        settings.set("SPIDERMON_SPIDER_CLOSE_MONITORS", [MONITOR_SUITE], priority="cmdline")
    settings.set("EXTENSIONS", extensions, priority="cmdline")
    settings.set("DOWNLOADER_MIDDLEWARES", middlewares, priority="cmdline")
    return settings


def worker_spider_class(spidercls: type[Any]) -> type[Any]:
    """The spider as a worker runs it: `start()` records the plan (coverage) but yields nothing, since
    the coordinator seeded the campaign queue with those requests."""

    class WorkerSpider(spidercls):
        async def start(self) -> AsyncIterator[Request]:
            async for _ in super().start():
                pass
            return
            yield  # an async generator, like the spider's own start()

    WorkerSpider.__name__ = WorkerSpider.__qualname__ = spidercls.__name__
    return WorkerSpider
