"""Per-site concurrency holds for the whole fleet: three workers, each allowed several requests per
site, never have more than `TISWATCH_FLEET_CONCURRENCY` requests in the demo market at once (the
market counts the requests inside it), and slots a dead worker held come back when their lease
expires. Real redis-server, PostgreSQL and the demo marketplace (with a simulated round trip)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import redis

from crawler.cluster import keys
from crawler.demo_market import DemoMarket
from tests.cluster_tests.test_campaign import (
    finish_campaign,
    start_campaign,
    start_worker,
    stop,
    write_plans,
)

pytestmark = pytest.mark.slow

LIMIT = 2
LATENCY = 0.3  # seconds each answer takes: requests overlap, as they do on a real site


def test_the_fleet_never_has_more_requests_in_a_site_than_its_limit(
    redis_url: str, pg_url: str, tmp_path: Path
) -> None:
    server = redis.Redis.from_url(redis_url)
    with DemoMarket(port=0, latency=LATENCY) as market:
        plans = write_plans(tmp_path / "plans.toml", market.base_url, spiders=("shopee",))
        campaign_id = start_campaign(
            tmp_path, plans, redis_url, pg_url,
            # Each worker alone would send 4 at a time: 12 for the fleet without the shared slots.
            "-s", "TISWATCH_FLEET_DELAY=0.01", "-s", f"TISWATCH_FLEET_CONCURRENCY={LIMIT}",
            "-s", "CONCURRENT_REQUESTS=4", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=4",
        )  # fmt: skip
        # A worker that died holding both slots: its leases run out in 2 s, then the fleet goes on.
        slots = keys.site_slots(market.host)
        now_ms = int(server.time()[0]) * 1000
        server.zadd(slots, {"dead-worker:1": now_ms + 2000, "dead-worker:2": now_ms + 2000})
        began = time.monotonic()
        workers = [
            start_worker(tmp_path, redis_url, pg_url, f"worker-{name}", "--until-idle") for name in "abc"
        ]
        try:
            exits = [worker.wait(timeout=300) for worker in workers]
            outputs = [worker.communicate()[0] for worker in workers]
        finally:
            stop(workers)
        seen = [count for moment, count in market.concurrency() if moment >= began]
    code, summary, output = finish_campaign(tmp_path, tmp_path / "out", redis_url, pg_url)

    assert exits == [0, 0, 0], outputs
    assert code == 0 and summary["campaign"] == campaign_id, output
    assert summary["pages_fetched"] > 2 * LIMIT
    assert max(seen) <= LIMIT, f"{max(seen)} requests in the market at once; the fleet allows {LIMIT}"
    assert max(seen) == LIMIT  # the limit was reached, so it is the limit that held
    assert server.zcard(slots) == 0  # every slot handed back (the dead worker's expired)
