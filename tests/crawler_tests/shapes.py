"""Builders of marketplace answers in the shapes the real sites serve (see ARCHITECTURE.md, "Marketplaces").

Field names and units follow the real APIs: Shopee's `items[].item_basic` with prices × 100000 and
`brand: "0"` for no brand; Lazada's catalog `mods.listItems[]` with string prices and
`//www.lazada.co.th/products/…-i<itemId>-s<skuId>.html` links; Lazada product pages with
`var __moduleData__ = {…};` and a schema.org JSON-LD block. Values are invented for the tests.
"""

from __future__ import annotations

import json
from typing import Any


def shopee_item(
    itemid: int,
    shopid: int,
    name: str,
    price_thb: float | None,
    brand: str = "0",
    sold: int = 0,
    historical_sold: int | None = None,
    rating: float | None = 4.7,
    shop_name: str = "",
    **extra: Any,
) -> dict[str, Any]:
    basic: dict[str, Any] = {
        "itemid": itemid,
        "shopid": shopid,
        "name": name,
        "currency": "THB",
        "stock": 50,
        "status": 1,
        "sold": sold,
        "historical_sold": historical_sold if historical_sold is not None else sold * 12,
        "brand": brand,
        "catid": 100010,
        "shop_location": "กรุงเทพมหานคร",
        "image": f"th-11134207-7r98o-{itemid:x}",
        "images": [f"th-11134207-7r98o-{itemid:x}", f"th-11134207-7r98p-{itemid:x}"],
        "item_rating": {"rating_star": rating, "rating_count": [120, 2, 1, 5, 20, 92]} if rating else None,
    }
    if price_thb is not None:
        scaled = round(price_thb * 100000)
        basic.update(price=scaled, price_min=scaled, price_max=scaled, price_before_discount=0)
    if shop_name:
        basic["shop_name"] = shop_name
    basic.update(extra)
    return {"itemid": itemid, "shopid": shopid, "adsid": None, "item_basic": basic}


# A non-product card Shopee mixes into search results (a recommended collection): no item_basic.
SHOPEE_COLLECTION_CARD = {
    "item_basic": None,
    "adsid": None,
    "campaignid": None,
    "collection_id": 1234567,
    "display_name": "คอลเลกชันแนะนำ",
    "json_data": "",
    "itemid": None,
    "shopid": None,
    "item_type": 1,
}


def shopee_page(items: list[dict[str, Any]], nomore: bool, total_count: int | None = None) -> dict[str, Any]:
    return {
        "version": "a1b2c3",
        "error": None,
        "error_msg": None,
        "nomore": nomore,
        "total_count": total_count if total_count is not None else len(items),
        "total_ads_count": 0,
        "items": items or None,
    }


# Shopee's anti-bot answer to a logged-out API call (shape of the real captures).
SHOPEE_BLOCKED = {
    "is_customized": False,
    "is_login": False,
    "action_type": 2,
    "error": 90309999,
    "tracking_id": "5f1c2a9e-0d4b-4c7e-9a61-3e2f7b8c1d00",
    "redirect_to_error_page": True,
}

# Lazada's slider ("punish") page, as served instead of a catalog page when traffic looks automated.
LAZADA_SLIDER_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Lazada</title>
<script>window._config_ = {"action":"captcha","url":"/_____tmd_____/punish?x5secdata=xcWm9…"}</script>
</head><body><div id="nocaptcha"><div id="nc_1_n1z" class="nc_iconfont btn_slide">&#xe620;</div>
<span>กรุณาเลื่อนเพื่อยืนยัน</span></div></body></html>"""


def lazada_card(
    item_id: int,
    name: str,
    price: str | None,
    brand: str = "No Brand",
    seller: str = "Global Mall 888",
    sold: str = "",
    rating: str = "",
    host: str = "//www.lazada.co.th",
    **extra: Any,
) -> dict[str, Any]:
    sku_id = item_id + 5_000_000_000
    card: dict[str, Any] = {
        "name": name,
        "nid": str(item_id),
        "itemId": str(item_id),
        "skuId": str(sku_id),
        "sku": f"{item_id}_TH-{sku_id}",
        "priceShow": f"฿{price}" if price else "",
        "ratingScore": rating,
        "review": "12" if rating else "0",
        "itemSoldCntShow": sold,
        "location": "Bangkok",
        "sellerName": seller,
        "sellerId": str(100_000_000 + item_id % 1000),
        "brandName": brand,
        "brandId": "39704" if brand == "No Brand" else "30001",
        "itemUrl": f"{host}/products/i{item_id}-s{sku_id}.html",
        "productUrl": f"{host}/products/i{item_id}-s{sku_id}.html?search=1",
        "image": f"https://img.lazcdn.com/g/p/{item_id:x}.jpg",
        "inStock": True,
        "description": [],
    }
    if price is not None:
        card["price"] = price
    card.update(extra)
    return card


def lazada_catalog(
    cards: list[dict[str, Any]], keyword: str, page: int, total: int, page_size: int = 40
) -> dict:
    return {
        "templates": {},
        "mainInfo": {
            "q": keyword,
            "page": str(page),
            "pageSize": str(page_size),
            "totalResults": str(total),
            "title": keyword,
        },
        "seoInfo": {},
        "mods": {"filter": {}, "listItems": cards, "breadcrumb": []},
    }


def lazada_product_path(card: dict[str, Any]) -> str:
    return "/products/" + card["itemUrl"].rsplit("/products/", 1)[1]


def lazada_product_page(
    item_id: int,
    title: str,
    brand: str,
    price: float,
    description_html: str,
    features: dict[str, str],
    seller: str = "PowerHome Official",
    json_ld: bool = True,
    module_data: bool = True,
    app_run: bool = False,
) -> str:
    """A product page; `app_run=True` gives the older layout, `app.run({…})` instead of `__moduleData__`."""
    sku_id = str(item_id + 5_000_000_000)
    fields = {
        "primaryKey": {"itemId": str(item_id), "skuId": sku_id, "sellerId": "1000123"},
        "product": {"title": title, "brandName": brand, "desc": description_html},
        "skuInfos": {
            "0": {"skuId": sku_id, "price": {"salePrice": {"value": price, "text": f"฿{price:,.2f}"}}},
            sku_id: {"skuId": sku_id, "price": {"salePrice": {"value": price, "text": f"฿{price:,.2f}"}}},
        },
        "specifications": {sku_id: {"features": features}},
        "seller": {"name": seller, "sellerId": "1000123", "shopId": 77001},
        "review": {"ratings": {"average": 4.6, "rateCount": 88}},
    }
    module = json.dumps({"data": {"root": {"fields": fields}}}, ensure_ascii=False)
    ld = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": title,
        "brand": {"@type": "Brand", "name": brand},
        "sku": sku_id,
        "description": "ดูรายละเอียดสินค้าด้านล่าง",
        "offers": {"@type": "AggregateOffer", "priceCurrency": "THB", "lowPrice": price, "highPrice": price},
    }
    head = (
        f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>' if json_ld else ""
    )
    script = (
        f"<script>\nvar __moduleData__ = {module};\nvar __googleBot__ = false;\n</script>"
        if module_data
        else ""
    )
    if app_run:
        script = f"<script>\n  app.run({module});\n</script>"
    return (
        f'<!DOCTYPE html><html lang="th"><head><meta charset="utf-8"><title>{title} | Lazada.co.th</title>'
        f'{head}</head><body><div id="container"></div>{script}</body></html>'
    )


# Lazada's current slider ("bixi" punish) page, served with HTTP 200 in place of a product page. It
# carries none of the classic page's markup (no nocaptcha container, no x5secdata): only the
# rgv587 comment, the punish config object and script. Shape after the pages public scrapers detect.
LAZADA_PUNISH_PAGE = """<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>Lazada.co.th</title>
<link rel="stylesheet" href="https://bixi.alicdn.com/punish/punish:resource:template:lazadaTH:default_1.0.12.css">
</head>
<body>
<!--rgv587_flag:sm-->
<div id="app"></div>
<div class="punish-tips" style="display:none">ขออภัย เราตรวจพบการใช้งานที่ผิดปกติ กรุณาเลื่อนเพื่อยืนยัน</div>
<script>
window._config_ = {"action":"captcha","HOST":"www.lazada.co.th","PATH":"/products/i1.html","QUERY":{},
  "NCTOKENSTR":"9f0b1c2d3e4f","NCAPPKEY":"X82Y__7e4e0c7d8b1c","SECDATA":"d41d8cd98f00b204",
  "FORMACTION":"/_____tmd_____/verify/","BXSTEP":100,"LANGUAGE":"th","isSSR":true};
</script>
<script src="https://bixi.alicdn.com/punish/punish:resource:template:lazadaTH:default_1.0.12.js"></script>
</body>
</html>"""

# What Lazada's traffic guard answers an ajax call (the catalog JSON) with, as HTTP 200 JSON.
LAZADA_RGV587_JSON = {
    "rgv587_flag": "sm",
    "url": "//www.lazada.co.th/catalog/_____tmd_____/punish?x5secdata=xd4a21c9f0b2e3a6a7c5d3e1f0a9b8c7d6"
    "__bx__www.lazada.co.th%3A443%2Fcatalog%2F&x5step=1",
}


# Shopee's login page, served with HTTP 200 in place of an API answer to a logged-out session.
SHOPEE_LOGIN_PAGE = """<!DOCTYPE html><html lang="th"><head><meta charset="utf-8">
<title>เข้าสู่ระบบ | Shopee Thailand</title></head><body><div id="main"><div class="login-form">
<form action="/buyer/login" method="post"><input name="loginKey" placeholder="หมายเลขโทรศัพท์/ชื่อผู้ใช้/อีเมล">
<input name="password" type="password"><button>เข้าสู่ระบบ</button></form></div></div>
<script>window.__INITIAL_STATE__={"isLogin":false}</script></body></html>"""
