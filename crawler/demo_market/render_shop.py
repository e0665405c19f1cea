"""A small schema.org shop (the kind Shopify/WooCommerce serve) under `/shop/`, for the `schema_org` spider.

- `/shop/` lists the collections; `/shop/collections/<handle>?page=N` lists products, 24 a page, with
  `rel="next"`/`rel="prev"` links;
- `/shop/products/<handle>` is a product page with schema.org Product data: JSON-LD for three products
  in four, microdata for the fourth (extruct reads both): name, description, brand, sku, mpn (the model),
  gtin13, offers (Offer: price, priceCurrency, availability, url) and additionalProperty (the spec table);
- `/sitemap.xml` is a sitemap index → `/sitemap_products_N.xml` (1,000 URLs each) and
  `/sitemap_collections.xml`.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from crawler.demo_market import malformed as mf
from crawler.demo_market.catalogue import CatalogueEntry
from crawler.demo_market.families import FAMILY_BY_KEY, UNREGULATED_BY_KEY

SHOP_NAME = "ไทยโฮม อิเล็คทริค ช็อป"
SHOP_PAGE_SIZE = 24
SITEMAP_CHUNK = 1000


def collection_title(handle: str) -> str:
    if handle in FAMILY_BY_KEY:
        return FAMILY_BY_KEY[handle].category_th
    if handle in UNREGULATED_BY_KEY:
        return UNREGULATED_BY_KEY[handle].category_th
    return handle


def gtin13(entry: CatalogueEntry) -> str:
    """A valid EAN-13 with Thailand's 885 prefix (check digit computed)."""
    body = f"885{entry.index:09d}"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def _page(title: str, body: str, head: str = "", charset: str = "utf-8") -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="th"><head><meta charset="{charset}">\n'
        f"<title>{html.escape(title)}</title>\n"
        f'{head}</head><body>\n<header><a href="/shop/">{SHOP_NAME}</a></header>\n{body}\n</body></html>\n'
    )


def home(collections: Sequence[tuple[str, int]]) -> str:
    items = "\n".join(
        f'<li><a href="/shop/collections/{handle}">{html.escape(collection_title(handle))}</a> ({count})</li>'
        for handle, count in collections
    )
    return _page(SHOP_NAME, f'<h1>{SHOP_NAME}</h1>\n<nav><ul class="collections">\n{items}\n</ul></nav>')


def collection(handle: str, page: int, entries: Sequence[CatalogueEntry]) -> str:
    """One page of a collection; past the last page it lists nothing (like Shopify)."""
    pages = max(1, -(-len(entries) // SHOP_PAGE_SIZE))
    chunk = entries[(page - 1) * SHOP_PAGE_SIZE : page * SHOP_PAGE_SIZE]
    cards = "\n".join(
        f'<li class="product-card"><a href="/shop/products/{entry.shop_handle}">'
        f"{html.escape(entry.title)}</a>"
        f' <span class="price">฿{entry.price:,.2f}</span></li>'
        for entry in chunk
    )
    links, head = [], ""
    if page > 1:
        links.append(f'<a rel="prev" href="/shop/collections/{handle}?page={page - 1}">ก่อนหน้า</a>')
        head += f'<link rel="prev" href="/shop/collections/{handle}?page={page - 1}">\n'
    if page < pages:
        links.append(f'<a rel="next" class="next" href="/shop/collections/{handle}?page={page + 1}">ถัดไป</a>')
        head += f'<link rel="next" href="/shop/collections/{handle}?page={page + 1}">\n'
    title = f"{collection_title(handle)} – หน้า {page} – {SHOP_NAME}"
    body = (
        f'<h1>{html.escape(collection_title(handle))}</h1>\n<ul class="products">\n{cards}\n</ul>\n'
        f'<nav class="pagination">{" ".join(links)}</nav>'
    )
    return _page(title, body, head)


def product_data(entry: CatalogueEntry, base_url: str, malformed: bool) -> dict[str, Any]:
    price = mf.served_price(entry, malformed)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": entry.title,
        "url": f"{base_url}/shop/products/{entry.shop_handle}",
        "image": f"{base_url}/img/shop-{entry.shop_sku}.jpg",
        "description": entry.description.replace("\n", " "),
        "sku": entry.shop_sku,
        "gtin13": gtin13(entry),
        "brand": {"@type": "Brand", "name": entry.brand_field or "ไม่ระบุยี่ห้อ"},
        "offers": {
            "@type": "Offer",
            "price": f"{price:.2f}",
            "priceCurrency": "THB",
            "availability": "https://schema.org/OutOfStock"
            if entry.index % 17 == 0
            else "https://schema.org/InStock",
            "url": f"{base_url}/shop/products/{entry.shop_handle}",
            "seller": {"@type": "Organization", "name": SHOP_NAME},
        },
        "additionalProperty": [
            {"@type": "PropertyValue", "name": name, "value": value}
            for name, value in entry.attributes.items()
        ],
    }
    if entry.attributes.get("รุ่น"):
        data["mpn"] = entry.attributes["รุ่น"]
    if mf.breaks(entry, "missing_fields", malformed):
        for key in ("offers", "brand", "sku", "gtin13", "mpn", "additionalProperty"):
            data.pop(key, None)
    return data


def _microdata(data: dict[str, Any]) -> str:
    parts = [
        '<div itemscope itemtype="https://schema.org/Product">',
        f'<h1 itemprop="name">{html.escape(data["name"])}</h1>',
        f'<link itemprop="url" href="{html.escape(data["url"])}">',
    ]
    if "brand" in data:
        parts.append(
            '<div itemprop="brand" itemscope itemtype="https://schema.org/Brand">'
            f'ยี่ห้อ: <span itemprop="name">{html.escape(data["brand"]["name"])}</span></div>'
        )
    for key in ("sku", "mpn", "gtin13"):
        if key in data:
            parts.append(f'<meta itemprop="{key}" content="{html.escape(data[key])}">')
    if "offers" in data:
        offer = data["offers"]
        parts.append(
            '<div itemprop="offers" itemscope itemtype="https://schema.org/Offer">'
            '<meta itemprop="priceCurrency" content="THB">'
            f'฿<span itemprop="price" content="{offer["price"]}">'
            f'{offer["price"]}</span><link itemprop="availability" href="{offer["availability"]}"></div>'
        )
    parts.append(f'<div itemprop="description">{html.escape(data["description"])}</div>')
    if data.get("additionalProperty"):
        rows = "".join(
            '<tr itemprop="additionalProperty" itemscope itemtype="https://schema.org/PropertyValue">'
            f'<th itemprop="name">{html.escape(p["name"])}</th>'
            f'<td itemprop="value">{html.escape(p["value"])}</td></tr>'
            for p in data["additionalProperty"]
        )
        parts.append(f'<table class="specs">{rows}</table>')
    parts.append("</div>")
    return "\n".join(parts)


def product_page(entry: CatalogueEntry, base_url: str, malformed: bool) -> str:
    data = product_data(entry, base_url, malformed)
    crumbs = (
        f'<nav class="breadcrumb"><a href="/shop/">หน้าแรก</a> › '
        f'<a href="/shop/collections/{entry.family}">{html.escape(collection_title(entry.family))}</a></nav>'
    )
    if entry.index % 4 == 3:
        page = _page(f"{entry.title} – {SHOP_NAME}", f"{crumbs}\n{_microdata(data)}")
        return page[: len(page) // 2] if mf.breaks(entry, "truncated_html", malformed) else page
    ld = json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/")
    if mf.breaks(entry, "truncated_html", malformed):
        # the connection dropped part-way through the JSON-LD block: nothing after it arrives
        head = f'<script type="application/ld+json">{ld}'
        page = _page(f"{entry.title} – {SHOP_NAME}", "", head)
        return page[: page.index(ld) + len(ld) // 2]
    body = (
        f"{crumbs}\n<h1>{html.escape(entry.title)}</h1>\n"
        f'<p class="price">฿{mf.served_price(entry, malformed):,.2f}</p>\n'
        f'<div class="description">{html.escape(entry.description)}</div>'
    )
    return _page(f"{entry.title} – {SHOP_NAME}", body, f'<script type="application/ld+json">{ld}</script>\n')


def sitemap_index(base_url: str, product_chunks: int) -> str:
    maps = [f"{base_url}/sitemap_collections.xml"]
    maps += [f"{base_url}/sitemap_products_{n}.xml" for n in range(1, product_chunks + 1)]
    body = "".join(f"<sitemap><loc>{xml_escape(url)}</loc></sitemap>" for url in maps)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</sitemapindex>\n'


def urlset(urls: Sequence[str]) -> str:
    body = "".join(f"<url><loc>{xml_escape(url)}</loc><lastmod>2026-11-01</lastmod></url>" for url in urls)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</urlset>\n'
