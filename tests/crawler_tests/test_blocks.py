"""Block detection: anti-bot answers are recognised; ordinary (even empty or broken) pages are not."""

from __future__ import annotations

import json

import pytest

from crawler.parsers.blocks import detect_block
from tests.crawler_tests.shapes import (
    LAZADA_PUNISH_PAGE,
    LAZADA_RGV587_JSON,
    LAZADA_SLIDER_PAGE,
    SHOPEE_BLOCKED,
    SHOPEE_LOGIN_PAGE,
    shopee_item,
    shopee_page,
)

SEARCH_URL = "https://shopee.co.th/api/v4/search/search_items?keyword=%E0%B8%9B&limit=60&newest=0"


def test_shopee_90309999_answer_is_a_block():
    block = detect_block(SEARCH_URL, json.dumps(SHOPEE_BLOCKED))
    assert block is not None
    assert block.kind == "shopee_90309999"


def test_shopee_soft_block_with_numbered_keys_is_a_block():
    # The "soft" answer repeats the fields under numeric keys.
    soft = '{"5":false,"2":false,"4":2,"0":3,"3":90309999,"error":90309999,"1":"77aa-01","9":true}'
    block = detect_block(SEARCH_URL, soft)
    assert block is not None
    assert block.kind == "shopee_90309999"


def test_shopee_error_page_redirect_with_another_code_is_a_block():
    answer = dict(SHOPEE_BLOCKED, error=90309997)
    block = detect_block(SEARCH_URL, json.dumps(answer))
    assert block is not None
    assert block.kind == "shopee_error_page"


def test_lazada_slider_page_is_a_block():
    block = detect_block("https://www.lazada.co.th/catalog/?q=x&ajax=true", LAZADA_SLIDER_PAGE)
    assert block is not None
    assert block.kind == "lazada_slider"


def test_lazada_bixi_punish_page_is_a_block():
    block = detect_block("https://www.lazada.co.th/products/i1-s2.html", LAZADA_PUNISH_PAGE)
    assert block is not None
    assert block.kind == "lazada_slider"


@pytest.mark.parametrize(
    "marker",
    [
        "<!--rgv587_flag:sm-->",
        '<script>window._config_ = {"action":"captcha","HOST":"www.lazada.co.th"};</script>',
        '<form action="/_____tmd_____/verify/"></form>',
        '<script src="https://bixi.alicdn.com/punish/punish:resource:template:lazadaTH:x.js"></script>',
        '<script>var NCAPPKEY = "X82Y__7e4e";</script>',
    ],
)
def test_each_marker_of_the_punish_page_is_enough(marker):
    # The page's rest changes between template versions; any one of its own markers identifies it.
    html = f"<html><head><title>Lazada.co.th</title></head><body>{marker}<p>กรุณาเลื่อนเพื่อยืนยัน</p></body></html>"
    block = detect_block("https://www.lazada.co.th/products/i1-s2.html", html)
    assert block is not None and block.kind == "lazada_slider"


def test_lazada_mtop_traffic_guard_json_is_a_block():
    answer = {"ret": ["FAIL_SYS_USER_VALIDATE", "RGV587_ERROR::SM::哎哟喂,被挤爆啦,请稍后重试"], "data": {}}
    block = detect_block("https://acs-m.lazada.co.th/h5/mtop.x", json.dumps(answer, ensure_ascii=False))
    assert block is not None
    assert block.kind == "lazada_mtop_block"


def test_lazada_traffic_guard_answer_to_the_catalog_ajax_call_is_a_block():
    url = "https://www.lazada.co.th/catalog/?q=%E0%B8%AB%E0%B8%A1&page=2&ajax=true"
    block = detect_block(url, json.dumps(LAZADA_RGV587_JSON))
    assert block is not None
    assert block.kind == "lazada_rgv587"
    # Older guard versions leave out the flag and only send the punish URL.
    block = detect_block(url, json.dumps({"url": LAZADA_RGV587_JSON["url"]}))
    assert block is not None and block.kind == "lazada_rgv587"


@pytest.mark.parametrize(
    "url",
    [
        "https://shopee.co.th/verify/traffic?anti_bot_tracking_id=1",
        "https://www.lazada.co.th/_____tmd_____/punish?x5secdata=abc",
    ],
)
def test_redirect_to_a_challenge_url_is_a_block(url):
    assert detect_block(url, "<html><body>…</body></html>") is not None


def test_cloudflare_and_recaptcha_walls_are_blocks():
    cloudflare = '<html><head><title>Just a moment...</title></head><body><div id="cf-chl-widget"></div>'
    assert detect_block("https://shop.example/", cloudflare).kind == "cloudflare_challenge"
    recaptcha = '<html><body><form><div class="g-recaptcha" data-sitekey="x"></div></form></body></html>'
    assert detect_block("https://shop.example/p/1", recaptcha).kind == "captcha"


def test_ordinary_search_page_is_not_a_block():
    page = shopee_page([shopee_item(1, 2, "ปลั๊กพ่วง มอก. 4 ช่อง", 299)], nomore=True)
    assert detect_block(SEARCH_URL, json.dumps(page, ensure_ascii=False)) is None


def test_empty_results_and_broken_json_are_not_blocks():
    assert detect_block(SEARCH_URL, json.dumps(shopee_page([], nomore=True))) is None
    assert detect_block(SEARCH_URL, '{"error": null, "items": [{"item_basic": ') is None


def test_a_description_mentioning_captcha_is_not_a_block():
    html = (
        "<html><head><title>เครื่องอ่านบัตร | Shop</title></head><body>"
        "<p>รองรับระบบ captcha และ slider ในหน้าเว็บธนาคาร</p></body></html>"
    )
    assert detect_block("https://shop.example/p/2", html) is None


def test_shopee_login_page_served_for_an_api_call_is_a_login_wall():
    block = detect_block(SEARCH_URL, SHOPEE_LOGIN_PAGE)
    assert block is not None and block.kind == "login_wall"


@pytest.mark.parametrize(
    "url",
    [
        "https://shopee.co.th/buyer/login?next=%2Fsearch%3Fkeyword%3D2",
        "https://member.lazada.co.th/user/login?redirect=https%3A%2F%2Fwww.lazada.co.th%2Fcatalog%2F",
    ],
)
def test_a_redirect_to_a_login_page_is_a_login_wall(url):
    block = detect_block(url, "<html><body>…</body></html>")
    assert block is not None and block.kind == "login_wall"


def test_a_product_that_mentions_login_is_no_login_wall():
    page = (
        "<html><head><title>เราเตอร์ WiFi หน้า Login ใช้ง่าย มอก.</title></head>"
        "<body><p>เข้าสู่ระบบ ตั้งค่าผ่านแอป</p><a href='/user/login'>เข้าสู่ระบบ</a></body></html>"
    )
    assert detect_block("https://www.lazada.co.th/products/i1-s2.html", page) is None
