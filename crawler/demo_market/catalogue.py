"""The seeded catalogue of the demo marketplace: Thai listings, each with the verdict it should get.

`build_catalogue(size, seed)` is deterministic (same size and seed → same listings, byte for byte) and
prefix-stable (the first 300 listings of a 10,000-listing catalogue are the 300-listing catalogue),
because every listing draws from its own random stream. Only strings are made here; pages are rendered
on demand by the server.

The first listings follow a coverage schedule (every regulated family × every flagged/certified case,
plus unregulated goods), so even a small catalogue has every verdict and every standard; the rest are
drawn by weight. Each entry records its intended verdict and why (`case`), the standard, and the
registry licence it should be tied to, so tests can score a matcher on it without a crawl.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import accumulate
from random import Random
from typing import Any, overload

from crawler.demo_market import seller_text as st
from crawler.demo_market.families import (
    FAMILIES,
    FAMILY_BY_KEY,
    FOREIGN_LICENCES,
    UNREGULATED,
    UNREGULATED_BY_KEY,
    Brand,
    Family,
    LicenceSpec,
    UnregulatedProduct,
)
from matchers.verdict import (
    CERTIFIED,
    FLAGGED_VERDICTS,
    INVALID_LICENCE,
    NOT_REGULATED,
    UNCERTIFIED,
    UNVERIFIABLE,
)

DEFAULT_SIZE = 400
DEFAULT_SEED = 2432

PLATFORMS = ("shopee", "lazada", "shop")
# Which marketplaces carry a listing: many sellers list on both Shopee and Lazada.
_PLATFORM_SETS: tuple[tuple[frozenset[str], float], ...] = (
    (frozenset({"lazada"}), 0.30),
    (frozenset({"shopee"}), 0.25),
    (frozenset({"lazada", "shopee"}), 0.30),
    (frozenset({"lazada", "shop"}), 0.07),
    (frozenset({"shop"}), 0.08),
)
_DETAIL_PLATFORM_SETS = (
    (frozenset({"lazada"}), 0.7),
    (frozenset({"lazada", "shop"}), 0.15),
    (frozenset({"shop"}), 0.15),
)
_VERDICT_WEIGHTS = {CERTIFIED: 30, UNCERTIFIED: 22, INVALID_LICENCE: 14, UNVERIFIABLE: 14, NOT_REGULATED: 20}

# Malformed-mode breakages, by the platforms whose pages they affect (see malformed.py).
MALFORMED_KINDS: dict[str, frozenset[str]] = {
    "truncated_html": frozenset({"lazada", "shop"}),
    "missing_fields": frozenset({"lazada", "shopee", "shop"}),
    "absurd_price": frozenset({"lazada", "shopee", "shop"}),
    "server_error": frozenset({"lazada", "shop"}),
    "other_encoding": frozenset({"lazada"}),
}
_MALFORMED_RATE = 0.015

_LOCATIONS = (
    ("Bangkok", "กรุงเทพมหานคร"),
    ("Bangkok", "กรุงเทพมหานคร"),
    ("Nonthaburi", "นนทบุรี"),
    ("Samut Prakan", "สมุทรปราการ"),
    ("Chon Buri", "ชลบุรี"),
    ("Pathum Thani", "ปทุมธานี"),
    ("Chiang Mai", "เชียงใหม่"),
    ("Overseas", "ต่างประเทศ"),
    ("Overseas", "ต่างประเทศ"),
)
_SHOP_WORDS_TH = (
    "เจริญกิจ",
    "รุ่งเรือง",
    "สมบูรณ์",
    "ทวีทรัพย์",
    "มงคล",
    "ศรีสยาม",
    "บ้านช่าง",
    "ไทยโฮม",
    "โชคดี",
    "เฮงเฮง",
)
_SHOP_KINDS_TH = ("ไฟฟ้า", "การไฟฟ้า", "อิเล็คทริค", "ช็อป", "มาร์ท", "เซ็นเตอร์", "ซัพพลาย", "พาณิชย์")
_SHOP_NAMES_EN = (
    "Global Mall 888",
    "Gadget Hub TH",
    "Home Living Store",
    "BKK Electric",
    "Kids Toys TH",
    "Helmet Shop TH",
    "Beauty Tools Shop",
    "Super Deal 99",
    "Mega Home Mall",
    "Smart Life TH",
    "Lucky Store",
    "Cheap Cheap Shop",
)
_DESCRIPTION_TRAPS = (
    "ขนาดสินค้า: {กว้าง 10 x ยาว 30 ซม.};",
    "โปรโมชั่น {ซื้อ 2 ชิ้นลดเพิ่ม 5%};",
    "หมายเหตุ: สีจริงอาจต่างจากภาพ}; ขอบคุณค่ะ",
    'var promo = {"code": "NEW50"};',
)
_GENERIC_LINES = (
    "สินค้าพร้อมส่งจากไทย ได้รับสินค้า 1-3 วัน",
    "แพ็คกันกระแทกอย่างดี",
    "มีปัญหาทักแชทได้เลยค่ะ",
    "สินค้าใหม่ ไม่ใช่ของมือสอง",
    "ออกใบกำกับภาษีได้",
)


@dataclass(frozen=True, slots=True)
class Seller:
    name: str
    seller_id: str
    """Lazada `sellerId`."""
    shop_id: int
    """Shopee `shopid`."""
    location_en: str
    location_th: str


@dataclass(frozen=True, slots=True)
class CatalogueEntry:
    """One listing of the demo marketplace with the verdict a matcher should give it."""

    index: int
    family: str
    """Regulated family key (`power_strip`) or unregulated product key (`strip_cover`)."""
    case: str
    """Why the verdict is what it is: `certified.brand_model`, `invalid_licence.revoked`, …"""
    verdict: str
    tis_number: str | None
    """The mandatory standard the product falls under (None when not regulated)."""
    licence_no: str | None
    """The registry licence the listing should be tied to (matched or cited); None if none."""
    cited_licence_no: str
    """The licence number the seller's text cites (Arabic digits), "" if none."""
    claimed_standard: str
    """The specific standard the seller claims ("" for none or a bare `มอก.`)."""
    claim_text: str
    """The claim as written (`มอก.๒๔๓๒-๒๕๕๕`, `มอก.`, `มอก.5 ช่อง`), "" if none."""
    brand: str
    """The product's brand as the registry writes it (Latin form), "" when the listing shows none."""
    model: str
    """The model as the registry writes it, "" when the listing shows none."""
    title: str
    description: str
    brand_field: str
    """What the seller put in the marketplace's brand field ("" = left empty / No Brand)."""
    attributes: dict[str, str]
    price: float
    original_price: float | None
    seller: Seller
    sold: int
    rating: float | None
    review_count: int
    platforms: frozenset[str]
    lazada_item_id: int
    lazada_sku_id: int
    shopee_item_id: int
    shop_sku: str
    slug: str
    rank: float
    """Stable pseudo-relevance used to order search results."""
    malformed: str = ""
    """A breakage served for this listing when the market runs with `malformed=True` ("" = none)."""
    title_key: str = field(default="", repr=False)
    """Case-folded title, for search."""

    @property
    def flagged(self) -> bool:
        return self.verdict in FLAGGED_VERDICTS

    @property
    def needs_product_page(self) -> bool:
        """True when the verdict depends on facts only the product page shows (model in the spec table)."""
        return self.case == "certified.detail_only"

    def listing_id(self, platform: str) -> str:
        """The id a spider should give the listing (Listing contract: Shopee `shopid.itemid`)."""
        if platform == "shopee":
            return f"{self.seller.shop_id}.{self.shopee_item_id}"
        if platform == "lazada":
            return str(self.lazada_item_id)
        if platform == "shop":
            return self.shop_sku
        raise ValueError(f"unknown platform {platform!r}")

    def path(self, platform: str) -> str:
        """URL path of the listing's page on the demo market."""
        if platform == "shopee":
            return f"/product/{self.seller.shop_id}/{self.shopee_item_id}"
        if platform == "lazada":
            return f"/products/{self.slug}-i{self.lazada_item_id}-s{self.lazada_sku_id}.html"
        if platform == "shop":
            return f"/shop/products/{self.shop_handle}"
        raise ValueError(f"unknown platform {platform!r}")

    @property
    def shop_handle(self) -> str:
        return f"{self.slug}-{self.shop_sku.lower()}.html"

    def to_listing(self, platform: str, base_url: str = "") -> dict[str, Any]:
        """The listing as an ideal spider would yield it from `platform` (Listing contract, as a dict).

        Shopee's search API shows no description or spec table, so those stay empty there."""
        on_search_api = platform == "shopee"
        return {
            "platform": platform,
            "listing_id": self.listing_id(platform),
            "url": f"{base_url}{self.path(platform)}",
            "title": self.title,
            "description": "" if on_search_api else self.description,
            "brand": self.brand_field,
            "price": self.price,
            "currency": "THB",
            "seller_id": str(self.seller.shop_id) if on_search_api else self.seller.seller_id,
            "seller_name": self.seller.name,
            "attributes": {} if on_search_api else dict(self.attributes),
            "crawled_at": "",
            "sold": self.sold,
            "rating": self.rating,
            "image_urls": [],
            "shop_url": "",
        }

    def truth(self, platform: str) -> dict[str, Any]:
        """The expected verdict in the shape of `../shared/dev/thai/truth.jsonl`."""
        return {
            "listing_id": self.listing_id(platform),
            "platform": platform,
            "verdict": self.verdict,
            "flagged": self.flagged,
            "tis_number": [self.tis_number] if self.tis_number else None,
            "licence_no": self.licence_no,
            "case": self.case,
        }


class Catalogue(Sequence[CatalogueEntry]):
    """The market's listings, with lookups by platform id and a keyword search."""

    def __init__(self, entries: list[CatalogueEntry], *, seed: int, family_terms: dict[str, tuple[str, ...]]):
        self.entries = entries
        self.seed = seed
        self.family_terms = family_terms
        self._family_keys = {key: " ".join(terms).casefold() for key, terms in family_terms.items()}
        self.by_lazada_item = {e.lazada_item_id: e for e in entries if "lazada" in e.platforms}
        self.by_shopee_item = {
            (e.seller.shop_id, e.shopee_item_id): e for e in entries if "shopee" in e.platforms
        }
        self.by_shop_handle = {e.shop_handle: e for e in entries if "shop" in e.platforms}
        self._search_cache: dict[tuple[str, str], list[CatalogueEntry]] = {}
        self._lock = threading.Lock()

    # Sequence protocol
    @overload
    def __getitem__(self, index: int) -> CatalogueEntry: ...
    @overload
    def __getitem__(self, index: slice) -> list[CatalogueEntry]: ...
    def __getitem__(self, index: int | slice) -> CatalogueEntry | list[CatalogueEntry]:
        return self.entries[index]

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[CatalogueEntry]:
        return iter(self.entries)

    def on(self, platform: str) -> list[CatalogueEntry]:
        return [entry for entry in self.entries if platform in entry.platforms]

    def standards(self) -> set[str]:
        return {entry.tis_number for entry in self.entries if entry.tis_number}

    def verdict_counts(self) -> Counter[str]:
        return Counter(entry.verdict for entry in self.entries)

    def truth(self, platform: str) -> list[dict[str, Any]]:
        return [entry.truth(platform) for entry in self.entries if platform in entry.platforms]

    def search(self, keyword: str, platform: str) -> list[CatalogueEntry]:
        """Listings on `platform` a marketplace search for `keyword` returns, most relevant first.

        A listing matches when every word of the keyword appears in its title or in its product
        family's terms (the way marketplace search engines know synonyms). Title matches rank first.
        """
        words = normalise_keyword(keyword).split()
        if not words:
            return []
        cache_key = (platform, " ".join(words))
        with self._lock:
            cached = self._search_cache.get(cache_key)
        if cached is not None:
            return cached
        in_title: list[CatalogueEntry] = []
        by_family: list[CatalogueEntry] = []
        for entry in self.entries:
            if platform not in entry.platforms:
                continue
            family_key = self._family_keys.get(entry.family, "")
            title_hits = [word in entry.title_key for word in words]
            if all(title_hits):
                in_title.append(entry)
            elif all(hit or word in family_key for hit, word in zip(title_hits, words, strict=True)):
                by_family.append(entry)
        result = sorted(in_title, key=_by_rank) + sorted(by_family, key=_by_rank)
        with self._lock:
            if len(self._search_cache) > 1024:  # arbitrary keywords must not grow memory without bound
                self._search_cache.clear()
            self._search_cache[cache_key] = result
        return result


def _by_rank(entry: CatalogueEntry) -> float:
    return entry.rank


def normalise_keyword(keyword: str) -> str:
    return re.sub(r"\s+", " ", keyword).strip().casefold()


# --- generation ------------------------------------------------------------------------------------


@dataclass
class _Draft:
    """Facts of one listing before it becomes an entry."""

    case: str
    verdict: str
    family: str
    tis_number: str | None
    noun: str = ""
    brand: Brand | None = None
    brand_in_title: bool = True
    model: str = ""
    model_in_title: bool = True
    licence_no: str | None = None
    cited: str = ""
    claim: str = ""
    claimed_standard: str = ""
    glue_claim: bool = False
    detail_only: bool = False
    title: str = ""


class _Registry:
    """The licences the generator draws from, indexed the ways it needs them."""

    def __init__(self) -> None:
        self.numbers = {spec.licence_no for f in FAMILIES for spec in f.licences}
        self.numbers |= {spec.licence_no for spec in FOREIGN_LICENCES}
        self.active: dict[str, list[LicenceSpec]] = {}
        self.by_status: dict[tuple[str, str], list[LicenceSpec]] = {}
        self.models: dict[str, set[str]] = {}
        for family in FAMILIES:
            usable = [spec for spec in family.licences if spec.in_catalogue]
            self.active[family.key] = [spec for spec in usable if spec.status == "active"]
            for status in ("suspended", "revoked"):
                self.by_status[(family.key, status)] = [spec for spec in usable if spec.status == status]
            self.models[family.key] = {m.casefold() for spec in family.licences for m in spec.models}
        # Invented brands with an active licence, for "licensed, but for another standard" cases.
        self.invented_active = [
            (family.key, spec.brand)
            for family in FAMILIES
            for spec in self.active[family.key]
            if not spec.brand.real
        ]
        self.brands_by_family = {
            family.key: {spec.brand.name.casefold() for spec in family.licences} for family in FAMILIES
        }


def family_search_terms(use_vocabulary: bool = True) -> dict[str, tuple[str, ...]]:
    """Words the demo search engine associates with each product family.

    Regulated families get their nouns, their synonyms and — when `use_vocabulary` — every product
    word the project's vocabulary has for their standard, so every keyword a spider derives from the
    vocabulary finds its family here. Unregulated goods get their own words, and near-misses also the
    nouns of the product they are mistaken for.
    """
    extra: dict[str, list[str]] = {}
    if use_vocabulary:
        from matchers.vocabulary import PRODUCT, load_vocabulary

        for term in load_vocabulary().terms:
            if term.kind == PRODUCT and term.text:
                extra.setdefault(term.tis_number, []).append(term.text)
    terms: dict[str, tuple[str, ...]] = {}
    for family in FAMILIES:
        words = [*family.nouns, *family.search_terms, *extra.get(family.tis_number, ())]
        terms[family.key] = tuple(dict.fromkeys(words))
    for product in UNREGULATED:
        # Search engines show accessories under the product they go with (a regulator under ถังแก๊ส):
        # near-misses also match their regulated family's nouns, ranked after title matches.
        related = FAMILY_BY_KEY[product.near_miss_of].nouns if product.near_miss_of else ()
        terms[product.key] = tuple(dict.fromkeys([*product.search_terms, *related]))
    return terms


def build_catalogue(
    size: int = DEFAULT_SIZE, seed: int = DEFAULT_SEED, *, use_vocabulary: bool = True
) -> Catalogue:
    """The demo market's listings: `size` entries drawn deterministically from `seed`."""
    if size < 0:
        raise ValueError(f"catalogue size must be >= 0, got {size}")
    registry = _Registry()
    sellers = _make_sellers(Random(f"sellers:{seed}"))
    schedule = _coverage_schedule(Random(f"schedule:{seed}"))
    families = list(FAMILIES)
    family_weights = list(accumulate(family.base_weight for family in families))
    verdicts = list(_VERDICT_WEIGHTS)
    verdict_weights = list(accumulate(_VERDICT_WEIGHTS.values()))
    entries: list[CatalogueEntry] = []
    for index in range(size):
        rng = Random(seed * 1_000_003 + index)
        if index < len(schedule):
            family_key, verdict = schedule[index]
        else:
            verdict = rng.choices(verdicts, cum_weights=verdict_weights)[0]
            family_key = (
                "" if verdict == NOT_REGULATED else rng.choices(families, cum_weights=family_weights)[0].key
            )
        if verdict == NOT_REGULATED:
            product = UNREGULATED_BY_KEY[family_key] if family_key else rng.choice(UNREGULATED)
            entries.append(_unregulated_entry(index, product, rng, sellers))
        else:
            draft = _draft_regulated(FAMILY_BY_KEY[family_key], verdict, rng, registry)
            entries.append(_regulated_entry(index, FAMILY_BY_KEY[family_key], draft, rng, sellers))
    _assign_malformed(entries, seed)
    return Catalogue(entries, seed=seed, family_terms=family_search_terms(use_vocabulary))


def _coverage_schedule(rng: Random) -> list[tuple[str, str]]:
    schedule = [
        (family.key, verdict)
        for family in FAMILIES
        for verdict in (CERTIFIED, UNCERTIFIED, INVALID_LICENCE, UNVERIFIABLE)
    ]
    near_misses = [product.key for product in UNREGULATED if product.near_miss_of]
    plain = [product.key for product in UNREGULATED if not product.near_miss_of]
    schedule += [(key, NOT_REGULATED) for key in near_misses[::2] + plain[:3]]
    rng.shuffle(schedule)
    return schedule


def _make_sellers(rng: Random, count: int = 120) -> list[Seller]:
    sellers: list[Seller] = []
    names: set[str] = set()
    while len(sellers) < count:
        if rng.random() < 0.75:
            name = f"ร้าน{rng.choice(_SHOP_WORDS_TH)}{rng.choice(_SHOP_KINDS_TH)}"
            if rng.random() < 0.3:
                name += str(rng.randint(1, 99))
        else:
            name = rng.choice(_SHOP_NAMES_EN) + (f" {rng.randint(2, 9)}" if rng.random() < 0.5 else "")
        if name in names:
            continue
        names.add(name)
        location_en, location_th = rng.choice(_LOCATIONS)
        k = len(sellers)
        sellers.append(
            Seller(name, str(200_000_000 + k * 7919), 310_000_000 + k * 104_729, location_en, location_th)
        )
    return sellers


def _official_seller(brand: Brand) -> Seller:
    code = sum(ord(c) for c in brand.name) * 31 + len(brand.name)
    return Seller(
        f"{brand.name} Official Store", str(100_000_000 + code), 300_000_000 + code, "Bangkok", "กรุงเทพมหานคร"
    )


def _invented_model(
    family: Family, rng: Random, registry: _Registry, prefixes: Iterable[str] | None = None
) -> str:
    """A model code covered by no licence of the family."""
    prefix_pool = tuple(prefixes or family.model_prefixes)
    while True:
        model = f"{rng.choice(prefix_pool)}{rng.randint(100, 999)}{rng.choice(('', '', 'B', 'S', 'X'))}"
        if model.casefold() not in registry.models[family.key]:
            return model


def _unknown_licence(family: Family, rng: Random, registry: _Registry) -> str:
    base = family.tis_number.split(" ")[0].split("-")[0]
    while True:
        number = f"{rng.choice(('ท', 'น'))}{rng.randint(100, 9999)}-{rng.randint(45, 67)}/{base}"
        if number not in registry.numbers:
            return number


def _pick_claim(family: Family, rng: Random, *, specific: float, bare: float) -> tuple[str, str]:
    """(claim as written, the standard it names) — specific, bare, or none."""
    roll = rng.random()
    if roll < specific:
        return st.standard_claim(family.tis_number, rng), family.tis_number
    if roll < specific + bare:
        return st.bare_claim(rng), ""
    return "", ""


def _draft_regulated(family: Family, verdict: str, rng: Random, registry: _Registry) -> _Draft:
    draft = _Draft(case="", verdict=verdict, family=family.key, tis_number=family.tis_number)
    draft.noun = rng.choice(family.nouns)
    if verdict == CERTIFIED:
        spec = rng.choice(registry.active[family.key])
        draft.brand, draft.licence_no = spec.brand, spec.licence_no
        if spec.models:
            kind = rng.choices(("brand_model", "licence_cited", "detail_only"), (70, 15, 15))[0]
            draft.model = rng.choice(spec.models)
        else:
            kind = rng.choices(("brand_only", "licence_cited"), (80, 20))[0]
            if rng.random() < 0.4:  # the licence covers every model of the brand
                draft.model = _invented_model(family, rng, registry)
        draft.case = f"certified.{kind}"
        if kind == "licence_cited":
            draft.cited = spec.licence_no
        if kind == "detail_only":
            draft.model_in_title = False
            draft.detail_only = True
        draft.claim, draft.claimed_standard = _pick_claim(family, rng, specific=0.35, bare=0.3)
    elif verdict == UNCERTIFIED:
        draft.model = _invented_model(family, rng, registry)
        covered_model_licences = [s for s in registry.active[family.key] if s.models and not s.brand.real]
        other_brands = [
            brand
            for key, brand in registry.invented_active
            if key != family.key and brand.name.casefold() not in registry.brands_by_family[family.key]
        ]
        kind = rng.choices(("unlicensed_brand", "model_not_covered", "brand_other_standard"), (50, 30, 20))[0]
        if kind == "model_not_covered" and covered_model_licences:
            spec = rng.choice(covered_model_licences)
            draft.brand = spec.brand
            prefix = re.match(r"^[A-Za-z]+-?", spec.models[0])
            draft.model = _invented_model(family, rng, registry, [prefix.group(0)] if prefix else None)
        elif kind == "brand_other_standard" and other_brands:
            draft.brand = rng.choice(other_brands)
        else:
            kind = "unlicensed_brand"
            draft.brand = rng.choice(family.unlicensed_brands)
        draft.case = f"uncertified.{kind}"
        draft.claim, draft.claimed_standard = _pick_claim(family, rng, specific=0.3, bare=0.4)
        draft.glue_claim = draft.claim in ("มอก.",) and rng.random() < 0.6
    elif verdict == INVALID_LICENCE:
        kinds = (
            "revoked",
            "suspended",
            "unknown_licence",
            "other_standard_licence",
            "other_brand_licence",
            "wrong_standard_claim",
        )
        kind = rng.choices(kinds, (20, 15, 20, 15, 15, 15))[0]
        if kind in ("revoked", "suspended") and registry.by_status[(family.key, kind)]:
            spec = rng.choice(registry.by_status[(family.key, kind)])
            draft.brand, draft.cited, draft.licence_no = spec.brand, spec.licence_no, spec.licence_no
            draft.model = rng.choice(spec.models) if spec.models else ""
        elif kind == "other_standard_licence":
            other = [s for f in FAMILIES if f.key != family.key for s in registry.active[f.key]]
            spec = rng.choice([*other, *FOREIGN_LICENCES])
            draft.brand = rng.choice(family.unlicensed_brands)
            draft.cited, draft.licence_no = spec.licence_no, spec.licence_no
        elif kind == "other_brand_licence":
            spec = rng.choice(registry.active[family.key])
            draft.brand = rng.choice(family.unlicensed_brands)
            draft.cited, draft.licence_no = spec.licence_no, spec.licence_no
        elif kind == "wrong_standard_claim" and family.wrong_claims:
            wrong = rng.choice(family.wrong_claims)
            draft.claim = rng.choice(
                (f"มอก.{wrong}", f"มอก. {wrong}", f"มาตรฐาน มอก.{st.thai_digits(wrong)}")
            )
            draft.claimed_standard = wrong
            draft.brand = rng.choice(family.unlicensed_brands) if rng.random() < 0.5 else None
        else:
            kind = "unknown_licence"
            draft.brand = rng.choice(family.unlicensed_brands) if rng.random() < 0.7 else None
            draft.cited = _unknown_licence(family, rng, registry)
            draft.licence_no = None
        if (
            kind != "wrong_standard_claim"
            and draft.brand is not None
            and not draft.model
            and rng.random() < 0.5
        ):
            draft.model = _invented_model(family, rng, registry)
        if not draft.claim and rng.random() < 0.4:
            draft.claim, draft.claimed_standard = st.standard_claim(family.tis_number, rng), family.tis_number
        draft.case = f"invalid_licence.{kind}"
    else:  # UNVERIFIABLE
        kind = rng.choices(("nothing", "bare_claim", "standard_only"), (40, 35, 25))[0]
        if kind == "bare_claim":
            draft.claim = st.bare_claim(rng)
            draft.glue_claim = draft.claim == "มอก." and rng.random() < 0.6
        elif kind == "standard_only":
            draft.claim, draft.claimed_standard = st.standard_claim(family.tis_number, rng), family.tis_number
        draft.case = f"unverifiable.{kind}"
    return draft


def _price(rng: Random, low: int, high: int) -> tuple[float, float | None]:
    price = int(rng.uniform(low, high))
    if price >= 20:
        price = price - price % 10 + 9
    original = None
    if rng.random() < 0.4:
        original = float(int(price * rng.uniform(1.1, 1.6)) // 10 * 10 + 9)
    return float(price), original


def _slug(title: str) -> str:
    words = re.findall(r"[a-z0-9]+", title.casefold())
    return "-".join(words[:6]) or "pdp"


def _description(draft: _Draft, title: str, rng: Random, brand_text: str) -> str:
    lines = [title]
    if brand_text:
        lines.append(f"ยี่ห้อ: {brand_text}")
    if draft.model:
        lines.append(f"รุ่น: {draft.model}")
    if draft.claim:
        lines.append(f"ผ่านการรับรอง {draft.claim}")
    if draft.cited:
        lines.append(f"ใบอนุญาตเลขที่ {draft.cited}")
    lines += rng.sample(_GENERIC_LINES, 2)
    if rng.random() < 0.35:  # `};` inside a string: a naive `__moduleData__` cut stops here
        lines.insert(rng.randint(1, len(lines)), rng.choice(_DESCRIPTION_TRAPS))
    return "\n".join(lines)


def _common_fields(
    rng: Random, index: int, sellers: list[Seller], platform_sets: Sequence[tuple[frozenset[str], float]]
) -> dict[str, Any]:
    sets, weights = zip(*platform_sets, strict=True)
    sold = int(min(rng.paretovariate(1.1) * 3, 50_000)) if rng.random() < 0.85 else 0
    rated = sold > 0 and rng.random() < 0.85
    return {
        "platforms": rng.choices(sets, weights)[0],
        "lazada_item_id": 4_100_000_000 + index * 53 + rng.randrange(53),
        "lazada_sku_id": 9_100_000_000 + index * 61 + rng.randrange(61),
        "shopee_item_id": 21_000_000_000 + index * 89 + rng.randrange(89),
        "shop_sku": f"TW{index:06d}",
        "seller": rng.choice(sellers),
        "sold": sold,
        "rating": round(rng.uniform(3.6, 5.0), 1) if rated else None,
        "review_count": int(sold * rng.uniform(0.05, 0.4)) if rated else 0,
        "rank": rng.random(),
    }


def _regulated_entry(
    index: int, family: Family, draft: _Draft, rng: Random, sellers: list[Seller]
) -> CatalogueEntry:
    specs = family.specs(rng)
    brand_text = st.brand_form(draft.brand.name, draft.brand.thai, rng) if draft.brand else ""
    model_text = st.model_form(draft.model, rng) if draft.model and draft.model_in_title else ""
    citation = st.licence_citation(draft.cited, rng) if draft.cited else ""
    title = st.compose_title(
        rng,
        noun=draft.noun,
        brand=brand_text,
        model=model_text,
        claim=draft.claim,
        citation=citation,
        spec_bits=specs.title_bits,
        socket_bit=specs.socket_bit,
        glue_claim_to_sockets=draft.glue_claim,
    )
    claim_text = draft.claim
    if draft.glue_claim and specs.socket_bit and draft.claim and draft.claim + specs.socket_bit[0] in title:
        claim_text = draft.claim + specs.socket_bit.replace(" ", "")
    brand_field = draft.brand.name if draft.brand and rng.random() < 0.65 else ""
    if draft.case == "invalid_licence.other_brand_licence" and draft.brand:
        # the seller's own brand must be visible for the borrowed licence to be seen as another brand's
        brand_field = draft.brand.name
    attributes = dict(specs.attributes)
    attributes["ยี่ห้อ"] = brand_field or rng.choice(("No Brand", "OEM", "ไม่มียี่ห้อ"))
    if draft.model:
        attributes["รุ่น"] = draft.model
    if draft.claimed_standard:
        attributes["เลขที่ มอก."] = draft.claimed_standard
    if draft.cited:
        attributes["เลขที่ใบอนุญาต"] = draft.cited
    price, original = _price(rng, *family.price_range)
    common = _common_fields(
        rng, index, sellers, _DETAIL_PLATFORM_SETS if draft.detail_only else _PLATFORM_SETS
    )
    if draft.verdict == CERTIFIED and draft.brand and draft.brand.real and rng.random() < 0.25:
        common["seller"] = _official_seller(draft.brand)
    return CatalogueEntry(
        index=index,
        family=family.key,
        case=draft.case,
        verdict=draft.verdict,
        tis_number=family.tis_number,
        licence_no=draft.licence_no,
        cited_licence_no=draft.cited,
        claimed_standard=draft.claimed_standard,
        claim_text=claim_text,
        brand=draft.brand.name if draft.brand else "",
        model=draft.model,
        title=title,
        description=_description(draft, title, rng, brand_text),
        brand_field=brand_field,
        attributes=attributes,
        price=price,
        original_price=original,
        slug=_slug(title),
        title_key=title.casefold(),
        **common,
    )


def _unregulated_entry(
    index: int, product: UnregulatedProduct, rng: Random, sellers: list[Seller]
) -> CatalogueEntry:
    brand = rng.choice(product.brands) if product.brands else None
    brand_text = st.brand_form(brand.name, brand.thai, rng) if brand else ""
    title = product.template.format(
        color=rng.choice(("สีขาว", "สีดำ", "สีเทา", "สีชมพู", "สีฟ้า")),
        n=rng.choice((6, 10, 12, 20)),
        len=rng.choice((1, 1.5, 2)),
        brand=brand_text,
    ).strip()
    if brand and "{brand}" not in product.template:
        title = f"{brand_text} {title}" if rng.random() < 0.5 else f"{title} {brand_text}"
    if rng.random() < 0.3:
        title = f"{rng.choice(st.PREFIXES)} {title}"
    title = re.sub(r"\s+", " ", title)
    brand_field = brand.name if brand and rng.random() < 0.7 else ""
    attributes = {"ยี่ห้อ": brand_field or "No Brand", "ประเทศที่ผลิต": rng.choice(("จีน", "ไทย"))}
    price, original = _price(rng, *product.price_range)
    draft = _Draft(case="", verdict=NOT_REGULATED, family=product.key, tis_number=None)
    case = "not_regulated.near_miss" if product.near_miss_of else "not_regulated.plain"
    return CatalogueEntry(
        index=index,
        family=product.key,
        case=case,
        verdict=NOT_REGULATED,
        tis_number=None,
        licence_no=None,
        cited_licence_no="",
        claimed_standard="",
        claim_text="",
        brand=brand.name if brand else "",
        model="",
        title=title,
        description=_description(draft, title, rng, brand_text),
        brand_field=brand_field,
        attributes=attributes,
        price=price,
        original_price=original,
        slug=_slug(title),
        title_key=title.casefold(),
        **_common_fields(rng, index, sellers, _PLATFORM_SETS),
    )


def _assign_malformed(entries: list[CatalogueEntry], seed: int) -> None:
    """Mark a few listings (about 1.5%, at least one per kind) to be served broken in malformed mode."""
    rng = Random(f"malformed:{seed}")
    kinds = list(MALFORMED_KINDS)
    for position, entry in enumerate(entries):
        if rng.random() >= _MALFORMED_RATE:
            continue
        eligible = [kind for kind in kinds if MALFORMED_KINDS[kind] & entry.platforms]
        if eligible:
            entries[position] = _with_malformed(entry, rng.choice(eligible))
    for kind in kinds:
        if any(entry.malformed == kind for entry in entries):
            continue
        for position, entry in enumerate(entries):
            if not entry.malformed and MALFORMED_KINDS[kind] & entry.platforms:
                entries[position] = _with_malformed(entry, kind)
                break


def _with_malformed(entry: CatalogueEntry, kind: str) -> CatalogueEntry:
    return replace(entry, malformed=kind)
