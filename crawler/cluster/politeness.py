"""Politeness for the whole fleet: one request rate per site, however many workers crawl it.

Scrapy's `DOWNLOAD_DELAY` and AutoThrottle are per process: three workers on one site make three times
the rate. Here every request to a site first takes a turn from the site's bucket in Redis
(`tiswatch:site:<host:port>:next`, a Lua script on Redis's clock): turns are at least
`TISWATCH_FLEET_DELAY` seconds apart (per site: `TISWATCH_FLEET_DELAYS = {"host:port": seconds}`),
fleet-wide, taken at the moment the request leaves for the site (a request whose turn has not come
sleeps and asks again), so the site sees at most one request per delay from the whole fleet. The worker
sets its own `DOWNLOAD_DELAY` to 0 and AutoThrottle off, so the two do not add up.

Concurrency is fleet-wide too: a request holds one of the site's slots (`tiswatch:site:<host:port>:slots`,
a sorted set of leases) from before its turn until its answer (or error) comes back, at most
`TISWATCH_FLEET_CONCURRENCY` at a time for the whole fleet (per site: `TISWATCH_FLEET_CONCURRENCIES`).
Each lease expires after `TISWATCH_FLEET_SLOT_SECONDS` (the download timeout and a margin by default),
so the slots a dead worker held come back by themselves.

Back-off every worker of the site sees:
- an HTTP 429 pushes the site's next turn `Retry-After` seconds (at least `TISWATCH_FLEET_BACKOFF`)
  into the future, for the whole fleet;
- a site one worker backed off after a burst of blocks (`crawler.middlewares`) is in the campaign's
  `backed_off` set: the other workers stop requesting it too, and count those pages as blocked.

Sits last before the download (priority 950): only requests that are really sent take a turn.
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from typing import Any

import redis
from scrapy.http import Request, Response
from scrapy.utils.httpobj import urlparse_cached

from crawler.cluster import keys
from crawler.coverage import Coverage
from crawler.middlewares import QUERY_META, SiteBackedOff
from crawler.parsers.blocks import Block

# Take the site's turn if it has come (returns 0 and sets the next turn ARGV[1] ms on), else return how
# many milliseconds are left. Taken at send time on Redis's clock, so a worker that wakes up late
# cannot bunch its request up with the next one.
_TAKE_TURN = """
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) * 1000 + math.floor(tonumber(now_parts[2]) / 1000)
local next_turn = tonumber(redis.call('GET', KEYS[1]) or '0')
if next_turn > now then return next_turn - now end
redis.call('SET', KEYS[1], string.format('%d', now + tonumber(ARGV[1])), 'PX', tonumber(ARGV[2]))
return 0
"""
# Push the site's next turn at least ARGV[1] ms from now.
_PAUSE = """
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) * 1000 + math.floor(tonumber(now_parts[2]) / 1000)
local next_turn = tonumber(redis.call('GET', KEYS[1]) or '0')
local wanted = now + tonumber(ARGV[1])
if wanted > next_turn then
  redis.call('SET', KEYS[1], string.format('%d', wanted), 'PX', tonumber(ARGV[1]) + 60000)
end
return wanted - now
"""
# Take one of the site's ARGV[1] slots for ARGV[3] ms under the name ARGV[2], if one is free (expired
# leases, a dead worker's, are dropped first); 1 when taken, else 0.
_TAKE_SLOT = """
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) * 1000 + math.floor(tonumber(now_parts[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[2])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
return 1
"""
BACKED_OFF_REFRESH_SECONDS = 1.0
SLOT_META = "tiswatch_fleet_slot"
SLOT_WAIT_SECONDS = 0.05
"""How long a request waits before asking for a free slot again."""


class FleetPolitenessMiddleware:
    def __init__(self, crawler: Any) -> None:
        settings = crawler.settings
        self.server = redis.Redis.from_url(settings.get("REDIS_URL"))
        self.campaign_id: str = settings.get("TISWATCH_CAMPAIGN_ID")
        self.delay = settings.getfloat("TISWATCH_FLEET_DELAY", 0.5)
        self.delays = {
            str(site): float(value) for site, value in settings.getdict("TISWATCH_FLEET_DELAYS").items()
        }
        self.backoff = settings.getfloat("TISWATCH_FLEET_BACKOFF", 1.0)
        self.concurrency = settings.getint(
            "TISWATCH_FLEET_CONCURRENCY", settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN", 8)
        )
        self.concurrencies = {
            str(site): int(value) for site, value in settings.getdict("TISWATCH_FLEET_CONCURRENCIES").items()
        }
        self.slot_ms = int(
            1000
            * settings.getfloat(
                "TISWATCH_FLEET_SLOT_SECONDS", settings.getfloat("DOWNLOAD_TIMEOUT", 180) + 30
            )
        )
        self.worker: str = settings.get("TISWATCH_WORKER_ID") or "worker"
        self.coverage = Coverage(crawler.stats)
        self.stats = crawler.stats
        self._take_turn = self.server.register_script(_TAKE_TURN)
        self._pause = self.server.register_script(_PAUSE)
        self._take_slot = self.server.register_script(_TAKE_SLOT)
        self._backed_off: set[str] = set()
        self._backed_off_at = 0.0

    @classmethod
    def from_crawler(cls, crawler: Any) -> FleetPolitenessMiddleware:
        return cls(crawler)

    def site_delay(self, site: str) -> float:
        return self.delays.get(site, self.delay)

    def site_concurrency(self, site: str) -> int:
        return self.concurrencies.get(site, self.concurrency)

    async def take_slot(self, request: Request, site: str) -> None:
        """Wait for one of the site's fleet-wide slots; the request holds it until `release_slot`."""
        limit = self.site_concurrency(site)
        if limit <= 0:
            return
        lease = f"{self.worker}:{uuid.uuid4().hex}"
        while not self._take_slot(keys=[keys.site_slots(site)], args=[limit, lease, self.slot_ms]):
            self.stats.inc_value("tiswatch_fleet/slot_waits")
            await asyncio.sleep(SLOT_WAIT_SECONDS * random.uniform(0.5, 1.5))
        request.meta[SLOT_META] = (site, lease)

    def release_slot(self, request: Request) -> None:
        held = request.meta.pop(SLOT_META, None)
        if held is not None:
            site, lease = held
            self.server.zrem(keys.site_slots(site), lease)

    def fleet_backed_off(self) -> set[str]:
        now = time.monotonic()
        if now - self._backed_off_at >= BACKED_OFF_REFRESH_SECONDS:
            members = self.server.smembers(keys.backed_off(self.campaign_id))
            self._backed_off = {keys.as_text(member) for member in members}
            self._backed_off_at = now
        return self._backed_off

    async def process_request(self, request: Request) -> None:
        site = urlparse_cached(request).netloc
        if QUERY_META in request.meta and site in self.fleet_backed_off():
            block = Block("site_backed_off", f"{site} backed off by another worker after a burst of blocks")
            self.coverage.count_block(block.kind, request.meta[QUERY_META])
            raise SiteBackedOff(block, request.url)
        # The slot first, then the turn: a turn taken while waiting for a slot would be a turn wasted.
        await self.take_slot(request, site)
        delay_ms = int(self.site_delay(site) * 1000)
        if delay_ms <= 0:
            return None
        while True:
            wait_ms = int(self._take_turn(keys=[keys.site_next(site)], args=[delay_ms, delay_ms + 60000]))
            if wait_ms <= 0:
                return None
            self.stats.inc_value("tiswatch_fleet/waits")
            # Several workers may wake for the same turn: one takes it, the others wait again.
            await asyncio.sleep(wait_ms / 1000 + random.uniform(0, min(delay_ms, 50)) / 1000)

    def process_exception(self, request: Request, exception: BaseException) -> None:
        self.release_slot(request)
        return None

    def process_response(self, request: Request, response: Response) -> Response:
        self.release_slot(request)
        if response.status == 429:
            retry_after = response.headers.get(b"Retry-After") or b""
            seconds = float(retry_after) if retry_after.strip().isdigit() else 0.0
            pause_ms = int(max(seconds, self.backoff) * 1000)
            self._pause(keys=[keys.site_next(urlparse_cached(request).netloc)], args=[pause_ms])
            self.stats.inc_value("tiswatch_fleet/paused_429")
        return response
