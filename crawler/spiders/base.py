"""What every tiswatch spider shares: arguments, coverage counting, safe parsing, dedupe, errbacks.

Spiders only route: they build requests for the real sites' URL shapes and hand each page to a page
object in `crawler.parsers`. This base turns the outcome of every page into coverage counts
(`crawler.coverage`), so a run can say exactly what it saw and what it did not.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol
from urllib.parse import urlsplit

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.coverage import LIMITS_PREFIX, Coverage
from crawler.items import Listing
from crawler.keywords import keyword_plan
from crawler.middlewares import QUERY_META, BlockedPage
from crawler.parsers.values import PageParseError, ParsedPage, utc_now_iso

NOT_FOUND_STATUSES = frozenset({404, 410})
# The message of the IgnoreRequest Scrapy's RobotsTxtMiddleware raises: its only mark on the failure.
ROBOTS_FORBIDDEN = "Forbidden by robots.txt"


class PageObject(Protocol):
    def parse(self) -> ParsedPage: ...


def positive_int(value: Any, name: str, default: int) -> int:
    """A spider argument that must be a positive whole number (`-a max_pages=3`)."""
    if value is None or value == "":
        return default
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValueError(f"-a {name}={value!r}: expected a positive whole number") from None
    if number < 1:
        raise ValueError(f"-a {name}={value!r}: expected a positive whole number")
    return number


class ListingSpider(scrapy.Spider):
    """Base of the tiswatch spiders. Subclasses set `name`, `default_base_url` and route pages."""

    default_base_url: str = ""
    default_max_pages: int = 3
    tiswatch_arguments: dict[str, str]
    """The `-a` arguments as given (set by `from_crawler`)."""
    # Housekeeping keys kept in `self.state`, which Scrapy persists in JOBDIR between a clean stop and
    # the resumed run: the listings already yielded and the coverage counted so far.
    SEEN_STATE = "seen_listings"
    COVERAGE_STATE = "coverage"

    def __init__(
        self,
        *args: Any,
        base_url: str | None = None,
        max_pages: str | int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        base = (base_url or self.default_base_url).strip().rstrip("/")
        parts = urlsplit(base)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(
                f"-a base_url={base_url!r}: expected an http(s) URL such as {self.default_base_url}"
            )
        self.base_url = base
        self.allowed_domains = [parts.hostname]
        self.max_pages = positive_int(max_pages, "max_pages", self.default_max_pages)
        self.seen: set[tuple[str, str]] = set()
        self._coverage: Coverage | None = None

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> Any:
        spider = super().from_crawler(crawler, *args, **kwargs)
        # The `-a` arguments as given, for the run record and the coverage summary.
        spider.tiswatch_arguments = {key: str(value) for key, value in kwargs.items()}
        return spider

    # --- run state ---------------------------------------------------------------------------------
    @property
    def coverage(self) -> Coverage:
        if self._coverage is None:
            self._coverage = Coverage(self.crawler.stats)
        return self._coverage

    def open_run(self, plan: dict[str, list[str]]) -> None:
        """Call first in `start()`: records the plan, and picks up state saved by a stopped crawl."""
        state = getattr(self, "state", None)  # set by Scrapy's SpiderState when JOBDIR is used
        if isinstance(state, dict):
            self.seen = state.setdefault(self.SEEN_STATE, set())
            saved = state.pop(self.COVERAGE_STATE, None)
            if saved:
                self.coverage.restore(saved)
                self.logger.info("Resuming a stopped crawl: %d listings already seen", len(self.seen))
        self.coverage.set_plan(plan)

    def closed(self, reason: str) -> None:
        state = getattr(self, "state", None)
        if isinstance(state, dict):
            # Runs before SpiderState pickles `state` (the spider's handler is connected first).
            state[self.COVERAGE_STATE] = self.coverage.snapshot()

    # --- requests ------------------------------------------------------------------------------------
    def page_request(
        self,
        url: str,
        query: str,
        callback: Callable[..., Any],
        errback: Callable[[Failure], Any] | None = None,
        meta: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> Request:
        """A request for a page serving `query`, counted in coverage whatever happens to it."""
        return Request(
            url,
            callback=callback,
            errback=errback or self.page_failed,
            meta={QUERY_META: query, **(meta or {})},
            **kwargs,
        )

    # --- pages ---------------------------------------------------------------------------------------
    def read_page(
        self, response: Response, page_object: Callable[[str, str, str], PageObject]
    ) -> ParsedPage | None:
        """Parse a page with its page object; a bad page is counted and logged, never a crash."""
        query = response.meta.get(QUERY_META)
        if not isinstance(response, TextResponse):
            self.count_parse_error(
                response, query, f"not a text answer ({response.headers.get('Content-Type')!r})"
            )
            return None
        try:
            page = page_object(response.text, response.url, utc_now_iso()).parse()
        except PageParseError as error:
            self.count_parse_error(response, query, str(error))
            return None
        except Exception:
            # A parser bug must not end the crawl: count it like any unreadable page, with the traceback.
            self.coverage.count("parse_errors", query)
            self.logger.exception("Parser failed on %s", response.url)
            return None
        self.report_problems(response.url, query, page)
        return page

    def count_parse_error(self, response: Response, query: str | None, reason: str) -> None:
        self.coverage.count("parse_errors", query)
        self.logger.warning("Unreadable page %s (query %r): %s", response.url, query, reason)

    def results_page_lost(self, response: Response, query: str | None) -> None:
        """An unreadable search/catalog page or sitemap: its query's later pages are never asked for."""
        self.coverage.count("result_pages_unreadable", query)
        self.logger.warning(
            "Query %r left incomplete: no further result pages after unreadable %s", query, response.url
        )

    def report_problems(self, url: str, query: str | None, page: ParsedPage) -> None:
        """Records dropped from a readable page are parse errors; blanked fields are field problems;
        cards that are no product at all are only tallied (`tiswatch/skipped_cards`)."""
        self.coverage.count("parse_errors", query, len(page.skipped))
        self.coverage.count("field_problems", query, len(page.problems))
        self.coverage.count("skipped_cards", amount=len(page.not_products))  # a total only: not coverage
        for reason in page.skipped:
            self.logger.warning("Record dropped on %s (query %r): %s", url, query, reason)
        for problem in page.problems:
            self.logger.info("Data problem on %s: %s", url, problem)
        for reason in page.not_products:
            self.logger.debug("Skipped on %s: %s", url, reason)
        for note in page.notes:
            self.logger.info("Note on %s (query %r): %s", url, query, note)

    # --- listings ------------------------------------------------------------------------------------
    def claim(self, listing: Listing, query: str | None) -> bool:
        """True the first time a `(platform, listing_id)` is met in this crawl; counts duplicates."""
        key = (listing.platform, listing.listing_id)
        if key in self.seen:
            self.coverage.count("duplicates", query)
            return False
        self.seen.add(key)
        return True

    def emit(self, listing: Listing, query: str | None) -> Listing:
        self.coverage.count("listings", query)
        listing.scope = query or ""
        return listing

    def new_listings(self, listings: Iterable[Listing], query: str | None) -> Iterator[Listing]:
        for listing in listings:
            if self.claim(listing, query):
                yield self.emit(listing, query)

    # --- failures ------------------------------------------------------------------------------------
    def count_limit(self, setting: str) -> None:
        """A size or count limit stopped something: counted under the setting's name for the summary."""
        self.crawler.stats.inc_value(f"{LIMITS_PREFIX}{setting}")

    def page_failed(self, failure: Failure) -> None:
        """Errback of every page: blocks were counted by the middleware; the rest is counted here."""
        request: Request = failure.request  # type: ignore[attr-defined]
        query = request.meta.get(QUERY_META)
        error = failure.value
        if isinstance(error, BlockedPage):
            return
        if isinstance(error, IgnoreRequest) and str(error) == ROBOTS_FORBIDDEN:
            # The site asks robots not to go there (Shopify: /policies/, /cart…): obeyed, not a failure.
            self.coverage.count("robots_forbidden", query)
            self.logger.info("Not requested (forbidden by robots.txt): %s", request.url)
            return
        if isinstance(error, HttpError) and error.response.status in NOT_FOUND_STATUSES:
            self.coverage.count("not_found", query)
            self.logger.info("Gone (HTTP %s): %s", error.response.status, request.url)
            return
        limit = limit_named_in(error)
        if limit is not None:
            self.count_limit(limit)
        if isinstance(error, HttpError):
            reason = f"HTTP {error.response.status}"
        elif isinstance(error, IgnoreRequest):
            reason = str(error) or "request ignored"
        else:
            reason = f"{type(error).__name__}: {error}"
        self.coverage.count("failed", query)
        self.crawler.stats.inc_value(f"tiswatch/failed_by/{type(error).__name__}")
        self.logger.error("Failed page %s (query %r): %s", request.url, query, reason)


def limit_named_in(error: BaseException) -> str | None:
    """`DOWNLOAD_MAXSIZE` when Scrapy cut a download or a decompression at that setting, else None."""
    text = str(error)
    if "download max size" in text or "DOWNLOAD_MAXSIZE" in text:
        return "DOWNLOAD_MAXSIZE"
    return None


class KeywordSpider(ListingSpider):
    """A marketplace spider that searches the site for each keyword of a plan (`crawler.keywords`).

    Arguments: `-a standards=2432-2555,2879-2560` (default: every standard with vocabulary),
    `-a keywords=ปลั๊กพ่วง,…` (exact terms instead), `-a max_keywords=N`, `-a max_pages=N` per keyword,
    `-a base_url=…` (default: the real site).
    """

    def __init__(
        self,
        *args: Any,
        standards: str | None = None,
        keywords: str | None = None,
        max_keywords: str | int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # Listing ids met per keyword, to notice a site that ignores the page parameter (see
        # `repeats_earlier_results`); not kept across a resumed crawl: at worst one more page is asked.
        self.ids_by_keyword: dict[str, set[str]] = {}
        limit = positive_int(max_keywords, "max_keywords", 0) if max_keywords not in (None, "") else None
        self.plan = keyword_plan(standards=standards, keywords=keywords, max_keywords=limit)

    def plan_by_keyword(self) -> dict[str, list[str]]:
        return {planned.keyword: list(planned.standards) for planned in self.plan}

    def repeats_earlier_results(self, listings: list[Listing], keyword: str, page_no: int) -> bool:
        """True when a results page holds only listings this keyword already brought.

        Sites past their page cap (and some that ignore `page`/`newest`) answer every later page with
        the same results: paging on would spend the whole `max_pages` budget on duplicates. Such a
        page ends the keyword's pagination and is counted in `repeated_pages`. Listings found earlier
        under another keyword do not count: a page of them is still this keyword's news.
        """
        ids = {listing.listing_id for listing in listings}
        known = self.ids_by_keyword.setdefault(keyword, set())
        repeated = bool(ids) and ids <= known
        known |= ids
        if repeated:
            self.coverage.count("repeated_pages", keyword)
            self.logger.warning(
                "Query %r: page %d repeated earlier results (nothing new): stopping its pagination",
                keyword,
                page_no,
            )
        return repeated
