"""Downloader middlewares: block awareness and evidence capture.

`BlockDetectionMiddleware` sits between HTTP decompression and retries, so it sees every answer
decompressed and before a block could be retried (retrying a captcha is hammering):
- an anti-bot answer (Shopee 90309999, captcha/slider pages, login walls — `crawler.parsers.blocks`) or
  an HTTP 403 is counted as *blocked* for its query, logged with the URL, and dropped (never parsed as
  "no listings"); so is a redirect to a login page, held back by `LoginRedirectMiddleware`;
- an HTTP 429 slows the site's download slot down (honouring `Retry-After`) and is left to the retry
  middleware; once retries are used up it is counted as blocked;
- after `TISWATCH_BLOCK_BURST` blocks in a row from one site, the site is backed off: the rest of its
  requests in this crawl are not sent, and are counted as blocked for their queries.

`EvidenceMiddleware` hands the raw body of every 200 answer the spiders asked for to the evidence
store (`pipelines.evidence.EvidenceStore.record(url, body, fetched_at)`), so an investigator can see
exactly what a listing page said when it was flagged. It sits just outside the block detection, so
a block served with status 200 is kept too: proof that the site, not the crawler, returned nothing.

Priorities (`DOWNLOADER_MIDDLEWARES` in crawler/settings.py): LoginRedirect 605 → Redirect 600 →
HttpCompression 590 → Evidence 587 → BlockDetection 585 → MetaRefresh 580 → Retry 550 (responses
travel from high to low).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Request, Response, TextResponse
from scrapy.utils.asyncio import call_later
from scrapy.utils.httpobj import urlparse_cached
from twisted.python.failure import Failure

from crawler.coverage import Coverage
from crawler.parsers.blocks import Block, detect_block, login_wall_url
from crawler.parsers.values import utc_now_iso

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

# Request.meta key carrying the query (search keyword or start URL) a request serves. Only requests
# with it are spider pages; robots.txt and other housekeeping requests pass through uncounted.
QUERY_META = "tiswatch_query"

BLOCK_STATUSES = frozenset({403})
THROTTLE_STATUSES = frozenset({429})


class BlockedPage(IgnoreRequest):
    """The site answered with a block; the page holds no listings and must not be retried."""

    def __init__(self, block: Block, url: str) -> None:
        super().__init__(f"blocked ({block.kind}): {url} — {block.detail}")
        self.block = block
        self.url = url


class SiteBackedOff(BlockedPage):
    """Not requested: its site answered with a burst of blocks earlier in this crawl."""


class BlockDetectionMiddleware:
    """Count, log and stop on anti-bot answers; back a site off after a burst of them."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.coverage = Coverage(crawler.stats)
        self.burst = settings.getint("TISWATCH_BLOCK_BURST", 3)
        self.max_retry_times = settings.getint("RETRY_TIMES")
        self.retry_enabled = settings.getbool("RETRY_ENABLED")
        self.max_delay = settings.getfloat("AUTOTHROTTLE_MAX_DELAY", 60.0)
        self.consecutive_blocks: dict[str, int] = {}
        self.backed_off: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        if QUERY_META not in request.meta:
            return None
        site = urlparse_cached(request).netloc
        if site in self.backed_off:
            block = Block("site_backed_off", f"{site} backed off after {self.burst} blocks in a row")
            self.coverage.count_block(block.kind, request.meta[QUERY_META])
            logger.info("Not requesting %s: %s", request.url, block.detail)
            raise SiteBackedOff(block, request.url)
        return None

    def process_response(self, request: Request, response: Response) -> Response:
        if QUERY_META not in request.meta:
            return response
        query = request.meta[QUERY_META]
        site = urlparse_cached(request).netloc
        block = self._block_in(response)
        if block is None and response.status in THROTTLE_STATUSES:
            self._slow_down(request, response)
            if self._retries_left(request):
                return response  # the retry middleware asks again, later
            block = Block(f"http_{response.status}", "rate limited, retries used up")
        elif block is None and response.status in BLOCK_STATUSES:
            block = Block(f"http_{response.status}", f"HTTP {response.status} answer")
        if block is None:
            if 200 <= response.status < 300:
                self.consecutive_blocks[site] = 0
                self.coverage.count("pages_fetched", query)
            return response

        raise self._blocked(query, site, response.url, block)

    def _blocked(self, query: str, site: str, url: str, block: Block) -> BlockedPage:
        """Count and log a block; back its site off after a burst. Returns the exception to raise."""
        self.coverage.count_block(block.kind, query)
        logger.warning("Blocked (%s) on query %r: %s — %s", block.kind, query, url, block.detail)
        self.consecutive_blocks[site] = self.consecutive_blocks.get(site, 0) + 1
        if self.consecutive_blocks[site] >= self.burst and site not in self.backed_off:
            self.backed_off.add(site)
            self.coverage.mark_backed_off(site)
            logger.error(
                "Backing off %s for the rest of this crawl after %d blocked answers in a row; "
                "its remaining pages will be reported as blocked",
                site,
                self.consecutive_blocks[site],
            )
            # Requests already waiting in the downloader passed `process_request` before the burst:
            # take them back too (once this response has been handled).
            call_later(0, self._drop_waiting_requests, site)
        return BlockedPage(block, url)

    def _drop_waiting_requests(self, site: str) -> None:
        """Fail the backed-off site's requests still queued in the downloader, unsent."""
        engine = self.crawler.engine
        slots = getattr(getattr(engine, "downloader", None), "slots", {}) if engine else {}
        for slot in list(slots.values()):
            queue = getattr(slot, "queue", None)
            if not queue:
                continue
            waiting = list(queue)
            queue.clear()
            for request, deferred in waiting:
                if urlparse_cached(request).netloc != site or QUERY_META not in request.meta:
                    queue.append((request, deferred))
                    continue
                block = Block("site_backed_off", f"{site} backed off after {self.burst} blocks in a row")
                self.coverage.count_block(block.kind, request.meta[QUERY_META])
                logger.info("Not requesting %s: %s", request.url, block.detail)
                deferred.errback(Failure(SiteBackedOff(block, request.url)))

    def _block_in(self, response: Response) -> Block | None:
        if 300 <= response.status < 400:
            # Only a login redirect gets here unfollowed (`LoginRedirectMiddleware`).
            return login_wall_url(_location(response))
        if not isinstance(response, TextResponse):
            return None
        try:
            text = response.text
        except (UnicodeDecodeError, LookupError):
            return None  # undecodable bodies are the parser's problem, not a block
        return detect_block(response.url, text)

    def _retries_left(self, request: Request) -> bool:
        if not self.retry_enabled or request.meta.get("dont_retry"):
            return False
        limit = request.meta.get("max_retry_times", self.max_retry_times)
        return int(request.meta.get("retry_times", 0)) < int(limit)

    def _slow_down(self, request: Request, response: Response) -> None:
        """Double the site's download delay (at least 1 s; `Retry-After` seconds when the site says)."""
        engine = self.crawler.engine
        downloader = getattr(engine, "downloader", None) if engine else None
        slot_key = request.meta.get("download_slot") or urlparse_cached(request).hostname or ""
        slot = getattr(downloader, "slots", {}).get(slot_key) if downloader else None
        if slot is None:
            return
        wanted = max(slot.delay * 2, 1.0)
        retry_after = response.headers.get(b"Retry-After")
        if retry_after and retry_after.strip().isdigit():
            wanted = max(wanted, float(retry_after.strip()))
        slot.delay = min(wanted, self.max_delay)
        self.crawler.stats.inc_value("tiswatch/throttled")
        logger.info(
            "Rate limited by %s (HTTP %s): download delay now %.1f s", slot_key, response.status, slot.delay
        )


class LoginRedirectMiddleware:
    """Keep a redirect to a login page from being followed, so the block middleware counts it.

    Followed, Lazada's `member.lazada.co.th/user/login` is dropped unseen as an offsite request (the
    keyword then looks merely "not crawled", and a product page's card is lost), and Shopee's
    `/buyer/login` costs a request for a page that only says "log in". Sits just before Scrapy's
    RedirectMiddleware on the way back (`DOWNLOADER_MIDDLEWARES`)."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls()

    def process_response(self, request: Request, response: Response) -> Response:
        if (
            QUERY_META in request.meta
            and 300 <= response.status < 400
            and login_wall_url(_location(response)) is not None
        ):
            request.meta["dont_redirect"] = True
        return response


def _location(response: Response) -> str:
    """A redirect's target, absolute (the `Location` header may be relative or raw UTF-8)."""
    location = response.headers.get(b"Location") or b""
    return urljoin(response.url, location.decode("utf-8", "replace"))


class EvidenceMiddleware:
    """Keep the raw body of every 200 page the spiders asked for, content-addressed, written once."""

    def __init__(self, store: Any, crawler: Crawler) -> None:
        self.store = store
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("TISWATCH_EVIDENCE_ENABLED", True):
            raise NotConfigured("TISWATCH_EVIDENCE_ENABLED is off")
        try:
            from pipelines.evidence import EvidenceStore
        except ImportError as error:
            raise NotConfigured(f"no evidence store ({error})") from None
        # One store per crawler, shared with the store pipeline that links listings to their evidence.
        return cls(EvidenceStore.from_crawler(crawler), crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status == 200 and QUERY_META in request.meta:
            self.store.record(response.url, response.body, utc_now_iso())
            self.stats.inc_value("tiswatch/evidence_recorded")
        return response
