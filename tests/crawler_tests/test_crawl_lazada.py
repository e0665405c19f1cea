"""The lazada spider against a local Lazada-shaped site: catalog → product pages, and every way a
product page can go wrong still yields the catalog card's listing."""

from __future__ import annotations

import json
import logging

from scrapy.utils.defer import deferred_f_from_coro_f

from crawler.runner import CrawlOutcome, CrawlPlan
from crawler.spiders.lazada import LazadaSpider
from tests.crawler_tests.crawling import local_settings, run_spider
from tests.crawler_tests.shapes import (
    LAZADA_PUNISH_PAGE,
    LAZADA_RGV587_JSON,
    LAZADA_SLIDER_PAGE,
    lazada_card,
    lazada_catalog,
    lazada_product_page,
    lazada_product_path,
)
from tests.crawler_tests.site import Answer, TestSite

PLUG = "ปลั๊กพ่วง"
SOCKET = "เต้ารับ"
SWITCH = "สวิตช์ไฟ"
HELMET = "หมวกกันน็อค"
DESCRIPTION = (
    "<p>ผ่านมาตรฐาน มอก.2432-2555 ใบอนุญาตเลขที่ ท4080-51/2432</p><p>รองรับ 2300W};</p>"
    '<p>ขนาด {"กว้าง": 5}; ยาว 3 ม.</p>'
)


def cards():
    return {
        "good": lazada_card(
            4100000001, "ปลั๊กพ่วง Toshiba มอก. 4 ช่อง 3 เมตร", "459.00", brand="Toshiba", sold="1.2K sold"
        ),
        "gone": lazada_card(4100000002, "ปลั๊กพ่วง 5 ช่อง USB ราคาถูก", "129.00"),
        "slider": lazada_card(4100000003, "ปลั๊กพ่วง Anitech H5134 มอก.", "399.00", brand="Anitech"),
        "truncated": lazada_card(4100000004, "ปลั๊กพ่วง 3 ช่อง สายยาว 5 เมตร", "189.00"),
        "thai_encoding": lazada_card(4100000005, "ปลั๊กพ่วง CSC AS551 มอก.2432", "379.00", brand="CSC"),
    }


def serve(site: TestSite) -> dict:
    by_name = cards()
    listed = list(by_name.values())
    site.json("/catalog/", lazada_catalog(listed[:3], PLUG, 1, total=5, page_size=3), q=PLUG, page=1)
    site.json("/catalog/", lazada_catalog(listed[3:], PLUG, 2, total=5, page_size=3), q=PLUG, page=2)
    # The socket search finds the good plug again, then its second page is broken JSON.
    site.json(
        "/catalog/", lazada_catalog([by_name["good"]], SOCKET, 1, total=4, page_size=1), q=SOCKET, page=1
    )
    site.add(
        "/catalog/",
        Answer(b'{"mainInfo": {"page": "2"}, "mods": {"listItems": [{"name": "', 200, "application/json"),
        q=SOCKET,
        page=2,
    )

    good = lazada_product_page(
        4100000001,
        "ปลั๊กพ่วง Toshiba มาตรฐาน มอก. 2432-2555 4 ช่อง 4 สวิตช์ สาย 3 เมตร",
        "Toshiba",
        449.0,
        DESCRIPTION,
        {"ยี่ห้อ": "Toshiba", "รุ่น": "PT-443", "เลขที่ มอก.": "2432-2555"},
    )
    site.html(lazada_product_path(by_name["good"]), good)
    # "gone" has no route: 404.
    site.html(lazada_product_path(by_name["slider"]), LAZADA_SLIDER_PAGE)
    truncated = lazada_product_page(
        4100000004, "ปลั๊กพ่วง 3 ช่อง", "No Brand", 189.0, DESCRIPTION, {}, json_ld=False
    )
    site.html(lazada_product_path(by_name["truncated"]), truncated[: truncated.index("รองรับ")])
    # A product page in Thai's legacy encoding, declared only in its <meta> tag.
    legacy = lazada_product_page(
        4100000005,
        "ปลั๊กพ่วง CSC รุ่น AS551 มาตรฐาน มอก.2432-2555",
        "CSC",
        379.0,
        "<p>ใบอนุญาต ท1877-58/2432</p>",
        {"รุ่น": "AS551"},
    ).replace(
        '<meta charset="utf-8">', '<meta http-equiv="Content-Type" content="text/html; charset=windows-874">'
    )
    site.add(lazada_product_path(by_name["thai_encoding"]), Answer(legacy.encode("cp874"), 200, "text/html"))
    return by_name


@deferred_f_from_coro_f
async def test_lazada_crawl_enriches_cards_and_keeps_cards_whose_product_page_failed(tmp_path, caplog):
    caplog.set_level(logging.INFO)
    with TestSite() as site:
        serve(site)
        result = await run_spider(
            LazadaSpider, local_settings(tmp_path), base_url=site.base_url, keywords=f"{PLUG},{SOCKET}"
        )

    listings = result.by_id()
    assert sorted(listings) == ["4100000001", "4100000002", "4100000003", "4100000004", "4100000005"]
    assert len(result.items) == 5  # the good plug found under both keywords is one row

    good = listings["4100000001"]
    assert good.attributes["รุ่น"] == "PT-443" and good.attributes["เลขที่ มอก."] == "2432-2555"
    assert "รองรับ 2300W};" in good.description and 'ขนาด {"กว้าง": 5}; ยาว 3 ม.' in good.description
    assert good.price == 449.0  # the product page's price
    assert good.sold == 1200  # the card's count
    assert (
        good.url == "https://www.lazada.co.th/products/i4100000001-s9100000001.html"
    )  # the listing's own URL
    assert good.source_url == f"{site.base_url}/products/i4100000001-s9100000001.html"

    legacy = listings["4100000005"]
    assert legacy.title == "ปลั๊กพ่วง CSC รุ่น AS551 มาตรฐาน มอก.2432-2555"
    assert legacy.description == "ใบอนุญาต ท1877-58/2432"

    for card_only in ("4100000002", "4100000003", "4100000004"):
        assert listings[card_only].attributes == {"location": "Bangkok"}
        assert listings[card_only].source_url.startswith(f"{site.base_url}/catalog/")
    assert listings["4100000003"].brand == "Anitech" and listings["4100000003"].price == 399.0

    summary = result.summary
    assert summary["listings"] == 5 and summary["duplicates"] == 1
    assert summary["not_found"] == 1  # the gone product page
    assert summary["blocked"] == 1 and summary["blocked_by"] == {"lazada_slider": 1}
    assert summary["parse_errors"] == 2  # the truncated product page, the broken catalog page
    assert summary["failed"] == 0
    # 4 catalog pages (one broken) + 3 product pages (good, truncated, legacy); the slider and the 404
    # are not pages fetched
    assert summary["pages_fetched"] == 7
    assert summary["status"] == "blocked"
    plug, socket = summary["keywords"][PLUG], summary["keywords"][SOCKET]
    assert plug["blocked"] == 1 and plug["status"] == "blocked"
    # Its page 2 was unreadable: that page's cards and any later page were never seen.
    assert socket["parse_errors"] == 1 and socket["status"] == "incomplete"
    assert plug["listings"] + socket["listings"] == 5

    assert "keeping the catalog card" in caplog.text
    assert f"{site.base_url}/products/i4100000004-s9100000004.html" in caplog.text


def serve_switches_behind_the_punish_page(site: TestSite) -> list[dict]:
    """One catalog page of switches; two of their product pages answer 200 with the bixi punish page."""
    switches = [
        lazada_card(4200000001, "สวิตช์ไฟ Panasonic WEG5001 มอก.824", "89.00", brand="Panasonic"),
        lazada_card(4200000002, "สวิตช์ไฟ ทางเดียว 16A ราคาส่ง", "35.00"),
        lazada_card(4200000003, "สวิตช์ไฟ Chang รุ่น C-101", "59.00", brand="Chang"),
    ]
    site.json("/catalog/", lazada_catalog(switches, SWITCH, 1, total=3, page_size=40), q=SWITCH, page=1)
    good = lazada_product_page(
        4200000001,
        "สวิตช์ไฟ Panasonic WEG5001",
        "Panasonic",
        89.0,
        "<p>ใบอนุญาต ท1234-56/824</p>",
        {"รุ่น": "WEG5001"},
    )
    site.html(lazada_product_path(switches[0]), good)
    for card in switches[1:]:
        site.html(lazada_product_path(card), LAZADA_PUNISH_PAGE)
    return switches


@deferred_f_from_coro_f
async def test_punish_page_instead_of_a_product_page_is_a_block_and_the_card_is_kept(tmp_path):
    with TestSite() as site:
        serve_switches_behind_the_punish_page(site)
        result = await run_spider(
            LazadaSpider, local_settings(tmp_path), base_url=site.base_url, keywords=SWITCH
        )

    listings = result.by_id()
    assert sorted(listings) == ["4200000001", "4200000002", "4200000003"]
    assert listings["4200000001"].attributes["รุ่น"] == "WEG5001"
    for card_only in ("4200000002", "4200000003"):
        assert listings[card_only].source_url.startswith(f"{site.base_url}/catalog/")
        assert listings[card_only].detail_page_missing == "blocked"  # the verdict will say so
    assert listings["4200000001"].detail_page_missing == ""

    summary = result.summary
    assert summary["blocked"] == 2 and summary["blocked_by"] == {"lazada_slider": 2}
    assert summary["parse_errors"] == 0
    assert summary["pages_fetched"] == 2  # the catalog page and the one real product page
    assert summary["product_pages_blocked"] == 2  # two listings judged from their card alone
    switch = summary["keywords"][SWITCH]
    assert (switch["status"], switch["blocked"], switch["product_pages_blocked"]) == ("blocked", 2, 2)
    assert switch["listings"] == 3
    assert summary["status"] == "blocked"
    assert not CrawlOutcome(CrawlPlan("lazada"), summary, result.stats).ok  # `tiswatch crawl` exits 1


@deferred_f_from_coro_f
async def test_traffic_guard_answer_to_a_catalog_page_blocks_the_keyword(tmp_path):
    helmets = [
        lazada_card(4300000000 + n, f"หมวกกันน็อค เต็มใบ รุ่น H-{n} มอก.369", "590.00", brand="Real")
        for n in range(1, 3)
    ]
    with TestSite() as site:
        site.json("/catalog/", lazada_catalog(helmets, HELMET, 1, total=6, page_size=2), q=HELMET, page=1)
        site.json("/catalog/", LAZADA_RGV587_JSON, q=HELMET, page=2)
        result = await run_spider(
            LazadaSpider,
            local_settings(tmp_path),
            base_url=site.base_url,
            keywords=HELMET,
            product_pages="0",
            max_pages="3",
        )
        assert site.hits("/catalog/") == 2  # page 3 is not asked for behind the guard
    assert len(result.items) == 2
    summary = result.summary
    assert summary["blocked"] == 1 and summary["blocked_by"] == {"lazada_rgv587": 1}
    assert summary["parse_errors"] == 0 and summary["pages_fetched"] == 1
    helmet = summary["keywords"][HELMET]
    assert (helmet["status"], helmet["blocked"], helmet["parse_errors"]) == ("blocked", 1, 0)
    assert summary["status"] == "blocked"


@deferred_f_from_coro_f
async def test_unreadable_product_page_keeps_the_card_and_leaves_the_keyword_incomplete(tmp_path):
    card = lazada_card(4400000001, "สวิตช์ไฟ 2 ทาง Bticino มอก.824", "120.00", brand="Bticino")
    page = lazada_product_page(4400000001, "สวิตช์ไฟ 2 ทาง", "Bticino", 120.0, DESCRIPTION, {}, json_ld=False)
    with TestSite() as site:
        site.json("/catalog/", lazada_catalog([card], SWITCH, 1, total=1), q=SWITCH, page=1)
        site.html(lazada_product_path(card), page[: page.index("รองรับ")])  # cut mid-__moduleData__
        result = await run_spider(
            LazadaSpider, local_settings(tmp_path), base_url=site.base_url, keywords=SWITCH
        )
    assert result.ids() == ["4400000001"]  # the card is kept
    summary = result.summary
    switch = summary["keywords"][SWITCH]
    assert (switch["parse_errors"], switch["result_pages_unreadable"], switch["status"]) == (
        1,
        0,
        "incomplete",
    )
    assert summary["status"] == "incomplete"


@deferred_f_from_coro_f
async def test_catalog_only_mode_and_catalog_request_shape(tmp_path):
    with TestSite() as site:
        by_name = serve(site)
        result = await run_spider(
            LazadaSpider,
            local_settings(tmp_path),
            base_url=site.base_url,
            keywords=PLUG,
            product_pages="0",
            max_pages="1",
        )
    assert sorted(result.ids()) == sorted(card["itemId"] for card in list(by_name.values())[:3])
    assert [query for path, query in site.requests if path == "/catalog/"] == [
        {"q": PLUG, "page": "1", "ajax": "true"}
    ]
    assert not any(path.startswith("/products/") for path, _ in site.requests)


@deferred_f_from_coro_f
async def test_bad_spider_arguments_fail_before_any_request(tmp_path):
    with TestSite() as site:
        for arguments in ({"max_pages": "zero"}, {"base_url": "ftp://example"}, {"standards": "9999-2599"}):
            try:
                await run_spider(
                    LazadaSpider, local_settings(tmp_path), **({"base_url": site.base_url} | arguments)
                )
            except ValueError as error:
                assert next(iter(arguments.values())) in str(error)
            else:
                raise AssertionError(f"{arguments} was accepted")
    assert site.requests == []


def test_card_shapes_are_json_serialisable():
    # The builders must produce what a JSON API can carry (guards the fixtures themselves).
    json.dumps(lazada_catalog(list(cards().values()), PLUG, 1, total=5))


@deferred_f_from_coro_f
async def test_product_page_redirected_to_another_item_or_the_home_page_keeps_the_card(tmp_path, caplog):
    caplog.set_level(logging.INFO)
    merged = lazada_card(4500000001, "ปลั๊กพ่วง Toshiba 4 ช่อง มอก.2432", "459.00", brand="Toshiba")
    removed = lazada_card(4500000002, "ปลั๊กพ่วง CSC AS551", "379.00", brand="CSC")
    moved = lazada_card(4500000003, "ปลั๊กพ่วง Anitech H5134", "399.00", brand="Anitech")
    other_path = "/products/merged-i4599999001-s9599999001.html"
    other = lazada_product_page(
        4599999001, "ปลั๊กพ่วง Elecson EL-504", "Elecson", 349.0, "<p>ใบอนุญาต น3390-63/2432</p>", {}
    )
    moved_path = "/products/plug-anitech-h5134-i4500000003-s9500000003.html"
    moved_page = lazada_product_page(4500000003, "ปลั๊กพ่วง Anitech H5134 มอก.", "Anitech", 389.0, "", {})
    with TestSite() as site:
        site.json("/catalog/", lazada_catalog([merged, removed, moved], PLUG, 1, total=3), q=PLUG, page=1)
        site.add(lazada_product_path(merged), Answer(b"", 301, headers={"Location": other_path}))
        site.html(other_path, other)
        home = "/?spm=a2o4m.pdp_revamp.removed"
        site.add(lazada_product_path(removed), Answer(b"", 302, headers={"Location": home}))
        site.html("/", "<html><head><title>Lazada ช้อปปิ้งออนไลน์</title></head><body></body></html>")
        site.add(lazada_product_path(moved), Answer(b"", 301, headers={"Location": moved_path}))
        site.html(moved_path, moved_page)
        result = await run_spider(
            LazadaSpider, local_settings(tmp_path), base_url=site.base_url, keywords=PLUG
        )

    listings = result.by_id()
    assert sorted(listings) == ["4500000001", "4500000002", "4500000003"]
    toshiba = listings["4500000001"]
    assert (toshiba.title, toshiba.brand, toshiba.price) == (
        "ปลั๊กพ่วง Toshiba 4 ช่อง มอก.2432",
        "Toshiba",
        459.0,
    )
    assert "น3390" not in toshiba.description
    assert toshiba.detail_page_missing == "redirected to another item"
    assert listings["4500000002"].detail_page_missing == "not found"
    assert listings["4500000002"].brand == "CSC"
    # A redirect to the same item's canonical slug is read as usual.
    assert listings["4500000003"].price == 389.0 and listings["4500000003"].detail_page_missing == ""

    plug = result.summary["keywords"][PLUG]
    assert (plug["not_found"], plug["field_problems"], plug["parse_errors"]) == (1, 1, 0)
    assert plug["status"] == "complete"
    assert "is item 4599999001's" in caplog.text


@deferred_f_from_coro_f
async def test_catalog_redirected_to_the_login_site_is_a_login_wall(tmp_path):
    with TestSite() as site:
        # The login page lives on another host (Lazada's `member.` site): Scrapy drops it as offsite.
        login = site.base_url.replace("127.0.0.1", "localhost") + "/user/login?redirect=%2Fcatalog%2F"
        site.add("/catalog/", Answer(b"", 302, headers={"Location": login}), q=HELMET, page=1)
        result = await run_spider(
            LazadaSpider, local_settings(tmp_path), base_url=site.base_url, keywords=HELMET
        )
    summary = result.summary
    assert summary["blocked_by"] == {"login_wall": 1}
    assert (summary["failed"], summary["parse_errors"]) == (0, 0)
    assert summary["keywords"][HELMET]["status"] == "blocked"
