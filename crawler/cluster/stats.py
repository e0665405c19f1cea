"""Crawl stats summed across the workers of a campaign, live, in Redis.

Each worker's crawler counts coverage (`crawler.coverage`: pages fetched, listings, blocked, failed,
per keyword) into its own stats as usual; this collector also adds every such count to the plan's
hash in Redis as it happens, so a worker killed with `kill -9` has already reported what it did, and
`campaign finish` builds the campaign's coverage from the sum (`crawler.coverage.build_summary`).
"""

from __future__ import annotations

import json
from typing import Any

import redis
from scrapy.statscollectors import MemoryStatsCollector

from crawler.cluster import keys
from crawler.coverage import BACKED_OFF_KEY, PLAN_KEY, PREFIX, RESUMED_KEY

# Scrapy's own counts worth summing too (error rates, items, responses).
SCRAPY_COUNTS = frozenset(
    {
        "downloader/request_count",
        "downloader/response_count",
        "downloader/exception_count",
        "item_scraped_count",
        "item_dropped_count",
        "log_count/ERROR",
        "retry/count",
        "spider_exceptions/count",
    }
)
# What each worker's own hash keeps (`campaign status` per worker).
WORKER_COUNTS = frozenset(
    {PREFIX + "pages_fetched", PREFIX + "listings", PREFIX + "blocked", PREFIX + "failed"}
)


def summed(key: str) -> bool:
    return (key.startswith(PREFIX) and key != RESUMED_KEY) or key in SCRAPY_COUNTS


class CampaignStatsCollector(MemoryStatsCollector):
    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)
        settings = crawler.settings
        self.server = redis.Redis.from_url(settings.get("REDIS_URL"))
        campaign_id = settings.get("TISWATCH_CAMPAIGN_ID")
        plan_name = settings.get("TISWATCH_PLAN")
        self.worker = settings.get("TISWATCH_WORKER_ID") or ""
        self.plan_key = keys.plan_stats(campaign_id, plan_name)
        self.values_key = keys.plan_values(campaign_id, plan_name)
        self.worker_key = keys.worker_stats(campaign_id, self.worker) if self.worker else ""
        self.backed_off_key = keys.backed_off(campaign_id)

    def inc_value(self, key: str, count: int = 1, start: int = 0, spider: Any = None) -> None:
        super().inc_value(key, count, start)
        if summed(key) and isinstance(count, int):
            pipe = self.server.pipeline(transaction=False)
            pipe.hincrby(self.plan_key, key, count)
            if self.worker_key and key in WORKER_COUNTS:
                pipe.hincrby(self.worker_key, key, count)
            pipe.execute()

    def set_value(self, key: str, value: Any, spider: Any = None) -> None:
        super().set_value(key, value)
        if key == PLAN_KEY:
            # The same on every worker (the plan's arguments are the campaign's): last writer wins.
            self.server.hset(self.values_key, key, json.dumps(value, ensure_ascii=False))
        elif key == BACKED_OFF_KEY and value:
            self.server.sadd(self.backed_off_key, *value)


def load_plan_stats(server: redis.Redis, campaign_id: str, plan_name: str) -> dict[str, Any]:
    """A plan's summed stats, as `build_summary` reads them."""
    stats: dict[str, Any] = {
        keys.as_text(key): int(value)
        for key, value in server.hgetall(keys.plan_stats(campaign_id, plan_name)).items()
    }
    for key, value in server.hgetall(keys.plan_values(campaign_id, plan_name)).items():
        stats[keys.as_text(key)] = json.loads(value)
    return stats
