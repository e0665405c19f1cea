"""scrapy-redis's scheduler, fitted to campaigns and to Scrapy 2.19.

- keys per campaign and plan (`crawler.cluster.keys`), so a second campaign of the same plans
  crawls again instead of finding every request already seen;
- `SCHEDULER_PERSIST` semantics without the flush: closing never clears the shared queue or the
  seen-set (the first worker to finish would empty them for everyone); a worker stopping with
  requests in hand puts them back;
- a request is marked seen and queued in one step (a worker killed in between would otherwise
  leave it "seen" and never queued, and lose it);
- stats without the deprecated `spider=` argument;
- `SeedingScheduler` for the coordinator: takes the spider's start requests into the queue and
  downloads nothing.
"""

from __future__ import annotations

from typing import Any

from scrapy.http import Request
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler

from crawler.cluster.queue import ReliableQueue

SCHEDULER_ATTRIBUTE = "_tiswatch_campaign_scheduler"


class CampaignScheduler(Scheduler):
    queue: ReliableQueue

    @classmethod
    def from_crawler(cls, crawler: Any) -> CampaignScheduler:
        scheduler: CampaignScheduler = super().from_crawler(crawler)
        # The worker extension acknowledges finished requests through the scheduler's queue.
        setattr(crawler, SCHEDULER_ATTRIBUTE, scheduler)
        return scheduler

    def open(self, spider: Any) -> None:
        # scrapy-redis's own `open` logs through the deprecated `Spider.log`; the rest is the same.
        self.spider = spider
        self.queue = ReliableQueue(self.server, spider, self.queue_key, self.serializer)
        if getattr(self, "df", None) is None:
            self.df = RFPDupeFilter.from_spider(spider)
        if len(self.queue):
            spider.logger.info("Campaign queue holds %d request(s)", len(self.queue))

    def close(self, reason: str) -> None:
        handed_back = self.queue.hand_back()
        if handed_back:
            self.spider.logger.info(
                "Handed %d unfinished request(s) back to the campaign queue (%s)", handed_back, reason
            )

    def flush(self) -> None:
        return None  # see the module docstring: the queue is the campaign's, not this worker's

    def enqueue_request(self, request: Request) -> bool:
        if request.dont_filter:
            self.queue.push(request)
        elif not self.queue.push_unseen(request, self.df.key, self.df.request_fingerprint(request)):
            self.df.log(request, self.spider)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self) -> Request | None:
        request = self.queue.pop()
        if request is not None and self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request


class SeedingScheduler(CampaignScheduler):
    """Queues what the spider's `start()` yields and hands nothing out: the coordinator's seeding."""

    def next_request(self) -> Request | None:
        return None

    def has_pending_requests(self) -> bool:
        return False

    def close(self, reason: str) -> None:
        return None
