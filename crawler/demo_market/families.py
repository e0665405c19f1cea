"""Product families of the demo marketplace: how Thai sellers name, describe and price each product,
and which brands hold which (invented) TISI licences for it.

The families are data: `data/families.json` (shipped with the package), read once by `load_catalogue_data`
into the records below; each family names its spec writer (`spec_writers.py`). `catalogue.py` draws
listings from them, `sample_registry.py` turns the licences into the canonical registry CSV
(`standards_data/sample_registry.csv`). Licence numbers, licensees and models are invented; their shapes
follow TISI's (`ท4080-51/2432`, `(3)น1021-49/1039`). Well-known brand names appear only in certified
listings; every flagged case uses an invented brand (`"real": false`, the default). The order of the
entries is part of the demo: the catalogue draws in it, so reordering changes the generated listings.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from crawler.demo_market.spec_writers import SPEC_WRITERS, Specs, SpecWriter

__all__ = [
    "FAMILIES",
    "FAMILY_BY_KEY",
    "FOREIGN_LICENCES",
    "UNREGULATED",
    "UNREGULATED_BY_KEY",
    "Brand",
    "CatalogueData",
    "Family",
    "LicenceSpec",
    "SpecWriter",
    "Specs",
    "UnregulatedProduct",
    "load_catalogue_data",
]

DATA_FILE = "families.json"


@dataclass(frozen=True)
class Brand:
    name: str
    """Latin form as sellers and the registry write it (`Toshiba`)."""
    thai: str = ""
    """Thai transliteration (`โตชิบา`); the registry prints `Toshiba (โตชิบา)`."""
    real: bool = False
    """A well-known brand: only ever used for certified listings."""

    @property
    def registry_form(self) -> str:
        return f"{self.name} ({self.thai})" if self.thai else self.name


@dataclass(frozen=True)
class LicenceSpec:
    licence_no: str
    licence_type: str
    licensee: str
    brand: Brand
    models: tuple[str, ...]
    issued: str
    status: str = "active"
    in_catalogue: bool = True
    """False for decoys that no listing uses (confusable brands the matcher must not pick)."""
    tis_number: str = ""
    """Set only for FOREIGN_LICENCES; a family's own licences carry the family's standard."""


@dataclass(frozen=True)
class Family:
    """A regulated product family: one mandatory standard, its words, its brands and licences."""

    key: str
    tis_number: str
    nouns: tuple[str, ...]
    """How sellers name the product in titles (spelling variants included)."""
    search_terms: tuple[str, ...]
    """Further words the marketplace search associates with the family (a search engine's synonyms)."""
    category_th: str
    price_range: tuple[int, int]
    specs: SpecWriter
    licences: tuple[LicenceSpec, ...]
    unlicensed_brands: tuple[Brand, ...]
    """Brands with no licence of this standard (flagged cases)."""
    model_prefixes: tuple[str, ...]
    """Prefixes for invented model codes (`VT-` → `VT-509`)."""
    wrong_claims: tuple[str, ...] = ()
    """Standards sellers of this family wrongly claim (another product's standard)."""
    base_weight: float = 1.0


@dataclass(frozen=True)
class UnregulatedProduct:
    """A product under no mandatory standard: plain goods, and near-misses whose titles carry a
    regulated product's noun (a power-strip cover, a helmet sticker, a glass baby bottle)."""

    key: str
    template: str
    """Title with optional slots `{color}`, `{n}`, `{len}`, `{brand}`."""
    category_th: str
    price_range: tuple[int, int]
    near_miss_of: str = ""
    """Key of the regulated family whose noun the title carries ("" for plain goods)."""
    search_terms: tuple[str, ...] = ()
    brands: tuple[Brand, ...] = ()
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CatalogueData:
    families: tuple[Family, ...]
    foreign_licences: tuple[LicenceSpec, ...]
    """Licences of standards no demo product belongs to, cited by listings that borrow another product's
    licence (a rice cooker citing an engine-oil licence) and kept as registry noise."""
    unregulated: tuple[UnregulatedProduct, ...]
    """Plain goods, and near-misses whose titles carry a regulated product's noun."""


def _brand(entry: dict[str, Any]) -> Brand:
    return Brand(entry["name"], entry.get("thai", ""), entry.get("real", False))


def _licence(entry: dict[str, Any]) -> LicenceSpec:
    return LicenceSpec(
        licence_no=entry["licence_no"],
        licence_type=entry["licence_type"],
        licensee=entry["licensee"],
        brand=_brand(entry["brand"]),
        models=tuple(entry["models"]),
        issued=entry["issued"],
        status=entry.get("status", "active"),
        in_catalogue=entry.get("in_catalogue", True),
        tis_number=entry.get("tis_number", ""),
    )


def _family(entry: dict[str, Any]) -> Family:
    low, high = entry["price_range"]
    return Family(
        key=entry["key"],
        tis_number=entry["tis_number"],
        nouns=tuple(entry["nouns"]),
        search_terms=tuple(entry["search_terms"]),
        category_th=entry["category_th"],
        price_range=(low, high),
        specs=SPEC_WRITERS[entry["specs"]],
        licences=tuple(_licence(licence) for licence in entry["licences"]),
        unlicensed_brands=tuple(_brand(brand) for brand in entry["unlicensed_brands"]),
        model_prefixes=tuple(entry["model_prefixes"]),
        wrong_claims=tuple(entry.get("wrong_claims", ())),
        base_weight=entry.get("base_weight", 1.0),
    )


def _unregulated(entry: dict[str, Any]) -> UnregulatedProduct:
    low, high = entry["price_range"]
    return UnregulatedProduct(
        key=entry["key"],
        template=entry["template"],
        category_th=entry["category_th"],
        price_range=(low, high),
        near_miss_of=entry.get("near_miss_of", ""),
        search_terms=tuple(entry.get("search_terms", ())),
        brands=tuple(_brand(brand) for brand in entry.get("brands", ())),
        attributes=dict(entry.get("attributes", {})),
    )


def load_catalogue_data(text: str | None = None) -> CatalogueData:
    """The demo catalogue's families from JSON text (default: the packaged `data/families.json`).

    A family naming an unknown spec writer or missing a field fails here with a KeyError naming it:
    this is the project's own data, read at import time, so a broken file must stop the demo.
    """
    if text is None:
        text = (resources.files("crawler.demo_market") / "data" / DATA_FILE).read_text(encoding="utf-8")
    data = json.loads(text)
    return CatalogueData(
        families=tuple(_family(entry) for entry in data["families"]),
        foreign_licences=tuple(_licence(entry) for entry in data["foreign_licences"]),
        unregulated=tuple(_unregulated(entry) for entry in data["unregulated"]),
    )


_DATA = load_catalogue_data()
FAMILIES: tuple[Family, ...] = _DATA.families
FAMILY_BY_KEY: dict[str, Family] = {family.key: family for family in FAMILIES}
FOREIGN_LICENCES: tuple[LicenceSpec, ...] = _DATA.foreign_licences
UNREGULATED: tuple[UnregulatedProduct, ...] = _DATA.unregulated
UNREGULATED_BY_KEY: dict[str, UnregulatedProduct] = {product.key: product for product in UNREGULATED}
