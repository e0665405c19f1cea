"""Lazada pages: the catalog JSON (search results) and the product page.

- Catalog: `/catalog/?q=<keyword>&page=<n>&ajax=true` answers `{"mainInfo": {totalResults, pageSize,
  page}, "mods": {"listItems": [{name, itemId|nid, skuId, price, priceShow, brandName, sellerName,
  sellerId, itemUrl|productUrl, ratingScore, itemSoldCntShow, image, description[]}]}}`.
- Product page: HTML with `var __moduleData__ = {"data": {"root": {"fields": {primaryKey, product
  {title, brandName, desc}, skuInfos, specifications{<skuId>: {features}}, seller, review}}}}` (the
  older layout passes the same object to `app.run({…})`) and a schema.org Product JSON-LD block, read
  when neither is there or readable.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from crawler.items import Listing
from crawler.parsers.embedded_json import assigned_object, called_object
from crawler.parsers.schema_org import extract_products, read_product
from crawler.parsers.values import (
    PageParseError,
    ParsedPage,
    PriceReading,
    clean_text,
    html_to_text,
    parse_price,
    parse_rating,
)
from standards_data.text import clean_brand, parse_count

PLATFORM = "lazada"
MODULE_DATA = "__moduleData__"
# The older product-page layout hands the same `{"data": {"root": {"fields": …}}}` to its app loader.
APP_RUN = "app.run"
# Product URLs carry the ids: /products/<slug>-i<itemId>-s<skuId>.html (the slug may be empty)
_PRODUCT_URL_IDS = re.compile(r"[-/]i(\d+)(?:-s(\d+))?\.html")


# The site's own host form. Cards also link the bare domain (`//lazada.co.th/…`,
# `https://lazada.co.th/…`), which the site redirects to www: one product must keep one URL.
SITE_HOST = "www.lazada.co.th"
_BARE_HOST = "lazada.co.th"


def canonical_product_url(url: str) -> str:
    """A product URL without its tracking query (`?search=1&spm=…`), on the site's `www` host: the
    listing's identity URL in exports and the history."""
    parts = urlsplit(url)
    if parts.netloc.lower() == _BARE_HOST:
        return urlunsplit(("https", SITE_HOST, parts.path, "", ""))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def item_id_in_url(url: str) -> str:
    """The item id a product URL carries (`…-i<itemId>-s<skuId>.html`); "" for any other page."""
    ids = _PRODUCT_URL_IDS.search(urlsplit(url).path)
    return ids.group(1) if ids else ""


def absolute_link(page_url: str, link: str) -> str:
    """Resolve a card link. Lazada writes `//www.lazada.co.th/products/…`; its site is https-only, so a
    scheme-relative link to another host (a recorded mirror's catalog) means https; to the page's own
    host (the real site, the demo market) it keeps the page's scheme."""
    if link.startswith("//") and urlsplit("http:" + link).netloc != urlsplit(page_url).netloc:
        return "https:" + link
    return urljoin(page_url, link)


class LazadaCatalogPage:
    """One page of Lazada search results (the catalog's `ajax=true` JSON)."""

    def __init__(self, text: str, url: str, crawled_at: str) -> None:
        self.text = text
        self.url = url
        self.crawled_at = crawled_at
        self.currency = "THB"

    def parse(self) -> ParsedPage:
        try:
            data = json.loads(self.text)
        except ValueError as error:
            raise PageParseError(f"catalog answer is not JSON ({error})") from None
        if not isinstance(data, dict):
            raise PageParseError(f"catalog answer is a JSON {type(data).__name__}, not an object")
        mods = data.get("mods")
        if not isinstance(mods, dict):
            raise PageParseError("catalog answer has no `mods` object")
        items = mods.get("listItems") or []
        if not isinstance(items, list):
            raise PageParseError(f"`mods.listItems` is a {type(items).__name__}, not a list")
        main: dict[str, Any] = data["mainInfo"] if isinstance(data.get("mainInfo"), dict) else {}
        total = parse_count(main.get("totalResults"))
        page_size = parse_count(main.get("pageSize")) or len(items)
        page_no = parse_count(main.get("page")) or 1

        self.currency = _catalog_currency(main)
        page = ParsedPage(total_results=total)
        for position, card in enumerate(items):
            if not isinstance(card, dict):
                page.skipped.append(f"card {position}: not an object")
                continue
            listing = self._listing(card, position, page)
            if listing is not None:
                page.listings.append(listing)
        page.has_more = _has_more(len(items), total, page_size, page_no, main.get("noMorePages"), page)
        return page

    def _listing(self, card: dict[str, Any], position: int, page: ParsedPage) -> Listing | None:
        item_id = clean_text(card.get("itemId") or card.get("nid"))
        title = clean_text(card.get("name"))
        link = clean_text(card.get("itemUrl") or card.get("productUrl"))
        if not item_id or not title or not link:
            page.skipped.append(f"card {position}: missing itemId/name/itemUrl")
            return None
        price = parse_price(card.get("price"))
        if price.value is None:
            price = _better(price, parse_price(card.get("priceShow")))
        if price.value is None:
            page.problems.append(f"item {item_id}: {price.problem}")
        description = card.get("description")
        lines = description if isinstance(description, list) else [description] if description else []
        image = clean_text(card.get("image"))
        return Listing(
            platform=PLATFORM,
            listing_id=item_id,
            url=canonical_product_url(absolute_link(self.url, link)),
            title=title,
            description="\n".join(clean_text(line) for line in lines if clean_text(line)),
            brand=clean_brand(card.get("brandName")),
            price=price.value,
            currency=self.currency,
            seller_id=clean_text(card.get("sellerId")),
            seller_name=clean_text(card.get("sellerName")),
            attributes={"location": clean_text(card["location"])} if clean_text(card.get("location")) else {},
            crawled_at=self.crawled_at,
            sold=parse_count(card.get("itemSoldCntShow")),
            rating=parse_rating(card.get("ratingScore"), card.get("review")),
            image_urls=[urljoin(self.url, image)] if image else [],
            source_url=self.url,
        )


# Lazada/Daraz ventures (`mainInfo.venture`, the country the site serves) and their currencies: the
# catalog answer gives only a symbol (`Rs.`, shared by Pakistan, Nepal and Sri Lanka).
VENTURE_CURRENCIES = {
    "TH": "THB",
    "MY": "MYR",
    "SG": "SGD",
    "PH": "PHP",
    "ID": "IDR",
    "VN": "VND",
    "PK": "PKR",
    "NP": "NPR",
    "BD": "BDT",
    "LK": "LKR",
    "MM": "MMK",
}


def _catalog_currency(main: dict[str, Any]) -> str:
    """The currency of the catalog's site, from its venture; THB (Lazada Thailand) when unsaid."""
    core = _dig(main, "dataLayer", "core")
    venture = clean_text(main.get("venture") or (core.get("country") if isinstance(core, dict) else ""))
    return VENTURE_CURRENCIES.get(venture.upper(), "THB")


def _has_more(
    served: int, total: int | None, page_size: int, page_no: int, no_more: Any, page: ParsedPage
) -> bool:
    """Whether to ask for the next catalog page.

    `totalResults` is only a hint: Lazada has been seen to answer "0" (or any count too low) above a
    page of 40 cards. Trusting it would end the keyword after page 1 and make the history mark the
    unseen listings gone, so a count the page itself contradicts is ignored and paging goes on until
    an empty page (or a page of nothing new, which the spider judges)."""
    if not served:
        return False
    seen_so_far = (page_no - 1) * page_size + served
    if total is not None and total >= seen_so_far and page_size:
        return page_no * page_size < total
    if total is not None:
        page.notes.append(
            f"totalResults {total} is below the {seen_so_far} cards served up to page {page_no}: "
            "ignored, paging on until an empty page"
        )
    return no_more is not True


def _better(first: PriceReading, second: PriceReading) -> PriceReading:
    return second if second.value is not None else first


@dataclass
class ProductDetails:
    """What a product page adds to (or says instead of) its catalog card."""

    item_id: str = ""
    title: str = ""
    description: str = ""
    brand: str = ""
    price: PriceReading = field(default_factory=lambda: PriceReading(None, "missing price"))
    seller_id: str = ""
    seller_name: str = ""
    rating: float | None = None
    currency: str = ""
    """ISO 4217 code the page states (`tracking.core.currencyCode`); empty when it states none."""
    attributes: dict[str, str] = field(default_factory=dict)
    image_urls: list[str] = field(default_factory=list)
    source: str = MODULE_DATA
    """Where the details came from: `__moduleData__`, `app.run` or `json-ld`."""
    problems: list[str] = field(default_factory=list)


class LazadaProductPage:
    """A Lazada product page: `__moduleData__` first, the schema.org JSON-LD block as a fallback."""

    def __init__(self, html: str, url: str, crawled_at: str) -> None:
        self.html = html
        self.url = url
        self.crawled_at = crawled_at

    def details(self) -> ProductDetails:
        fields, source, module_problem = self._page_state()
        if fields is not None:
            embedded = self._from_module_data(fields)
            embedded.source = source
            return embedded
        details = self._from_json_ld()
        if details is None:
            reason = module_problem or f"no `{MODULE_DATA}` or `{APP_RUN}(…)` state"
            raise PageParseError(f"product page unreadable: {reason} and no schema.org Product JSON-LD")
        if module_problem:
            details.problems.append(f"{module_problem}; read the JSON-LD block instead")
        return details

    def _page_state(self) -> tuple[dict[str, Any] | None, str, str]:
        """The page's `data.root.fields` (with where it was found), or None and why not.

        The first embedded state present decides: a broken `__moduleData__` is a problem to report,
        not a reason to look for the older layout as well.
        """
        readers = ((MODULE_DATA, assigned_object), (APP_RUN, called_object))
        for name, read in readers:
            try:
                state = read(self.html, name)
            except PageParseError as error:
                return None, name, str(error)
            if state is None:
                continue
            fields = _dig(state, "data", "root", "fields")
            if isinstance(fields, dict) and isinstance(fields.get("product"), dict):
                return fields, name, ""
            return None, name, f"`{name}` has no data.root.fields.product"
        return None, "", ""

    def item_id(self, details: ProductDetails) -> str:
        """Which item this page is about: its own state's `primaryKey.itemId`, else its URL's id."""
        return details.item_id or item_id_in_url(self.url)

    def parse(self) -> ParsedPage:
        """The page on its own as a listing (when there is no catalog card to enrich)."""
        details = self.details()
        ids = _PRODUCT_URL_IDS.search(self.url)
        item_id = details.item_id or (ids.group(1) if ids else "")
        if not item_id or not details.title:
            raise PageParseError("product page has no item id or title")
        card = Listing(
            platform=PLATFORM,
            listing_id=item_id,
            url=canonical_product_url(self.url),
            title=details.title,
            crawled_at=self.crawled_at,
        )
        page = ParsedPage(listings=[self.enrich(card, details)], problems=list(details.problems))
        if details.price.value is None:
            page.problems.append(f"item {item_id}: {details.price.problem}")
        return page

    def enrich(self, card: Listing, details: ProductDetails | None = None) -> Listing:
        """The card's listing completed with what the product page says (the page wins where it speaks)."""
        details = details or self.details()
        attributes = dict(card.attributes)
        attributes.update(details.attributes)
        return replace(
            card,
            title=details.title or card.title,
            description=details.description or card.description,
            brand=details.brand or card.brand,
            price=details.price.value if details.price.value is not None else card.price,
            currency=details.currency or card.currency,
            seller_id=details.seller_id or card.seller_id,
            seller_name=details.seller_name or card.seller_name,
            rating=details.rating if details.rating is not None else card.rating,
            attributes=attributes,
            image_urls=details.image_urls or card.image_urls,
            crawled_at=self.crawled_at,
            source_url=self.url,
        )

    def _from_module_data(self, fields: dict[str, Any]) -> ProductDetails:
        product = fields["product"]
        primary: dict[str, Any] = fields["primaryKey"] if isinstance(fields.get("primaryKey"), dict) else {}
        sku_id = clean_text(primary.get("skuId"))
        seller: dict[str, Any] = fields["seller"] if isinstance(fields.get("seller"), dict) else {}
        ratings = _dig(fields, "review", "ratings")
        tracking: dict[str, Any] = fields["tracking"] if isinstance(fields.get("tracking"), dict) else {}
        price = _sku_price(fields.get("skuInfos"), sku_id)
        if price.value is None:
            # Real pages (TH 2023, MY 2026) carry the price only in the tracking block: `฿699.00`.
            price = _better(price, parse_price(tracking.get("pdt_price")))
        details = ProductDetails(
            item_id=clean_text(primary.get("itemId")),
            title=clean_text(product.get("title")),
            description=html_to_text(str(product.get("desc") or product.get("highlights") or "")),
            # `brandName` in older states; `brand.name` and the tracking block's `brand_name` in real ones.
            brand=clean_brand(
                product.get("brandName") or _dig(product, "brand", "name") or tracking.get("brand_name")
            ),
            price=price,
            currency=clean_text(_dig(tracking, "core", "currencyCode")).upper(),
            seller_id=clean_text(seller.get("sellerId") or primary.get("sellerId")),
            seller_name=clean_text(seller.get("name") or seller.get("sellerName")),
            rating=parse_rating(ratings.get("average"), ratings.get("rateCount"))
            if isinstance(ratings, dict)
            else None,
            attributes=_specifications(fields.get("specifications"), sku_id),
        )
        return details

    def _from_json_ld(self) -> ProductDetails | None:
        nodes, problems = extract_products(self.html, self.url, syntaxes=("json-ld",))
        if not nodes:
            return None
        product = read_product(nodes[0], self.url)
        if not product.name:
            return None
        ids = _PRODUCT_URL_IDS.search(self.url)
        return ProductDetails(
            item_id=ids.group(1) if ids else "",
            title=product.name,
            description=product.description,
            brand=product.brand,
            price=product.price,
            seller_name=product.seller_name,
            rating=product.rating,
            attributes=product.attributes,
            image_urls=product.image_urls,
            source="json-ld",
            problems=problems,
        )


def _dig(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _sku_price(sku_infos: Any, sku_id: str) -> PriceReading:
    """The sale price of the page's SKU (`skuInfos[skuId]`, else `skuInfos["0"]`, the default SKU)."""
    if not isinstance(sku_infos, dict):
        return PriceReading(None, "missing price (no skuInfos)")
    info = sku_infos.get(sku_id) or sku_infos.get("0") or next(iter(sku_infos.values()), None)
    if not isinstance(info, dict):
        return PriceReading(None, "missing price (no SKU record)")
    reading = PriceReading(None, "missing price")
    for kind in ("salePrice", "originalPrice"):
        price = _dig(info, "price", kind)
        if isinstance(price, dict):
            reading = parse_price(price.get("value"))
            if reading.value is None:
                reading = _better(reading, parse_price(price.get("text")))
            if reading.value is not None:
                return reading
    return reading


def _specifications(specs: Any, sku_id: str) -> dict[str, str]:
    """The spec table (`specifications[skuId].features`), as a dict or a list of name/value pairs."""
    if not isinstance(specs, dict) or not specs:
        return {}
    entry = specs.get(sku_id) or next(iter(specs.values()))
    features = entry.get("features") if isinstance(entry, dict) else None
    attributes: dict[str, str] = {}
    if isinstance(features, dict):
        for name, value in features.items():
            if clean_text(name) and clean_text(value):
                attributes[clean_text(name)] = clean_text(value)
    elif isinstance(features, list):
        for feature in features:
            if (
                isinstance(feature, dict)
                and clean_text(feature.get("name"))
                and clean_text(feature.get("value"))
            ):
                attributes[clean_text(feature["name"])] = clean_text(feature["value"])
    return attributes
