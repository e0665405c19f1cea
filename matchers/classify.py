"""Classify a listing to the mandatory standard its product falls under, from the product vocabulary.

The head of a Thai title comes first (`กล่องเก็บรางปลั๊กไฟ` is a storage box, `หัวนมยาง ขวดนม` is a
nipple), so the first vocabulary term in the title decides: a `not_product` term there (a case, a socket
cover, a baby bottle, a USB cable) means the listing is not a regulated product, even if product words
follow. Two refinements: an English product word directly followed by an English accessory word is the
accessory (`power bank case`: English puts the head last), and a product word right after `สำหรับ`/`for`/
`ใช้กับ` describes what an unknown head noun is *for* (`ผ้าคลุม สำหรับ พัดลม`), so it is not the product.

Spec patterns (`pattern` rows: a tyre size `185/60R15`) stand in for a product word where the title has
none at that place. Once a product is found, the product's own facts decide between sibling standards
(`sibling` rows: cord length and socket count make a `ปลั๊กสามตา` a cord extension set, T8/T5 makes a
`หลอดไฟ LED` a double-capped LED tube); they are read from the title and the attribute values only,
since descriptions name other products.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from matchers.vocabulary import NOT_PRODUCT, TermHit, Vocabulary

# "for …", "used with …", "fits …": what follows is what the product is for, not the product.
# Written in match-key form (tone marks folded away: ใช้ → ใช).
_FOR_BEFORE = re.compile(r"(?:สำหรับ|ใชกับ|ใชสำหรับ|for|fits?|compatible with)\s?$")
_LATIN_GAP = re.compile(r"^\s?$")


@dataclass(frozen=True)
class Classification:
    """What the vocabulary says the listing is."""

    tis_number: str | None
    """The mandatory standard (None: not a regulated product)."""
    family: str | None
    term: str | None
    """The vocabulary term that decided (product or not_product), as written in the vocabulary."""
    source: str
    """Which field decided: `title`, `attributes`, `description`, or `none`."""
    near_miss: bool = False
    """A not_product term decided: the listing names something that sounds close but is not regulated."""
    fact: str | None = None
    """The product fact (as found in the listing) that moved it to a sibling standard, if one did."""

    @property
    def regulated(self) -> bool:
        return self.tis_number is not None


NOT_CLASSIFIED = Classification(tis_number=None, family=None, term=None, source="none")


def classify_key(vocabulary: Vocabulary, key_text: str, source: str) -> Classification | None:
    """Classification from one field's match key; None when the field has no vocabulary term at all."""
    hits = vocabulary.find_hits(key_text)
    if not hits:
        return None
    for index, hit in enumerate(hits):
        term = hit.term
        if term.kind == NOT_PRODUCT:
            return Classification(None, term.family or None, term.text, source, near_miss=True)
        if not term.names_product:
            continue
        if _is_accessory_of(hit, hits[index + 1 :], key_text):
            following = hits[index + 1].term
            return Classification(None, term.family, following.text, source, near_miss=True)
        if _FOR_BEFORE.search(key_text, 0, hit.start) and index == 0 and _has_head_before(key_text, hit):
            return Classification(None, term.family, term.text, source, near_miss=True)
        return Classification(term.tis_number, term.family, term.text, source)
    return None


def _is_accessory_of(hit: TermHit, following: list[TermHit], key_text: str) -> bool:
    """`power bank case`: an English accessory word right after an English product word."""
    if not following or not hit.term.is_latin:
        return False
    nxt = following[0]
    return (
        nxt.term.kind == NOT_PRODUCT
        and nxt.term.is_latin
        and bool(_LATIN_GAP.match(key_text[hit.end : nxt.start]))
    )


def _has_head_before(key_text: str, hit: TermHit) -> bool:
    """Some word precedes `สำหรับ …` (otherwise the title just starts with "for")."""
    before = _FOR_BEFORE.sub("", key_text[: hit.start]).strip()
    return bool(before)


def classify_listing(
    vocabulary: Vocabulary, title_key: str, attribute_keys: list[str], description_key: str
) -> Classification:
    """Classify from the title; else from the attributes table; else from the description's start;
    then let the product's own facts choose between sibling standards."""
    return refine_by_facts(
        vocabulary,
        _classify_fields(vocabulary, title_key, attribute_keys, description_key),
        [title_key, *attribute_keys],
    )


def _classify_fields(
    vocabulary: Vocabulary, title_key: str, attribute_keys: list[str], description_key: str
) -> Classification:
    found = classify_key(vocabulary, title_key, "title")
    if found is not None:
        return found
    for key in attribute_keys:
        found = classify_key(vocabulary, key, "attributes")
        if found is not None and found.regulated:
            return found
    # Descriptions ramble (they name other products: "ใช้กับปลั๊กไฟ…"); only their opening counts.
    found = classify_key(vocabulary, description_key[:60], "description")
    if found is not None and found.regulated:
        return found
    return NOT_CLASSIFIED


def refine_by_facts(vocabulary: Vocabulary, found: Classification, fact_keys: list[str]) -> Classification:
    """A regulated classification moved to a sibling standard (or out of regulation) by a fact of the
    product that a `sibling` rule of its family names; unchanged when no rule matches."""
    if not found.regulated:
        return found
    fact = vocabulary.sibling_fact(found.family, fact_keys)
    if fact is None:
        return found
    target = fact.rule.tis_number or None
    if target is None:
        return Classification(None, found.family, found.term, found.source, near_miss=True, fact=fact.matched)
    if target == found.tis_number:
        return found
    family = vocabulary.family_of(target) or found.family
    return Classification(target, family, found.term, found.source, fact=fact.matched)
