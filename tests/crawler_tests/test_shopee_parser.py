"""Shopee search API page → listings."""

from __future__ import annotations

import json

import pytest

from crawler.parsers.shopee import ShopeeSearchPage
from crawler.parsers.values import PageParseError
from tests.crawler_tests.shapes import SHOPEE_COLLECTION_CARD, shopee_item, shopee_page

URL = "https://shopee.co.th/api/v4/search/search_items?by=relevancy&keyword=x&limit=60&newest=0"
NOW = "2026-11-22T06:46:00Z"


def parse(data, url=URL):
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    return ShopeeSearchPage(text, url, NOW).parse()


def test_items_become_listings_with_price_divided_and_url_from_shop_and_item_ids():
    page = parse(
        shopee_page(
            [
                shopee_item(
                    23456789012,
                    345678901,
                    "ปลั๊กไฟ มอก. 3 ช่อง 3 เมตร Toshiba รุ่น TS-3103",
                    299.0,
                    brand="Toshiba",
                    sold=85,
                    historical_sold=2400,
                    rating=4.78,
                    shop_name="Toshiba Thailand",
                ),
                shopee_item(23456789013, 345678902, "ปลั๊กพ่วง มอก.2432-2555 ใบอนุญาต ท1234-56/2432", 459.5),
            ],
            nomore=False,
            total_count=180,
        )
    )
    assert [listing.listing_id for listing in page.listings] == [
        "345678901.23456789012",
        "345678902.23456789013",
    ]
    first, second = page.listings
    assert first.platform == "shopee"
    assert first.url == "https://shopee.co.th/product/345678901/23456789012"
    assert first.price == 299.0
    assert second.price == 459.5
    assert first.brand == "Toshiba"
    assert second.brand == ""  # Shopee's "0" means no brand
    assert first.sold == 2400  # historical where available
    assert first.rating == 4.78
    assert first.seller_id == "345678901"
    assert first.seller_name == "Toshiba Thailand"
    assert first.shop_url == "https://shopee.co.th/shop/345678901"
    assert first.image_urls[0].endswith(f"/file/th-11134207-7r98o-{23456789012:x}")
    assert first.source_url == URL
    assert first.crawled_at == NOW
    assert page.has_more is True
    assert page.total_results == 180
    assert page.problems == [] and page.skipped == []


def test_listing_url_follows_the_crawled_host():
    url = "http://127.0.0.1:8123/api/v4/search/search_items?keyword=x&newest=0"
    page = parse(shopee_page([shopee_item(11, 22, "หมวกกันน็อค มอก.369", 890)], nomore=True), url)
    assert page.listings[0].url == "http://127.0.0.1:8123/product/22/11"


def test_last_page_and_null_items():
    assert parse(shopee_page([shopee_item(1, 2, "พาวเวอร์แบงค์", 259)], nomore=True)).has_more is False
    empty = parse({"error": None, "nomore": True, "total_count": 0, "items": None})
    assert empty.listings == [] and empty.has_more is False


def test_price_minus_one_falls_back_to_price_min():
    item = shopee_item(5, 6, "พาวเวอร์แบงค์ 20000mAh มอก.๒๘๗๙-๒๕๖๐", None, price=-1, price_min=25900000)
    page = parse(shopee_page([item], nomore=True))
    assert page.listings[0].price == 259.0
    assert page.problems == []


def test_absurd_and_missing_prices_keep_the_listing_without_a_price():
    absurd = shopee_item(
        7, 8, "ปลั๊กพ่วง ราคาพิเศษ", None, price=99_999_999_900_000, price_min=99_999_999_900_000
    )
    missing = shopee_item(9, 8, "ปลั๊กพ่วง สอบถามราคา", None)
    page = parse(shopee_page([absurd, missing], nomore=True))
    assert [listing.price for listing in page.listings] == [None, None]
    assert len(page.problems) == 2
    assert "item 7" in page.problems[0] and "above" in page.problems[0]
    assert "item 9" in page.problems[1] and "missing" in page.problems[1]


def test_records_without_ids_or_name_are_skipped_and_reported():
    no_basic = {"itemid": 1, "shopid": 2, "adsid": None}
    no_name = shopee_item(3, 4, "", 100)
    no_shop = shopee_item(5, 0, "เต้ารับ", 100)
    good = shopee_item(6, 7, "เต้ารับ มอก.166", 120)
    page = parse(shopee_page([no_basic, no_name, no_shop, good], nomore=True))
    assert [listing.listing_id for listing in page.listings] == ["7.6"]
    assert len(page.skipped) == 3


def test_items_without_the_item_basic_envelope_are_read_too():
    flat = shopee_item(12, 34, "สายไฟ VCT 2x1.5", 520)["item_basic"]
    page = parse({"error": 0, "nomore": True, "items": [flat]})
    assert page.listings[0].listing_id == "34.12"


def test_ids_only_next_to_item_basic_are_read():
    item = shopee_item(13, 35, "ปลั๊กพ่วง 4 ช่อง มอก.2432", 259)
    del item["item_basic"]["itemid"], item["item_basic"]["shopid"]
    item["itemid"], item["shopid"] = "13", "35"  # the current envelope may send them as strings
    page = parse(shopee_page([item], nomore=True))
    assert [listing.listing_id for listing in page.listings] == ["35.13"]
    assert page.skipped == [] and page.listings[0].price == 259.0


def test_price_only_in_item_card_display_price_is_read():
    # No price/price_min/price_max: only the card's display price, as in the real `get_shop_seo` capture.
    item = shopee_item(14, 36, "หมวกกันน็อค เต็มใบ มอก.369", None)
    item["item_basic"]["item_card_display_price"] = {"price": 129000000, "strikethrough_price": 0}
    page = parse(shopee_page([item], nomore=True))
    assert page.listings[0].price == 1290.0
    assert page.problems == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"error": null, "items": [{"item_basic": {"itemid": 1', "not JSON"),
        ("<html><body>502 Bad Gateway</body></html>", "not JSON"),
        ("[1, 2]", "not an object"),
        ('{"error": 4, "error_msg": "invalid params"}', "error=4"),
        ('{"error": null, "items": {"a": 1}}', "not a list"),
    ],
)
def test_unreadable_answers_raise_page_parse_error(text, message):
    with pytest.raises(PageParseError, match=message):
        parse(text)


def test_unrated_item_has_no_rating():
    unrated = {"rating_star": 0.0, "rating_count": [0, 0, 0, 0, 0, 0], "rcount_with_context": 0}
    rated = {"rating_star": 4.5, "rating_count": [2, 0, 0, 0, 1, 1]}
    page = parse(
        shopee_page(
            [
                shopee_item(23456789020, 345678920, "เตารีดไอน้ำ มอก.366 ยังไม่มีรีวิว", 590.0, item_rating=unrated),
                shopee_item(23456789021, 345678921, "เตารีดแห้ง Philips มอก.366", 450.0, item_rating=rated),
            ],
            nomore=True,
        )
    )
    assert [listing.rating for listing in page.listings] == [None, 4.5]


def test_collection_card_is_not_a_product_and_not_a_broken_record():
    items = [
        shopee_item(23456789030, 345678930, "ปลั๊กพ่วง 3 ช่อง มอก.2432", 159.0),
        SHOPEE_COLLECTION_CARD,
        {"itemid": 23456789031, "shopid": 345678931, "item_basic": None},  # a product with no record: broken
    ]
    page = parse(shopee_page(items, nomore=True))
    assert [listing.listing_id for listing in page.listings] == ["345678930.23456789030"]
    assert len(page.not_products) == 1 and "item 1" in page.not_products[0]
    assert len(page.skipped) == 1 and "item 2" in page.skipped[0]
