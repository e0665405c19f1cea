"""schema.org Product markup on any shop's page (JSON-LD, microdata, RDFa via extruct) → listings.

Most Shopify / WooCommerce / Magento stores describe their product pages with a schema.org `Product`
(sometimes a `ProductGroup` with variants): name, description, brand, sku/mpn/gtin, `offers` (an
`Offer` or `AggregateOffer` with price and priceCurrency, possibly nested in `priceSpecification`)
and `additionalProperty` (`PropertyValue` name/value pairs — the spec table). This module reads all
three syntaxes into one shape; Lazada's product pages use it as their JSON-LD fallback.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit, urlunsplit

import extruct
from parsel import Selector

from crawler.items import Listing
from crawler.parsers.values import (
    MIN_PLAUSIBLE_PRICE,
    PageParseError,
    ParsedPage,
    PriceReading,
    clean_text,
    html_to_text,
    parse_price,
    parse_rating,
)
from standards_data.text import clean_brand, parse_count

PRODUCT_TYPES = frozenset({"Product", "ProductGroup", "IndividualProduct", "SomeProducts"})
SYNTAXES = ("json-ld", "microdata", "rdfa")
_SCHEMA_PREFIXES = ("http://schema.org/", "https://schema.org/", "schema:")
_GTIN_KEYS = ("gtin", "gtin13", "gtin14", "gtin12", "gtin8", "isbn")
_ATTRIBUTE_KEYS = ("sku", "mpn", "model", "color", "material", "category", "productID")

# A JSON-LD script block, and the comment wrappers themes put around its JSON (WordPress/Magento print
# `//<![CDATA[ … //]]>`, older ones `<!-- … -->`). extruct strips only a leading one-line comment, so
# the closing `//]]>` reaches the JSON parser and the whole block is lost.
_JSON_LD_SCRIPT = re.compile(
    r"(<script\b[^>]*application/ld\+json[^>]*>)(.*?)(</script\s*>)", re.IGNORECASE | re.DOTALL
)
_OPENING_WRAPPER = re.compile(r"^\s*(?:(?://|/\*)\s*)?(?:<!\[CDATA\[|<!--)(?:\s*\*/)?")
_CLOSING_WRAPPER = re.compile(r"(?:(?://|/\*)\s*)?(?:\]\]>|-->)(?:\s*\*/)?\s*$")

logger = logging.getLogger(__name__)


@dataclass
class ProductMarkup:
    """The fields of one schema.org Product node, cleaned."""

    name: str = ""
    description: str = ""
    brand: str = ""
    price: PriceReading = field(default_factory=lambda: PriceReading(None, "missing price"))
    currency: str = ""
    sku: str = ""
    gtin: str = ""
    url: str = ""
    seller_name: str = ""
    rating: float | None = None
    review_count: int | None = None
    image_urls: list[str] = field(default_factory=list)
    attributes: dict[str, str] = field(default_factory=dict)
    """`additionalProperty` name → value, plus sku/mpn/gtin/model when given."""


def short_type(value: Any) -> set[str]:
    """`{'Product'}` from `"Product"`, `["Product", "Thing"]` or `"http://schema.org/Product"`."""
    values = value if isinstance(value, list) else [value]
    types = set()
    for entry in values:
        if isinstance(entry, str):
            for prefix in _SCHEMA_PREFIXES:
                if entry.startswith(prefix):
                    entry = entry[len(prefix) :]
                    break
            types.add(entry)
    return types


def is_product(node: Any) -> bool:
    return isinstance(node, dict) and bool(short_type(node.get("@type")) & PRODUCT_TYPES)


def extract_products(
    html: str, url: str, syntaxes: tuple[str, ...] = SYNTAXES
) -> tuple[list[dict], list[str]]:
    """Every Product node on the page in compact JSON-LD form, and problems met while reading markup.

    Each syntax is read on its own, so a broken JSON-LD block does not hide the page's microdata.
    """
    products: list[dict] = []
    problems: list[str] = []
    if "json-ld" in syntaxes:
        html = unwrap_json_ld(html)
    for syntax in syntaxes:
        try:
            data = extruct.extract(html, base_url=url, syntaxes=[syntax], uniform=True, errors="strict")
        except Exception as error:  # extruct raises whatever its parser raises
            problems.append(f"{syntax} markup unreadable ({type(error).__name__}: {str(error)[:120]})")
            continue
        nodes = data.get(syntax) or []
        if syntax == "rdfa":
            nodes = _compact_rdfa(nodes)
        found = [product for node in nodes for product in _products_in(node)]
        if syntax == "json-ld":
            by_id = _nodes_by_id(nodes)
            found = [_resolve_references(product, by_id) for product in found]
        products.extend(found)
    return products, problems


def _nodes_by_id(nodes: list[Any]) -> dict[str, dict]:
    """The page's JSON-LD nodes that have an `@id`, top level or inside an `@graph`."""
    by_id: dict[str, dict] = {}
    for node in nodes:
        entries = node.get("@graph") if isinstance(node, dict) else None
        for entry in [node, *(entries if isinstance(entries, list) else [])]:
            if isinstance(entry, dict) and isinstance(entry.get("@id"), str):
                by_id.setdefault(entry["@id"], entry)
    return by_id


def _resolve_references(value: Any, by_id: dict[str, dict], depth: int = 0) -> Any:
    """`value` with each bare reference `{"@id": …}` replaced by the node it names.

    Yoast, WooCommerce and Rank Math describe the brand, the seller and the images once in the
    `@graph` and point to them from the Product, so `brand: {"@id": "…#brand"}` carries no name itself.
    """
    if depth > 3:
        return value
    if isinstance(value, list):
        return [_resolve_references(entry, by_id, depth + 1) for entry in value]
    if not isinstance(value, dict):
        return value
    if set(value) == {"@id"} and value["@id"] in by_id:
        # The target is not resolved further: a reference back to the product must not loop.
        return by_id[value["@id"]]
    return {key: _resolve_references(entry, by_id, depth + 1) for key, entry in value.items()}


def unwrap_json_ld(html: str) -> str:
    """The page with CDATA / HTML-comment wrappers taken off the JSON of its JSON-LD blocks."""
    if "ld+json" not in html or ("<![CDATA[" not in html and "<!--" not in html):
        return html  # the common page: nothing to unwrap, no regex pass over it

    def unwrap(match: re.Match[str]) -> str:
        body = _CLOSING_WRAPPER.sub("", _OPENING_WRAPPER.sub("", match.group(2), count=1), count=1)
        return match.group(1) + body + match.group(3)

    return _JSON_LD_SCRIPT.sub(unwrap, html)


def _products_in(node: Any, depth: int = 0) -> list[dict]:
    """Product nodes in a JSON-LD tree: top level, inside `@graph`, or as an ItemPage's `mainEntity`."""
    if depth > 4:
        return []
    if isinstance(node, list):
        return [found for entry in node for found in _products_in(entry, depth + 1)]
    if not isinstance(node, dict):
        return []
    if is_product(node):
        return [node]
    found: list[dict] = []
    for key in ("@graph", "mainEntity", "mainEntityOfPage", "itemListElement", "item"):
        if key in node:
            found.extend(_products_in(node[key], depth + 1))
    return found


def _compact_rdfa(nodes: list[dict]) -> list[dict]:
    """extruct's RDFa output is flattened expanded JSON-LD; rebuild nested, short-keyed nodes."""
    by_id = {node.get("@id"): node for node in nodes if isinstance(node, dict)}

    def compact(node: dict, seen: frozenset[str]) -> dict:
        result: dict[str, Any] = {}
        if "@type" in node:
            result["@type"] = sorted(short_type(node["@type"]))
        for key, values in node.items():
            if key.startswith("@"):
                continue
            short = next((key[len(p) :] for p in _SCHEMA_PREFIXES if key.startswith(p)), None)
            if short is None:
                continue  # other vocabularies (og:, rdfa:) are not product data
            converted = []
            for value in values if isinstance(values, list) else [values]:
                if isinstance(value, dict) and "@value" in value:
                    converted.append(value["@value"])
                elif isinstance(value, dict) and "@id" in value:
                    target = by_id.get(value["@id"])
                    if target is not None and value["@id"] not in seen:
                        converted.append(compact(target, seen | {value["@id"]}))
                    else:
                        converted.append(value["@id"])
            result[short] = converted[0] if len(converted) == 1 else converted
        return result

    referenced = {
        value.get("@id")
        for node in nodes
        if isinstance(node, dict)
        for values in node.values()
        if isinstance(values, list)
        for value in values
        if isinstance(value, dict) and "@id" in value
    }
    return [
        compact(node, frozenset({node.get("@id", "")}))
        for node in nodes
        if isinstance(node, dict) and node.get("@id") not in referenced
    ]


def _first(value: Any) -> Any:
    while isinstance(value, list):
        if not value:
            return None
        value = value[0]
    return value


def _name_of(value: Any) -> str:
    """A Brand/Organization/Person given as a string or as a node with a `name`."""
    value = _first(value)
    if isinstance(value, dict):
        return clean_text(_first(value.get("name")))
    return clean_text(value)


def _offers(node: dict) -> list[dict]:
    offers = node.get("offers")
    result = [
        offer for offer in (offers if isinstance(offers, list) else [offers]) if isinstance(offer, dict)
    ]
    # A ProductGroup carries its prices on the variants.
    for variant in node.get("hasVariant") or []:
        if isinstance(variant, dict):
            result.extend(_offers(variant))
    expanded = []
    for offer in result:
        expanded.append(offer)
        nested = offer.get("offers")  # AggregateOffer may list its Offers
        if isinstance(nested, list):
            expanded.extend(entry for entry in nested if isinstance(entry, dict))
    return expanded


def _offer_price(offer: dict) -> tuple[PriceReading, str]:
    spec = _first(offer.get("priceSpecification"))
    candidates = [offer.get("price"), offer.get("lowPrice")]
    if isinstance(spec, dict):
        candidates.append(spec.get("price"))
    currency = clean_text(_first(offer.get("priceCurrency")))
    if not currency and isinstance(spec, dict):
        currency = clean_text(_first(spec.get("priceCurrency")))
    reading = PriceReading(None, "missing price")
    # The one-baht floor is for baht; a shop pricing in another currency keeps cent prices.
    minimum = MIN_PLAUSIBLE_PRICE if currency.upper() in ("", "THB") else 0.01
    for candidate in candidates:
        reading = parse_price(_first(candidate), minimum=minimum)
        if reading.value is not None:
            break
    return reading, currency.upper()


def read_product(node: dict, page_url: str = "") -> ProductMarkup:
    """Clean the fields of one Product node (compact JSON-LD shape)."""
    product = ProductMarkup(
        name=clean_text(_first(node.get("name"))),
        description=html_to_text(str(_first(node.get("description")) or "")),
        brand=clean_brand(_name_of(node.get("brand"))),
        url=urljoin(page_url, clean_text(_first(node.get("url")))) if node.get("url") else "",
    )
    best: tuple[PriceReading, str] | None = None
    for offer in _offers(node):
        reading, currency = _offer_price(offer)
        # The lowest valid offer is the listing's price (variants and sellers of one product).
        if best is None or (
            reading.value is not None and (best[0].value is None or reading.value < best[0].value)
        ):
            best = (reading, currency)
        if not product.seller_name:
            product.seller_name = _name_of(offer.get("seller"))
    if best is not None:
        product.price, product.currency = best
    rating = _first(node.get("aggregateRating"))
    if isinstance(rating, dict):
        product.review_count = parse_count(_first(rating.get("ratingCount") or rating.get("reviewCount")))
        product.rating = parse_rating(_first(rating.get("ratingValue")), product.review_count)
    product.image_urls = _images(node.get("image"), page_url)

    for key in _ATTRIBUTE_KEYS:
        value = _name_of(node.get(key))
        if value:
            product.attributes[key] = value
    for key in _GTIN_KEYS:
        value = clean_text(_first(node.get(key)))
        if value:
            product.attributes.setdefault("gtin", value)
    product.sku = product.attributes.get("sku", "")
    product.gtin = product.attributes.get("gtin", "")
    properties = node.get("additionalProperty")
    for prop in properties if isinstance(properties, list) else [properties]:
        if not isinstance(prop, dict):
            continue
        name = clean_text(_first(prop.get("name")))
        value = _first(prop.get("value"))
        value_text = clean_text(value.get("name") if isinstance(value, dict) else value)
        unit = clean_text(_first(prop.get("unitText")))
        if name and value_text:
            product.attributes[name] = f"{value_text} {unit}".strip()
    return product


def _images(value: Any, page_url: str) -> list[str]:
    urls = []
    for entry in value if isinstance(value, list) else [value]:
        if isinstance(entry, dict):
            entry = _first(entry.get("url") or entry.get("contentUrl"))
        if isinstance(entry, str) and entry.strip():
            urls.append(urljoin(page_url, entry.strip()))
    return urls


def shop_platform(url: str) -> str:
    """A schema.org shop's platform name: its host without `www.` (`shop.example.co.th`)."""
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


# Marketplace product URLs, so markup read on their pages gets the identity their own spiders give:
# Shopee `…-i.<shopid>.<itemid>` or `/product/<shopid>/<itemid>`, Lazada `…-i<itemid>(-s<skuid>).html`.
_SHOPEE_IDS = re.compile(r"(?:-i\.(\d+)\.(\d+)|/product/(\d+)/(\d+))(?:[/?#]|$)")
_LAZADA_ID = re.compile(r"-i(\d+)(?:-s\d+)?\.html")
_MARKETPLACES = {"shopee": "shopee", "lazada": "lazada"}


def marketplace_identity(url: str) -> tuple[str, str, str] | None:
    """`(platform, listing_id, seller_id)` of a Shopee/Lazada product URL, as their spiders write them."""
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    platform = next((name for key, name in _MARKETPLACES.items() if host.startswith(f"{key}.")), None)
    if platform == "shopee" and (found := _SHOPEE_IDS.search(url)):
        shop, item = (found.group(1), found.group(2)) if found.group(1) else (found.group(3), found.group(4))
        return platform, f"{shop}.{item}", shop
    if platform == "lazada" and (found := _LAZADA_ID.search(url)):
        return platform, found.group(1), ""
    return None


def same_site(url: str, page_url: str) -> bool:
    """An http(s) link on the page's own host (`www.` or not): the only kind a listing may point to."""
    link, page = urlsplit(url), urlsplit(page_url)
    if link.scheme.lower() not in ("http", "https") or not link.hostname:
        return False
    return link.hostname.lower().removeprefix("www.") == (page.hostname or "").lower().removeprefix("www.")


class SchemaOrgProductPage:
    """Any page of a shop: the Product(s) its markup describes, as listings."""

    def __init__(self, html: str, url: str, crawled_at: str) -> None:
        self.html = html
        self.url = url
        self.crawled_at = crawled_at

    @cached_property
    def canonical_url(self) -> str:
        """`<link rel="canonical">` when it points into the same shop, else ''."""
        href = Selector(text=self.html).xpath('//link[@rel="canonical"]/@href').get()
        if not href:
            return ""
        canonical = urljoin(self.url, href.strip())
        return canonical if urlsplit(canonical).netloc == urlsplit(self.url).netloc else ""

    def _is_results_page(self) -> bool:
        """A page listing other products (schema.org ItemList) or a search URL (`?q=`, `/catalog/`)."""
        parts = urlsplit(self.url)
        return (
            '"ItemList"' in self.html
            or "/catalog" in parts.path
            or "/search" in parts.path
            or any(key in ("q", "keyword", "search") for key, _ in parse_qsl(parts.query))
        )

    def parse(self) -> ParsedPage:
        if "<" not in self.html:
            raise PageParseError("page is not HTML")
        nodes, problems = extract_products(self.html, self.url)
        # Markup that could not be read (a JSON-LD block nested past the parser's depth) may hold
        # products: a blind spot, counted as a parse error (the query is then incomplete).
        unreadable = [problem for problem in problems if "markup unreadable" in problem]
        page = ParsedPage(problems=[problem for problem in problems if problem not in unreadable])
        page.skipped.extend(unreadable)
        if not nodes and _mentions_product(self.html):
            # lxml stops at a nesting depth: markup inside 100,000 nested <div>s is not seen at all.
            page.skipped.append("the page names a schema.org Product but no Product markup could be read")
        seen: set[str] = set()
        for node in nodes:
            product = read_product(node, self.url)
            if not product.name:
                page.skipped.append("Product markup without a name")
                continue
            if product.url and not same_site(product.url, self.url):
                # `javascript:`, `data:` or another host: never the link an investigator opens.
                page.problems.append(
                    f"product {product.name[:40]!r}: url {product.url[:60]!r} is not an http(s) link on "
                    f"{urlsplit(self.url).hostname}: not used"
                )
                product.url = ""
            elif product.url:
                # `HTTPS://Shop.example/…` is the same link: written the usual way.
                parts = urlsplit(product.url)
                product.url = urlunsplit(
                    parts._replace(scheme=parts.scheme.lower(), netloc=parts.netloc.lower())
                )
            if not product.url and self._is_results_page():
                # A search or category page's featured product (Daraz): a card of the results, not a
                # listing whose link is the search page.
                page.not_products.append(f"product {product.name[:40]!r} featured on a results page")
                continue
            listing = self._listing(product)
            # The same product is often described twice (JSON-LD and microdata): keep the first.
            if listing.listing_id in seen:
                continue
            seen.add(listing.listing_id)
            if product.price.value is None:
                page.problems.append(f"product {listing.listing_id}: {product.price.problem}")
            page.listings.append(listing)
        return page

    def _listing(self, product: ProductMarkup) -> Listing:
        # The page's canonical link over the route it was reached by (`/collections/x/products/y`):
        # one URL per product in the export, whichever category led to it.
        product_url = product.url or self.canonical_url or self.url
        listing_id = product.sku or product.gtin or _url_id(product_url)
        platform = seller_id = shop_platform(self.url)
        # Markup read on a Shopee/Lazada product page is that marketplace's listing: same identity as
        # its own spider gives it, so the two de-duplicate in the history.
        identity = marketplace_identity(product_url) or marketplace_identity(self.url)
        if identity is not None:
            platform, listing_id, seller_id = identity[0], identity[1], identity[2] or seller_id
        return Listing(
            platform=platform,
            listing_id=listing_id,
            url=product_url,
            title=product.name,
            description=product.description,
            brand=product.brand,
            price=product.price.value,
            currency=product.currency or "THB",
            seller_id=seller_id,
            seller_name=product.seller_name,
            attributes=product.attributes,
            crawled_at=self.crawled_at,
            rating=product.rating,
            image_urls=product.image_urls,
            shop_url=f"{urlsplit(self.url).scheme}://{urlsplit(self.url).netloc}",
            source_url=self.url,
        )


_PRODUCT_MENTION = re.compile(r'"@type"\s*:\s*"Product"|schema\.org/Product\b')


def _mentions_product(html: str) -> bool:
    return _PRODUCT_MENTION.search(html) is not None


def _url_id(url: str) -> str:
    """A stable id for a product known only by its URL: the path, or a hash when it is long."""
    parts = urlsplit(url)
    path = parts.path.rstrip("/") or "/"
    ident = path + (f"?{parts.query}" if parts.query else "")
    if len(ident) <= 120:
        return ident
    return "url-" + hashlib.sha256(ident.encode()).hexdigest()[:20]
