"""Any shop with schema.org Product markup (Shopify, WooCommerce, Magento…): crawl it, read its products.

    scrapy crawl schema_org -a base_url=https://shop.example.co.th
    scrapy crawl schema_org -a start_urls=https://shop.example.co.th/collections/plugs -a max_pages=50
    scrapy crawl schema_org -a sitemap=https://shop.example.co.th/sitemap.xml

From the start URLs (default: `base_url`) the spider follows links within the shop's own host (bare or
`www.`) —
category pages, pagination, product pages; not cart, account or search-filter links — up to
`max_depth` links away and `max_pages` pages in all, and reads every page's schema.org Product
(JSON-LD, microdata, RDFa). From a sitemap (or sitemap index, gzipped or not) it reads the listed
pages directly. Each start URL / sitemap is a "query" of the coverage summary. Shop links that
`max_depth` or `max_pages` left unrequested are counted (`links_not_followed`, and by reason in
`links_not_followed_by`): the query is then `incomplete`, not a complete crawl of the shop.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlsplit

from scrapy.http import HtmlResponse, Request, Response, TextResponse
from scrapy.linkextractors import LinkExtractor
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap
from w3lib.url import canonicalize_url

from crawler.items import Listing
from crawler.keywords import split_argument
from crawler.middlewares import QUERY_META
from crawler.parsers.schema_org import SchemaOrgProductPage
from crawler.spiders.base import ListingSpider, positive_int

# Links that never lead to products, or lead to endless variations of the same listing page.
DENY_LINKS = (
    r"/(cart|checkout|account|login|logout|register|signin|signup|wishlist|compare|my-account)\b",
    r"[?&](add-to-cart|add_to_wishlist|orderby|sort|sort_by|filter_|min_price|max_price|view|variant)=",
    r"/(cdn-cgi|wp-admin|wp-json|feed|tag|blog|pages/contact|search)\b",
    r"\.(xml|json|atom|rss)$",
)
# Links that look like product pages are fetched before further category pages.
PRODUCT_LINK = re.compile(r"/(products?|p|item|dp|shop)/[^/?#]+|[-_/]p?\d{3,}\.html?$", re.IGNORECASE)


def twin_host(host: str) -> str:
    """The shop's other host form: `www.shop.example` ↔ `shop.example` (an IP address has none)."""
    if host.startswith("www."):
        return host[4:]
    if not host or host.replace(".", "").isdigit() or "." not in host:
        return host
    return "www." + host


def same_shop(host: str, shop_host: str) -> bool:
    return host in (shop_host, twin_host(shop_host))


class SchemaOrgSpider(ListingSpider):
    name = "schema_org"
    default_max_pages = 200
    default_max_depth = 3

    def __init__(
        self,
        *args: Any,
        start_urls: str | list[str] | None = None,
        sitemap: str | list[str] | None = None,
        max_depth: str | int | None = None,
        **kwargs: Any,
    ) -> None:
        given = split_argument(start_urls) or split_argument(sitemap)
        first = given[0] if given else None
        if kwargs.get("base_url") is None and first is None:
            raise ValueError("schema_org needs -a base_url=…, -a start_urls=… or -a sitemap=…")
        if kwargs.get("base_url") is None:
            parts = urlsplit(first or "")
            kwargs["base_url"] = f"{parts.scheme}://{parts.netloc}"
        super().__init__(*args, **kwargs)
        self.sitemaps = split_argument(sitemap)
        self.page_urls = split_argument(start_urls) or ([] if self.sitemaps else [self.base_url + "/"])
        self.max_depth = positive_int(max_depth, "max_depth", self.default_max_depth)
        self.requested_urls: set[str] = set()
        # Links left unrequested because of `max_depth` or `max_pages` (canonical URL → query, reason);
        # counted when the crawl closes, as those another page did not lead to after all.
        self.unfollowed: dict[str, tuple[str, str]] = {}
        # Hosts are compared by hand: LinkExtractor's allow_domains also compares the port.
        self.shop_host = urlsplit(self.base_url).hostname or ""
        # A shop answers on its bare domain and on `www.` (one redirecting to the other), and its
        # sitemaps may list either: both are the shop, for the offsite filter too.
        self.allowed_domains = sorted({self.shop_host, twin_host(self.shop_host)})
        self.links = LinkExtractor(deny=DENY_LINKS, unique=True)

    async def start(self) -> AsyncIterator[Request]:
        queries = [*self.page_urls, *self.sitemaps]
        self.open_run({query: [] for query in queries})
        for url in self.page_urls:
            request = self.shop_page_request(url, url, depth=0)
            if request is not None:
                yield request
        for url in self.sitemaps:
            yield self.page_request(url, url, callback=self.parse_sitemap, dont_filter=True)

    def is_shop_url(self, url: str) -> bool:
        return same_shop(urlsplit(url).hostname or "", self.shop_host)

    def shop_page_request(
        self, url: str, query: str, depth: int, priority: int = 0, follow: bool = True
    ) -> Request | None:
        """A request for a page not yet asked for, within the page budget (`max_pages`); else None.

        `follow=False` (sitemap entries) reads the page without following its links."""
        key = canonicalize_url(url)
        if key in self.requested_urls:
            return None  # already asked for: not worth a page of the budget
        if len(self.requested_urls) >= self.max_pages:
            self.not_followed(key, query, "budget")
            return None
        self.requested_urls.add(key)
        return self.page_request(
            url,
            query,
            callback=self.parse_page,
            meta={"shop_depth": depth, "follow_links": follow},
            priority=priority,
        )

    def not_followed(self, key: str, query: str, reason: str) -> None:
        self.unfollowed.setdefault(key, (query, reason))

    def closed(self, reason: str) -> None:
        """Count the links the crawl's limits cut off, so a capped crawl is not reported complete."""
        for key, (query, why) in self.unfollowed.items():
            if key not in self.requested_urls:
                self.coverage.count("links_not_followed", query)
                self.crawler.stats.inc_value(f"tiswatch/links_not_followed_by/{why}")
        cut = self.crawler.stats.get_value("tiswatch/links_not_followed", 0)
        if cut:
            self.logger.warning(
                "%d shop link(s) not followed (max_depth=%d, max_pages=%d): the crawl is incomplete",
                cut,
                self.max_depth,
                self.max_pages,
            )
        super().closed(reason)

    def parse_page(self, response: Response) -> Iterator[Listing | Request]:
        query = response.meta[QUERY_META]
        if not isinstance(response, TextResponse):
            return  # images, PDFs: nothing to read, nothing wrong
        page = self.read_page(response, SchemaOrgProductPage)
        if page is not None:
            yield from self.new_listings(page.listings, query)
        depth = response.meta.get("shop_depth", 0)
        if not response.meta.get("follow_links", True) or not isinstance(response, HtmlResponse):
            return
        links = [link.url for link in self.links.extract_links(response) if self.is_shop_url(link.url)]
        if depth >= self.max_depth:
            for url in links:
                self.not_followed(canonicalize_url(url), query, "depth")
            return
        for url in links:
            is_product = bool(PRODUCT_LINK.search(urlsplit(url).path))
            request = self.shop_page_request(url, query, depth + 1, priority=10 if is_product else 0)
            if request is not None:
                yield request

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        query = response.meta[QUERY_META]
        body = response.body
        if body[:2] == b"\x1f\x8b":
            limit = self.crawler.settings.getint("TISWATCH_SITEMAP_MAXSIZE")
            try:
                # Capped: a few MB of gzip can inflate to gigabytes (a gzip bomb posing as a sitemap).
                body = gunzip(body, max_size=limit)
            except ValueError:  # scrapy's _DecompressionMaxSizeExceeded
                self.count_limit("TISWATCH_SITEMAP_MAXSIZE")
                self.count_parse_error(
                    response, query, f"gzip sitemap inflates past {limit:,} bytes (TISWATCH_SITEMAP_MAXSIZE)"
                )
                self.results_page_lost(response, query)
                return
            except OSError as error:
                self.count_parse_error(response, query, f"broken gzip sitemap ({error})")
                self.results_page_lost(response, query)
                return
        try:
            sitemap = Sitemap(body)
            entries = [entry.get("loc", "") for entry in sitemap]
        except Exception as error:  # lxml raises several kinds on garbage
            self.count_parse_error(response, query, f"not a sitemap ({type(error).__name__}: {error})")
            self.results_page_lost(response, query)
            return
        urls = [url for url in entries if url and self.is_shop_url(url)]
        if sitemap.type == "sitemapindex":
            for url in urls:
                yield self.page_request(url, query, callback=self.parse_sitemap)
            return
        for url in urls:
            # A sitemap lists the pages themselves: no link following from them.
            request = self.shop_page_request(url, query, depth=self.max_depth, follow=False)
            if request is not None:
                yield request
