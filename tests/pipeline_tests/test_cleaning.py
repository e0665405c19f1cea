"""Cleaning rules of the validate pipeline, on the values Thai marketplaces actually show."""

from __future__ import annotations

import pytest

from pipelines.cleaning import clean_listing
from standards_data.text import clean_brand, clean_text, parse_count
from standards_data.text import read_number as parse_price


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("฿1,290", 1290.0),
        ("1,290.50 บาท", 1290.5),
        ("๑๙๙", 199.0),
        ("199 - 299", 199.0),
        ("THB 12,50", 12.5),
        (25900000 / 100000, 259.0),
        ("ราคาพิเศษ", None),
        ("", None),
        (None, None),
        (float("nan"), None),
        (True, None),
    ],
)
def test_parse_price(raw: object, expected: float | None) -> None:
    assert parse_price(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1,234", 1234),
        ("1.2k", 1200),
        ("10K+", 10000),
        ("ขายแล้ว 1.2พัน ชิ้น", 1200),
        ("3หมื่น", 30000),
        ("๔๕ ชิ้น", 45),
        (87, 87),
        ("ยังไม่มียอดขาย", None),
    ],
)
def test_parse_count(raw: object, expected: int | None) -> None:
    assert parse_count(raw) == expected


def test_clean_text_removes_invisible_characters_and_collapses_space() -> None:
    assert clean_text("  ปลั๊กไฟ\u200b 4\u00a0ช่อง\n\tมอก.  ") == "ปลั๊กไฟ 4 ช่อง มอก."
    # Thai vowels and tone marks (combining characters) are kept.
    assert clean_text("หมวกกันน็อค") == "หมวกกันน็อค"


@pytest.mark.parametrize("placeholder", ["No Brand", "NoBrand", "OEM", "0", "-", "ไม่มียี่ห้อ", " none "])
def test_brand_placeholders_mean_no_brand(placeholder: str) -> None:
    assert clean_brand(placeholder) == ""
    assert clean_brand("Toshiba (โตชิบา)") == "Toshiba (โตชิบา)"


def test_clean_listing_keeps_the_listing_and_reports_bad_values() -> None:
    result = clean_listing(
        {
            "platform": " Shopee ",
            "listing_id": "28841377.1001",
            "url": "https://shopee.co.th/product/28841377/1001",
            "title": "ปลั๊กไฟ\u200b 4 ช่อง",
            "price": 0,
            "sold": "-5",
            "brand": "No Brand",
            "attributes": {" รุ่น ": " P-404 ", "": "x", "สี": ""},
            "crawled_at": "",
        }
    )
    assert result.missing == []
    assert result.problems == ["price_out_of_range"]
    listing = result.listing
    assert listing["platform"] == "shopee" and listing["title"] == "ปลั๊กไฟ 4 ช่อง"
    assert listing["price"] is None and listing["sold"] == 5  # "-5" reads as 5: no sign in counts
    assert listing["brand"] == "" and listing["attributes"] == {"รุ่น": "P-404"}
    assert listing["crawled_at"].endswith("Z")


def test_clean_listing_names_missing_required_fields() -> None:
    result = clean_listing(
        {"platform": "lazada", "listing_id": "", "url": "/products/i123.html", "title": " "}
    )
    assert result.missing == ["listing_id", "title", "url"]


def test_absurd_price_is_dropped_but_the_listing_kept() -> None:
    result = clean_listing(
        {
            "platform": "lazada",
            "listing_id": "1",
            "url": "https://x.th/1",
            "title": "t",
            "price": "0812345678",
        },
        max_price=1_000_000,
    )
    assert result.missing == [] and result.listing["price"] is None
    assert result.problems == ["price_out_of_range"]
