"""One reading of text values for every layer: the parsers, the cleaning pipeline and the matcher agree."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crawler.parsers.values import parse_price as parser_price
from matchers.brands import is_placeholder_brand
from pipelines.cleaning import clean_listing
from standards_data.text import clean_brand, clean_text, is_no_brand, parse_count, thai_digits_to_arabic
from standards_data.wordlists import load_wordlist, read_wordlist_lines

NO_BRAND_VALUES = sorted(load_wordlist("no_brand"))


@pytest.mark.parametrize("value", [*NO_BRAND_VALUES, "ODM", "ไม่มี", " No Brand. ", "ＯＥＭ", "", None, 0])
def test_every_layer_reads_no_brand_the_same(value: object) -> None:
    assert is_no_brand(value)
    assert is_placeholder_brand(value)  # the matcher
    listing = {"platform": "x", "listing_id": "1", "url": "https://x/1", "title": "t", "brand": value}
    assert clean_listing(listing).listing["brand"] == ""  # the cleaning pipeline
    assert clean_brand(value) == ""  # the parsers


@pytest.mark.parametrize("brand", ["Toshiba", "โตชิบา", "Other Brand Co", "Noname"])
def test_a_real_brand_is_kept_everywhere(brand: str) -> None:
    assert not is_no_brand(brand)
    assert not is_placeholder_brand(brand)
    assert clean_brand(f"  {brand}\u200b ") == brand


def test_thai_digits_prices_and_counts() -> None:
    assert thai_digits_to_arabic("มอก.๒๔๓๒-๒๕๕๕") == "มอก.2432-2555"
    assert parser_price("฿๑,๒๙๐").value == 1290.0
    assert parse_count("ขายแล้ว ๑.๒พัน ชิ้น") == 1200
    assert parse_count(-3) is None


def test_wordlists_have_no_duplicates_or_stray_spaces() -> None:
    for name in ("no_brand", "not_brand_words", "seller_words", "not_model_prefixes", "unit_suffixes"):
        lines = read_wordlist_lines(name)
        assert len(lines) == len(set(lines)), name
        assert all(line == line.strip() and line == line.lower() for line in lines), name


@given(st.text())
def test_clean_text_is_one_clean_line(value: str) -> None:
    cleaned = clean_text(value)
    assert clean_text(cleaned) == cleaned
    assert "\n" not in cleaned and "\u200b" not in cleaned and cleaned == cleaned.strip()
