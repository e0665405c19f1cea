"""What each worker crawler adds: idle workers wait while the campaign has work, finished requests
are acknowledged, a dead worker's requests are reclaimed.

Scrapy 2.19 has no signal for "this request's callback and its items are done"; the engine's
`_remove_request` is called exactly then (after the scraper has run the callback or errback and the
item pipelines), so the extension wraps it, and checks at start that it is there: a Scrapy upgrade
that removes it fails the worker loudly rather than losing the guarantee quietly. The same goes for
the engine's `nextcall`, which an idle worker pokes when requests show up in the shared queue
(otherwise the engine looks only every 5 s).
"""

from __future__ import annotations

import logging
from typing import Any

import redis
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Request
from twisted.internet.task import LoopingCall

from crawler.cluster import campaign as campaigns
from crawler.cluster.queue import reclaim_dead
from crawler.cluster.scheduler import SCHEDULER_ATTRIBUTE, CampaignScheduler

logger = logging.getLogger(__name__)


class EngineHookMissing(RuntimeError):
    pass


class CampaignWorkerExtension:
    def __init__(self, crawler: Any) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.server = redis.Redis.from_url(settings.get("REDIS_URL"))
        self.campaign_id: str = settings.get("TISWATCH_CAMPAIGN_ID")
        self.plan: str = settings.get("TISWATCH_PLAN")
        self.poll_interval = settings.getfloat("TISWATCH_WORKER_POLL", 0.5)
        self._poll: LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> CampaignWorkerExtension:
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    @property
    def scheduler(self) -> CampaignScheduler:
        scheduler = getattr(self.crawler, SCHEDULER_ATTRIBUTE, None)
        if scheduler is None:
            raise EngineHookMissing("SCHEDULER is not crawler.cluster.scheduler.CampaignScheduler")
        return scheduler

    def spider_opened(self, spider: Any) -> None:
        engine = self.crawler.engine
        remove = getattr(engine, "_remove_request", None)
        slot = getattr(engine, "_slot", None)
        if remove is None or getattr(slot, "nextcall", None) is None:
            raise EngineHookMissing(
                "this Scrapy version has no ExecutionEngine._remove_request/_slot.nextcall: "
                "the reliable campaign queue cannot acknowledge requests (see crawler/cluster/extension.py)"
            )
        scheduler = self.scheduler

        def remove_and_ack(result: Any, request: Request) -> Any:
            try:
                return remove(result, request)
            finally:
                scheduler.queue.ack(request)

        engine._remove_request = remove_and_ack
        self._poll = LoopingCall(self.poke)
        self._poll.start(self.poll_interval, now=False)

    def poke(self) -> None:
        """Wake the engine when the shared queue has requests (another worker may have added them)."""
        slot = getattr(self.crawler.engine, "_slot", None)
        if slot is not None and len(self.scheduler.queue):
            slot.nextcall.schedule()

    def spider_idle(self, spider: Any) -> None:
        reclaimed = reclaim_dead(self.server, self.campaign_id, self.plan)
        if reclaimed:
            logger.warning("Reclaimed %d request(s) held by dead worker(s) of plan %s", reclaimed, self.plan)
        queued, in_flight = campaigns.plan_backlog(self.server, self.campaign_id, self.plan)
        if queued or in_flight:
            # Other workers still hold requests whose pages may add more: stay, and look again soon.
            raise DontCloseSpider

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self._poll is not None and self._poll.running:
            self._poll.stop()
