"""The demo market as a crawler sees it: a real HTTP server on 127.0.0.1, every page shape parsed back."""

from __future__ import annotations

import json
import re
import socket
import urllib.error
import urllib.request
import urllib.robotparser
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote, urlsplit

import extruct
import pytest

from crawler.demo_market import DemoMarket, build_catalogue
from tests.demo_market.pages import balanced_object, fetch, json_ld_blocks

KEYWORD = "ปลั๊กพ่วง"


@pytest.fixture(scope="module")
def market():
    with DemoMarket(port=0, size=400, seed=2432) as running:
        yield running


@pytest.fixture(scope="module")
def big_catalogue():
    return build_catalogue(2000, 5)


def catalog_url(market: DemoMarket, keyword: str, page: int = 1) -> str:
    return f"{market.base_url}/catalog/?q={quote(keyword)}&page={page}&ajax=true"


def search_url(market: DemoMarket, keyword: str, newest: int = 0, limit: int = 60) -> str:
    return (
        f"{market.base_url}/api/v4/search/search_items?keyword={quote(keyword)}"
        f"&newest={newest}&limit={limit}&by=relevancy"
    )


def busiest_keyword(catalogue, platform: str, minimum: int) -> str:
    for keyword in ("ปลั๊กไฟ", "ปลั๊กพ่วง", "พาวเวอร์แบงค์", "หมวกกันน็อค", "ของเล่น"):
        if len(catalogue.search(keyword, platform)) > minimum:
            return keyword
    pytest.fail(f"no keyword with more than {minimum} {platform} results")


# --- lifecycle ---------------------------------------------------------------------------------------


def test_binds_an_ephemeral_port_on_loopback_and_stops_cleanly():
    market = DemoMarket(port=0, size=300)
    with pytest.raises(RuntimeError):
        _ = market.base_url  # not running yet
    with market:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", market.base_url)
        assert market.port != 0
        assert fetch(f"{market.base_url}/robots.txt").status == 200
        port = market.port
    assert not market.running
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        pass


def test_robots_allows_the_crawl_paths_and_names_the_sitemap(market):
    robots = fetch(f"{market.base_url}/robots.txt").text
    parser = urllib.robotparser.RobotFileParser()
    parser.parse(robots.splitlines())
    for path in (
        "/catalog/?q=x&ajax=true",
        "/products/a-i1-s2.html",
        "/api/v4/search/search_items?keyword=x",
        "/shop/products/x.html",
        "/shop/collections/fan?page=2",
        "/sitemap.xml",
    ):
        assert parser.can_fetch("tiswatch", f"{market.base_url}{path}"), path
    assert not parser.can_fetch("tiswatch", f"{market.base_url}/checkout")
    assert parser.site_maps() == [f"{market.base_url}/sitemap.xml"]


def test_unknown_paths_are_404_and_bad_numbers_400(market):
    assert fetch(f"{market.base_url}/nowhere").status == 404
    assert fetch(f"{market.base_url}/products/x-i1-s2.html").status == 404
    bad = fetch(f"{market.base_url}/catalog/?q=x&page=two&ajax=true")
    assert bad.status == 400 and "page" in bad.json()["error"]
    assert fetch(f"{market.base_url}/api/v4/search/search_items?keyword=x&newest=abc").status == 400


def test_serves_concurrent_requests(market):
    urls = [catalog_url(market, KEYWORD), search_url(market, KEYWORD), f"{market.base_url}/shop/"] * 10
    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = list(pool.map(lambda url: fetch(url).status, urls))
    assert statuses == [200] * len(urls)


# --- Lazada ------------------------------------------------------------------------------------------


def test_lazada_catalog_json_has_the_real_card_fields(market):
    answer = fetch(catalog_url(market, KEYWORD))
    assert answer.status == 200 and answer.content_type.startswith("application/json")
    data = answer.json()
    expected = market.catalogue.search(KEYWORD, "lazada")
    assert data["mainInfo"]["pageSize"] == "40"
    assert data["mainInfo"]["totalResults"] == str(len(expected)) and expected
    cards = data["mods"]["listItems"]
    assert [card["itemId"] for card in cards] == [str(e.lazada_item_id) for e in expected[:40]]
    for card, entry in zip(cards, expected, strict=False):
        assert card["name"] == entry.title
        assert card["nid"] == card["itemId"]
        assert float(card["price"]) == entry.price and re.fullmatch(r"\d+\.\d\d", card["price"])
        assert card["priceShow"].startswith("฿")
        assert card["sellerName"] == entry.seller.name and card["sellerId"]
        assert card["brandName"] == (entry.brand_field or "No Brand")
        assert card["itemUrl"].startswith(f"//{market.host}/products/")
        item, sku = re.search(r"-i(\d+)-s(\d+)\.html$", card["itemUrl"]).groups()
        assert (item, sku) == (card["itemId"], card["skuId"])
        assert KEYWORD in entry.title or KEYWORD in market.catalogue.family_terms[entry.family]


def test_lazada_pagination_ends_with_empty_list_items(big_catalogue):
    keyword = busiest_keyword(big_catalogue, "lazada", 80)
    with DemoMarket(port=0, catalogue=big_catalogue) as market:
        seen: list[str] = []
        page = 1
        while True:
            cards = fetch(catalog_url(market, keyword, page)).json()["mods"]["listItems"]
            if not cards:
                break
            assert len(cards) <= 40
            seen += [card["itemId"] for card in cards]
            page += 1
        assert page - 1 == -(-len(big_catalogue.search(keyword, "lazada")) // 40) >= 3
        assert len(seen) == len(set(seen)) == len(big_catalogue.search(keyword, "lazada"))


def test_lazada_catalog_without_ajax_embeds_page_data(market):
    page = fetch(f"{market.base_url}/catalog/?q={quote(KEYWORD)}").text
    data = json.loads(balanced_object(page, "window.pageData"))
    assert data["mods"]["listItems"][0]["name"]


def test_lazada_product_page_embeds_module_data_and_json_ld(market):
    entry = next(e for e in market.catalogue.on("lazada") if "};" in e.description and e.model)
    page = fetch(f"{market.base_url}{entry.path('lazada')}").text
    # a naive cut at the first `};` breaks on the description; a balanced cut does not
    naive = page[page.index("{", page.index("__moduleData__")) : page.index("};") + 1]
    with pytest.raises(json.JSONDecodeError):
        json.loads(naive)
    fields = json.loads(balanced_object(page, "var __moduleData__"))["data"]["root"]["fields"]
    assert fields["product"]["title"] == entry.title
    assert fields["primaryKey"]["itemId"] == str(entry.lazada_item_id)
    assert fields["specifications"][str(entry.lazada_sku_id)]["features"] == entry.attributes
    assert fields["seller"]["name"] == entry.seller.name
    assert fields["skuInfos"][str(entry.lazada_sku_id)]["price"]["salePrice"]["value"] == entry.price
    assert "};" in fields["product"]["desc"]
    (block,) = json_ld_blocks(page)
    product = json.loads(block)
    assert product["@type"] == "Product" and product["name"] == entry.title
    assert product["sku"] == str(entry.lazada_sku_id) and product["mpn"] == entry.model
    offer = product["offers"]
    assert offer["priceCurrency"] == "THB"
    assert offer.get("price", offer.get("lowPrice")) == entry.price


# --- Shopee ------------------------------------------------------------------------------------------


def test_shopee_search_items_have_item_basic_with_prices_times_100000(market):
    data = fetch(search_url(market, KEYWORD)).json()
    expected = market.catalogue.search(KEYWORD, "shopee")
    assert data["total_count"] == len(expected) and data["error"] is None
    assert data["nomore"] is (len(expected) <= 60)
    for item, entry in zip(data["items"], expected, strict=True):
        basic = item["item_basic"]
        assert (basic["itemid"], basic["shopid"]) == (entry.shopee_item_id, entry.seller.shop_id)
        assert basic["name"] == entry.title
        assert isinstance(basic["price"], int) and basic["price"] == round(entry.price * 100_000)
        assert basic["price_min"] <= basic["price"] <= basic["price_max"]
        assert basic["currency"] == "THB"
        assert basic["brand"] == entry.brand_field or (not entry.brand_field and basic["brand"] in ("0", ""))
        assert basic["historical_sold"] == entry.sold and isinstance(basic["sold"], int)
        assert "rating_star" in basic["item_rating"] and basic["shop_location"]


def test_shopee_pagination_by_offset_until_nomore(big_catalogue):
    keyword = busiest_keyword(big_catalogue, "shopee", 80)
    expected = [e.shopee_item_id for e in big_catalogue.search(keyword, "shopee")]
    with DemoMarket(port=0, catalogue=big_catalogue) as market:
        seen: list[int] = []
        newest = 0
        while True:
            data = fetch(search_url(market, keyword, newest, 30)).json()
            seen += [item["itemid"] for item in data["items"]]
            if data["nomore"]:
                break
            newest += 30
        assert newest >= 60 and seen == expected
        past_end = fetch(search_url(market, keyword, newest + 30, 30)).json()
        assert past_end["items"] == [] and past_end["nomore"] is True
        assert len(fetch(search_url(market, keyword, 0, 500)).json()["items"]) == min(100, len(expected))
        assert len(fetch(search_url(market, keyword, 0, 20)).json()["items"]) == 20


def test_shopee_item_page(market):
    entry = market.catalogue.on("shopee")[0]
    page = fetch(f"{market.base_url}{entry.path('shopee')}")
    assert page.status == 200 and entry.title.split()[0] in page.text
    slug_path = f"/{entry.slug}-i.{entry.seller.shop_id}.{entry.shopee_item_id}"
    assert fetch(f"{market.base_url}{slug_path}").status == 200


def test_same_listing_under_several_keywords_and_on_both_marketplaces(market):
    ids_by_keyword = {
        keyword: {item["itemid"] for item in fetch(search_url(market, keyword, limit=100)).json()["items"]}
        for keyword in ("ปลั๊กพ่วง", "รางปลั๊กไฟ", "ปลั๊กไฟ")
    }
    assert ids_by_keyword["ปลั๊กพ่วง"] & ids_by_keyword["รางปลั๊กไฟ"]
    lazada_titles = {c["name"] for c in fetch(catalog_url(market, KEYWORD)).json()["mods"]["listItems"]}
    shopee_titles = {i["item_basic"]["name"] for i in fetch(search_url(market, KEYWORD)).json()["items"]}
    assert lazada_titles & shopee_titles


@pytest.mark.parametrize(
    "keyword",
    [
        "ปลั๊กพ่วง",
        "รางปลั๊กไฟ",
        "พาวเวอร์แบงค์",
        "หมวกกันน็อค",
        "ของเล่น",
        "ไดร์เป่าผม",
        "ถังแก๊ส",
        "พัดลม",
        "หม้อหุงข้าว",
        "เตารีด",
        "ไฟแช็ก",
        "หลอดไฟ",
        "เต้ารับ",
        "จุกนม",
    ],
)
def test_thai_product_nouns_find_listings(market, keyword):
    assert fetch(search_url(market, keyword)).json()["total_count"] > 0
    assert int(fetch(catalog_url(market, keyword)).json()["mainInfo"]["totalResults"]) > 0


def test_every_vocabulary_search_keyword_of_a_demo_standard_finds_that_standard(market):
    from matchers.vocabulary import load_vocabulary

    keywords = load_vocabulary().search_keywords(sorted(market.catalogue.standards()))
    assert set(keywords) == market.catalogue.standards()
    for standard, words in keywords.items():
        for word in words:
            found = market.catalogue.search(word, "lazada") + market.catalogue.search(word, "shopee")
            assert any(entry.tis_number == standard for entry in found), (standard, word)


# --- blocked Shopee ----------------------------------------------------------------------------------


def test_blocked_shopee_answers_90309999_with_403():
    with DemoMarket(port=0, size=300, blocked_shopee=True) as market:
        answer = fetch(search_url(market, KEYWORD))
        assert answer.status == 403
        body = answer.json()
        assert body["error"] == 90309999 and body["action_type"] == 2
        assert body["is_login"] is False and body["redirect_to_error_page"] is True
        assert re.fullmatch(
            r"[0-9a-f]{11}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", body["tracking_id"]
        )
        assert "items" not in body
        assert fetch(catalog_url(market, KEYWORD)).status == 200  # Lazada is not blocked
        assert market.request_counts()["shopee_blocked"] == 1


def test_blocking_only_some_keywords():
    with DemoMarket(port=0, size=300, blocked_shopee={"ไฟแช็ก"}) as market:
        assert fetch(search_url(market, "ไฟแช็ก")).json()["error"] == 90309999
        assert fetch(search_url(market, KEYWORD)).json()["total_count"] > 0


def test_soft_block_is_a_200_with_numeric_keys():
    with DemoMarket(port=0, size=300, blocked_shopee=True, shopee_block_style="soft") as market:
        answer = fetch(search_url(market, KEYWORD))
        assert answer.status == 200
        body = answer.json()
        assert body["error"] == 90309999 and body["3"] == 90309999 and "items" not in body


# --- schema.org shop ---------------------------------------------------------------------------------


def test_shop_collections_paginate_and_products_carry_schema_org_data(big_catalogue):
    with DemoMarket(port=0, catalogue=big_catalogue) as market:
        home = fetch(f"{market.base_url}/shop/").text
        handles = re.findall(r'href="/shop/collections/([^"]+)"', home)
        assert handles
        biggest = max(handles, key=lambda h: sum(1 for e in big_catalogue.on("shop") if e.family == h))
        url, product_links = f"{market.base_url}/shop/collections/{biggest}", []
        while url:
            page = fetch(url).text
            product_links += re.findall(r'href="(/shop/products/[^"]+)"', page)
            next_link = re.search(r'<a rel="next"[^>]*href="([^"]+)"', page)
            url = f"{market.base_url}{next_link.group(1)}" if next_link else ""
        expected = [e for e in big_catalogue.on("shop") if e.family == biggest]
        assert len(expected) > 24  # more than one page
        assert product_links == [e.path("shop") for e in expected]
        syntaxes = set()
        for entry in expected[:8]:
            page = fetch(f"{market.base_url}{entry.path('shop')}").text
            data = extruct.extract(
                page, base_url=market.base_url, syntaxes=["json-ld", "microdata"], uniform=True
            )
            products = [
                p for syntax in ("json-ld", "microdata") for p in data[syntax] if p.get("@type") == "Product"
            ]
            syntaxes |= {syntax for syntax in ("json-ld", "microdata") if data[syntax]}
            (product,) = products
            assert product["name"] == entry.title and product["sku"] == entry.shop_sku
            assert float(product["offers"]["price"]) == entry.price
            assert product["offers"]["priceCurrency"] == "THB"
            assert re.fullmatch(r"885\d{10}", product["gtin13"])
            properties = product["additionalProperty"]
            properties = properties if isinstance(properties, list) else [properties]
            assert {p["name"]: p["value"] for p in properties} == entry.attributes
        assert syntaxes == {"json-ld", "microdata"}


def test_sitemap_index_lists_every_shop_product(market):
    index = fetch(f"{market.base_url}/sitemap.xml").text
    maps = re.findall(r"<loc>([^<]+)</loc>", index)
    urls = [url for sitemap in maps for url in re.findall(r"<loc>([^<]+)</loc>", fetch(sitemap).text)]
    products = {urlsplit(url).path for url in urls if "/shop/products/" in url}
    assert products == {entry.path("shop") for entry in market.catalogue.on("shop")}
    assert any("/shop/collections/" in url for url in urls)


# --- Lazada slider and 429 bursts -------------------------------------------------------------------


def test_blocked_lazada_redirects_to_the_slider_challenge():
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    with DemoMarket(port=0, size=300, blocked_lazada={"พัดลม"}) as market:
        opener = urllib.request.build_opener(NoRedirect)
        with pytest.raises(urllib.error.HTTPError) as answer:
            opener.open(catalog_url(market, "พัดลม"))
        assert answer.value.code == 302
        location = answer.value.headers["Location"]
        assert "/_____tmd_____/punish?x5secdata=" in location
        slider = fetch(catalog_url(market, "พัดลม"))  # followed, as a crawler would
        assert slider.status == 200 and 'id="nc_1_n1z"' in slider.text and "x5secdata" in slider.text
        assert fetch(catalog_url(market, "เตารีด")).json()["mods"]["listItems"]
        assert fetch(search_url(market, "พัดลม")).json()["total_count"] > 0  # Shopee is not blocked


def test_throttle_every_answers_429_with_retry_after():
    with DemoMarket(port=0, size=300, throttle_every=3) as market:
        statuses = [
            fetch(catalog_url(market, KEYWORD)).status if i % 2 else fetch(search_url(market, KEYWORD)).status
            for i in range(6)
        ]
        assert statuses == [200, 200, 429, 200, 200, 429]
        with pytest.raises(urllib.error.HTTPError) as answer:
            for _ in range(3):
                urllib.request.urlopen(search_url(market, KEYWORD))
        assert answer.value.code == 429 and answer.value.headers["Retry-After"] == "1"
        assert fetch(f"{market.base_url}/robots.txt").status == 200  # only searches are throttled


def test_the_project_s_block_detector_recognises_every_block_answer():
    from crawler.parsers.blocks import detect_block

    with (
        DemoMarket(port=0, size=300, blocked_shopee=True, blocked_lazada=True) as hard,
        DemoMarket(port=0, size=300, blocked_shopee=True, shopee_block_style="soft") as soft,
    ):
        for url in (search_url(hard, KEYWORD), search_url(soft, KEYWORD)):
            assert detect_block(url, fetch(url).text) is not None, url
        slider_url = catalog_url(hard, KEYWORD)
        with urllib.request.urlopen(slider_url) as response:  # follows the redirect
            final_url, text = response.geturl(), response.read().decode()
        assert detect_block(final_url, text) is not None
        assert detect_block(slider_url, fetch(catalog_url(soft, KEYWORD)).text) is None  # ordinary page
