"""Lazada (lazada.co.th): catalog search JSON, then each listing's product page.

    scrapy crawl lazada -a standards=2432-2555 -a max_pages=2
    scrapy crawl lazada -a base_url=http://127.0.0.1:8000 -a keywords=ปลั๊กพ่วง -a product_pages=0

The catalog card gives title, price, brand and seller; the product page adds the spec table and the
description (where sellers write their มอก. licence). When the product page cannot be had (blocked,
gone, unreadable), the card's listing is still yielded: no good data is lost. A card kept because its
product page was blocked is counted in `product_pages_blocked`: its verdict rests on the card alone.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from scrapy.http import Request, Response
from twisted.python.failure import Failure

from crawler.items import Listing
from crawler.middlewares import QUERY_META, BlockedPage
from crawler.parsers.lazada import LazadaCatalogPage, LazadaProductPage, item_id_in_url
from crawler.parsers.values import PageParseError, utc_now_iso
from crawler.spiders.base import NOT_FOUND_STATUSES, KeywordSpider

CARD_META = "lazada_card"


class LazadaSpider(KeywordSpider):
    name = "lazada"
    default_base_url = "https://www.lazada.co.th"

    def __init__(self, *args: Any, product_pages: str | bool | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.product_pages = str(product_pages).strip().lower() not in ("0", "false", "no", "off")

    async def start(self) -> AsyncIterator[Request]:
        self.open_run(self.plan_by_keyword())
        for planned in self.plan:
            yield self.catalog_request(planned.keyword, page=1)

    def catalog_url(self, keyword: str, page: int) -> str:
        return f"{self.base_url}/catalog/?{urlencode([('q', keyword), ('page', page), ('ajax', 'true')])}"

    def catalog_request(self, keyword: str, page: int) -> Request:
        return self.page_request(
            self.catalog_url(keyword, page),
            keyword,
            callback=self.parse_catalog,
            meta={"page": page},
            headers={"Accept": "application/json, text/plain, */*"},
        )

    def product_page_url(self, listing_url: str) -> str:
        """The product page on the crawled host (a recorded mirror or the demo keeps Lazada's paths)."""
        base = urlsplit(self.base_url)
        path = urlsplit(listing_url).path
        return urlunsplit((base.scheme, base.netloc, path, "", ""))

    def parse_catalog(self, response: Response) -> Iterator[Listing | Request]:
        keyword = response.meta[QUERY_META]
        page = self.read_page(response, LazadaCatalogPage)
        if page is None:
            self.results_page_lost(response, keyword)
            return
        repeated = self.repeats_earlier_results(page.listings, keyword, response.meta["page"])
        for card in page.listings:
            if not self.claim(card, keyword):
                continue
            if not self.product_pages:
                yield self.emit(card, keyword)
                continue
            yield self.page_request(
                self.product_page_url(card.url),
                keyword,
                callback=self.parse_product,
                errback=self.product_failed,
                meta={CARD_META: card},
            )
        next_page = response.meta["page"] + 1
        if page.has_more and not repeated and next_page <= self.max_pages:
            yield self.catalog_request(keyword, next_page)

    def parse_product(self, response: Response) -> Iterator[Listing]:
        keyword = response.meta[QUERY_META]
        card: Listing = response.meta[CARD_META]
        if response.meta.get("redirect_urls") and not item_id_in_url(response.url):
            # Lazada sends the page of a removed product to its home page (`/?spm=…removed`): the
            # listing is gone, like a 404, and nothing on the page it landed on is about it.
            self.coverage.count("not_found", keyword)
            self.logger.info(
                "Gone (redirected to %s, not a product page): %s; keeping the catalog card",
                response.url,
                response.meta["redirect_urls"][0],
            )
            yield self.emit(replace(card, detail_page_missing="not found"), keyword)
            return
        try:
            product_page = LazadaProductPage(response.text, response.url, utc_now_iso())
            details = product_page.details()
            page_item = product_page.item_id(details)
            if page_item and page_item != card.listing_id:
                yield self.emit(self.other_item(response, card, page_item, keyword), keyword)
                return
            listing = product_page.enrich(card, details)
        except PageParseError as error:
            self.count_parse_error(response, keyword, f"{error}; keeping the catalog card")
            listing = replace(card, detail_page_missing="unreadable")
        except Exception:
            self.coverage.count("parse_errors", keyword)
            self.logger.exception("Product page parser failed on %s; keeping the catalog card", response.url)
            listing = replace(card, detail_page_missing="unreadable")
        else:
            for problem in details.problems:
                self.logger.info("Data problem on %s: %s", response.url, problem)
            self.coverage.count("field_problems", keyword, len(details.problems))
        yield self.emit(listing, keyword)

    def other_item(self, response: Response, card: Listing, page_item: str, keyword: str) -> Listing:
        """The card alone, when its product page turned out to be another item's.

        Lazada redirects a merged or re-listed item to the surviving one: merging that page into the
        card would give this listing another product's title, brand, price and licence (and flag)."""
        self.coverage.count("field_problems", keyword)
        self.logger.warning(
            "Product page of listing %s is item %s's (%s): not merged; keeping the catalog card",
            card.listing_id,
            page_item,
            response.url,
        )
        return replace(card, detail_page_missing="redirected to another item")

    def product_failed(self, failure: Failure) -> Iterator[Listing]:
        self.page_failed(failure)
        request: Request = failure.request  # type: ignore[attr-defined]
        keyword = request.meta.get(QUERY_META)
        card: Listing = request.meta[CARD_META]
        blocked = isinstance(failure.value, BlockedPage)
        if blocked:
            # The verdict of this listing rests on the card alone (no spec table, no description with
            # the licence number): say so per keyword, apart from blocked catalog pages.
            self.coverage.count("product_pages_blocked", keyword)
            self.logger.info(
                "Product page of %s blocked: listing %s kept from its catalog card only",
                card.url,
                card.listing_id,
            )
        yield self.emit(replace(card, detail_page_missing=_why_unread(failure, blocked)), keyword)


def _why_unread(failure: Failure, blocked: bool) -> str:
    if blocked:
        return "blocked"
    response = getattr(failure.value, "response", None)
    if response is not None and response.status in NOT_FOUND_STATUSES:
        return "not found"  # taken down between the search and the fetch
    return "failed"
