"""Everything the matcher reads from one listing, extracted once: normalised text and the claimed codes."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from matchers.extract import (
    LicenceClaim,
    ModelCode,
    TisClaim,
    extract_licence_numbers,
    extract_model_codes,
    extract_tis_claims,
    strip_codes,
)
from matchers.normalize import fold_thai, normalize_text

# Attribute names that hold a model, a brand, a TIS number or a licence number (matched on lower case).
_MODEL_ATTRIBUTE = re.compile(r"รุ่น|model|โมเดล|sku|part ?no", re.IGNORECASE)
_BRAND_ATTRIBUTE = re.compile(r"ยี่ห้อ|แบรนด์|brand|ตราสินค้า|manufacturer|ผู้ผลิต", re.IGNORECASE)
_TIS_ATTRIBUTE = re.compile(r"มอก|tis\b|มาตรฐาน|standard", re.IGNORECASE)
_LICENCE_ATTRIBUTE = re.compile(r"ใบอนุญาต|licen[cs]e|permit", re.IGNORECASE)

# Whatever `str.isalnum` rejects (`\w` is exactly the alphanumerics plus `_`).
_NOT_ALNUM = re.compile(r"[\W_]+")


def _text_field(listing: Mapping[str, Any], name: str) -> str:
    value = listing.get(name)
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


@dataclass
class ListingFacts:
    """Normalised fields and the codes a listing claims (title, description and attributes together)."""

    listing_id: str
    title: str
    """Normalised title (`normalize_text`)."""
    title_key: str
    """Title in match-key form."""
    description: str
    description_key: str
    brand_field: str
    """Normalised brand field, '' when absent."""
    attribute_brand: str = ""
    attribute_keys: list[str] = field(default_factory=list)
    """Match keys of attribute values (for classification by a category attribute)."""
    tis_claims: list[TisClaim] = field(default_factory=list)
    licences: list[LicenceClaim] = field(default_factory=list)
    models: list[ModelCode] = field(default_factory=list)
    compact_text: str = ""
    """Title and description as one `model_key` (upper-case letters and digits only): where a
    licensed model is looked for before its exact spelling is checked."""


def _attributes(listing: Mapping[str, Any]) -> list[tuple[str, str]]:
    raw = listing.get("attributes")
    if isinstance(raw, Mapping):
        return [(normalize_text(k), normalize_text(v)) for k, v in raw.items() if v is not None]
    if isinstance(raw, list):  # some sources give [{"name":…, "value":…}] or [[name, value]]
        pairs: list[tuple[str, str]] = []
        for item in raw:
            if isinstance(item, Mapping):
                pairs.append((normalize_text(item.get("name", "")), normalize_text(item.get("value", ""))))
            elif isinstance(item, list | tuple) and len(item) == 2:
                pairs.append((normalize_text(item[0]), normalize_text(item[1])))
        return pairs
    return []


def extract_facts(listing: Mapping[str, Any]) -> ListingFacts:
    """Extract the facts of one listing dict (Listing contract). Never raises on odd field types."""
    title = normalize_text(_text_field(listing, "title"))
    description = normalize_text(_text_field(listing, "description"))
    attributes = _attributes(listing)
    facts = ListingFacts(
        listing_id=_text_field(listing, "listing_id"),
        title=title,
        title_key=fold_thai(title),
        description=description,
        description_key=fold_thai(description),
        brand_field=normalize_text(_text_field(listing, "brand")),
    )

    attribute_texts: list[str] = []
    attribute_models: list[ModelCode] = []
    for name, value in attributes:
        if not value:
            continue
        if _BRAND_ATTRIBUTE.search(name) and not facts.attribute_brand:
            facts.attribute_brand = value
            continue
        if _LICENCE_ATTRIBUTE.search(name):
            attribute_texts.append(value)
            continue
        if _TIS_ATTRIBUTE.search(name):
            # `{"มอก.": "2432-2555"}`: the value is the number; give it its marker back.
            attribute_texts.append(value if _has_marker(value) else f"มอก. {value}")
            continue
        if _MODEL_ATTRIBUTE.search(name):
            codes = extract_model_codes(value)
            if codes:
                attribute_models.extend(ModelCode(c.raw, c.key, True) for c in codes)
            elif value.strip():
                key = _NOT_ALNUM.sub("", value.upper())
                if 3 <= len(key) <= 20 and any(ch.isdigit() for ch in key):
                    attribute_models.append(ModelCode(value, key, True))
            continue
        attribute_texts.append(f"{name}: {value}")
        facts.attribute_keys.append(fold_thai(value))

    # Not `model_key`: that one is cached for short codes, and every listing's text is different.
    facts.compact_text = _NOT_ALNUM.sub("", f"{title} {description}".upper())
    sources = [title, description, *attribute_texts]
    for text in sources:
        for claim in extract_tis_claims(text):
            if claim not in facts.tis_claims:
                facts.tis_claims.append(claim)
        for licence in extract_licence_numbers(text):
            if licence not in facts.licences:
                facts.licences.append(licence)

    seen_models: set[str] = set()
    for code in [*attribute_models, *extract_model_codes(strip_codes(title))]:
        if code.key not in seen_models:
            seen_models.add(code.key)
            facts.models.append(code)
    if not facts.models:
        for code in extract_model_codes(strip_codes(description)):
            if code.key not in seen_models and code.after_model_word:
                seen_models.add(code.key)
                facts.models.append(code)
    return facts


def _has_marker(value: str) -> bool:
    return bool(extract_tis_claims(value))
