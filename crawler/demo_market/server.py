"""The demo marketplace's HTTP server: loopback only, one background thread, pages rendered on demand.

    with DemoMarket(port=0, size=400, seed=2432, blocked_shopee={"ไฟแช็ก"}, malformed=True) as market:
        market.base_url   # http://127.0.0.1:PORT

URLs (all GET; HEAD works too):

- `/robots.txt`: allows everything the spiders fetch; names `/sitemap.xml`.
- `/catalog/?q=<kw>&page=<n>&ajax=true`: Lazada catalog JSON, `mainInfo` (`totalResults`, `pageSize` 40,
  `page`) and `mods.listItems[]`, empty past the last page; without `ajax=true` the HTML page that embeds
  the same data as `window.pageData`.
- `/products/<slug>-i<itemId>-s<skuId>.html`: Lazada product page (JSON-LD Product + `__moduleData__`).
- `/api/v4/search/search_items?keyword=<kw>&newest=<offset>&limit=<n>&by=relevancy`: Shopee search JSON,
  `items[].item_basic`, `nomore`, `total_count` (limit 1–100, default 60).
- `/product/<shopid>/<itemid>` and `/<slug>-i.<shopid>.<itemid>`: Shopee item page (a script shell).
- `/shop/`, `/shop/collections/<handle>?page=<n>`, `/shop/products/<handle>`: the schema.org shop.
- `/sitemap.xml` (index) → `/sitemap_collections.xml`, `/sitemap_products_<n>.xml`: the shop's sitemaps.
- `/img/<name>.jpg`: a placeholder image.

- `/catalog/_____tmd_____/punish?x5secdata=…`: Lazada's slider challenge (where blocked searches land).

Options:
- `size`, `seed`: the catalogue (or pass a built `catalogue`);
- `blocked_shopee`: True answers every Shopee search with error 90309999, a collection of keywords only
  those; `shopee_block_style`: `hard` (HTTP 403) or `soft` (HTTP 200), see `render_shopee`;
- `blocked_lazada`: the same for Lazada catalog searches, which are redirected (302) to the slider page;
- `throttle_every`: N > 0 answers every Nth search request (both APIs counted together) with HTTP 429
  and `Retry-After: 1`;
- `malformed`, `malformed_keywords`: broken answers, see `malformed.py`;
- `latency`: seconds every answer waits before it is sent (a remote site's round trip; requests are
  answered in parallel threads, so it costs a crawler time, not the server CPU).

`request_times()` gives the arrival time (`time.monotonic()`) and route of every request answered, so
a test or benchmark sees the rate the site was crawled at; `concurrency()` the number of requests in
the server at each arrival (the site's view of a crawler's concurrency).
"""

from __future__ import annotations

import json
import logging
import re
import sys
import threading
import time
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

from crawler.demo_market import malformed as mf
from crawler.demo_market import render_lazada, render_shop, render_shopee
from crawler.demo_market.catalogue import (
    DEFAULT_SEED,
    DEFAULT_SIZE,
    MALFORMED_KINDS,
    Catalogue,
    CatalogueEntry,
    build_catalogue,
    normalise_keyword,
)

logger = logging.getLogger(__name__)

HOST = "127.0.0.1"
JSON_TYPE = "application/json; charset=utf-8"
HTML_TYPE = "text/html; charset=utf-8"
XML_TYPE = "application/xml; charset=utf-8"
# The smallest valid GIF: images are never the point, but a 404 on every <img> would be noise.
_PIXEL = bytes.fromhex(
    "47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b"
)

_LAZADA_PRODUCT = re.compile(r"^/products/(?:[^/]*-)?i(\d+)-s(\d+)\.html$")
_SHOPEE_ITEM = re.compile(r"^/product/(\d+)/(\d+)/?$")
_SHOPEE_SLUG_ITEM = re.compile(r"^/[^/]*-i\.(\d+)\.(\d+)/?$")
_SHOP_COLLECTION = re.compile(r"^/shop/collections/([A-Za-z0-9_-]+)/?$")
_SHOP_PRODUCT = re.compile(r"^/shop/products/([^/]+)$")
_SITEMAP_PRODUCTS = re.compile(r"^/sitemap_products_(\d+)\.xml$")
_IMAGE = re.compile(r"^/img/[\w.-]+\.jpg$")


@dataclass(frozen=True)
class KeywordRule:
    """Which search keywords an option applies to: all of them, or a set (compared normalised)."""

    everything: bool = False
    keywords: frozenset[str] = frozenset()

    @classmethod
    def of(cls, value: bool | Collection[str]) -> KeywordRule:
        if isinstance(value, bool):
            return cls(everything=value)
        if isinstance(value, str):  # one keyword, not its characters
            value = [value]
        return cls(keywords=frozenset(normalise_keyword(keyword) for keyword in value))

    def __contains__(self, keyword: object) -> bool:
        return self.everything or (isinstance(keyword, str) and normalise_keyword(keyword) in self.keywords)

    def __bool__(self) -> bool:
        return self.everything or bool(self.keywords)

    def describe(self) -> str:
        return "every keyword" if self.everything else ", ".join(sorted(self.keywords))


class BadRequest(ValueError):
    """A query parameter the market cannot use (answered with HTTP 400 naming the parameter)."""


class DemoMarket:
    """A running demo marketplace (use as a context manager, or `start()`/`stop()`)."""

    def __init__(
        self,
        port: int = 0,
        *,
        size: int = DEFAULT_SIZE,
        seed: int = DEFAULT_SEED,
        blocked_shopee: bool | Collection[str] = False,
        shopee_block_style: str = "hard",
        blocked_lazada: bool | Collection[str] = False,
        throttle_every: int = 0,
        malformed: bool = False,
        malformed_keywords: Collection[str] = (),
        catalogue: Catalogue | None = None,
        latency: float = 0.0,
    ) -> None:
        if shopee_block_style not in render_shopee.BLOCK_STYLES:
            raise ValueError(
                f"shopee_block_style must be one of {render_shopee.BLOCK_STYLES}, got {shopee_block_style!r}"
            )
        self.requested_port = port
        self.catalogue = catalogue if catalogue is not None else build_catalogue(size, seed)
        if throttle_every < 0:
            raise ValueError(f"throttle_every must be >= 0, got {throttle_every}")
        self.blocked_shopee = KeywordRule.of(blocked_shopee)
        self.shopee_block_style = shopee_block_style
        self.blocked_lazada = KeywordRule.of(blocked_lazada)
        self.throttle_every = throttle_every
        if latency < 0:
            raise ValueError(f"latency must be >= 0, got {latency}")
        self.latency = latency
        self._arrivals: list[tuple[float, str]] = []
        self.malformed = malformed
        self.malformed_keywords = KeywordRule.of(malformed_keywords)
        self._searches = 0
        self._collections = self._group_shop_collections()
        self._shop_urls = [entry.shop_handle for entry in self.catalogue if "shop" in entry.platforms]
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._counts: Counter[str] = Counter()
        self._counts_lock = threading.Lock()
        self._in_server = 0
        self._concurrency: list[tuple[float, int]] = []

    # --- lifecycle ---------------------------------------------------------------------------------

    def start(self) -> DemoMarket:
        if self._server is not None:
            raise RuntimeError("the demo market is already running")
        server = _Server((HOST, self.requested_port), _Handler)
        server.market = self
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name=f"demo-market-{self.port}",
            daemon=True,
        )
        self._thread.start()
        logger.info("demo market serving %d listings at %s", len(self.catalogue), self.base_url)
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        if server is None:
            return
        server.shutdown()
        server.server_close()
        if thread is not None:
            thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> DemoMarket:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the demo market is not running (use `with DemoMarket(...)` or start())")
        return int(self._server.server_address[1])

    @property
    def host(self) -> str:
        """`127.0.0.1:PORT`, as it appears in protocol-relative URLs."""
        return f"{HOST}:{self.port}"

    @property
    def base_url(self) -> str:
        return f"http://{self.host}"

    # --- introspection for tests and benchmarks ----------------------------------------------------

    def request_counts(self) -> Counter[str]:
        """Requests answered so far, by route (`lazada_catalog`, `shopee_search`, `shopee_blocked`, …)."""
        with self._counts_lock:
            return Counter(self._counts)

    def count(self, route: str) -> None:
        arrived = time.monotonic()
        with self._counts_lock:
            self._counts[route] += 1
            self._arrivals.append((arrived, route))

    def enter(self) -> None:
        """A request arrived (it stays in the server until `leave`)."""
        with self._counts_lock:
            self._in_server += 1
            self._concurrency.append((time.monotonic(), self._in_server))

    def leave(self) -> None:
        with self._counts_lock:
            self._in_server -= 1

    def concurrency(self) -> list[tuple[float, int]]:
        """(arrival time on `time.monotonic()`, requests in the server then, this one included)."""
        with self._counts_lock:
            return list(self._concurrency)

    def request_times(self) -> list[tuple[float, str]]:
        """(arrival time on `time.monotonic()`, route) of every request answered so far, in order."""
        with self._counts_lock:
            return sorted(self._arrivals)

    def is_blocked(self, keyword: str) -> bool:
        """True when a Shopee search for `keyword` is answered with the 90309999 block."""
        return keyword in self.blocked_shopee

    def _throttled(self) -> bool:
        """Count a search request; True when it is one the market answers with 429."""
        if not self.throttle_every:
            return False
        with self._counts_lock:
            self._searches += 1
            return self._searches % self.throttle_every == 0

    def _too_many_requests(self, route: str) -> tuple[int, str, bytes, dict[str, str]]:
        body = "<html><head><title>429 Too Many Requests</title></head><body>Too Many Requests</body></html>"
        return self._text(route, 429, HTML_TYPE, body, {"Retry-After": "1"})

    def malformed_urls(self) -> list[tuple[str, str]]:
        """(path, kind) of every per-listing page served broken in malformed mode (empty otherwise)."""
        if not self.malformed:
            return []
        urls: list[tuple[str, str]] = []
        for entry in self.catalogue:
            if not entry.malformed:
                continue
            for platform in ("lazada", "shop"):
                if platform in entry.platforms and platform in MALFORMED_KINDS[entry.malformed]:
                    urls.append((entry.path(platform), entry.malformed))
            if "shopee" in entry.platforms and entry.malformed in ("missing_fields", "absurd_price"):
                urls.append((f"/api/v4/search/search_items (itemid {entry.shopee_item_id})", entry.malformed))
        return urls

    def _group_shop_collections(self) -> dict[str, list[CatalogueEntry]]:
        groups: dict[str, list[CatalogueEntry]] = {}
        for entry in self.catalogue:
            if "shop" in entry.platforms:
                groups.setdefault(entry.family, []).append(entry)
        return groups

    # --- answers (called by the handler; each returns status, content type, body) -------------------

    def answer(self, path: str, query: dict[str, list[str]]) -> tuple[int, str, bytes, dict[str, str]]:
        if path == "/robots.txt":
            return self._text("robots", 200, "text/plain; charset=utf-8", self._robots())
        if path in ("/catalog", "/catalog/"):
            return self._lazada_catalog(query)
        if path == render_lazada.PUNISH_PATH:
            token = _param(query, "x5secdata")
            return self._text("lazada_slider", 200, HTML_TYPE, render_lazada.slider_page(token))
        if path == "/api/v4/search/search_items":
            return self._shopee_search(query)
        if match := _LAZADA_PRODUCT.match(path):
            return self._lazada_product(int(match[1]), int(match[2]))
        if (match := _SHOPEE_ITEM.match(path)) or (match := _SHOPEE_SLUG_ITEM.match(path)):
            return self._shopee_item(int(match[1]), int(match[2]))
        if path in ("/shop", "/shop/"):
            listing = sorted((handle, len(entries)) for handle, entries in self._collections.items())
            return self._text("shop_home", 200, HTML_TYPE, render_shop.home(listing))
        if match := _SHOP_COLLECTION.match(path):
            return self._shop_collection(match[1], query)
        if match := _SHOP_PRODUCT.match(path):
            return self._shop_product(match[1])
        if path == "/sitemap.xml":
            chunks = -(-len(self._shop_urls) // render_shop.SITEMAP_CHUNK)
            return self._text("sitemap", 200, XML_TYPE, render_shop.sitemap_index(self.base_url, chunks))
        if path == "/sitemap_collections.xml":
            urls = [f"{self.base_url}/shop/collections/{handle}" for handle in sorted(self._collections)]
            return self._text("sitemap", 200, XML_TYPE, render_shop.urlset(urls))
        if match := _SITEMAP_PRODUCTS.match(path):
            return self._sitemap_products(int(match[1]))
        if _IMAGE.match(path):
            self.count("image")
            return 200, "image/gif", _PIXEL, {}
        if path == "/":
            return self._text("home", 200, HTML_TYPE, _home_page())
        return self._not_found(path)

    def _text(
        self,
        route: str,
        status: int,
        content_type: str,
        text: str,
        headers: dict[str, str] | None = None,
        encoding: str = "utf-8",
    ) -> tuple[int, str, bytes, dict[str, str]]:
        self.count(route)
        return status, content_type, text.encode(encoding, errors="replace"), headers or {}

    def _json(self, route: str, status: int, data: Any) -> tuple[int, str, bytes, dict[str, str]]:
        return self._text(
            route, status, JSON_TYPE, json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        )

    def _broken_json(self, route: str, data: Any) -> tuple[int, str, bytes, dict[str, str]]:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        return self._text(route, 200, JSON_TYPE, mf.truncate(text))

    def _not_found(self, path: str) -> tuple[int, str, bytes, dict[str, str]]:
        return self._text("not_found", 404, HTML_TYPE, f"<html><body><h1>404</h1><p>{path}</p></body></html>")

    def _robots(self) -> str:
        return (
            "User-agent: *\n"
            "Disallow: /cart\n"
            "Disallow: /checkout\n"
            "Disallow: /customer/\n"
            "Disallow: /shop/cart\n"
            "Allow: /\n\n"
            f"Sitemap: {self.base_url}/sitemap.xml\n"
        )

    def _lazada_catalog(self, query: dict[str, list[str]]) -> tuple[int, str, bytes, dict[str, str]]:
        try:
            page = max(1, _int_param(query, "page", 1))
        except BadRequest as error:
            return self._json("bad_request", 400, {"error": str(error)})
        keyword = _param(query, "q")
        if keyword in self.blocked_lazada:
            token = render_shopee.tracking_id(f"lazada|{keyword}|{page}").replace("-", "")
            location = f"{self.base_url}{render_lazada.PUNISH_PATH}?x5secdata={token}&x5step=1"
            return self._text("lazada_blocked", 302, HTML_TYPE, "", {"Location": location})
        if self._throttled():
            return self._too_many_requests("lazada_throttled")
        results = self.catalogue.search(keyword, "lazada")
        payload = render_lazada.catalog_payload(keyword, page, results, self.host, self.malformed)
        broken = (self.malformed and page == mf.BROKEN_CATALOG_PAGE) or (
            page == 1 and keyword in self.malformed_keywords
        )
        if _param(query, "ajax").lower() != "true":
            text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
            return self._text(
                "lazada_catalog_html", 200, HTML_TYPE, render_lazada.catalog_html(text, keyword)
            )
        if broken:
            return self._broken_json("lazada_catalog_broken", payload)
        return self._json("lazada_catalog", 200, payload)

    def _lazada_product(self, item_id: int, sku_id: int) -> tuple[int, str, bytes, dict[str, str]]:
        entry = self.catalogue.by_lazada_item.get(item_id)
        if entry is None or entry.lazada_sku_id != sku_id:
            return self._not_found(f"/products/…-i{item_id}-s{sku_id}.html")
        if mf.breaks(entry, "server_error", self.malformed):
            return self._text(
                "lazada_product_error", 500, HTML_TYPE, "<html><body>500 Internal Server Error</body></html>"
            )
        page = render_lazada.product_page(entry, self.host, self.malformed)
        if mf.breaks(entry, "truncated_html", self.malformed):
            return self._text(
                "lazada_product_broken", 200, HTML_TYPE, render_lazada.cut_inside_module_data(page)
            )
        if mf.breaks(entry, "other_encoding", self.malformed):
            return self._text("lazada_product", 200, "text/html; charset=windows-874", page, encoding="cp874")
        return self._text("lazada_product", 200, HTML_TYPE, page)

    def _shopee_search(self, query: dict[str, list[str]]) -> tuple[int, str, bytes, dict[str, str]]:
        keyword = _param(query, "keyword")
        if self.is_blocked(keyword):
            status, body = render_shopee.block_answer(
                self.shopee_block_style, f"{keyword}|{_param(query, 'newest')}|{self.catalogue.seed}"
            )
            return self._json("shopee_blocked", status, body)
        if self._throttled():
            return self._too_many_requests("shopee_throttled")
        try:
            newest = max(0, _int_param(query, "newest", 0))
            limit = min(
                render_shopee.MAX_LIMIT, max(1, _int_param(query, "limit", render_shopee.DEFAULT_LIMIT))
            )
        except BadRequest as error:
            return self._json("bad_request", 400, {"error": 4, "error_msg": str(error)})
        results = self.catalogue.search(keyword, "shopee")
        payload = render_shopee.search_payload(results, newest, limit, self.malformed)
        broken = (self.malformed and newest == mf.BROKEN_SEARCH_PAGE_INDEX * limit) or (
            newest == 0 and keyword in self.malformed_keywords
        )
        if broken:
            return self._broken_json("shopee_search_broken", payload)
        return self._json("shopee_search", 200, payload)

    def _shopee_item(self, shop_id: int, item_id: int) -> tuple[int, str, bytes, dict[str, str]]:
        entry = self.catalogue.by_shopee_item.get((shop_id, item_id))
        if entry is None:
            return self._not_found(f"/product/{shop_id}/{item_id}")
        return self._text("shopee_item", 200, HTML_TYPE, render_shopee.item_page(entry))

    def _shop_collection(
        self, handle: str, query: dict[str, list[str]]
    ) -> tuple[int, str, bytes, dict[str, str]]:
        entries = self._collections.get(handle)
        if entries is None:
            return self._not_found(f"/shop/collections/{handle}")
        try:
            page = max(1, _int_param(query, "page", 1))
        except BadRequest as error:
            return self._text("bad_request", 400, HTML_TYPE, f"<html><body>{error}</body></html>")
        return self._text("shop_collection", 200, HTML_TYPE, render_shop.collection(handle, page, entries))

    def _shop_product(self, handle: str) -> tuple[int, str, bytes, dict[str, str]]:
        entry = self.catalogue.by_shop_handle.get(handle)
        if entry is None:
            return self._not_found(f"/shop/products/{handle}")
        if mf.breaks(entry, "server_error", self.malformed):
            return self._text(
                "shop_product_error", 500, HTML_TYPE, "<html><body>500 Internal Server Error</body></html>"
            )
        return self._text(
            "shop_product", 200, HTML_TYPE, render_shop.product_page(entry, self.base_url, self.malformed)
        )

    def _sitemap_products(self, number: int) -> tuple[int, str, bytes, dict[str, str]]:
        size = render_shop.SITEMAP_CHUNK
        chunk = self._shop_urls[(number - 1) * size : number * size] if number >= 1 else []
        if not chunk:
            return self._not_found(f"/sitemap_products_{number}.xml")
        urls = [f"{self.base_url}/shop/products/{handle}" for handle in chunk]
        return self._text("sitemap", 200, XML_TYPE, render_shop.urlset(urls))


def _param(query: dict[str, list[str]], name: str) -> str:
    values = query.get(name)
    return values[0] if values else ""


def _int_param(query: dict[str, list[str]], name: str, default: int) -> int:
    raw = _param(query, name).strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise BadRequest(f"query parameter {name!r} must be an integer, got {raw!r}") from None


def _home_page() -> str:
    return (
        '<!DOCTYPE html>\n<html lang="th"><head><meta charset="utf-8">'
        "<title>tiswatch demo market</title></head>"
        "<body><h1>tiswatch demo market</h1><ul>"
        '<li><a href="/catalog/?q=ปลั๊กพ่วง&amp;ajax=true">Lazada catalog JSON</a></li>'
        '<li><a href="/api/v4/search/search_items?keyword=ปลั๊กพ่วง&amp;newest=0&amp;limit=60&amp;by=relevancy">'
        "Shopee search API</a></li>"
        '<li><a href="/shop/">schema.org shop</a></li></ul></body></html>\n'
    )


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128
    market: DemoMarket

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A crawler that exits drops its keep-alive connections: normal, not a server error.
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError):
            logger.debug("demo market: client %s went away: %s", client_address, error)
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"  # keep-alive: crawlers reuse connections
    server_version = "DemoMarket/1.0"
    sys_version = ""

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def _respond(self, send_body: bool) -> None:
        self.server.market.enter()
        try:
            self._answer(send_body)
        finally:
            self.server.market.leave()

    def _answer(self, send_body: bool) -> None:
        parts = urlsplit(self.path)
        try:
            status, content_type, body, headers = self.server.market.answer(parts.path, parse_qs(parts.query))
        except Exception:  # a bug in a renderer must show up as a 500, not a dropped connection
            logger.exception("demo market failed on %s", self.path)
            status, content_type, body, headers = 500, HTML_TYPE, b"<html><body>server bug</body></html>", {}
        if self.server.market.latency:
            time.sleep(self.server.market.latency)
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s %s", self.address_string(), format % args)
