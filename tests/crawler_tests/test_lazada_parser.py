"""Lazada catalog JSON and product pages → listings; `__moduleData__` cut by balanced braces."""

from __future__ import annotations

import json

import pytest

from crawler.items import Listing
from crawler.parsers.embedded_json import assigned_object, balanced_object_end, called_object
from crawler.parsers.lazada import LazadaCatalogPage, LazadaProductPage
from crawler.parsers.values import PageParseError
from tests.crawler_tests.shapes import lazada_card, lazada_catalog, lazada_product_page

CATALOG_URL = (
    "https://www.lazada.co.th/catalog/?q=%E0%B8%9B%E0%B8%A5%E0%B8%B1%E0%B9%8A%E0%B8%81&page=1&ajax=true"
)
PRODUCT_URL = "https://www.lazada.co.th/products/i4100000001-s9100000001.html"
NOW = "2026-11-22T06:46:00Z"

TRICKY_DESCRIPTION = (
    "<p>ผ่านมาตรฐาน มอก.2432-2555 (ใบอนุญาตเลขที่ ท4080-51/2432)</p><p>รุ่น PT-443 ยาว 3 ม. รองรับ 2300W};</p>"
    '<p>ตัวอย่างโค้ด: var x = {"a": 1}; if (a) { b(); }</p><p>ขนาด 12" x 4\\" {ไม่ใช่ปีกกา</p>'
)


def catalog(cards, total, page=1, url=CATALOG_URL):
    text = json.dumps(lazada_catalog(cards, "ปลั๊ก", page, total), ensure_ascii=False)
    return LazadaCatalogPage(text, url, NOW).parse()


# --- catalog -----------------------------------------------------------------------------------------
def test_catalog_cards_become_listings():
    page = catalog(
        [
            lazada_card(
                4100000001,
                "ปลั๊กพ่วง Toshiba มาตรฐาน มอก. 2432-2555 4 ช่อง",
                "459.00",
                brand="Toshiba",
                seller="Toshiba Official Store",
                sold="1.2K sold",
                rating="4.8",
                description=["มาตรฐาน มอก. 2432-2555", "สายไฟ VCT 3x0.75"],
            ),
            lazada_card(4100000002, "ปลั๊กไฟ 5 ช่อง 5 สวิตช์ 3 เมตร USB", "129.00"),
        ],
        total=95,
    )
    first, second = page.listings
    assert first.platform == "lazada" and first.listing_id == "4100000001"
    assert first.url == "https://www.lazada.co.th/products/i4100000001-s9100000001.html"  # no ?search=1
    assert first.price == 459.0
    assert first.brand == "Toshiba" and second.brand == ""  # "No Brand"
    assert first.seller_name == "Toshiba Official Store"
    assert first.sold == 1200
    assert first.rating == 4.8 and second.rating is None
    assert first.description == "มาตรฐาน มอก. 2432-2555\nสายไฟ VCT 3x0.75"
    assert first.source_url == CATALOG_URL
    assert page.total_results == 95
    assert page.has_more is True  # 1 × 40 < 95


def test_catalog_has_no_more_pages_past_the_total_or_when_empty():
    assert catalog([lazada_card(1, "เต้ารับ", "99.00")], total=81, page=3).has_more is False
    assert catalog([], total=0).has_more is False


def test_card_price_falls_back_to_the_rendered_price_and_reports_a_missing_one():
    page = catalog(
        [
            lazada_card(1, "สวิตช์ไฟ Panasonic", None, priceShow="฿1,290.00"),
            lazada_card(2, "สวิตช์ไฟ ไม่ระบุราคา", None, priceShow=""),
        ],
        total=2,
    )
    assert [listing.price for listing in page.listings] == [1290.0, None]
    assert len(page.problems) == 1 and "item 2" in page.problems[0]


def test_cards_without_id_title_or_link_are_skipped():
    page = catalog(
        [
            lazada_card(1, "", "10.00"),
            lazada_card(2, "ปลั๊ก", "10.00", itemUrl="", productUrl=""),
            "not a card",
            lazada_card(3, "ปลั๊กแปลง", "10.00", itemId="", nid=""),
            lazada_card(4, "ปลั๊กแปลง 3 ขา", "10.00"),
        ],
        total=5,
    )
    assert [listing.listing_id for listing in page.listings] == ["4"]
    assert len(page.skipped) == 4


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"mainInfo": {"page": "1"}, "mods": {"listItems": [{"name": "ปลั๊', "not JSON"),
        ('{"mainInfo": {}, "seoInfo": {}}', "no `mods`"),
        ('{"mods": {"listItems": "none"}}', "not a list"),
    ],
)
def test_unreadable_catalog_answers_raise(text, message):
    with pytest.raises(PageParseError, match=message):
        LazadaCatalogPage(text, CATALOG_URL, NOW).parse()


@pytest.mark.parametrize("score", ["0", "", None])
def test_unrated_card_has_no_rating(score):
    card = lazada_card(4100000009, "ปลั๊กพ่วง 4 ช่อง ยังไม่มีรีวิว", "199.00", rating="4.9", review="0")
    card["ratingScore"] = score
    (listing,) = catalog([card], total=1).listings
    assert listing.rating is None


# --- embedded JSON -----------------------------------------------------------------------------------
def test_balanced_braces_ignore_braces_and_escaped_quotes_inside_strings():
    text = 'x = {"a": "};{", "b": {"c": "\\"}"}, "d": [1, {"e": 2}]}; tail = {"z": 1};'
    start = text.index("{")
    end = balanced_object_end(text, start)
    assert json.loads(text[start:end]) == {"a": "};{", "b": {"c": '"}'}, "d": [1, {"e": 2}]}


def test_assigned_object_finds_the_named_variable_only():
    text = 'var __moduleDataX__ = {"wrong": 1};\nwindow.__moduleData__ = {"right": "};"};'
    assert assigned_object(text, "__moduleData__") == {"right": "};"}
    assert assigned_object("var other = {};", "__moduleData__") is None


def test_assigned_object_that_is_cut_off_is_a_parse_error():
    with pytest.raises(PageParseError, match="not closed"):
        assigned_object('var __moduleData__ = {"data": {"root": {"fields": {"product": "ปลั๊', "__moduleData__")


def test_called_object_is_the_first_argument_of_the_named_call_only():
    text = 'myapp.run({"wrong": 1});\n  app.run({"data": {"desc": "<p>ยาว 3 ม.};</p>"}}, opts);'
    assert called_object(text, "app.run") == {"data": {"desc": "<p>ยาว 3 ม.};</p>"}}
    assert called_object("app.run();", "app.run") is None
    with pytest.raises(PageParseError, match="not closed"):
        called_object('app.run({"data": {"root": "ปลั๊', "app.run")


# --- product page ------------------------------------------------------------------------------------
def product_page(**overrides):
    arguments = {
        "item_id": 4100000001,
        "title": "ปลั๊กพ่วง Toshiba มาตรฐาน มอก. 2432-2555 4 ช่อง 4 สวิตช์ สาย 3 เมตร",
        "brand": "Toshiba",
        "price": 459.0,
        "description_html": TRICKY_DESCRIPTION,
        "features": {"ยี่ห้อ": "Toshiba", "รุ่น": "PT-443", "เลขที่ มอก.": "2432-2555", "ประเทศที่ผลิต": "จีน"},
    }
    arguments.update(overrides)
    return lazada_product_page(**arguments)


def test_module_data_with_closing_brace_semicolon_in_the_description_is_read_whole():
    details = LazadaProductPage(product_page(), PRODUCT_URL, NOW).details()
    assert details.source == "__moduleData__"
    assert details.item_id == "4100000001"
    assert "รองรับ 2300W};" in details.description
    assert 'var x = {"a": 1}; if (a) { b(); }' in details.description
    assert details.description.endswith('ขนาด 12" x 4\\" {ไม่ใช่ปีกกา')
    assert details.attributes == {
        "ยี่ห้อ": "Toshiba",
        "รุ่น": "PT-443",
        "เลขที่ มอก.": "2432-2555",
        "ประเทศที่ผลิต": "จีน",
    }
    assert details.price.value == 459.0
    assert details.seller_name == "PowerHome Official"
    assert details.rating == 4.6


def test_product_page_enriches_the_catalog_card():
    card = Listing(
        platform="lazada",
        listing_id="4100000001",
        url="https://www.lazada.co.th/products/i4100000001-s9100000001.html",
        title="ปลั๊กพ่วง Toshiba มอก. 4 ช่อง",
        brand="",
        price=499.0,
        seller_name="Toshiba Official Store",
        sold=1200,
        attributes={"location": "Bangkok"},
        source_url=CATALOG_URL,
    )
    listing = LazadaProductPage(product_page(), PRODUCT_URL, NOW).enrich(card)
    assert listing.listing_id == "4100000001" and listing.url == card.url
    assert listing.title.startswith("ปลั๊กพ่วง Toshiba มาตรฐาน")
    assert listing.brand == "Toshiba"
    assert listing.price == 459.0  # the product page's current price
    assert listing.sold == 1200  # only the card knows
    assert listing.attributes["รุ่น"] == "PT-443" and listing.attributes["location"] == "Bangkok"
    assert listing.source_url == PRODUCT_URL


def test_product_page_on_its_own_is_a_listing():
    page = LazadaProductPage(product_page(), PRODUCT_URL, NOW).parse()
    assert page.listings[0].listing_id == "4100000001"
    assert page.listings[0].url == PRODUCT_URL


def test_older_app_run_layout_is_read_like_module_data():
    html = product_page(app_run=True)
    assert "__moduleData__" not in html
    details = LazadaProductPage(html, PRODUCT_URL, NOW).details()
    assert details.source == "app.run"
    assert details.attributes["รุ่น"] == "PT-443" and details.attributes["เลขที่ มอก."] == "2432-2555"
    assert "ใบอนุญาตเลขที่ ท4080-51/2432" in details.description  # not JSON-LD's one line
    assert details.price.value == 459.0 and details.problems == []


def test_product_page_of_an_unrated_product_has_no_rating():
    html = product_page().replace('"average": 4.6, "rateCount": 88', '"average": 0, "rateCount": 0')
    details = LazadaProductPage(html, PRODUCT_URL, NOW).details()
    assert details.rating is None


def test_json_ld_is_the_fallback_when_module_data_is_missing():
    html = product_page(module_data=False)
    details = LazadaProductPage(html, PRODUCT_URL, NOW).details()
    assert details.source == "json-ld"
    assert details.item_id == "4100000001"  # from the URL
    assert details.brand == "Toshiba"
    assert details.price.value == 459.0
    assert details.attributes["sku"] == "9100000001"


def test_truncated_page_falls_back_to_json_ld_in_the_head_and_says_so():
    html = product_page()
    truncated = html[: html.index("รองรับ 2300W")]
    details = LazadaProductPage(truncated, PRODUCT_URL, NOW).details()
    assert details.source == "json-ld"
    assert any("not closed" in problem for problem in details.problems)


def test_truncated_page_without_json_ld_is_a_parse_error():
    html = product_page(json_ld=False)
    truncated = html[: html.index("รองรับ 2300W")]
    with pytest.raises(PageParseError, match="not closed"):
        LazadaProductPage(truncated, PRODUCT_URL, NOW).details()


def test_page_with_neither_source_is_a_parse_error():
    html = "<html><head><title>Lazada</title></head><body><div id='root'></div></body></html>"
    with pytest.raises(PageParseError, match=r"no schema\.org Product"):
        LazadaProductPage(html, PRODUCT_URL, NOW).details()


def test_missing_fields_in_module_data_leave_the_card_values():
    html = product_page(features={}, brand="No Brand")
    card = Listing(platform="lazada", listing_id="4100000001", url=PRODUCT_URL, title="ปลั๊ก", brand="Toshiba")
    listing = LazadaProductPage(html, PRODUCT_URL, NOW).enrich(card)
    assert listing.brand == "Toshiba"
    assert listing.attributes == {}


def test_scheme_relative_links_keep_the_page_scheme_on_the_same_host_and_mean_https_elsewhere():
    mirror = "http://127.0.0.1:8000/catalog/?q=x&page=1&ajax=true"
    cards = [
        lazada_card(1, "ปลั๊กพ่วง", "99.00", host="//127.0.0.1:8000"),
        lazada_card(2, "ปลั๊กพ่วง 2", "99.00"),  # //www.lazada.co.th
    ]
    page = catalog(cards, total=2, url=mirror)
    assert page.listings[0].url == "http://127.0.0.1:8000/products/i1-s5000000001.html"
    assert page.listings[1].url == "https://www.lazada.co.th/products/i2-s5000000002.html"


@pytest.mark.parametrize("page_url", [CATALOG_URL, "http://127.0.0.1:8000/catalog/?q=x&page=1&ajax=true"])
def test_cards_on_the_bare_domain_get_the_sites_www_url(page_url):
    cards = [
        lazada_card(3, "ปลั๊กพ่วง Toshiba 4 ช่อง", "459.00", host="//lazada.co.th"),
        lazada_card(4, "ปลั๊กพ่วง CSC 5 ช่อง", "379.00", host="https://lazada.co.th"),
        lazada_card(5, "ปลั๊กพ่วง Anitech 3 ช่อง", "399.00", host="https://www.lazada.co.th"),
    ]
    cards[1]["itemUrl"] += "?spm=a2o4m.searchlist.list.1"
    urls = [listing.url for listing in catalog(cards, total=3, url=page_url).listings]
    assert urls == [f"https://www.lazada.co.th/products/i{n}-s{n + 5_000_000_000}.html" for n in (3, 4, 5)]
