"""The brand a listing names, read in order of trust: the brand field or attribute, a registry brand in
the title, a brand after `ยี่ห้อ`/`แบรนด์`/`brand`, a licensed brand in the description, a capitalised
word opening the description, a Thai word sounding like a brand licensed for the standard, and last an
unknown Latin brand-like word (see `matchers.brands` for the lexicon and the word rules)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from matchers.brands import (
    BrandLexicon,
    brand_after_marker,
    is_placeholder_brand,
    is_promotion_or_material,
    split_registry_brand,
    unknown_brand_in_title,
)
from matchers.extract import strip_codes
from matchers.facts import ListingFacts
from matchers.registry_index import RegistryIndex

# A listing brand this close (rapidfuzz ratio on brand keys) to a registry brand of the same standard is
# that brand misspelt (`Electolux`). Fitted on the dev set's brand variants; conservative on purpose.
BRAND_FUZZY_MIN = 88.0


@dataclass
class BrandFinding:
    """The brand a listing names, as the matcher found it."""

    key: str | None
    """Canonical brand key, None when the listing names no brand."""
    display: str = ""
    source: str = ""
    """`field`, `attributes`, `title`, `title_marker`, `description_marker`, `description`,
    `title_thai` or `title_unknown`."""
    known: bool = False
    """The registry knows this brand (for any standard)."""


class BrandFinder:
    """Finds a listing's brand against one registry's brands (see the module docstring for the order)."""

    def __init__(self, index: RegistryIndex, product_words: frozenset[str]) -> None:
        self.index = index
        self.lexicon: BrandLexicon = index.lexicon
        # English product words are not brands (`wax crayons 24 สี` names no brand).
        self.product_words = product_words
        self._resolution_cache: dict[tuple[str, frozenset[str]], str] = {}
        self._brands_by_initial: dict[tuple[frozenset[str], str], list[str]] = {}

    def listing_brand(self, facts: ListingFacts, standard_keys: set[str]) -> BrandFinding:
        """The brand: the brand field or attribute, else a brand named in the title or description."""
        lexicon = self.lexicon
        candidates = self.index.brands_for(standard_keys)
        for value, source in ((facts.brand_field, "field"), (facts.attribute_brand, "attributes")):
            # "No Brand", and promotion or material words in the brand field (`FLASH SALE`, `Latex`):
            # no brand there, so the title and description are read instead.
            if value and not is_placeholder_brand(value) and not is_promotion_or_material(value):
                return self.brand_from_field(value, source, candidates)
        in_title = lexicon.find_in_title(facts.title)
        if in_title:
            return BrandFinding(in_title, lexicon.display(in_title), "title", True)
        for text, source in ((facts.title, "title_marker"), (facts.description, "description_marker")):
            marked = brand_after_marker(text)
            if marked:
                return self.brand_from_field(marked, source, candidates)
        # A title that names no brand (`สายไฟบ้าน ขายยกม้วน`) leaves it to the description: there only
        # a brand licensed for this standard counts, since descriptions name others in passing.
        in_description = lexicon.find_in_title(facts.description, among=candidates)
        if in_description:
            return BrandFinding(in_description, lexicon.display(in_description), "description", True)
        opening = description_opening_brand(facts.description, self.product_words)
        if opening:
            # Sellers open a description with the brand (`Hirano (ฮิราโนะ) หลอดไฟ LED 9W …`).
            known = lexicon.known(opening)
            key = lexicon.canonical(opening)
            return BrandFinding(key, lexicon.display(key) if known else opening, "description", known)
        title = facts.title
        for code in facts.models:  # `EL-6342` must not leave `EL` behind as a brand
            title = title.replace(code.raw, " ")
        unknown = unknown_brand_in_title(strip_codes(title), self.product_words)
        guessed = lexicon.guess_from_thai(thai_words(facts.title), candidates, [unknown or ""])
        if guessed:
            return BrandFinding(guessed, lexicon.display(guessed), "title_thai", True)
        if unknown:
            key = lexicon.canonical(unknown)
            return BrandFinding(key, unknown, "title_unknown", lexicon.known(unknown))
        return BrandFinding(None)

    def brand_from_field(self, value: str, source: str, candidates: frozenset[str]) -> BrandFinding:
        """A brand as a seller typed it: `Toshiba`, `TOSHIBA (โตชิบา)`, `โตชิบา`, `Toshiba Lighting`."""
        lexicon = self.lexicon
        for part in split_registry_brand(value):
            if lexicon.known(part):
                key = lexicon.canonical(part)
                return BrandFinding(key, lexicon.display(key), source, True)
        inside = lexicon.find_in_title(value)
        if inside:
            return BrandFinding(inside, lexicon.display(inside), source, True)
        if any("\u0e01" <= ch <= "\u0e4e" for ch in value):
            guessed = lexicon.guess_from_thai(thai_words(value, keep_dictionary_words=True), candidates)
            if guessed:
                return BrandFinding(guessed, lexicon.display(guessed), source, True)
        return BrandFinding(lexicon.canonical(value), value, source, False)

    def close(self, left: str, right: str) -> bool:
        """Two brand keys close enough to be one brand misspelt."""
        return fuzz.ratio(left, right) >= BRAND_FUZZY_MIN

    def resolve_for_standard(self, brand_key: str, standard_keys: set[str]) -> str:
        """A misspelt brand → the registry brand of this standard it is closest to (if close enough)."""
        brands = self.index.brands_for(standard_keys)
        # Thai keys are never resolved by spelling distance: one tone mark apart is another word.
        if brand_key in brands or not brands or len(brand_key) < 4 or not brand_key.isascii():
            return brand_key
        cache_key = (brand_key, brands)
        resolved = self._resolution_cache.get(cache_key)
        if resolved is None:
            # Misspellings keep the first letter; comparing with those brands only keeps this cheap.
            same_initial = self._brands_by_initial.get((brands, brand_key[0]))
            if same_initial is None:
                same_initial = [b for b in brands if b[:1] == brand_key[:1]]
                self._brands_by_initial[(brands, brand_key[0])] = same_initial
            best = process.extractOne(
                brand_key, same_initial, scorer=fuzz.ratio, score_cutoff=BRAND_FUZZY_MIN
            )
            resolved = best[0] if best else brand_key
            if len(self._resolution_cache) > 100_000:
                self._resolution_cache.clear()
            self._resolution_cache[cache_key] = resolved
        return resolved


_OPENING_WORD = re.compile(r"^\W*([A-Z][A-Za-z0-9&'+-]{2,})(?=[\s(]|$)")


def description_opening_brand(description: str, product_words: frozenset[str]) -> str:
    """A capitalised Latin word that opens a description and is no product or spec word."""
    found = _OPENING_WORD.match(description)
    if not found:
        return ""
    word = found.group(1)
    return word if unknown_brand_in_title(word, product_words) == word else ""


def thai_words(title: str, keep_dictionary_words: bool = False) -> list[str]:
    """Thai words of a title that may be a brand (see matchers.tokenize.thai_tokens)."""
    from matchers.tokenize import thai_tokens

    return thai_tokens(title, keep_dictionary_words)
