"""ValidateListingPipeline on Listing items: cleaned in place, bad ones dropped, counted and logged."""

from __future__ import annotations

import logging

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from crawler.items import Listing
from pipelines.validate import ValidateListingPipeline


def make_pipeline(**settings: object) -> ValidateListingPipeline:
    crawler = get_crawler(settings_dict=dict(settings))
    crawler.stats.open_spider()  # type: ignore[union-attr]
    return ValidateListingPipeline.from_crawler(crawler)


def test_listing_is_cleaned_in_place() -> None:
    pipeline = make_pipeline()
    item = Listing(
        platform="lazada",
        listing_id=" 4100000478 ",
        url="https://www.lazada.co.th/products/i4100000478.html",
        title="โวลทริกซ์ ปลั๊กไฟ\u200b  TIS 2432-2012  Model VT302",
        brand="No Brand",
        price="฿329.00",  # type: ignore[arg-type]
        sold="1.2k",  # type: ignore[arg-type]
        attributes={" รุ่น ": "VT-302 "},
    )
    assert pipeline.process_item(item) is item
    assert item.listing_id == "4100000478"
    assert item.title == "โวลทริกซ์ ปลั๊กไฟ TIS 2432-2012 Model VT302"
    assert (item.brand, item.price, item.sold) == ("", 329.0, 1200)
    assert item.attributes == {"รุ่น": "VT-302"}
    assert pipeline.crawler.stats.get_value("tiswatch/validate/passed") == 1  # type: ignore[union-attr]


def test_listing_without_title_is_dropped_counted_and_logged_with_its_url(
    caplog: pytest.LogCaptureFixture,
) -> None:
    pipeline = make_pipeline()
    item = Listing(
        platform="shopee",
        listing_id="316283740.21000000829",
        url="https://shopee.co.th/product/316283740/21000000829",
        title="",
    )
    with pytest.raises(DropItem, match=r"https://shopee.co.th/product/316283740/21000000829 lacks title"):
        pipeline.process_item(item)
    stats = pipeline.crawler.stats
    assert stats.get_value("tiswatch/validate/dropped") == 1  # type: ignore[union-attr]
    assert stats.get_value("tiswatch/validate/dropped/missing_title") == 1  # type: ignore[union-attr]


def test_absurd_price_is_counted_and_logged_but_the_listing_kept(caplog: pytest.LogCaptureFixture) -> None:
    pipeline = make_pipeline(TISWATCH_MAX_PRICE=100_000)
    item = Listing(
        platform="shopee",
        listing_id="1.2",
        url="https://shopee.co.th/product/1/2",
        title="ปลั๊กไฟ",
        price=999_999.0,
    )
    with caplog.at_level(logging.WARNING):
        pipeline.process_item(item)
    assert item.price is None
    assert pipeline.crawler.stats.get_value("tiswatch/validate/price_out_of_range") == 1  # type: ignore[union-attr]
    assert "price out of range in listing https://shopee.co.th/product/1/2" in caplog.text


def test_dict_items_are_cleaned_too() -> None:
    item = {
        "platform": "schema_org",
        "listing_id": "sku-1",
        "url": "https://shop.example.co.th/p/1",
        "title": " หมวก ",
        "sold": "๓๒",
    }
    make_pipeline().process_item(item)
    assert item["title"] == "หมวก" and item["sold"] == 32 and item["currency"] == "THB"
