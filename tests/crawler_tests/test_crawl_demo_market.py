"""Spiders against the bundled demo marketplace, also in its malformed mode (broken pages, absurd prices,
duplicates, a legacy encoding): every bad page is counted, the crawl goes on, no duplicate rows."""

from __future__ import annotations

import pytest
from scrapy.utils.defer import deferred_f_from_coro_f

from crawler.demo_market import DemoMarket
from crawler.spiders.lazada import LazadaSpider
from crawler.spiders.schema_org import SchemaOrgSpider
from crawler.spiders.shopee import ShopeeSpider
from tests.crawler_tests.crawling import local_settings, run_spider

# Crawls of the whole demo marketplace, served on loopback.
pytestmark = pytest.mark.slow


def entries_with(market: DemoMarket, kind: str, platform: str) -> list:
    return [entry for entry in market.catalogue if entry.malformed == kind and platform in entry.platforms]


@deferred_f_from_coro_f
async def test_lazada_survives_the_malformed_market(tmp_path):
    with DemoMarket(port=0, malformed=True, malformed_keywords={"ปลั๊กพ่วง"}) as market:
        result = await run_spider(LazadaSpider, local_settings(tmp_path), base_url=market.base_url)
        multi_page = [
            keyword
            for keyword, entry in result.summary["keywords"].items()
            if len(market.catalogue.search(keyword, "lazada")) > 40
        ]
    summary, listings = result.summary, result.by_id()
    assert not any(key.startswith("spider_exceptions") for key in result.stats)
    assert len(listings) == len(result.items) == summary["listings"]  # no duplicate rows

    # Page 1 of ปลั๊กพ่วง and page 2 of every keyword with more than one page are cut off mid-card.
    assert summary["keywords"]["ปลั๊กพ่วง"]["parse_errors"] == 1
    assert summary["keywords"]["ปลั๊กพ่วง"]["listings"] == 0
    assert summary["parse_errors"] >= 1 + len(multi_page)
    # A product page answering 500 is a failed page, but its catalog card is still a listing.
    (broken,) = entries_with(market, "server_error", "lazada")
    assert summary["failed"] >= 1 and summary["status"] == "failed"
    assert listings[broken.listing_id("lazada")].title == broken.title
    # The legacy-encoded product page is read in Thai, spec table included.
    (legacy,) = entries_with(market, "other_encoding", "lazada")
    listing = listings[legacy.listing_id("lazada")]
    assert listing.title == legacy.title
    assert listing.source_url.endswith(legacy.path("lazada"))
    # Absurd prices are dropped, the listing is kept.
    absurd = [e for e in entries_with(market, "absurd_price", "lazada") if e.listing_id("lazada") in listings]
    assert absurd
    for entry in absurd:
        assert listings[entry.listing_id("lazada")].price is None
    assert summary["field_problems"] >= 1


@deferred_f_from_coro_f
async def test_shopee_survives_the_malformed_market_without_duplicates(tmp_path):
    with DemoMarket(port=0, malformed=True) as market:
        result = await run_spider(
            ShopeeSpider, local_settings(tmp_path), base_url=market.base_url, max_pages="4", page_size="5"
        )
    summary = result.summary
    assert not any(key.startswith("spider_exceptions") for key in result.stats)
    assert len(result.ids()) == len(set(result.ids())) == summary["listings"] > 0
    # Every page after the first repeats the previous page's last item; the third page is cut off.
    assert summary["duplicates"] > 0
    assert summary["parse_errors"] > 0
    for entry in entries_with(market, "absurd_price", "shopee"):
        found = result.by_id().get(entry.listing_id("shopee"))
        if found is not None:
            assert found.price is None
    # The item without a name cannot be a listing.
    for entry in entries_with(market, "missing_fields", "shopee"):
        assert entry.listing_id("shopee") not in result.by_id()


@deferred_f_from_coro_f
async def test_schema_org_spider_reads_the_demo_shop_from_its_sitemap(tmp_path):
    with DemoMarket(port=0) as market:
        result = await run_spider(
            SchemaOrgSpider,
            local_settings(tmp_path),
            sitemap=f"{market.base_url}/sitemap.xml",
            max_pages="1000",
        )
        shop_entries = {
            entry.listing_id("shop"): entry for entry in market.catalogue if "shop" in entry.platforms
        }
    found = result.by_id()
    assert result.summary["status"] == "complete"
    assert set(found) == set(shop_entries)
    some_id = sorted(found)[0]
    assert found[some_id].title == shop_entries[some_id].title
    assert found[some_id].price == shop_entries[some_id].price


@deferred_f_from_coro_f
async def test_lazada_slider_redirect_is_a_blocked_keyword_not_an_empty_one(tmp_path):
    with DemoMarket(port=0, blocked_lazada={"ปลั๊กพ่วง"}) as market:
        result = await run_spider(
            LazadaSpider,
            local_settings(tmp_path),
            base_url=market.base_url,
            keywords="ปลั๊กพ่วง,หมวกกันน็อค",
            product_pages="0",
        )
        helmets = len(market.catalogue.search("หมวกกันน็อค", "lazada"))
    keywords = result.summary["keywords"]
    assert keywords["ปลั๊กพ่วง"]["status"] == "blocked" and keywords["ปลั๊กพ่วง"]["listings"] == 0
    assert keywords["หมวกกันน็อค"]["status"] == "complete" and keywords["หมวกกันน็อค"]["listings"] == helmets
    assert result.summary["blocked_by"] == {"challenge_page": 1}
    assert result.summary["status"] == "blocked"


@deferred_f_from_coro_f
async def test_rate_limited_searches_slow_the_crawl_down_and_are_retried(tmp_path):
    keywords = "ปลั๊กพ่วง,หมวกกันน็อค,พาวเวอร์แบงค์,เตารีด"
    with DemoMarket(port=0, throttle_every=3) as market:
        result = await run_spider(
            ShopeeSpider,
            local_settings(tmp_path, RETRY_TIMES=3, CONCURRENT_REQUESTS_PER_DOMAIN=1),
            base_url=market.base_url,
            keywords=keywords,
            max_pages="1",
        )
        expected = {
            entry.listing_id("shopee")
            for keyword in keywords.split(",")
            for entry in market.catalogue.search(keyword, "shopee")[:60]
        }
    assert result.stats["tiswatch/throttled"] >= 1  # 429s were seen and the site slowed down for
    assert result.summary["status"] == "complete" and result.summary["blocked"] == 0
    assert set(result.ids()) == expected  # every search got through in the end
