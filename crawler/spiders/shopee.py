"""Shopee (shopee.co.th): keyword search through the search API, paginated with `newest`.

    scrapy crawl shopee -a standards=2432-2555 -a max_pages=2
    scrapy crawl shopee -a base_url=http://127.0.0.1:8000 -a keywords=ปลั๊กพ่วง

Logged-out API calls are usually answered with Shopee's anti-bot error 90309999; the block middleware
counts those as blocked for their keyword, so such a run reports "blocked", never "0 listings".
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import quote, urlencode

from scrapy.http import Request, Response

from crawler.items import Listing
from crawler.middlewares import QUERY_META
from crawler.parsers.shopee import ShopeeSearchPage
from crawler.spiders.base import KeywordSpider, positive_int

SEARCH_PATH = "/api/v4/search/search_items"


class ShopeeSpider(KeywordSpider):
    name = "shopee"
    default_base_url = "https://shopee.co.th"
    default_page_size = 60  # what the site's own search page asks for

    def __init__(self, *args: Any, page_size: str | int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.page_size = positive_int(page_size, "page_size", self.default_page_size)

    async def start(self) -> AsyncIterator[Request]:
        self.open_run(self.plan_by_keyword())
        for planned in self.plan:
            yield self.search_request(planned.keyword, page=0)

    def search_url(self, keyword: str, page: int) -> str:
        query = urlencode(
            [
                ("by", "relevancy"),
                ("keyword", keyword),
                ("limit", self.page_size),
                ("newest", page * self.page_size),
                ("order", "desc"),
                ("page_type", "search"),
            ]
        )
        return f"{self.base_url}{SEARCH_PATH}?{query}"

    def search_request(self, keyword: str, page: int) -> Request:
        return self.page_request(
            self.search_url(keyword, page),
            keyword,
            callback=self.parse_search,
            meta={"page": page},
            headers={
                "Accept": "application/json",
                "X-API-SOURCE": "pc",
                "X-Shopee-Language": "th",
                "Referer": f"{self.base_url}/search?keyword={quote(keyword)}",
            },
        )

    def parse_search(self, response: Response) -> Iterator[Listing | Request]:
        keyword = response.meta[QUERY_META]
        page = self.read_page(response, ShopeeSearchPage)
        if page is None:
            self.results_page_lost(response, keyword)
            return
        # Pages are counted from 0 here (`newest` = page × page size); the log says 1 for the first.
        repeated = self.repeats_earlier_results(page.listings, keyword, response.meta["page"] + 1)
        yield from self.new_listings(page.listings, keyword)
        next_page = response.meta["page"] + 1
        if page.has_more and not repeated and next_page < self.max_pages:
            yield self.search_request(keyword, next_page)
