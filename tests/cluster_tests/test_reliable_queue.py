"""The reliable campaign queue against a real Redis: a popped request stays held by its worker until
acknowledged, goes back when the worker hands it back or dies, and never when the worker lives."""

from __future__ import annotations

from typing import Any

import redis
import scrapy
from scrapy.http import Request
from scrapy.utils.test import get_crawler

from crawler.cluster import keys
from crawler.cluster.campaign import Campaign, CampaignPlan, has_work, plan_backlog
from crawler.cluster.queue import ReliableQueue, reclaim_dead


class PagesSpider(scrapy.Spider):
    name = "pages"

    def parse(self, response: Any) -> None:  # the callback requests are serialised with
        return None


def queue_of(redis_url: str, worker: str) -> ReliableQueue:
    settings = {"TISWATCH_CAMPAIGN_ID": "c1", "TISWATCH_PLAN": "plan-a", "TISWATCH_WORKER_ID": worker}
    crawler = get_crawler(PagesSpider, settings)
    spider = PagesSpider.from_crawler(crawler)
    return ReliableQueue(redis.Redis.from_url(redis_url), spider, keys.queue("c1", "plan-a"))


def test_a_popped_request_is_held_until_acknowledged(redis_url: str) -> None:
    queue = queue_of(redis_url, "w1")
    queue.server.set(keys.alive("w1"), "1")
    queue.push(Request("http://127.0.0.1:1/a", callback=queue.spider.parse, meta={"page": 1}))
    queue.push(Request("http://127.0.0.1:1/b", callback=queue.spider.parse))

    first = queue.pop()
    assert first is not None and first.url == "http://127.0.0.1:1/a"  # first in, first out
    assert first.meta["page"] == 1 and first.callback == queue.spider.parse
    assert (len(queue), queue.held()) == (1, 1)
    queue.ack(first)
    assert (len(queue), queue.held()) == (1, 0)


def test_a_retried_request_is_no_longer_held_by_the_worker_that_pushed_it_back(redis_url: str) -> None:
    queue = queue_of(redis_url, "w1")
    queue.push(Request("http://127.0.0.1:1/a", callback=queue.spider.parse))
    popped = queue.pop()
    assert popped is not None and queue.held() == 1
    queue.push(popped.replace(dont_filter=True))  # what the retry middleware does: same meta, same id
    assert (len(queue), queue.held()) == (1, 0)


def test_a_dead_workers_requests_are_reclaimed_and_a_live_ones_are_not(redis_url: str) -> None:
    dead, alive = queue_of(redis_url, "dead"), queue_of(redis_url, "alive")
    server = dead.server
    server.set(keys.alive("alive"), "1", px=60_000)  # `dead` never beat (or its key expired)
    for page in range(3):
        dead.push(Request(f"http://127.0.0.1:1/{page}", callback=dead.spider.parse))
    assert dead.pop() is not None and dead.pop() is not None
    assert alive.pop() is not None
    campaign = Campaign("c1", 1, [CampaignPlan("plan-a", "pages", {})])
    assert plan_backlog(server, "c1", "plan-a") == (0, 3) and has_work(server, campaign)

    assert reclaim_dead(server, "c1", "plan-a") == 2
    assert plan_backlog(server, "c1", "plan-a") == (2, 1)
    assert alive.held() == 1 and dead.held() == 0
    # What the dead worker held comes back first, whoever pops it.
    assert {alive.pop().url, alive.pop().url} == {"http://127.0.0.1:1/0", "http://127.0.0.1:1/1"}  # type: ignore[union-attr]


def test_handing_back_on_a_clean_stop_returns_everything_held(redis_url: str) -> None:
    queue = queue_of(redis_url, "w1")
    for page in range(2):
        queue.push(Request(f"http://127.0.0.1:1/{page}", callback=queue.spider.parse))
    queue.pop(), queue.pop()
    assert queue.hand_back() == 2
    assert (len(queue), queue.held()) == (2, 0)
    queue.clear()  # a worker closing must not empty the shared queue
    assert len(queue) == 2


def test_a_request_is_marked_seen_and_queued_together(redis_url: str) -> None:
    queue = queue_of(redis_url, "w1")
    seen = keys.seen("c1", "plan-a")
    first = Request("http://127.0.0.1:1/a", callback=queue.spider.parse)
    assert queue.push_unseen(first, seen, "fingerprint-a") is True
    again = Request("http://127.0.0.1:1/a", callback=queue.spider.parse)
    assert queue.push_unseen(again, seen, "fingerprint-a") is False
    assert len(queue) == 1 and queue.server.sismember(seen, "fingerprint-a")
