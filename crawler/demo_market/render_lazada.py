"""Lazada-shaped answers: the catalog JSON (`/catalog/?q=…&page=…&ajax=true`) and product pages.

Card fields follow Lazada TH's `mods.listItems[]` (name, nid/itemId, skuId, price as a string, priceShow,
sellerName, brandName, protocol-relative itemUrl, itemSoldCntShow, ratingScore, …). Product pages embed
`var __moduleData__ = {…};` (`data.root.fields`: product, skuInfos, specifications, seller, review,
tracking) after a schema.org Product JSON-LD block, as Lazada's server-rendered pages do.
"""

from __future__ import annotations

import html
import json
from typing import Any

from crawler.demo_market import malformed as mf
from crawler.demo_market.catalogue import CatalogueEntry

PAGE_SIZE = 40
# Where Lazada (Alibaba's traffic guard) sends a client it takes for a bot: a slider challenge page.
PUNISH_PATH = "/catalog/_____tmd_____/punish"
_SOLD_SUFFIX = " sold"


def _money(value: float) -> str:
    return f"{value:.2f}"


def _show(value: float) -> str:
    return f"฿{value:,.2f}"


def _sold_text(sold: int) -> str:
    if sold <= 0:
        return ""
    if sold >= 1000:
        return f"{sold / 1000:.1f}K{_SOLD_SUFFIX}".replace(".0K", "K")
    return f"{sold}{_SOLD_SUFFIX}"


def _brand_name(entry: CatalogueEntry) -> str:
    return entry.brand_field or "No Brand"


def _brand_id(entry: CatalogueEntry) -> str:
    return str(30_000 + sum(map(ord, entry.brand_field)) % 9_000) if entry.brand_field else "39704"


def _card_highlights(entry: CatalogueEntry) -> list[str]:
    """Short selling points under the card; the model and licence stay on the product page."""
    lines = entry.description.split("\n")[1:]
    return [line for line in lines if not line.startswith(("ยี่ห้อ:", "รุ่น:", "ใบอนุญาต"))][:2]


def item_path(entry: CatalogueEntry) -> str:
    return entry.path("lazada")


def image_url(host: str, entry: CatalogueEntry) -> str:
    return f"http://{host}/img/{entry.lazada_item_id}.jpg"


def card(entry: CatalogueEntry, host: str, malformed: bool) -> dict[str, Any]:
    """One `listItems[]` card."""
    price = mf.served_price(entry, malformed)
    url = f"//{host}{item_path(entry)}"
    result: dict[str, Any] = {
        "name": entry.title,
        "nid": str(entry.lazada_item_id),
        "itemId": str(entry.lazada_item_id),
        "skuId": str(entry.lazada_sku_id),
        "sku": f"{entry.lazada_item_id}_TH-{entry.lazada_sku_id}",
        "price": _money(price),
        "priceShow": _show(price),
        "ratingScore": f"{entry.rating}" if entry.rating is not None else "",
        "review": str(entry.review_count),
        "itemSoldCntShow": _sold_text(entry.sold),
        "location": entry.seller.location_en,
        "sellerName": entry.seller.name,
        "sellerId": entry.seller.seller_id,
        "brandName": _brand_name(entry),
        "brandId": _brand_id(entry),
        "itemUrl": url,
        "productUrl": f"{url}?search=1",
        "image": image_url(host, entry),
        "inStock": entry.index % 17 != 0,
        "description": _card_highlights(entry),
        "categories": [10_000_000 + len(entry.family), 10_000_100 + entry.index % 7],
    }
    if entry.original_price and entry.original_price > price:
        result["originalPrice"] = _money(entry.original_price)
        result["originalPriceShow"] = _show(entry.original_price)
        result["discount"] = f"-{round(100 * (1 - price / entry.original_price))}%"
    return result


def catalog_payload(
    keyword: str, page: int, results: list[CatalogueEntry], host: str, malformed: bool
) -> dict[str, Any]:
    """The whole catalog answer for one page of a keyword search (empty `listItems` past the end)."""
    start = (page - 1) * PAGE_SIZE
    chunk = results[start : start + PAGE_SIZE] if page >= 1 else []
    return {
        "templates": {},
        "mods": {"listItems": [card(entry, host, malformed) for entry in chunk]},
        "mainInfo": {
            "q": keyword,
            "page": str(page),
            "pageSize": str(PAGE_SIZE),
            "totalResults": str(len(results)),
            "title": keyword,
        },
        "seoInfo": {"title": f"{keyword} | Lazada.co.th"},
    }


def catalog_html(payload_json: str, keyword: str) -> str:
    """The non-ajax catalog page: the same data embedded as `window.pageData` (as Lazada's HTML does)."""
    safe = payload_json.replace("</", "<\\/")
    return (
        '<!DOCTYPE html>\n<html lang="th"><head><meta charset="utf-8">'
        f'<title>{html.escape(keyword)} | Lazada.co.th</title></head><body><div id="root"></div>\n'
        f"<script>window.pageData = {safe};</script>\n</body></html>\n"
    )


def _desc_html(entry: CatalogueEntry) -> str:
    return "".join(f"<p>{html.escape(line, quote=False)}</p>" for line in entry.description.split("\n"))


def module_data(entry: CatalogueEntry, host: str, malformed: bool) -> dict[str, Any]:
    price = mf.served_price(entry, malformed)
    sku = str(entry.lazada_sku_id)
    missing = mf.breaks(entry, "missing_fields", malformed)
    price_info: dict[str, Any] = {"salePrice": {"value": price, "text": _show(price)}}
    if entry.original_price and entry.original_price > price:
        price_info["originalPrice"] = {"value": entry.original_price, "text": _show(entry.original_price)}
    sku_info = {
        "skuId": sku,
        "price": price_info,
        "stock": 0 if entry.index % 17 == 0 else 10 + entry.index % 90,
    }
    product: dict[str, Any] = {
        "title": entry.title,
        "brandName": _brand_name(entry),
        "brandId": _brand_id(entry),
        "desc": _desc_html(entry),
        "highlights": "<ul>"
        + "".join(
            f"<li>{html.escape(k)}: {html.escape(v)}</li>" for k, v in list(entry.attributes.items())[:3]
        )
        + "</ul>",
    }
    fields: dict[str, Any] = {
        "primaryKey": {"itemId": str(entry.lazada_item_id), "skuId": sku, "sellerId": entry.seller.seller_id},
        "product": product,
        "skuInfos": {"0": sku_info, sku: sku_info},
        "productOption": {"skuBase": {"properties": [], "skus": [{"skuId": sku, "propPath": ""}]}},
        "specifications": {sku: {"features": dict(entry.attributes)}},
        "seller": {
            "name": entry.seller.name,
            "sellerId": entry.seller.seller_id,
            "shopId": entry.seller.shop_id,
            "url": f"//{host}/shop/seller-{entry.seller.seller_id}/",
            "location": entry.seller.location_en,
        },
        "review": {"ratings": {"average": entry.rating or 0, "rateCount": entry.review_count}},
        "tracking": {
            "pdt_name": entry.title,
            "pdt_price": _show(price),
            "pdt_sku": str(entry.lazada_item_id),
            "pdt_simplesku": sku,
            "brand_name": _brand_name(entry),
        },
    }
    if missing:
        for key in ("title", "brandName", "desc", "highlights"):
            product.pop(key)
        fields["skuInfos"] = {}
        fields["specifications"] = {}
        fields["tracking"] = {"pdt_sku": str(entry.lazada_item_id)}
    return {"data": {"root": {"fields": fields}}, "pdpType": "normal"}


def json_ld(entry: CatalogueEntry, host: str, malformed: bool) -> dict[str, Any]:
    price = mf.served_price(entry, malformed)
    offers: dict[str, Any]
    availability = "https://schema.org/OutOfStock" if entry.index % 17 == 0 else "https://schema.org/InStock"
    if entry.index % 2:
        offers = {
            "@type": "AggregateOffer",
            "priceCurrency": "THB",
            "lowPrice": price,
            "highPrice": price,
            "offerCount": 1,
            "availability": availability,
        }
    else:
        offers = {
            "@type": "Offer",
            "priceCurrency": "THB",
            "price": price,
            "availability": availability,
            "url": f"http://{host}{item_path(entry)}",
        }
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": entry.title,
        "image": [image_url(host, entry)],
        "brand": {"@type": "Brand", "name": _brand_name(entry)},
        "sku": str(entry.lazada_sku_id),
        "description": entry.description.replace("\n", " "),
        "offers": offers,
    }
    if entry.attributes.get("รุ่น"):
        data["mpn"] = entry.attributes["รุ่น"]
    if entry.rating is not None:
        data["aggregateRating"] = {
            "@type": "AggregateRating",
            "ratingValue": entry.rating,
            "ratingCount": max(entry.review_count, 1),
        }
    return data


def _script_json(data: Any) -> str:
    """JSON safe inside a <script> element (`</` escaped the way sites do)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


def product_page(entry: CatalogueEntry, host: str, malformed: bool) -> str:
    """The product page's HTML (before any malformed-mode cutting or re-encoding)."""
    missing = mf.breaks(entry, "missing_fields", malformed)
    charset = "windows-874" if mf.breaks(entry, "other_encoding", malformed) else "utf-8"
    title = "Lazada.co.th" if missing else f"{html.escape(entry.title)} | Lazada.co.th"
    ld = (
        ""
        if missing
        else f'<script type="application/ld+json">{_script_json(json_ld(entry, host, malformed))}</script>\n'
    )
    module = _script_json(module_data(entry, host, malformed))
    tracking = json.dumps(
        json.dumps(
            {
                "pdt_name": entry.title,
                "pdt_sku": str(entry.lazada_item_id),
                "pdt_simplesku": str(entry.lazada_sku_id),
            },
            ensure_ascii=False,
        ),
        ensure_ascii=False,
    ).replace("</", "<\\/")
    heading = ""
    if not missing:
        heading = (
            '<div id="module_product_title_1"><h1 class="pdp-mod-product-badge-title">'
            f"{html.escape(entry.title)}</h1></div>\n"
        )
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="th"><head><meta charset="{charset}">\n<title>{title}</title>\n'
        f'<link rel="canonical" href="http://{host}{item_path(entry)}">\n'
        f'{ld}</head><body>\n<div id="root"></div>\n{heading}'
        "<script>\n"
        f"var __moduleData__ = {module};\n"
        f"var pdpTrackingData = {tracking};\n"
        "</script>\n</body></html>\n"
    )


def cut_inside_module_data(page: str) -> str:
    """The page cut off part-way through `__moduleData__` (the JSON-LD block before it stays whole)."""
    start = page.index("var __moduleData__")
    end = page.index("var pdpTrackingData")
    return page[: start + (end - start) // 2]


def slider_page(token: str) -> str:
    """Lazada's slider challenge ("slide to verify"): what a blocked catalog search lands on."""
    config = json.dumps(
        {"action": "captcha", "HOST": "", "PATH": PUNISH_PATH, "x5secdata": token, "NCAPPKEY": "X82Y"}
    )
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>Lazada</title>\n'
        '<meta name="viewport" content="width=device-width,initial-scale=1">\n'
        f"<script>window._config_ = {config};</script>\n"
        '</head><body><div id="nocaptcha" class="nc-container"><div id="nc_1_wrapper">'
        '<div id="nc_1__scale_text"><span class="nc-lang-cnt">Please slide to verify</span></div>'
        '<span id="nc_1_n1z" class="nc_iconfont btn_slide"></span></div></div>\n'
        '<script src="//g.alicdn.com/sd/nch5/index.js"></script></body></html>\n'
    )
