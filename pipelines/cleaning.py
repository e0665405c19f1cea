"""Cleaning rules for crawled listings (pure functions; the validate pipeline applies them).

Sellers and page templates leave zero-width spaces, non-breaking spaces, Thai digits, price ranges,
"1.2พัน sold" and "No Brand" in the fields; the matcher and the exports want plain values.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

REQUIRED_FIELDS = ("platform", "listing_id", "url", "title")
DEFAULT_MAX_PRICE = 10_000_000.0  # THB; above this a "price" is a parsing accident (ids, phone numbers)

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# Multipliers sellers and platforms write after a count: "1.2k", "1.2พัน", "3หมื่น", "1.1M".
_MULTIPLIERS = {"k": 1_000, "พัน": 1_000, "หมื่น": 10_000, "แสน": 100_000, "m": 1_000_000, "ล้าน": 1_000_000}
_COUNT = re.compile(r"(\d+(?:[.,]\d+)*)\s*(k|m|พัน|หมื่น|แสน|ล้าน)?", re.IGNORECASE)
# What sources put in the brand field when there is no brand.
BRAND_PLACEHOLDERS = frozenset(
    {
        "",
        "0",
        "-",
        "--",
        "n/a",
        "na",
        "none",
        "null",
        "no brand",
        "nobrand",
        "no-brand",
        "oem",
        "generic",
        "unbranded",
        "ไม่มียี่ห้อ",
        "ไม่มีแบรนด์",
        "ไม่ระบุ",
        "ไม่ระบุยี่ห้อ",
    }
)


def clean_text(value: Any) -> str:
    """Text with invisible characters removed, any whitespace run as one space, and NFC composition."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value)).translate(_INVISIBLE)
    text = "".join(ch if unicodedata.category(ch)[0] != "C" or ch in "\t\n\r" else " " for ch in text)
    return " ".join(text.split())


def clean_multiline(value: Any) -> str:
    """Like `clean_text` but keeps line breaks (descriptions)."""
    lines = (clean_text(line) for line in str(value or "").replace("\r\n", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


def _to_float(text: str) -> float | None:
    # "1,290.50" -> 1290.5; a lone comma with two digits after it ("12,50") is a decimal comma.
    if re.fullmatch(r"\d+,\d{1,2}", text):
        text = text.replace(",", ".")
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


def parse_price(value: Any) -> float | None:
    """A price from a number or text (`฿1,290`, `1,290.00 บาท`, `๑๙๙`, `199 - 299` -> lowest)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number: float | None = float(value)
    else:
        match = _NUMBER.search(clean_text(value).translate(_THAI_DIGITS))
        number = _to_float(match.group()) if match else None
    if number is None or math.isnan(number) or math.isinf(number):
        return None
    return number


def parse_count(value: Any) -> int | None:
    """A count (units sold) from a number or text (`1,234`, `1.2k`, `ขายแล้ว 1.2พัน ชิ้น`, `10K+`)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        if math.isnan(value) or math.isinf(value):
            return None
        return int(value)
    match = _COUNT.search(clean_text(value).translate(_THAI_DIGITS))
    if not match:
        return None
    number = _to_float(match.group(1))
    if number is None:
        return None
    unit = (match.group(2) or "").lower()
    return round(number * _MULTIPLIERS.get(unit, 1))


def clean_brand(value: Any) -> str:
    brand = clean_text(value)
    return "" if brand.casefold() in BRAND_PLACEHOLDERS else brand


@dataclass
class CleanResult:
    listing: dict[str, Any]
    missing: list[str] = field(default_factory=list)
    """Required fields that are empty: the listing cannot be stored."""
    problems: list[str] = field(default_factory=list)
    """Values that were unusable and set to None (kept listing): `price_out_of_range`, ..."""


def clean_listing(raw: Mapping[str, Any], max_price: float = DEFAULT_MAX_PRICE) -> CleanResult:
    """Clean every field of a listing record; report missing required fields and rejected values."""
    listing = dict(raw)
    problems: list[str] = []
    for name in (
        "platform",
        "listing_id",
        "url",
        "title",
        "seller_id",
        "seller_name",
        "shop_url",
        "source_url",
    ):
        if name in listing or name in REQUIRED_FIELDS:
            listing[name] = clean_text(listing.get(name))
    listing["platform"] = listing["platform"].lower()
    listing["description"] = clean_multiline(listing.get("description"))
    listing["brand"] = clean_brand(listing.get("brand"))
    listing["currency"] = clean_text(listing.get("currency")).upper() or "THB"

    raw_price = listing.get("price")
    price = parse_price(raw_price)
    if price is not None and not 0 < price <= max_price:
        problems.append("price_out_of_range")
        price = None
    elif price is None and raw_price not in (None, ""):
        problems.append("price_unreadable")
    listing["price"] = price

    raw_sold = listing.get("sold")
    sold = parse_count(raw_sold)
    if sold is not None and sold < 0:
        problems.append("sold_negative")
        sold = None
    elif sold is None and raw_sold not in (None, ""):
        problems.append("sold_unreadable")
    listing["sold"] = sold

    rating = parse_price(listing.get("rating"))
    listing["rating"] = rating if rating is not None and 0 <= rating <= 5 else None

    attributes = listing.get("attributes") or {}
    if isinstance(attributes, Mapping):
        cleaned = {clean_text(k): clean_text(v) for k, v in attributes.items()}
        listing["attributes"] = {k: v for k, v in cleaned.items() if k and v}
    else:
        problems.append("attributes_not_a_table")
        listing["attributes"] = {}
    images = listing.get("image_urls") or []
    listing["image_urls"] = (
        [clean_text(u) for u in images if clean_text(u)] if isinstance(images, list) else []
    )
    if not clean_text(listing.get("crawled_at")):
        listing["crawled_at"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    missing = [name for name in REQUIRED_FIELDS if not listing.get(name)]
    if listing.get("url") and not re.match(r"https?://", listing["url"]):
        missing.append("url")  # a relative or javascript: link cannot be opened by an investigator
    return CleanResult(listing=listing, missing=missing, problems=problems)
