"""Malformed mode: the market serves the documented broken answers, and only in that mode."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest

from crawler.demo_market import DemoMarket, build_catalogue
from tests.demo_market.pages import balanced_object, fetch, json_ld_blocks

KINDS = {"truncated_html", "missing_fields", "absurd_price", "server_error", "other_encoding"}


@pytest.fixture(scope="module")
def catalogue():
    return build_catalogue(2000, 3)


@pytest.fixture(scope="module")
def broken(catalogue):
    with DemoMarket(port=0, catalogue=catalogue, malformed=True) as market:
        yield market


@pytest.fixture(scope="module")
def clean(catalogue):
    with DemoMarket(port=0, catalogue=catalogue) as market:
        yield market


def lazada_entry(market: DemoMarket, kind: str):
    return next(e for e in market.catalogue if e.malformed == kind and "lazada" in e.platforms)


def test_every_kind_is_listed_with_its_url(broken, clean):
    urls = broken.malformed_urls()
    assert {kind for _, kind in urls} == KINDS
    assert clean.malformed_urls() == []


def test_truncated_product_page_keeps_its_json_ld_but_loses_module_data(broken, clean):
    entry = lazada_entry(broken, "truncated_html")
    page = fetch(f"{broken.base_url}{entry.path('lazada')}").text
    assert "</html>" not in page
    with pytest.raises(ValueError):
        balanced_object(page, "var __moduleData__")
    (block,) = json_ld_blocks(page)
    assert json.loads(block)["name"] == entry.title
    whole = fetch(f"{clean.base_url}{entry.path('lazada')}").text
    assert json.loads(balanced_object(whole, "var __moduleData__"))["data"]["root"]["fields"]["product"]


def test_product_page_with_missing_fields(broken):
    entry = lazada_entry(broken, "missing_fields")
    page = fetch(f"{broken.base_url}{entry.path('lazada')}").text
    assert json_ld_blocks(page) == []
    fields = json.loads(balanced_object(page, "var __moduleData__"))["data"]["root"]["fields"]
    assert "title" not in fields["product"] and fields["skuInfos"] == {} and fields["specifications"] == {}
    # the catalog card still has everything
    card = _card_for(broken, entry)
    assert card["name"] == entry.title


def test_absurd_prices(broken, clean):
    entry = next(e for e in broken.catalogue if e.malformed == "absurd_price" and "lazada" in e.platforms)
    card = _card_for(broken, entry)
    assert card["price"] in ("99999999.00", "0.01")
    assert float(_card_for(clean, entry)["price"]) == entry.price


def test_server_error_page_is_a_500_every_time(broken, clean):
    entry = next(e for e in broken.catalogue if e.malformed == "server_error")
    platform = "lazada" if "lazada" in entry.platforms else "shop"
    assert [fetch(f"{broken.base_url}{entry.path(platform)}").status for _ in range(3)] == [500] * 3
    assert fetch(f"{clean.base_url}{entry.path(platform)}").status == 200


def test_page_in_another_encoding_declares_it(broken):
    entry = lazada_entry(broken, "other_encoding")
    answer = fetch(f"{broken.base_url}{entry.path('lazada')}")
    assert answer.content_type == "text/html; charset=windows-874"
    with pytest.raises(UnicodeDecodeError):
        answer.body.decode("utf-8")
    text = answer.body.decode("cp874")
    assert '<meta charset="windows-874">' in text
    fields = json.loads(balanced_object(text, "var __moduleData__"))["data"]["root"]["fields"]
    assert fields["primaryKey"]["itemId"] == str(entry.lazada_item_id)


def test_shopee_items_with_missing_fields_and_absurd_prices(broken):
    for kind in ("missing_fields", "absurd_price"):
        entry = next(e for e in broken.catalogue if e.malformed == kind and "shopee" in e.platforms)
        basic = _shopee_basic_for(broken, entry)
        if kind == "missing_fields":
            assert "name" not in basic and "price" not in basic
        else:
            assert basic["price"] in (99_999_999 * 100_000, 1_000)


def test_lazada_catalog_page_2_is_truncated_json(broken, clean):
    keyword = "ปลั๊กไฟ"
    assert len(broken.catalogue.search(keyword, "lazada")) > 80

    def url(market: DemoMarket, page: int) -> str:
        return f"{market.base_url}/catalog/?q={quote(keyword)}&page={page}&ajax=true"

    assert fetch(url(broken, 1)).json()["mods"]["listItems"]
    with pytest.raises(json.JSONDecodeError):
        fetch(url(broken, 2)).json()
    assert fetch(url(broken, 3)).json()["mods"]["listItems"]
    assert fetch(url(clean, 2)).json()["mods"]["listItems"]


def test_shopee_third_page_is_truncated_and_later_pages_repeat_an_item(broken, clean):
    keyword = "ปลั๊กไฟ"

    def url(market: DemoMarket, newest: int) -> str:
        query = f"keyword={quote(keyword)}&newest={newest}&limit=20&by=relevancy"
        return f"{market.base_url}/api/v4/search/search_items?{query}"

    first = fetch(url(broken, 0)).json()["items"]
    second = fetch(url(broken, 20)).json()["items"]
    assert second[0]["itemid"] == first[-1]["itemid"]  # a duplicate across pages
    with pytest.raises(json.JSONDecodeError):
        fetch(url(broken, 40)).json()
    clean_second = fetch(url(clean, 20)).json()["items"]
    assert clean_second[0]["itemid"] != first[-1]["itemid"] and len(clean_second) == 20


def test_malformed_keywords_break_page_one_even_without_malformed_mode(catalogue):
    with DemoMarket(port=0, catalogue=catalogue, malformed_keywords={"พัดลม"}) as market:
        for path in ("/catalog/?ajax=true&q=", "/api/v4/search/search_items?newest=0&limit=60&keyword="):
            with pytest.raises(json.JSONDecodeError):
                fetch(f"{market.base_url}{path}{quote('พัดลม')}").json()
            assert fetch(f"{market.base_url}{path}{quote('เตารีด')}").json()


def test_shop_pages_break_too(broken):
    for kind in ("truncated_html", "missing_fields"):
        entry = next((e for e in broken.catalogue if e.malformed == kind and "shop" in e.platforms), None)
        if entry is None:
            continue
        page = fetch(f"{broken.base_url}{entry.path('shop')}").text
        if kind == "truncated_html":
            assert "</html>" not in page
        elif entry.index % 4 != 3:
            (block,) = json_ld_blocks(page)
            assert "offers" not in json.loads(block)


def _card_for(market: DemoMarket, entry) -> dict:
    for word in entry.title.split():
        results = market.catalogue.search(word, "lazada")
        if entry in results:
            page = results.index(entry) // 40 + 1
            if market.malformed and page == 2:
                continue
            data = fetch(f"{market.base_url}/catalog/?q={quote(word)}&page={page}&ajax=true").json()
            return next(c for c in data["mods"]["listItems"] if c["itemId"] == str(entry.lazada_item_id))
    raise AssertionError(f"no search finds {entry.title}")


def _shopee_basic_for(market: DemoMarket, entry) -> dict:
    """The entry's `item_basic`, from a first page of a search that returns it."""
    for word in entry.title.split():
        results = market.catalogue.search(word, "shopee")
        if entry in results[:100]:
            url = f"{market.base_url}/api/v4/search/search_items?keyword={quote(word)}&newest=0&limit=100"
            items = fetch(url).json()["items"]
            return next(i["item_basic"] for i in items if i["itemid"] == entry.shopee_item_id)
    raise AssertionError(f"no search finds {entry.title}")
