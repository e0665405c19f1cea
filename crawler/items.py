"""The one item class every spider yields (ARCHITECTURE.md, "Data contracts")."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Listing:
    """A product listing as seen on a marketplace, one per `(platform, listing_id)` per crawl."""

    platform: str
    """Source marketplace: `shopee`, `lazada`, or the shop's domain for schema.org shops."""
    listing_id: str
    """The platform's own id for the listing (Shopee `shopid.itemid`, Lazada `itemId`, a shop's sku
    or URL)."""
    url: str
    """Canonical URL of the listing page (the evidence an investigator opens)."""
    title: str
    """Listing title as the seller wrote it (Thai text kept intact)."""
    description: str = ""
    """Free-text description, if the source gives one."""
    brand: str = ""
    """Brand field of the source; empty when the source says "No Brand"/"0"/OEM or gives nothing."""
    price: float | None = None
    """Price in `currency` units (Shopee's ×100000 already divided out); None when absent or absurd."""
    currency: str = "THB"
    """ISO 4217 currency code."""
    seller_id: str = ""
    """The platform's id of the seller/shop."""
    seller_name: str = ""
    """Display name of the seller/shop."""
    attributes: dict[str, str] = field(default_factory=dict)
    """The page's specification table (e.g. `{"มอก.": "2432-2555", "รุ่น": "P-404"}`)."""
    crawled_at: str = ""
    """UTC time the listing was fetched, ISO 8601 (`2026-11-22T06:46:00Z`)."""
    sold: int | None = None
    """Units sold as the platform reports it (historical where available)."""
    rating: float | None = None
    """Average rating 0–5."""
    image_urls: list[str] = field(default_factory=list)
    """Product image URLs."""
    shop_url: str = ""
    """URL of the seller's shop page."""
    source_url: str = ""
    """URL of the response the listing was read from (search API page, catalog page, product page)."""
    detail_page_missing: str = ""
    """Why the listing's own product page was not read although the spider asked for it (`blocked`,
    `unreadable`, `failed`); empty when it was read or none is fetched. The verdict then rests on the
    search card alone: a licence number written only on the product page was not seen."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Listing:
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in data.items() if k in known})
