"""The shopee spider against a local Shopee-shaped API: pagination, dedupe, blocks, broken pages."""

from __future__ import annotations

import json
import logging

from scrapy.utils.defer import deferred_f_from_coro_f

from crawler.runner import CrawlOutcome, CrawlPlan
from crawler.spiders.shopee import SEARCH_PATH, ShopeeSpider
from tests.crawler_tests.crawling import local_settings, run_spider
from tests.crawler_tests.shapes import (
    SHOPEE_BLOCKED,
    SHOPEE_COLLECTION_CARD,
    SHOPEE_LOGIN_PAGE,
    shopee_item,
    shopee_page,
)
from tests.crawler_tests.site import Answer, TestSite

PLUG = "ปลั๊กพ่วง"
STRIP = "รางปลั๊กไฟ"
POWERBANK = "พาวเวอร์แบงค์"
HELMET = "หมวกกันน็อค"


def plug_items():
    return [
        shopee_item(2100001, 3100001, "ปลั๊กพ่วง Toshiba มอก. 2432-2555 4 ช่อง", 459, brand="Toshiba"),
        shopee_item(2100002, 3100002, "ปลั๊กพ่วง 4ช่อง 1สวิตช์ 5M ใบอนุญาต ท1234-56/2432", 289),
        shopee_item(2100003, 3100003, "ปลั๊กพ่วง USB 3 ช่อง สายยาว 3 เมตร ส่งไว", 159),
    ]


def serve_market(site: TestSite) -> None:
    plugs = plug_items()
    site.json(SEARCH_PATH, shopee_page(plugs[:2], nomore=False, total_count=3), keyword=PLUG, newest=0)
    site.json(SEARCH_PATH, shopee_page(plugs[2:], nomore=True, total_count=3), keyword=PLUG, newest=2)
    # The strip search finds one plug listing again: it must not become a second row.
    strips = [
        shopee_item(2100010, 3100010, "CSCรางปลั๊กไฟ มอก.5 ช่อง 1สวิตซ์ รุ่นAS551", 379, brand="CSC"),
        plugs[1],
    ]
    site.json(SEARCH_PATH, shopee_page(strips, nomore=True), keyword=STRIP, newest=0)
    site.json(SEARCH_PATH, SHOPEE_BLOCKED, keyword=POWERBANK, newest=0)
    broken = b'{"version": "a1", "error": null, "nomore": false, "items": [{"item_basic": {"itemid": 21'
    site.add(SEARCH_PATH, Answer(broken, 200, "application/json"), keyword=HELMET, newest=0)


@deferred_f_from_coro_f
async def test_shopee_crawl_reports_listings_blocks_and_broken_pages_per_keyword(tmp_path, caplog):
    caplog.set_level(logging.INFO)
    with TestSite() as site:
        serve_market(site)
        result = await run_spider(
            ShopeeSpider,
            local_settings(tmp_path),
            base_url=site.base_url,
            keywords=f"{PLUG},{STRIP},{POWERBANK},{HELMET}",
            page_size="2",
            max_pages="5",
        )

    assert sorted(result.ids()) == [
        "3100001.2100001",
        "3100002.2100002",
        "3100003.2100003",
        "3100010.2100010",
    ]
    listing = result.by_id()["3100001.2100001"]
    assert listing.url == f"{site.base_url}/product/3100001/2100001"
    assert listing.price == 459.0 and listing.brand == "Toshiba"

    summary = result.summary
    assert summary["status"] == "blocked"
    assert summary["pages_fetched"] == 4  # 2 plug pages, 1 strip page, 1 broken helmet page
    assert summary["listings"] == 4
    assert summary["blocked"] == 1
    assert summary["parse_errors"] == 1
    assert summary["duplicates"] == 1
    assert summary["blocked_by"] == {"shopee_90309999": 1}
    keywords = summary["keywords"]
    # Which keyword meets the shared listing first depends on answer order; it is counted once.
    assert keywords[PLUG]["pages_fetched"] == 2 and keywords[PLUG]["status"] == "complete"
    assert keywords[PLUG]["listings"] + keywords[STRIP]["listings"] == 4
    assert keywords[PLUG]["duplicates"] + keywords[STRIP]["duplicates"] == 1
    assert (keywords[POWERBANK]["blocked"], keywords[POWERBANK]["listings"]) == (1, 0)
    assert keywords[POWERBANK]["status"] == "blocked"
    # Its only page was unreadable: nothing of that keyword was seen.
    assert keywords[HELMET]["parse_errors"] == 1 and keywords[HELMET]["status"] == "incomplete"

    log = caplog.text
    assert "Blocked (shopee_90309999)" in log and "keyword=%E0%B8%9E" in log  # the blocked URL is logged
    assert "Unreadable page" in log and "newest=0" in log


@deferred_f_from_coro_f
async def test_unreadable_page_in_the_middle_of_pagination_leaves_the_keyword_incomplete(tmp_path, caplog):
    iron = "เตารีด"
    first = [shopee_item(2200000 + n, 3200000, f"เตารีดไอน้ำ Philips รุ่น GC-{n} มอก.366", 890) for n in range(2)]
    with TestSite() as site:
        site.json(SEARCH_PATH, shopee_page(first, nomore=False, total_count=6), keyword=iron, newest=0)
        cut = json.dumps(shopee_page(first, nomore=False, total_count=6), ensure_ascii=False).encode()
        site.add(SEARCH_PATH, Answer(cut[: len(cut) // 3], 200, "application/json"), keyword=iron, newest=2)
        result = await run_spider(
            ShopeeSpider,
            local_settings(tmp_path),
            base_url=site.base_url,
            keywords=iron,
            page_size="2",
            max_pages="3",
        )
        assert site.hits(SEARCH_PATH) == 2  # the third page is never asked for
    assert len(result.items) == 2
    summary = result.summary
    keyword = summary["keywords"][iron]
    assert (keyword["status"], keyword["parse_errors"], keyword["result_pages_unreadable"]) == (
        "incomplete",
        1,
        1,
    )
    assert summary["status"] == "incomplete"
    assert not CrawlOutcome(CrawlPlan("shopee"), summary, result.stats).ok  # `tiswatch crawl` exits 1
    assert "left incomplete" in caplog.text and "newest=2" in caplog.text


@deferred_f_from_coro_f
async def test_collection_cards_in_results_are_skipped_without_a_parse_error(tmp_path):
    items = [plug_items()[0], SHOPEE_COLLECTION_CARD, *plug_items()[1:]]
    with TestSite() as site:
        site.json(SEARCH_PATH, shopee_page(items, nomore=True), keyword=PLUG, newest=0)
        result = await run_spider(
            ShopeeSpider, local_settings(tmp_path), base_url=site.base_url, keywords=PLUG
        )
    assert len(result.items) == 3
    summary = result.summary
    assert summary["parse_errors"] == 0 and summary["keywords"][PLUG]["parse_errors"] == 0
    assert result.stats["tiswatch/skipped_cards"] == 1
    assert summary["status"] == "complete"


@deferred_f_from_coro_f
async def test_requests_use_the_real_search_api_shape(tmp_path):
    with TestSite() as site:
        site.json(SEARCH_PATH, shopee_page(plug_items(), nomore=True), keyword=PLUG)
        await run_spider(ShopeeSpider, local_settings(tmp_path), base_url=site.base_url, keywords=PLUG)
    query = next(q for p, q in site.requests if p == SEARCH_PATH)
    assert query == {
        "by": "relevancy",
        "keyword": PLUG,
        "limit": "60",
        "newest": "0",
        "order": "desc",
        "page_type": "search",
    }


@deferred_f_from_coro_f
async def test_max_pages_limits_pagination(tmp_path):
    with TestSite() as site:
        for newest in range(0, 20, 2):
            items = [shopee_item(1000 + newest + i, 77, f"ปลั๊กพ่วง รุ่น P-{newest + i}", 199) for i in range(2)]
            site.json(
                SEARCH_PATH, shopee_page(items, nomore=False, total_count=99), keyword=PLUG, newest=newest
            )
        result = await run_spider(
            ShopeeSpider,
            local_settings(tmp_path),
            base_url=site.base_url,
            keywords=PLUG,
            page_size="2",
            max_pages="3",
        )
    assert site.hits(SEARCH_PATH) == 3
    assert len(result.items) == 6


@deferred_f_from_coro_f
async def test_a_burst_of_blocks_backs_the_site_off_and_every_keyword_is_reported_blocked(tmp_path):
    keywords = ["ปลั๊กพ่วง", "รางปลั๊กไฟ", "เต้ารับ", "สวิตช์ไฟ", "พาวเวอร์แบงค์", "หมวกกันน็อค", "เตารีด", "พัดลม"]
    with TestSite() as site:
        site.json(SEARCH_PATH, SHOPEE_BLOCKED, status=403)
        result = await run_spider(
            ShopeeSpider,
            # A polite delay, as in real crawls: without one, a loopback server answers every queued
            # request before the first block has even been looked at.
            local_settings(tmp_path, CONCURRENT_REQUESTS_PER_DOMAIN=1, DOWNLOAD_DELAY=0.1),
            base_url=site.base_url,
            keywords=",".join(keywords),
        )
    summary = result.summary
    assert result.items == []
    assert site.hits(SEARCH_PATH) == 3  # TISWATCH_BLOCK_BURST, then no more requests
    assert summary["blocked"] == len(keywords)
    assert summary["blocked_by"]["site_backed_off"] == len(keywords) - 3
    assert summary["backed_off_sites"] == [site.base_url.removeprefix("http://")]
    assert all(entry["status"] == "blocked" for entry in summary["keywords"].values())
    assert summary["listings"] == 0 and summary["status"] == "blocked"


@deferred_f_from_coro_f
async def test_rate_limited_answers_are_retried_then_counted_as_blocked(tmp_path):
    with TestSite() as site:
        site.add(SEARCH_PATH, Answer(b"Too Many Requests", 429, "text/plain", {"Retry-After": "0"}))
        result = await run_spider(
            ShopeeSpider,
            local_settings(tmp_path, RETRY_TIMES=2, AUTOTHROTTLE_MAX_DELAY=0.05),
            base_url=site.base_url,
            keywords=PLUG,
        )
    assert site.hits(SEARCH_PATH) == 3  # first try + 2 retries
    assert result.summary["blocked_by"] == {"http_429": 1}
    assert result.stats["tiswatch/throttled"] == 3
    assert result.summary["keywords"][PLUG]["status"] == "blocked"


@deferred_f_from_coro_f
async def test_server_errors_are_failed_pages_not_empty_results(tmp_path):
    with TestSite() as site:
        site.add(SEARCH_PATH, Answer(b"<html>502 Bad Gateway</html>", 502), keyword=PLUG)
        site.json(SEARCH_PATH, shopee_page(plug_items(), nomore=True), keyword=STRIP)
        result = await run_spider(
            ShopeeSpider, local_settings(tmp_path), base_url=site.base_url, keywords=f"{PLUG},{STRIP}"
        )
    summary = result.summary
    assert summary["failed"] == 1 and summary["status"] == "failed"
    assert summary["keywords"][PLUG]["status"] == "failed"
    assert summary["keywords"][STRIP]["listings"] == 3


def test_items_null_page_is_an_empty_result_not_an_error():
    # (parser level; the crawl-level counterpart is the "ok" status of a keyword with no hits)
    from crawler.parsers.shopee import ShopeeSearchPage

    page = ShopeeSearchPage(json.dumps(shopee_page([], nomore=True)), "http://x/api", "t").parse()
    assert page.listings == [] and page.has_more is False


@deferred_f_from_coro_f
async def test_login_walls_are_blocks_not_parse_errors(tmp_path):
    dryer, bulb = "ไดร์เป่าผม", "หลอดไฟ LED"
    dryers = [shopee_item(2600001 + n, 3600001, f"ไดร์เป่าผม Philips รุ่น BHD-{n}", 690) for n in range(2)]
    with TestSite() as site:
        site.json(SEARCH_PATH, shopee_page(dryers, nomore=False, total_count=300), keyword=dryer, newest=0)
        # Page 2 is Shopee's HTML login page, HTTP 200, where the API JSON was expected.
        site.html(SEARCH_PATH, SHOPEE_LOGIN_PAGE, keyword=dryer, newest=2)
        login = "/buyer/login?next=%2Fsearch%3Fkeyword%3D1"
        site.add(SEARCH_PATH, Answer(b"", 302, headers={"Location": login}), keyword=bulb, newest=0)
        site.html("/buyer/login", SHOPEE_LOGIN_PAGE)
        result = await run_spider(
            ShopeeSpider,
            local_settings(tmp_path),
            base_url=site.base_url,
            keywords=f"{dryer},{bulb}",
            page_size="2",
            max_pages="5",
        )
    assert len(result.items) == 2
    summary = result.summary
    assert summary["blocked_by"] == {"login_wall": 2}
    assert (summary["parse_errors"], summary["result_pages_unreadable"]) == (0, 0)
    for keyword in (dryer, bulb):
        assert summary["keywords"][keyword]["status"] == "blocked"
    assert summary["status"] == "blocked"
