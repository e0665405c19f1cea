"""Pagination that does not trust what a results page says about itself: an understated total, and a
site answering every page with the same results (it ignores the page parameter past its cap)."""

from __future__ import annotations

from scrapy.utils.defer import deferred_f_from_coro_f

from crawler.spiders.lazada import LazadaSpider
from crawler.spiders.shopee import SEARCH_PATH, ShopeeSpider
from tests.crawler_tests.crawling import local_settings, run_spider
from tests.crawler_tests.shapes import lazada_card, lazada_catalog, shopee_item, shopee_page
from tests.crawler_tests.site import TestSite

HELMET = "หมวกกันน็อค"
STRIP = "รางปลั๊กไฟ"
TORCH = "ไฟฉาย"


def helmet_cards(page: int, count: int) -> list[dict]:
    return [
        lazada_card(5100000000 + page * 100 + n, f"หมวกกันน็อค เต็มใบ รุ่น R-{page}{n:02d} มอก.369", "590.00")
        for n in range(count)
    ]


@deferred_f_from_coro_f
async def test_lazada_pages_on_when_total_results_is_below_the_cards_served(tmp_path):
    with TestSite() as site:
        # totalResults "0" above 40 + 40 + 20 cards; page 4 is empty.
        for page, count in ((1, 40), (2, 40), (3, 20), (4, 0)):
            catalog = lazada_catalog(helmet_cards(page, count), HELMET, page, total=0, page_size=40)
            site.json("/catalog/", catalog, q=HELMET, page=page)
        result = await run_spider(
            LazadaSpider,
            local_settings(tmp_path),
            base_url=site.base_url,
            keywords=HELMET,
            product_pages="0",
            max_pages="6",
        )
        assert site.hits("/catalog/") == 4  # stopped by the empty page, not by max_pages
    assert len(result.items) == 100
    helmet = result.summary["keywords"][HELMET]
    assert (helmet["listings"], helmet["pages_fetched"], helmet["status"]) == (100, 4, "complete")
    assert helmet["repeated_pages"] == 0


@deferred_f_from_coro_f
async def test_lazada_stops_a_keyword_whose_pages_repeat_the_same_cards(tmp_path):
    strips = [lazada_card(5200000000 + n, f"รางปลั๊กไฟ 4 ช่อง รุ่น S-{n}", "259.00") for n in range(40)]
    with TestSite() as site:
        # The server ignores `page`: the same 40 cards under a total of 400, whatever is asked.
        site.json("/catalog/", lazada_catalog(strips, STRIP, 1, total=400, page_size=40), q=STRIP)
        result = await run_spider(
            LazadaSpider,
            local_settings(tmp_path),
            base_url=site.base_url,
            keywords=STRIP,
            product_pages="0",
            max_pages="8",
        )
        assert site.hits("/catalog/") == 2
    assert len(result.items) == 40
    strip = result.summary["keywords"][STRIP]
    assert (strip["repeated_pages"], strip["duplicates"], strip["status"]) == (1, 40, "complete")
    assert result.summary["repeated_pages"] == 1


@deferred_f_from_coro_f
async def test_shopee_stops_a_keyword_whose_pages_repeat_the_same_items(tmp_path):
    torches = [shopee_item(6100000 + n, 7100000 + n, f"ไฟฉาย LED ชาร์จได้ รุ่น T-{n}", 199) for n in range(4)]
    with TestSite() as site:
        # `newest` ignored: the same items, `nomore: false`, a large total, on every page.
        site.json(SEARCH_PATH, shopee_page(torches, nomore=False, total_count=10000), keyword=TORCH)
        result = await run_spider(
            ShopeeSpider,
            local_settings(tmp_path),
            base_url=site.base_url,
            keywords=TORCH,
            page_size="4",
            max_pages="20",
        )
        assert site.hits(SEARCH_PATH) == 2
    assert len(result.items) == 4
    torch = result.summary["keywords"][TORCH]
    assert (torch["repeated_pages"], torch["duplicates"], torch["status"]) == (1, 4, "complete")
