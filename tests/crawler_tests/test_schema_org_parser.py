"""schema.org Product markup (JSON-LD, microdata, RDFa) → listings."""

from __future__ import annotations

import json

import pytest

from crawler.parsers.schema_org import SchemaOrgProductPage
from crawler.parsers.values import PageParseError

URL = "https://www.powerplug-shop.co.th/products/csc-as551-5-outlet"
NOW = "2026-11-22T06:46:00Z"


def page_with(head: str = "", body: str = "") -> str:
    return (
        f'<!DOCTYPE html><html lang="th"><head><meta charset="utf-8">{head}</head><body>{body}</body></html>'
    )


def json_ld(data) -> str:
    return f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>'


def parse(html: str, url: str = URL):
    return SchemaOrgProductPage(html, url, NOW).parse()


WOO_PRODUCT = {
    "@context": "https://schema.org/",
    "@type": "Product",
    "name": "CSC รางปลั๊กไฟ มอก. 5 ช่อง 1 สวิตช์ รุ่น AS551 ยาว 3 เมตร",
    "description": "<p>มาตรฐาน มอก. 2432-2555</p><p>ใบอนุญาต ท1877-58/2432</p>",
    "sku": "AS551-3M",
    "mpn": "AS551",
    "gtin13": "8851234567897",
    "brand": {"@type": "Brand", "name": "CSC"},
    "image": ["https://www.powerplug-shop.co.th/wp-content/uploads/as551.jpg"],
    "offers": [
        {
            "@type": "Offer",
            "price": "379.00",
            "priceCurrency": "THB",
            "seller": {"@type": "Organization", "name": "PowerPlug Shop"},
        },
        {"@type": "Offer", "priceSpecification": {"price": 359, "priceCurrency": "THB"}},
    ],
    "additionalProperty": [
        {"@type": "PropertyValue", "name": "มอก.", "value": "2432-2555"},
        {"@type": "PropertyValue", "name": "ความยาวสาย", "value": 3, "unitText": "m"},
    ],
    "aggregateRating": {"@type": "AggregateRating", "ratingValue": "4.7", "reviewCount": "31"},
}


def test_json_ld_product_with_offers_brand_codes_and_additional_properties():
    page = parse(page_with(head=json_ld(WOO_PRODUCT)))
    (listing,) = page.listings
    assert listing.platform == "powerplug-shop.co.th"
    assert listing.listing_id == "AS551-3M"
    assert listing.url == URL
    assert listing.title.startswith("CSC รางปลั๊กไฟ")
    assert listing.brand == "CSC"
    assert listing.price == 359.0  # the lowest offer
    assert listing.currency == "THB"
    assert listing.seller_name == "PowerPlug Shop"
    assert listing.description == "มาตรฐาน มอก. 2432-2555\nใบอนุญาต ท1877-58/2432"
    assert listing.attributes == {
        "sku": "AS551-3M",
        "mpn": "AS551",
        "gtin": "8851234567897",
        "มอก.": "2432-2555",
        "ความยาวสาย": "3 m",
    }
    assert listing.rating == 4.7
    assert listing.image_urls == ["https://www.powerplug-shop.co.th/wp-content/uploads/as551.jpg"]
    assert listing.source_url == URL


def test_product_inside_a_graph_with_aggregate_offer_and_string_brand():
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebPage", "@id": URL, "name": "หมวกกันน็อค"},
            {
                "@type": ["Product", "Thing"],
                "name": "หมวกกันน็อค INDEX รุ่น Titan มอก.369-2557",
                "brand": "INDEX",
                "offers": {
                    "@type": "AggregateOffer",
                    "lowPrice": "890",
                    "highPrice": "1090",
                    "priceCurrency": "thb",
                },
            },
        ],
    }
    (listing,) = parse(page_with(head=json_ld(graph))).listings
    assert listing.brand == "INDEX"
    assert listing.price == 890.0 and listing.currency == "THB"
    assert listing.listing_id == "/products/csc-as551-5-outlet"  # no sku: the URL path


def test_product_group_takes_its_price_from_variants():
    group = {
        "@context": "https://schema.org",
        "@type": "ProductGroup",
        "name": "พาวเวอร์แบงค์ Eloop E53 10000mAh",
        "brand": {"@type": "Brand", "name": "Eloop"},
        "productGroupID": "E53",
        "hasVariant": [
            {
                "@type": "Product",
                "sku": "E53-BK",
                "offers": {"@type": "Offer", "price": 459, "priceCurrency": "THB"},
            },
            {
                "@type": "Product",
                "sku": "E53-WH",
                "offers": {"@type": "Offer", "price": 439, "priceCurrency": "THB"},
            },
        ],
    }
    listings = parse(page_with(head=json_ld(group))).listings
    assert listings[0].title == "พาวเวอร์แบงค์ Eloop E53 10000mAh"
    assert listings[0].price == 439.0


MICRODATA = """
<div itemscope itemtype="https://schema.org/Product">
  <h1 itemprop="name">สวิตช์ไฟ Panasonic WEG5001K มอก.824-2551</h1>
  <span itemprop="brand" itemscope itemtype="https://schema.org/Brand">
    <span itemprop="name">Panasonic</span>
  </span>
  <meta itemprop="sku" content="WEG5001K">
  <div itemprop="offers" itemscope itemtype="https://schema.org/Offer">
    <span itemprop="price" content="65.00">฿65</span><meta itemprop="priceCurrency" content="THB">
  </div>
  <div itemprop="additionalProperty" itemscope itemtype="https://schema.org/PropertyValue">
    <span itemprop="name">เลขที่ใบอนุญาต</span><span itemprop="value">ท2951-48/824</span>
  </div>
</div>"""

RDFA = """
<div vocab="https://schema.org/" typeof="Product">
  <span property="name">เตารีดไฟฟ้า Philips GC1742 มอก.366-2547</span>
  <div property="brand" typeof="Brand"><span property="name">Philips</span></div>
  <span property="mpn">GC1742</span>
  <div property="offers" typeof="Offer">
    <span property="price" content="790">790 บาท</span><span property="priceCurrency" content="THB">THB</span>
  </div>
  <div property="additionalProperty" typeof="PropertyValue">
    <span property="name">กำลังไฟ</span><span property="value">1200</span><span property="unitText">W</span>
  </div>
</div>"""


def test_microdata_product():
    (listing,) = parse(page_with(body=MICRODATA)).listings
    assert listing.title == "สวิตช์ไฟ Panasonic WEG5001K มอก.824-2551"
    assert listing.brand == "Panasonic"
    assert listing.listing_id == "WEG5001K"
    assert listing.price == 65.0
    assert listing.attributes["เลขที่ใบอนุญาต"] == "ท2951-48/824"


def test_rdfa_product():
    (listing,) = parse(page_with(body=RDFA)).listings
    assert listing.title == "เตารีดไฟฟ้า Philips GC1742 มอก.366-2547"
    assert listing.brand == "Philips"
    assert listing.price == 790.0
    assert listing.attributes["mpn"] == "GC1742"
    assert listing.attributes["กำลังไฟ"] == "1200 W"


def test_the_same_product_in_json_ld_and_microdata_is_one_listing():
    same = dict(WOO_PRODUCT, sku="WEG5001K", name="สวิตช์ไฟ Panasonic WEG5001K มอก.824-2551")
    page = parse(page_with(head=json_ld(same), body=MICRODATA))
    assert [listing.listing_id for listing in page.listings] == ["WEG5001K"]


def test_broken_json_ld_block_does_not_hide_the_microdata():
    broken = '<script type="application/ld+json">{"@type": "Product", "name": "ปลั๊ก</script>'
    page = parse(page_with(head=broken, body=MICRODATA))
    assert [listing.listing_id for listing in page.listings] == ["WEG5001K"]
    assert any("json-ld markup unreadable" in reason for reason in page.skipped)  # a parse error


def test_product_without_price_or_name():
    no_price = {"@context": "https://schema.org", "@type": "Product", "name": "ถังแก๊ส 15 กก.", "sku": "LPG15"}
    nameless = {"@context": "https://schema.org", "@type": "Product", "sku": "X1"}
    page = parse(page_with(head=json_ld(no_price) + json_ld(nameless)))
    assert [(listing.listing_id, listing.price) for listing in page.listings] == [("LPG15", None)]
    assert len(page.skipped) == 1
    assert any("missing price" in problem for problem in page.problems)


def test_page_without_product_markup_has_no_listings():
    html = page_with(
        head=json_ld({"@context": "https://schema.org", "@type": "Organization", "name": "Shop"}),
        body='<a href="/products/a">a</a>',
    )
    page = parse(html)
    assert page.listings == [] and page.problems == []


def test_non_html_answer_is_a_parse_error():
    with pytest.raises(PageParseError):
        parse('{"products": []}')


def test_cent_prices_are_kept_in_other_currencies_but_not_in_baht():
    usd = dict(WOO_PRODUCT, offers={"@type": "Offer", "price": "0.50", "priceCurrency": "USD"})
    thb = dict(WOO_PRODUCT, offers={"@type": "Offer", "price": "0.50", "priceCurrency": "THB"})
    assert parse(page_with(head=json_ld(usd))).listings[0].price == 0.5
    assert parse(page_with(head=json_ld(thb))).listings[0].price is None


# A theme habit (WordPress, Magento): the JSON-LD wrapped as script CDATA, with raw line breaks in a string.
CDATA_PRODUCT = """<script type="application/ld+json">//<![CDATA[
{
  "@context": "https://schema.org",
  "@type": "Product",
  "name": "หมวกกันน็อคเด็ก ครึ่งใบ มอก.369-2557",
  "description": "หมวกกันน็อคสำหรับเด็ก
น้ำหนักเบา ใบอนุญาต ท1007-62/369",
  "sku": "KID-HALF-01",
  "brand": "Real",
  "offers": {"@type": "Offer", "price": 399, "priceCurrency": "THB"}
}
//]]></script>"""


@pytest.mark.parametrize(
    "markup",
    [
        CDATA_PRODUCT,
        CDATA_PRODUCT.replace("//<![CDATA[", "<![CDATA[").replace("//]]>", "]]>"),
        CDATA_PRODUCT.replace("//<![CDATA[", "/*<![CDATA[*/").replace("//]]>", "/*]]>*/"),
        CDATA_PRODUCT.replace("//<![CDATA[", "<!--").replace("//]]>", "-->"),
    ],
)
def test_json_ld_wrapped_in_cdata_or_a_comment_is_read(markup):
    page = parse(page_with(head=markup))
    (listing,) = page.listings
    assert listing.title == "หมวกกันน็อคเด็ก ครึ่งใบ มอก.369-2557"
    assert listing.listing_id == "KID-HALF-01" and listing.brand == "Real" and listing.price == 399.0
    assert "ท1007-62/369" in listing.description
    assert page.problems == []


def test_brand_and_seller_given_by_id_reference_in_a_yoast_graph_are_resolved():
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebPage", "@id": URL, "url": URL, "name": "พาวเวอร์แบงค์ Eloop E29"},
            {
                "@type": "Organization",
                "@id": "https://www.powerplug-shop.co.th/#organization",
                "name": "ร้านไฟฟ้าดีดี",
            },
            {"@type": "Brand", "@id": "https://www.powerplug-shop.co.th/#brand-eloop", "name": "Eloop"},
            {
                "@type": "Product",
                "@id": f"{URL}#product",
                "name": "พาวเวอร์แบงค์ Eloop E29 30000mAh มอก.2879-2560",
                "sku": "E29",
                "brand": {"@id": "https://www.powerplug-shop.co.th/#brand-eloop"},
                "mainEntityOfPage": {"@id": URL},
                "offers": {
                    "@type": "Offer",
                    "price": 590,
                    "priceCurrency": "THB",
                    "seller": {"@id": "https://www.powerplug-shop.co.th/#organization"},
                },
            },
        ],
    }
    (listing,) = parse(page_with(head=json_ld(graph))).listings
    assert listing.brand == "Eloop"
    assert listing.seller_name == "ร้านไฟฟ้าดีดี"
    assert listing.price == 590.0 and listing.listing_id == "E29"


def test_a_product_reached_through_a_collection_gets_its_canonical_url():
    product = {key: value for key, value in WOO_PRODUCT.items() if key != "url"}
    shop = "https://www.powerplug-shop.co.th"
    route = f"{shop}/collections/power-strips/products/csc-as551-5-outlet"
    head = f'<link rel="canonical" href="/products/csc-as551-5-outlet">{json_ld(product)}'
    (listing,) = parse(page_with(head=head), url=route).listings
    assert listing.url == f"{shop}/products/csc-as551-5-outlet"
    # A canonical link to another host (a marketplace copy) is not the shop's URL.
    elsewhere = f'<link rel="canonical" href="https://other.example/p/1">{json_ld(product)}'
    (listing,) = parse(page_with(head=elsewhere), url=route).listings
    assert listing.url == route


def test_markup_too_deep_to_read_is_a_parse_error_not_an_empty_page():
    product = {"@context": "https://schema.org", "@type": "Product", "name": "CSC รางปลั๊กไฟ", "sku": "AS551"}
    deep_json = '{"a":' * 100_000 + "1" + "}" * 100_000
    beside_deep_block = parse(
        page_with(head=json_ld(product) + f'<script type="application/ld+json">{deep_json}</script>')
    )
    inside_deep_divs = parse(page_with(body="<div>" * 100_000 + json_ld(product) + "</div>" * 100_000))
    for page in (beside_deep_block, inside_deep_divs):
        assert page.listings == []
        assert page.skipped  # counted as parse errors by the spider: the query is incomplete
    assert "json-ld markup unreadable (RecursionError" in beside_deep_block.skipped[0]
    assert "no Product markup could be read" in inside_deep_divs.skipped[-1]
