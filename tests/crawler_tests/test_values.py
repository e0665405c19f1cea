"""Field cleaning: prices, counts, ratings, brands and descriptions as marketplaces render them."""

from __future__ import annotations

import pytest

from crawler.parsers.values import (
    MAX_PLAUSIBLE_PRICE,
    MIN_PLAUSIBLE_PRICE,
    html_to_text,
    parse_price,
    parse_rating,
)
from standards_data.text import clean_brand, parse_count


@pytest.mark.parametrize(
    ("raw", "divisor", "expected"),
    [
        (29900000, 100_000, 299.0),  # Shopee fixed point
        ("459.00", 1, 459.0),
        ("฿1,290.00", 1, 1290.0),
        ("129 - 259", 1, 129.0),  # a range: the low end is the offer
        ("๑๒๙ บาท", 1, 129.0),  # Thai digits
        (" THB 45.5 ", 1, 45.5),
        (459, 1, 459.0),
    ],
)
def test_prices_read_from_numbers_and_rendered_strings(raw, divisor, expected):
    reading = parse_price(raw, divisor=divisor)
    assert reading.value == expected
    assert reading.problem is None


@pytest.mark.parametrize(
    ("raw", "divisor", "problem_word"),
    [
        (None, 1, "missing"),
        ("", 1, "missing"),
        (-1, 100_000, "not positive"),
        (0, 1, "not positive"),
        (0.01, 1, "below"),  # a placeholder, not an offer
        (1000, 100_000, "below"),  # Shopee's ×100000 of ฿0.01
        ("ติดต่อร้าน", 1, "no number"),
        (9_999_999_999_999, 100_000, "above"),
        (float("nan"), 1, "not finite"),
        (True, 1, "not a number"),
    ],
)
def test_missing_or_absurd_prices_are_rejected_with_a_reason(raw, divisor, problem_word):
    reading = parse_price(raw, divisor=divisor)
    assert reading.value is None
    assert problem_word in reading.problem


def test_the_plausibility_bounds_are_inclusive():
    assert parse_price(MAX_PLAUSIBLE_PRICE).value == MAX_PLAUSIBLE_PRICE
    assert parse_price(MAX_PLAUSIBLE_PRICE + 1).value is None
    assert parse_price(MIN_PLAUSIBLE_PRICE).value == MIN_PLAUSIBLE_PRICE
    assert parse_price(0.5, minimum=0.01).value == 0.5  # cent prices in other currencies


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1.2K sold", 1200),
        ("520 sold", 520),
        ("ขายแล้ว 1.2พัน ชิ้น", 1200),
        ("ขายแล้ว 3หมื่น", 30000),
        ("10K+", 10000),
        ("1,234", 1234),
        (85, 85),
        ("", None),
        (None, None),
        (-3, None),
    ],
)
def test_sold_counts(raw, expected):
    assert parse_count(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"), [("4.8", 4.8), (4.78, 4.78), ("", None), ("7", None), (None, None)]
)
def test_ratings(raw, expected):
    assert parse_rating(raw) == expected


@pytest.mark.parametrize(
    ("raw", "count", "expected"),
    [
        ("0", "0", None),  # Lazada card of an unrated product
        (0, 0, None),  # Lazada product page `review.ratings {average: 0, rateCount: 0}`
        (0.0, None, None),  # 0 stars with no count: nobody rated it (the scale starts at 1)
        ("4.5", "0", None),  # a count of 0 wins over a stray average
        ("4.73", "12", 4.73),
        (4.333333333333333, None, 4.33),
        (0, 3, 0.0),  # a real count backs whatever the average says
    ],
)
def test_unrated_products_have_no_rating(raw, count, expected):
    assert parse_rating(raw, count) == expected


@pytest.mark.parametrize("raw", ["0", "No Brand", "no brand", " OEM ", "ไม่มียี่ห้อ", "-", None, ""])
def test_no_brand_markers_become_empty(raw):
    assert clean_brand(raw) == ""


def test_real_brands_are_kept_as_written():
    assert clean_brand(" Toshiba ") == "Toshiba"
    assert clean_brand("โตชิบา") == "โตชิบา"


def test_html_description_becomes_lines_of_text():
    html = "<p>ผ่านมาตรฐาน มอก.2432-2555</p><ul><li>ยาว&nbsp;3 ม.</li><li>รองรับ 2300W};</li></ul>x<br>y"
    assert html_to_text(html) == "ผ่านมาตรฐาน มอก.2432-2555\nยาว 3 ม.\nรองรับ 2300W};\nx\ny"


def test_style_script_and_comments_are_not_description_text():
    html = (
        "<style>.lzd-article p{margin:0};.hl{color:#f57224}</style>"
        '<div class="lzd-article"><p>ปลั๊กพ่วง Nextone 4 ช่อง มอก.2432-2555</p>'
        "<!-- แก้ไขล่าสุด -->"
        '<p class="hl">ใบอนุญาต ท1007-62/2432</p><STYLE type="text/css">\n.x{}</STYLE>'
        '<script>window.track({"sku": 1});</script></div>'
    )
    assert html_to_text(html) == "ปลั๊กพ่วง Nextone 4 ช่อง มอก.2432-2555\nใบอนุญาต ท1007-62/2432"
