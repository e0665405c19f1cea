"""The schema_org spider against a local shop: link following within the shop, sitemaps, budgets."""

from __future__ import annotations

import gzip
import json

from scrapy.http import Request, TextResponse
from scrapy.utils.defer import deferred_f_from_coro_f

from crawler.middlewares import QUERY_META
from crawler.spiders.schema_org import SchemaOrgSpider
from tests.crawler_tests.crawling import local_settings, run_spider
from tests.crawler_tests.site import Answer, TestSite

PRODUCTS = {
    "/products/csc-as551": ("CSC รางปลั๊กไฟ 5 ช่อง รุ่น AS551 มอก.2432-2555", "CSC", "AS551", 379),
    "/products/toshiba-pt443": ("ปลั๊กพ่วง Toshiba PT-443 4 ช่อง", "Toshiba", "PT-443", 459),
    "/products/no-brand-5m": ("ปลั๊กพ่วง 5 เมตร 6 ช่อง USB", "", "PS-6U", 159),
    "/products/helmet-index-titan": ("หมวกกันน็อค INDEX Titan มอก.369-2557", "INDEX", "TITAN-L", 890),
}


def product_html(path: str) -> str:
    name, brand, sku, price = PRODUCTS[path]
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": name,
        "sku": sku,
        "offers": {"@type": "Offer", "price": f"{price:.2f}", "priceCurrency": "THB"},
    }
    if brand:
        data["brand"] = {"@type": "Brand", "name": brand}
    return (
        '<html><head><meta charset="utf-8">'
        f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script></head>'
        '<body><a href="/cart/add?id=1">ใส่ตะกร้า</a><a href="/collections/plugs">กลับ</a></body></html>'
    )


def serve_shop(site: TestSite, broken_page: bool = True) -> None:
    """A small shop; with `broken_page`, one product page's JSON-LD is cut off (a parse error)."""
    site.html(
        "/",
        '<html><body><a href="/collections/plugs">ปลั๊กไฟ</a><a href="/account/login">เข้าสู่ระบบ</a>'
        '<a href="/cart">ตะกร้า</a><a href="https://elsewhere.example/products/x">partner</a></body></html>',
    )
    site.html(
        "/collections/plugs",
        '<html><body><a href="/products/csc-as551">a</a><a href="/products/toshiba-pt443">b</a>'
        '<a href="/products/no-brand-5m">c</a><a href="/collections/plugs?page=2">ถัดไป</a>'
        '<a href="/collections/plugs?sort_by=price">เรียง</a></body></html>',
    )
    site.html(
        "/collections/plugs",
        '<html><body><a href="/products/helmet-index-titan">d</a>'
        + ('<a href="/products/broken">e</a>' if broken_page else "")
        + "</body></html>",
        page=2,
    )
    for path in PRODUCTS:
        site.html(path, product_html(path))
    site.html("/products/broken", '<html><head><script type=\'application/ld+json\'>{"@type": "Prod')


@deferred_f_from_coro_f
async def test_shop_crawl_follows_its_own_links_and_reads_every_product(tmp_path):
    with TestSite() as site:
        serve_shop(site)
        result = await run_spider(SchemaOrgSpider, local_settings(tmp_path), base_url=site.base_url)
    host = "127.0.0.1"
    assert sorted(result.ids()) == ["AS551", "PS-6U", "PT-443", "TITAN-L"]
    listing = result.by_id()["AS551"]
    assert listing.platform == host
    assert listing.brand == "CSC" and listing.price == 379.0
    assert listing.url == f"{site.base_url}/products/csc-as551"
    assert result.by_id()["PS-6U"].brand == ""
    requested = {path for path, _ in site.requests}
    assert "/cart" not in requested and "/account/login" not in requested and "/cart/add" not in requested
    assert not any(query.get("sort_by") for path, query in site.requests)
    summary = result.summary
    # The page whose JSON-LD is cut off may have held a product: a blind spot, so not complete.
    assert summary["status"] == "incomplete"
    assert summary["listings"] == 4
    assert summary["keywords"][f"{site.base_url}/"]["listings"] == 4
    assert summary["keywords"][f"{site.base_url}/"]["status"] == "incomplete"
    assert summary["parse_errors"] == 1 and summary["field_problems"] == 0


@deferred_f_from_coro_f
async def test_page_budget_and_depth_are_respected(tmp_path):
    with TestSite() as site:
        serve_shop(site)
        await run_spider(SchemaOrgSpider, local_settings(tmp_path), base_url=site.base_url, max_pages="3")
        pages = [path for path, _ in site.requests if path != "/robots.txt"]
    assert len(pages) == 3

    with TestSite() as site:
        serve_shop(site)
        result = await run_spider(
            SchemaOrgSpider, local_settings(tmp_path), base_url=site.base_url, max_depth="1"
        )
    assert result.items == []  # products are two links away from the home page
    assert {path for path, _ in site.requests} <= {"/", "/collections/plugs", "/robots.txt"}


@deferred_f_from_coro_f
async def test_sitemap_index_with_a_gzipped_product_sitemap(tmp_path):
    with TestSite() as site:
        serve_shop(site)
        base = site.base_url
        index = (
            '<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{base}/sitemap_products_1.xml.gz</loc></sitemap>"
            "<sitemap><loc>https://elsewhere.example/sitemap.xml</loc></sitemap></sitemapindex>"
        )
        urls = "".join(f"<url><loc>{base}{path}</loc></url>" for path in PRODUCTS)
        products = (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
        )
        site.add("/sitemap.xml", Answer(index.encode(), 200, "application/xml"))
        site.add(
            "/sitemap_products_1.xml.gz",
            Answer(gzip.compress(products.encode()), 200, "application/octet-stream"),
        )
        result = await run_spider(SchemaOrgSpider, local_settings(tmp_path), sitemap=f"{base}/sitemap.xml")
    assert sorted(result.ids()) == ["AS551", "PS-6U", "PT-443", "TITAN-L"]
    assert site.hits("/") == 0 and site.hits("/collections/plugs") == 0  # the sitemap is the map
    assert result.summary["keywords"][f"{base}/sitemap.xml"]["listings"] == 4


@deferred_f_from_coro_f
async def test_robots_txt_is_obeyed(tmp_path):
    with TestSite() as site:
        serve_shop(site, broken_page=False)
        site.add("/robots.txt", Answer(b"User-agent: *\nDisallow: /products/toshiba\n", 200, "text/plain"))
        result = await run_spider(SchemaOrgSpider, local_settings(tmp_path), base_url=site.base_url)
    assert "PT-443" not in result.ids()
    assert site.hits("/products/toshiba-pt443") == 0
    # The site's own rule, obeyed: counted apart, neither a failed page nor a failed run.
    assert result.summary["robots_forbidden"] == 1
    assert result.summary["failed"] == 0 and result.summary["status"] == "complete"


# Shopify's standard robots.txt (abridged): the footer of every page links /policies/….
SHOPIFY_ROBOTS = """User-agent: *
Disallow: /admin
Disallow: /cart
Disallow: /orders
Disallow: /checkouts/
Disallow: /account
Disallow: /collections/*sort_by*
Disallow: /policies/
Disallow: /search
Sitemap: {base}/sitemap.xml
"""


@deferred_f_from_coro_f
async def test_links_shopify_robots_txt_forbids_do_not_fail_the_run(tmp_path, caplog):
    with TestSite() as site:
        serve_shop(site, broken_page=False)
        site.add("/robots.txt", Answer(SHOPIFY_ROBOTS.format(base=site.base_url).encode(), 200, "text/plain"))
        footer = '<footer><a href="/policies/refund-policy">นโยบายการคืนเงิน</a>'
        footer += '<a href="/policies/privacy-policy">นโยบายความเป็นส่วนตัว</a></footer>'
        site.html("/", f'<html><body><a href="/collections/plugs">ปลั๊กไฟ</a>{footer}</body></html>')
        result = await run_spider(SchemaOrgSpider, local_settings(tmp_path), base_url=site.base_url)
        assert site.hits("/policies/refund-policy") == 0
    assert sorted(result.ids()) == ["AS551", "PS-6U", "PT-443", "TITAN-L"]
    summary = result.summary
    assert summary["robots_forbidden"] == 2 and summary["failed"] == 0
    assert summary["keywords"][f"{site.base_url}/"]["status"] == "complete"
    assert summary["status"] == "complete"
    assert "Failed page" not in caplog.text


@deferred_f_from_coro_f
async def test_links_cut_off_by_the_page_budget_or_depth_make_the_crawl_incomplete(tmp_path):
    with TestSite() as site:
        serve_shop(site, broken_page=False)
        budget = await run_spider(
            SchemaOrgSpider, local_settings(tmp_path), base_url=site.base_url, max_pages="3"
        )
    start = f"{site.base_url}/"
    summary = budget.summary
    # Home, the plug collection and one product fetched; the other shop links were never asked for.
    assert summary["links_not_followed"] >= 2 and summary["links_not_followed_by"].keys() == {"budget"}
    assert summary["keywords"][start]["status"] == "incomplete"
    assert summary["status"] == "incomplete"

    with TestSite() as site:
        serve_shop(site, broken_page=False)
        depth = await run_spider(
            SchemaOrgSpider, local_settings(tmp_path), base_url=site.base_url, max_depth="1"
        )
    summary = depth.summary
    # /collections/plugs (depth 1) links 3 products and its page 2: none followed.
    assert summary["links_not_followed"] == 4 and summary["links_not_followed_by"] == {"depth": 4}
    assert summary["status"] == "incomplete"

    with TestSite() as site:
        serve_shop(site, broken_page=False)
        full = await run_spider(SchemaOrgSpider, local_settings(tmp_path), base_url=site.base_url)
    assert full.summary["links_not_followed"] == 0 and full.summary["status"] == "complete"


def test_sitemap_entries_on_the_shops_www_host_are_followed():
    spider = SchemaOrgSpider(sitemap="https://shop.example.co.th/sitemap.xml")
    urls = "".join(
        f"<url><loc>\n  {host}/products/{slug}\n</loc></url>"
        for host, slug in (
            ("https://shop.example.co.th", "power-strip-toshiba"),
            ("https://www.shop.example.co.th", "helmet-real-v"),
            ("https://elsewhere.example", "partner-plug"),
        )
    )
    body = f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    response = TextResponse(
        "https://shop.example.co.th/products-www.xml",
        body=body.encode(),
        encoding="utf-8",
        request=Request("https://shop.example.co.th/products-www.xml", meta={QUERY_META: "sitemap"}),
    )
    requested = [request.url for request in spider.parse_sitemap(response)]
    assert requested == [
        "https://shop.example.co.th/products/power-strip-toshiba",
        "https://www.shop.example.co.th/products/helmet-real-v",
    ]
    assert spider.allowed_domains == ["shop.example.co.th", "www.shop.example.co.th"]
