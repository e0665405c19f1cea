"""Shopee search API page: `/api/v4/search/search_items?keyword=…&newest=…&limit=…` → listings.

Shape (see ARCHITECTURE.md, "Marketplaces"): `{"error": null|0, "nomore": bool, "total_count": n,
"items": [{"item_basic": {itemid, shopid, name, price, price_min, brand, sold, historical_sold,
item_rating{rating_star}, image, images, shop_name, shop_location, currency, …}}]}`. Prices are the
currency unit × 100000. Some API versions put the item fields straight in `items[]`; both are read.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from crawler.items import Listing
from crawler.parsers.values import (
    PageParseError,
    ParsedPage,
    clean_brand,
    clean_text,
    parse_count,
    parse_price,
    parse_rating,
)

PLATFORM = "shopee"
PRICE_SCALE = 100_000
# Product images are served from the CDN by image id.
IMAGE_URL = "https://down-th.img.susercontent.com/file/{image_id}"


def listing_url(site: str, shop_id: str, item_id: str) -> str:
    """The canonical product page of a listing: `https://shopee.co.th/product/<shopid>/<itemid>`."""
    return f"{site.rstrip('/')}/product/{shop_id}/{item_id}"


def site_root(url: str) -> str:
    """`https://shopee.co.th` from any URL of the site (the API page's own URL)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class ShopeeSearchPage:
    """One page of search results from Shopee's search API."""

    def __init__(self, text: str, url: str, crawled_at: str) -> None:
        self.text = text
        self.url = url
        self.crawled_at = crawled_at

    def parse(self) -> ParsedPage:
        try:
            data = json.loads(self.text)
        except ValueError as error:
            raise PageParseError(f"search API answer is not JSON ({error})") from None
        if not isinstance(data, dict):
            raise PageParseError(f"search API answer is a JSON {type(data).__name__}, not an object")
        code = data.get("error")
        if code not in (None, 0):
            raise PageParseError(f"search API answered error={code!r} {data.get('error_msg') or ''}".strip())
        items = data.get("items")
        if items is None:
            items = []  # Shopee sends `"items": null` past the last page
        if not isinstance(items, list):
            raise PageParseError(f"`items` is a {type(items).__name__}, not a list")

        page = ParsedPage(total_results=_int_or_none(data.get("total_count")))
        site = site_root(self.url)
        for position, entry in enumerate(items):
            basic = entry.get("item_basic") if isinstance(entry, dict) else None
            if basic is None and isinstance(entry, dict) and not entry.get("itemid"):
                # A collection or banner card (`item_basic: null`, no itemid): part of the page, not a
                # product, and not a broken record either.
                page.not_products.append(
                    f"item {position}: not a product (item_type {entry.get('item_type')!r})"
                )
                continue
            if basic is None and isinstance(entry, dict):
                basic = entry
            if not isinstance(basic, dict):
                page.skipped.append(f"item {position}: no item_basic record")
                continue
            basic = _with_top_level_ids(basic, entry)
            listing = self._listing(basic, site, position, page)
            if listing is not None:
                page.listings.append(listing)
        nomore = data.get("nomore")
        page.has_more = bool(items) and nomore is not True
        return page

    def _listing(self, basic: dict[str, Any], site: str, position: int, page: ParsedPage) -> Listing | None:
        item_id = _id_string(basic.get("itemid"))
        shop_id = _id_string(basic.get("shopid"))
        title = clean_text(basic.get("name"))
        if not item_id or not shop_id or not title:
            page.skipped.append(f"item {position}: missing itemid/shopid/name")
            return None
        price = parse_price(basic.get("price"), divisor=PRICE_SCALE)
        if price.value is None:
            # `price` is sometimes -1 or absent on variant listings; the low end of the range is the
            # offer. Newer answers may carry only the card's display price (`get_shop_seo` does).
            display = basic.get("item_card_display_price")
            for fallback in (
                basic.get("price_min"),
                display.get("price") if isinstance(display, dict) else None,
            ):
                reading = parse_price(fallback, divisor=PRICE_SCALE)
                if reading.value is not None:
                    price = reading
                    break
            else:
                page.problems.append(f"item {item_id}: {price.problem}")
        rating = basic.get("item_rating")
        images = basic.get("images") or ([basic["image"]] if basic.get("image") else [])
        sold = parse_count(basic.get("historical_sold"))
        if sold is None:
            sold = parse_count(basic.get("sold"))
        return Listing(
            platform=PLATFORM,
            listing_id=f"{shop_id}.{item_id}",
            url=listing_url(site, shop_id, item_id),
            title=title,
            brand=clean_brand(basic.get("brand")),
            price=price.value,
            currency=clean_text(basic.get("currency")) or "THB",
            seller_id=shop_id,
            seller_name=clean_text(basic.get("shop_name")),
            attributes=_attributes(basic),
            crawled_at=self.crawled_at,
            sold=sold,
            rating=_rating(rating),
            image_urls=[
                IMAGE_URL.format(image_id=image) for image in images if isinstance(image, str) and image
            ],
            shop_url=f"{site}/shop/{shop_id}",
            source_url=self.url,
        )


def _with_top_level_ids(basic: dict[str, Any], entry: Any) -> dict[str, Any]:
    """`item_basic` with the entry's top-level `itemid`/`shopid` where it has none of its own.

    The current envelope repeats the ids next to `item_basic`; an `item_basic` without them is still
    the listing, not a broken record."""
    if basic is entry or not isinstance(entry, dict):
        return basic
    missing = {key: entry[key] for key in ("itemid", "shopid") if not basic.get(key) and entry.get(key)}
    return {**basic, **missing} if missing else basic


def _attributes(basic: dict[str, Any]) -> dict[str, str]:
    """The few spec-like facts a search card carries (the search API has no spec table)."""
    attributes: dict[str, str] = {}
    location = clean_text(basic.get("shop_location"))
    if location:
        attributes["shop_location"] = location
    if basic.get("is_official_shop") is True:
        attributes["official_shop"] = "yes"
    return attributes


def _rating(item_rating: Any) -> float | None:
    """`item_rating.rating_star`; None for an unrated item (0 stars, `rating_count` all zeros).

    `rating_count` is `[total, 1-star, 2-star, 3-star, 4-star, 5-star]`.
    """
    if not isinstance(item_rating, dict):
        return None
    counts = item_rating.get("rating_count")
    total = counts[0] if isinstance(counts, list) and counts else None
    return parse_rating(item_rating.get("rating_star"), total)


def _id_string(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int):
        return str(value) if value > 0 else ""
    text = clean_text(value)
    return text if text.isdigit() else ""


def _int_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
