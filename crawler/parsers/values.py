"""Field cleaning shared by every page parser: prices, counts, brands, descriptions, timestamps.

Marketplace values arrive as whatever the page happened to render: `"฿1,290.00"`, `"129 - 259"`,
Thai digits, `"1.2K sold"`, `"ขายแล้ว 1.2พัน ชิ้น"`, a brand of `"0"` or `"No Brand"`. Each helper
returns a clean value or None, and says why a value was rejected so the spider can count and log it
(bad input is normal input: the listing is kept, the bad field is blanked).
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from w3lib.html import remove_comments, remove_tags, remove_tags_with_content, replace_entities

from crawler.items import Listing
from standards_data.text import clean_text as shared_clean_text
from standards_data.text import parse_count, read_number, thai_digits_to_arabic

# A listing price above this (THB) is a placeholder or a parsing slip, not an offer: sellers park
# items at ฿99,999,999 to take them off sale. Nothing sold under a mandatory TIS standard costs more.
MAX_PLAUSIBLE_PRICE = 10_000_000.0
# Below one baht is a placeholder too (฿0.01 "price on request" listings); no Thai marketplace sells
# anything for satang. Other currencies (a schema.org shop pricing in USD) pass their own floor.
MIN_PLAUSIBLE_PRICE = 1.0

_BLOCK_END_TAGS = re.compile(r"<\s*(br\s*/?|/p|/li|/div|/h[1-6]|/tr|/ul|/ol|/table)\s*>", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u00a0\u200b]+")


class PageParseError(ValueError):
    """A page that cannot be read at all (broken JSON, truncated HTML, an unexpected shape)."""


@dataclass
class ParsedPage:
    """What a parser read from one page: the listings, what was wrong with it, and where to go next."""

    listings: list[Listing] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    """Field-level problems of kept listings (absurd or missing price, unreadable markup block)."""
    skipped: list[str] = field(default_factory=list)
    """Why each record on the page that could not become a listing at all (no id, no title) was dropped."""
    not_products: list[str] = field(default_factory=list)
    """Records that are not products at all (Shopee's collection cards mixed into results): left out,
    and no error."""
    notes: list[str] = field(default_factory=list)
    """Page-level oddities worth a log line but no count (a result total the page contradicts)."""
    has_more: bool = False
    """Whether the source says there are further result pages."""
    total_results: int | None = None
    """Total hits the source reports for the query, if it says."""


@dataclass(frozen=True)
class PriceReading:
    value: float | None
    problem: str | None = None


def utc_now_iso() -> str:
    """Current UTC time as `2026-11-22T06:46:00Z`, the Listing contract's `crawled_at` format."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def clean_text(value: Any) -> str:
    """`standards_data.text.clean_text` for marketplace values: their JSON carries HTML-escaped text
    (`Plug &amp; Socket`, `&#3617;`), unescaped here before the one shared reading of text."""
    if value is None:
        return ""
    return shared_clean_text(html.unescape(str(value)))


def html_to_text(html: str | None) -> str:
    """Plain text of an HTML fragment (a product description), one line per block element."""
    if not html:
        return ""
    # Seller descriptions carry their own <style> (Lazada's `.lzd-article p{margin:0}`) and scripts:
    # markup a buyer never reads, so neither may an investigator or the matcher.
    text = remove_comments(remove_tags_with_content(html, which_ones=("style", "script")))
    text = _BLOCK_END_TAGS.sub("\n", text)
    text = replace_entities(remove_tags(text))
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def parse_price(value: Any, *, divisor: float = 1.0, minimum: float = MIN_PLAUSIBLE_PRICE) -> PriceReading:
    """Read a price from a number or a rendered string (`฿1,290.00`, `129 - 259` → the low end).

    `divisor` undoes a platform's fixed-point scale (Shopee sends THB × 100000). Zero, negative,
    non-finite, implausibly low (under `minimum`) or high prices are rejected with a reason.
    """
    if value is None or value == "":
        return PriceReading(None, "missing price")
    if isinstance(value, bool):
        return PriceReading(None, f"price {value!r} is not a number")
    if isinstance(value, int | float):
        number = float(value)
    else:
        read = read_number(value)
        if read is None:
            return PriceReading(None, f"price {str(value)[:40]!r} has no number")
        number = read
    if not math.isfinite(number):
        return PriceReading(None, f"price {value!r} is not finite")
    number = number / divisor
    if number <= 0:
        return PriceReading(None, f"price {value!r} is not positive")
    if number < minimum:
        return PriceReading(None, f"price {number:g} is below {minimum:g}")
    if number > MAX_PLAUSIBLE_PRICE:
        return PriceReading(None, f"price {number:,.2f} is above {MAX_PLAUSIBLE_PRICE:,.0f}")
    return PriceReading(round(number, 2))


def parse_rating(value: Any, count: Any = None) -> float | None:
    """An average rating 0–5, or None when absent, out of range, or the product is not rated yet.

    `count` is the number of ratings when the source gives it. Marketplaces render an unrated product
    as 0 stars (Lazada `ratingScore: "0"`, Shopee `rating_star: 0` with zero counts); on their 1–5 star
    scale an average of 0 cannot come from real ratings, and a 0.0 would tell investigators something
    false. So a count of 0, or an average of 0 with no count to back it, means "no rating".
    """
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        rating = float(thai_digits_to_arabic(str(value))) if not isinstance(value, int | float) else value
    except ValueError:
        return None
    if not math.isfinite(rating) or not 0 <= rating <= 5:
        return None
    ratings = parse_count(count)
    if ratings == 0 or (rating == 0 and not ratings):
        return None
    return round(float(rating), 2)
