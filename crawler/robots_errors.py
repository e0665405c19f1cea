"""One line, not a traceback, when a site's robots.txt cannot be fetched.

Scrapy's RobotsTxtMiddleware logs a robots.txt download failure (connection refused, DNS, timeout)
at ERROR with the whole chained traceback, and names the page that was waiting for robots.txt rather
than robots.txt itself. That is normal input for a crawler (a site down, a host that refuses us), not
a programming error: this filter turns the record into one line that says which robots.txt, what
went wrong, and what happens next (Scrapy then crawls the site as if robots.txt allowed everything;
the pages' own failures are counted per keyword in the run's summary). Any other record of that
logger passes through untouched.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

ROBOTS_LOGGER = "scrapy.downloadermiddlewares.robotstxt"
# The message Scrapy's middleware logs for a robots.txt it could not download (its only mark).
SCRAPY_MESSAGE = "Error downloading %(request)s: %(f_exception)s"


class RobotsErrorLine(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg != SCRAPY_MESSAGE or not isinstance(record.args, dict):
            return True
        waiting: Any = record.args.get("request")
        error: Any = record.args.get("f_exception")
        url = urlsplit(str(getattr(waiting, "url", "")))
        site = f"{url.scheme}://{url.netloc}" if url.netloc else "the site"
        record.msg = "robots.txt of %s not fetched (%s: %s): crawling the site as if it allowed every page"
        record.args = (site, type(error).__name__, error)
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return True


class RobotsErrorLines:
    """Scrapy extension: installs the filter once per process when a crawler starts."""

    def __init__(self) -> None:
        robots_logger = logging.getLogger(ROBOTS_LOGGER)
        if not any(isinstance(existing, RobotsErrorLine) for existing in robots_logger.filters):
            robots_logger.addFilter(RobotsErrorLine())

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RobotsErrorLines:
        return cls()
