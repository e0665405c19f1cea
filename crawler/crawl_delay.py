"""Honour robots.txt `Crawl-delay` (Scrapy's RobotsTxtMiddleware obeys only Allow/Disallow).

The robots.txt answer passes through the downloader middlewares like any page: its `Crawl-delay` for
our user agent (Protego, the parser Scrapy uses) becomes the floor of that site's download-slot delay,
re-applied before every request of the site because AutoThrottle lowers slot delays as it goes. A
delay above `TISWATCH_MAX_CRAWL_DELAY` (seconds, default 60) is capped there and logged: a site asking
for an hour between pages would never be crawled, which the coverage summary would then say.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from protego import Protego

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response

logger = logging.getLogger(__name__)

ROBOTS_PATH = "/robots.txt"
STATS_KEY = "tiswatch/robots_crawl_delay"


class RobotsCrawlDelayMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.user_agent = crawler.settings.get("ROBOTSTXT_USER_AGENT") or crawler.settings.get("USER_AGENT")
        self.max_delay = crawler.settings.getfloat("TISWATCH_MAX_CRAWL_DELAY", 60.0)
        self.delays: dict[str, float] = {}
        """Download-slot key (the host) → the delay its robots.txt asks for."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RobotsCrawlDelayMiddleware:
        return cls(crawler)

    def _slot_key(self, request: Request) -> str:
        engine = self.crawler.engine
        assert engine is not None
        return engine.downloader.get_slot_key(request)

    def process_request(self, request: Request) -> None:
        delay = self.delays.get(self._slot_key(request)) if self.delays else None
        if delay is None:
            return
        engine = self.crawler.engine
        assert engine is not None
        slot = engine.downloader.slots.get(self._slot_key(request))
        if slot is not None and slot.delay < delay:
            slot.delay = delay

    def process_response(self, request: Request, response: Response) -> Response:
        if urlsplit(request.url).path != ROBOTS_PATH or response.status != 200:
            return response
        try:
            text = response.body.decode("utf-8", errors="replace")
            asked = Protego.parse(text).crawl_delay(self.user_agent)
        except Exception:  # an unreadable robots.txt asks for nothing (Scrapy reads it the same way)
            return response
        if not asked:
            return response
        delay = min(float(asked), self.max_delay)
        if delay < float(asked):
            logger.warning(
                "%s asks for Crawl-delay %s s: capped at %s s (TISWATCH_MAX_CRAWL_DELAY)",
                request.url,
                asked,
                delay,
            )
        key = self._slot_key(request)
        self.delays[key] = delay
        stats = self.crawler.stats
        if stats is not None:
            stats.set_value(f"{STATS_KEY}/{key}", delay)
        logger.info("Honouring Crawl-delay %s s of %s", delay, request.url)
        self.process_request(request)
        return response
