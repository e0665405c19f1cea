"""Answers captured from the real marketplaces (`../shared/real_pages/`, read in place; see its
SOURCES.md) read as what they hold: never an empty market, never a listing with someone else's identity
or a link an investigator must not open."""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest
from scrapy.utils.defer import deferred_f_from_coro_f

from crawler.parsers.lazada import LazadaCatalogPage, LazadaProductPage
from crawler.parsers.schema_org import SchemaOrgProductPage
from crawler.parsers.shopee import ShopeeSearchPage
from crawler.parsers.values import PageParseError
from crawler.spiders.shopee import SEARCH_PATH, ShopeeSpider
from tests.conftest import SHARED
from tests.crawler_tests.crawling import local_settings, run_spider
from tests.crawler_tests.site import TestSite

REAL = SHARED / "real_pages"
NOW = "2026-12-03T06:00:00Z"
SHOPEE_SEARCH = "https://shopee.co.th/api/v4/search/search_items?keyword=x&newest=0"


def real(name: str) -> str:
    return (REAL / name).read_text(encoding="utf-8")


def module_data_page(state: str) -> str:
    """How SOURCES.md says to feed a product-page state: as the page's `__moduleData__` script."""
    return f"<html><head></head><body><script>var __moduleData__ = {state};</script></body></html>"


def json_ld_page(product: dict[str, Any], extra: str = "") -> str:
    block = json.dumps(product, ensure_ascii=False)
    return (
        f'<html><head><script type="application/ld+json">{block}</script>{extra}</head><body></body></html>'
    )


def test_shopee_items_under_data_are_read_like_items() -> None:
    answer = json.loads(real("shopee/S1_shopee_vn_shop_search_items_2023-03.json"))
    flat = ShopeeSearchPage(json.dumps(answer), SHOPEE_SEARCH, NOW).parse()
    enveloped = {"error": 0, "data": {key: answer[key] for key in ("items", "nomore", "total_count")}}
    under_data = ShopeeSearchPage(json.dumps(enveloped), SHOPEE_SEARCH, NOW).parse()
    assert len(flat.listings) == 35
    assert [listing.listing_id for listing in under_data.listings] == [
        listing.listing_id for listing in flat.listings
    ]


def test_a_shopee_answer_in_an_unknown_shape_is_unreadable_not_empty() -> None:
    # The product API answer (everything under `data`, no items) where a results page was expected.
    with pytest.raises(PageParseError, match="no `items`, no end-of-results marker"):
        ShopeeSearchPage(real("shopee/S3_shopee_th_pdp_get_pc_2023-10.json"), SHOPEE_SEARCH, NOW).parse()


@deferred_f_from_coro_f
async def test_an_unreadable_200_results_page_leaves_its_keyword_incomplete(tmp_path: Any) -> None:
    with TestSite() as site:
        body = real("shopee/S3_shopee_th_pdp_get_pc_2023-10.json").encode()
        site.json(SEARCH_PATH, json.loads(body), keyword="พัดลม", newest=0)
        result = await run_spider(
            ShopeeSpider, local_settings(tmp_path), base_url=site.base_url, keywords="พัดลม"
        )
    keyword = result.summary["keywords"]["พัดลม"]
    assert (keyword["listings"], keyword["result_pages_unreadable"], keyword["status"]) == (
        0,
        1,
        "incomplete",
    )
    assert result.summary["status"] == "incomplete"


def test_lazada_product_state_brand_price_and_currency_from_the_real_pages() -> None:
    fan = LazadaProductPage(
        module_data_page(real("lazada/L3_lazada_th_pdp_moduledata_fan_2023-10.json")),
        "https://www.lazada.co.th/products/i4200690269.html",
        NOW,
    ).details()
    assert (fan.brand, fan.price.value, fan.currency) == ("NUK NIK", 699.0, "THB")
    sofa = LazadaProductPage(
        module_data_page(real("lazada/L5_lazada_my_pdp_trimmed_2026-06.json")),
        "https://www.lazada.com.my/products/i149806956.html",
        NOW,
    ).details()
    assert (sofa.brand, sofa.price.value) == ("Furniture Farm", 114.0)


def test_catalog_currency_comes_from_the_site_and_entities_are_unescaped() -> None:
    page = LazadaCatalogPage(
        real("lazada/L1_daraz_pk_catalog_2023-08.json"), "https://www.daraz.pk/catalog/?q=*&ajax=true", NOW
    ).parse()
    assert page.listings and {listing.currency for listing in page.listings} == {"PKR"}
    described = [listing.description for listing in page.listings if "Cotton" in listing.description]
    assert described and "Cotton & Polyester" in described[0] and "&amp;" not in described[0]
    assert not any("&amp;" in listing.title or "&amp;" in listing.description for listing in page.listings)


def test_schema_org_on_a_shopee_page_gets_shopees_identity() -> None:
    product = json.loads(real("schema_org/O1_shopee_th_pdp_jsonld_2026-03.json"))
    page = SchemaOrgProductPage(json_ld_page(product), product["url"], NOW).parse()
    [listing] = page.listings
    # The shopee spider's identity of item 15083805944 of shop 310024922: they de-duplicate.
    assert (listing.platform, listing.listing_id, listing.seller_id) == (
        "shopee",
        "310024922.15083805944",
        "310024922",
    )
    assert (listing.price, listing.currency) == (269.0, "THB")


def test_a_search_pages_featured_product_is_not_a_listing() -> None:
    url = "https://www.daraz.com.bd/catalog/?q=laptop"
    page = SchemaOrgProductPage(real("schema_org/O2_daraz_bd_catalog_page_2024-09.html"), url, NOW).parse()
    assert page.listings == []
    assert len(page.not_products) == 1 and "featured on a results page" in page.not_products[0]


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(document.cookie)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "https://evil.example/p/1",
    ],
)
def test_a_json_ld_url_that_is_not_the_shops_own_link_is_not_used(link: str) -> None:
    url = "https://www.powerplug-shop.co.th/products/csc-as551"
    product = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": "CSC รางปลั๊กไฟ",
        "sku": "AS551",
        "url": link,
    }
    page = SchemaOrgProductPage(json_ld_page(product), url, NOW).parse()
    [listing] = page.listings
    assert listing.url == url
    assert any("not an http(s) link on www.powerplug-shop.co.th" in problem for problem in page.problems)


def test_an_upper_case_scheme_is_the_same_link() -> None:
    url = "https://www.powerplug-shop.co.th/products/csc-as551"
    product = {
        "@type": "Product",
        "name": "CSC รางปลั๊กไฟ",
        "sku": "AS551",
        "url": "HTTPS://WWW.powerplug-shop.co.th/products/csc-as551",
    }
    page = SchemaOrgProductPage(json_ld_page(product), url, NOW).parse()
    assert [listing.url for listing in page.listings] == [
        "https://www.powerplug-shop.co.th/products/csc-as551"
    ]
    assert not [problem for problem in page.problems if "not an http(s) link" in problem]


@pytest.mark.slow  # waits out the site's crawl delay
@deferred_f_from_coro_f
async def test_robots_txt_crawl_delay_is_honoured(tmp_path: Any) -> None:
    from tests.crawler_tests.shapes import shopee_item, shopee_page
    from tests.crawler_tests.site import Answer

    keyword = "พัดลม"
    with TestSite() as site:
        site.add(
            "/robots.txt", Answer(b"User-agent: *\nCrawl-delay: 1\nDisallow: /cart\n", 200, "text/plain")
        )
        for page in range(3):
            item = shopee_item(2200000 + page, 3200000, f"พัดลม ตั้งโต๊ะ 16 นิ้ว รุ่น F{page}", 590)
            site.json(SEARCH_PATH, shopee_page([item], nomore=page == 2), keyword=keyword, newest=page)
        result = await run_spider(
            ShopeeSpider, local_settings(tmp_path), base_url=site.base_url, keywords=keyword, page_size="1"
        )
        times = [at for path, at in site.request_times if path == SEARCH_PATH]
    assert result.stats[f"tiswatch/robots_crawl_delay/{site.base_url.split('//')[1].split(':')[0]}"] == 1.0
    assert len(times) == 3
    # DOWNLOAD_DELAY is 0 here: only the site's Crawl-delay spaces the pages.
    assert all(later - earlier >= 0.9 for earlier, later in itertools.pairwise(times))
