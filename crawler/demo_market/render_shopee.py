"""Shopee-shaped answers: the search API (`/api/v4/search/search_items`) and its anti-bot answers.

`items[].item_basic` carries the fields of Shopee's real item cards (see the real capture of
`get_shop_seo` in ../shared/fixtures): itemid, shopid, name, price ×100000 (int), price_min/max, currency,
sold, historical_sold, brand ("0" or "" when none), item_rating, shop_location, …

Blocked answers. Logged-out API calls are answered with error 90309999 in two shapes:
- `hard` (default): HTTP 403 with the named-key body `{"is_customized": false, "is_login": false,
  "action_type": 2, "error": 90309999, "tracking_id": "…", "redirect_to_error_page": true}` — public
  scraper reports show this body and 403 statuses from the v4 API;
- `soft`: HTTP 200 with the numeric-key body `{"5": false, "2": false, "4": 2, "0": 3, "3": 90309999,
  "error": 90309999, "1": "…", "9": true}` (the REAL soft-block capture).
A spider must therefore read the body, not only the status: a 200 can be a block too.
"""

from __future__ import annotations

import hashlib
from typing import Any

from crawler.demo_market import malformed as mf
from crawler.demo_market.catalogue import CatalogueEntry

PRICE_FACTOR = 100_000
DEFAULT_LIMIT = 60
MAX_LIMIT = 100
BLOCK_ERROR = 90309999
BLOCK_STYLES = ("hard", "soft")


def tracking_id(seed_text: str) -> str:
    """A Shopee-looking tracking id (`120d5641a03-a941-4207-8b47-0ae160eff05e`), stable per request."""
    digest = hashlib.sha1(seed_text.encode()).hexdigest()
    return f"{digest[:11]}-{digest[11:15]}-{digest[15:19]}-{digest[19:23]}-{digest[23:35]}"


def block_answer(style: str, seed_text: str) -> tuple[int, dict[str, Any]]:
    """(HTTP status, body) of Shopee's anti-bot answer."""
    tid = tracking_id(seed_text)
    if style == "soft":
        return 200, {
            "5": False,
            "2": False,
            "4": 2,
            "0": 3,
            "3": BLOCK_ERROR,
            "error": BLOCK_ERROR,
            "1": tid,
            "9": True,
        }
    return 403, {
        "is_customized": False,
        "is_login": False,
        "action_type": 2,
        "error": BLOCK_ERROR,
        "tracking_id": tid,
        "redirect_to_error_page": True,
    }


def _image_hash(entry: CatalogueEntry) -> str:
    digest = hashlib.md5(str(entry.shopee_item_id).encode()).hexdigest()
    return f"th-11134207-7r98o-{digest[:14]}"


def _rating(entry: CatalogueEntry) -> dict[str, Any]:
    if entry.rating is None:
        return {
            "rating_star": 0,
            "rating_count": [0, 0, 0, 0, 0, 0],
            "rcount_with_context": 0,
            "rcount_with_image": 0,
        }
    total = max(entry.review_count, 1)
    five = round(total * (entry.rating - 3.5) / 1.5) if entry.rating > 3.5 else 0
    four = (total - five) * 2 // 3
    three = (total - five - four) // 2
    one_two = total - five - four - three
    counts = [total, one_two // 2, one_two - one_two // 2, three, four, five]
    return {
        "rating_star": entry.rating,
        "rating_count": counts,
        "rcount_with_context": total // 4,
        "rcount_with_image": total // 6,
    }


def item_basic(entry: CatalogueEntry, malformed: bool) -> dict[str, Any]:
    price = round(mf.served_price(entry, malformed) * PRICE_FACTOR)
    original = round(entry.original_price * PRICE_FACTOR) if entry.original_price else 0
    discounted = original > price
    basic: dict[str, Any] = {
        "itemid": entry.shopee_item_id,
        "shopid": entry.seller.shop_id,
        "name": entry.title,
        "image": _image_hash(entry),
        "images": [_image_hash(entry)],
        "currency": "THB",
        "stock": 0 if entry.index % 17 == 0 else 5 + entry.index % 200,
        "status": 1,
        "ctime": 1_650_000_000 + entry.index * 3_607,
        "sold": entry.sold // 12,
        "historical_sold": entry.sold,
        "liked": False,
        "liked_count": entry.sold // 5,
        "catid": 100_000 + len(entry.family),
        "brand": entry.brand_field or ("0" if entry.index % 2 == 0 else ""),
        "cmt_count": entry.review_count,
        "item_status": "normal",
        "price": price,
        "price_min": price,
        "price_max": price,
        "price_min_before_discount": original if discounted else -1,
        "price_max_before_discount": original if discounted else -1,
        "price_before_discount": original if discounted else 0,
        "show_discount": round(100 * (1 - price / original)) if discounted else 0,
        "raw_discount": round(100 * (1 - price / original)) if discounted else 0,
        "discount": f"-{round(100 * (1 - price / original))}%" if discounted else None,
        "item_rating": _rating(entry),
        "item_card_display_price": {"price": price},
        "shop_name": entry.seller.name,
        "shop_location": entry.seller.location_th,
        "is_official_shop": entry.seller.name.endswith("Official Store"),
    }
    if mf.breaks(entry, "missing_fields", malformed):
        for key in ("name", "price", "price_min", "price_max", "item_card_display_price"):
            basic.pop(key)
    return basic


def search_payload(results: list[CatalogueEntry], newest: int, limit: int, malformed: bool) -> dict[str, Any]:
    """One page of `search_items`: `limit` items from offset `newest`; `nomore` on the last page."""
    chunk = results[newest : newest + limit]
    if malformed and newest > 0 and chunk and newest - 1 < len(results):
        chunk = [results[newest - 1], *chunk]  # the previous page's last item, again
    items = [
        {
            "itemid": entry.shopee_item_id,
            "shopid": entry.seller.shop_id,
            "item_basic": item_basic(entry, malformed),
            "adsid": None,
            "campaignid": None,
            "algo_image": None,
        }
        for entry in chunk
    ]
    return {
        "bff_meta": None,
        "error": None,
        "error_msg": None,
        "items": items,
        "nomore": newest + limit >= len(results),
        "total_count": len(results),
        "total_ads_count": 0,
        "query_rewrite": {},
        "version": 2,
    }


def item_page(entry: CatalogueEntry) -> str:
    """Shopee's item page as a non-browser sees it: a script shell with title and Open Graph tags."""
    import html

    name = html.escape(entry.title)
    return (
        '<!DOCTYPE html>\n<html lang="th"><head><meta charset="utf-8">'
        f"<title>{name} | Shopee Thailand</title>\n"
        f'<meta property="og:title" content="{name}">\n'
        f'<meta property="og:description" content="{html.escape(entry.description[:150])}">\n'
        f'<meta property="product:price:amount" content="{entry.price:.2f}">\n'
        '<meta property="product:price:currency" content="THB">\n'
        '</head><body><div id="main"></div><script src="/assets/bundle.js"></script></body></html>\n'
    )
