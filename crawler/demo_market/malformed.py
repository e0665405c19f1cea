"""What the demo market serves broken when it runs with `malformed=True` — deterministic, so tests
know which answers to expect (`DemoMarket.malformed_urls()` lists the per-listing ones).

Per listing (`CatalogueEntry.malformed`, about 1.5% of listings and at least one of each kind):

- `truncated_html`: the Lazada product page is cut inside `__moduleData__` (the JSON-LD block before it
  survives); the shop's product page is cut inside its JSON-LD block (or mid-page, for microdata pages).
- `missing_fields`: the Lazada product page has no title, brand, price, spec table, description or JSON-LD;
  Shopee's `item_basic` has no `name` and no `price`; the shop's JSON-LD Product has no offers, brand, sku.
- `absurd_price`: the price is 99,999,999.00 (even listing index) or 0.01 (odd) on Lazada cards and pages,
  in Shopee's `item_basic` (×100000) and on the shop.
- `server_error`: the Lazada and shop product pages answer HTTP 500, every time.
- `other_encoding`: the Lazada product page comes in TIS-620 (`charset=windows-874` in header and meta).

Per search page:
- Lazada catalog JSON: page 2 of every keyword is valid JSON cut off mid-card (`BROKEN_CATALOG_PAGE`).
- Shopee search API: the third page of every keyword (`newest == 2 * limit`) is cut off the same way, and
  every page after the first repeats the previous page's last item (a duplicate across pages).
- `malformed_keywords` (a separate option, works without `malformed`): page 1 of those keywords is cut
  off on both APIs.
"""

from __future__ import annotations

from crawler.demo_market.catalogue import CatalogueEntry

BROKEN_CATALOG_PAGE = 2
BROKEN_SEARCH_PAGE_INDEX = 2  # zero-based: the third page
ABSURD_HIGH = 99_999_999.0
ABSURD_LOW = 0.01


def truncate(text: str, fraction: float = 0.6) -> str:
    """The first `fraction` of `text`: what a connection dropped mid-answer leaves behind."""
    return text[: max(1, int(len(text) * fraction))]


def absurd_price(entry: CatalogueEntry) -> float:
    return ABSURD_HIGH if entry.index % 2 == 0 else ABSURD_LOW


def served_price(entry: CatalogueEntry, malformed: bool) -> float:
    """The price the market shows for a listing (absurd in malformed mode for `absurd_price` listings)."""
    if malformed and entry.malformed == "absurd_price":
        return absurd_price(entry)
    return entry.price


def breaks(entry: CatalogueEntry, kind: str, malformed: bool) -> bool:
    return malformed and entry.malformed == kind
