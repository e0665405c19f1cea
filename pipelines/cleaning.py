"""Cleaning rules for crawled listings (pure functions; the validate pipeline applies them).

Sellers and page templates leave zero-width spaces, non-breaking spaces, Thai digits, price ranges,
"1.2พัน sold" and "No Brand" in the fields; the matcher and the exports want plain values. The value
rules themselves (text, numbers, counts, "no brand") are `standards_data.text`, shared with the parsers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from standards_data.text import clean_brand, clean_multiline, clean_text, parse_count, read_number

REQUIRED_FIELDS = ("platform", "listing_id", "url", "title")
DEFAULT_MAX_PRICE = 10_000_000.0  # THB; above this a "price" is a parsing accident (ids, phone numbers)


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
    price = read_number(raw_price)
    if price is not None and not 0 < price <= max_price:
        problems.append("price_out_of_range")
        price = None
    elif price is None and raw_price not in (None, ""):
        problems.append("price_unreadable")
    listing["price"] = price

    raw_sold = listing.get("sold")
    sold = parse_count(raw_sold)
    if _is_negative_number(raw_sold):
        problems.append("sold_negative")
        sold = None
    elif sold is None and raw_sold not in (None, ""):
        problems.append("sold_unreadable")
    listing["sold"] = sold

    rating = read_number(listing.get("rating"))
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


def _is_negative_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value < 0
