"""The brand a listing names, read in order of trust: the brand field or attribute, a registry brand in
the title, a brand after `ยี่ห้อ`/`แบรนด์`/`brand`, a licensed brand in the description, a capitalised
word opening the description, a Thai word sounding like a brand licensed for the standard, and last an
unknown Latin brand-like word (see `matchers.brands` for the lexicon and the word rules)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Collection
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
from matchers.licensees import is_company_word
from matchers.normalize import fold_case_and_spacing
from matchers.registry_index import RegistryIndex

# A listing brand this close (rapidfuzz ratio on brand keys) to a registry brand of the same standard is
# that brand misspelt (`Electolux`). Fitted on the dev set's brand variants; conservative on purpose.
BRAND_FUZZY_MIN = 88.0
# Latin words of a title, for company names written in it (`Siam Well Group`).
_TITLE_WORD = re.compile(r"[A-Za-z][A-Za-z0-9&'+]*")


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
    licensee: str = ""
    """The company name the listing gave, when the brand was found through its licensee (`Siamwell`
    for KitchenPro, whose licences Siam Well Group holds)."""


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
        models = tuple(code.key for code in facts.models)
        for value, source in ((facts.brand_field, "field"), (facts.attribute_brand, "attributes")):
            # "No Brand", and promotion or material words in the brand field (`FLASH SALE`, `Latex`):
            # no brand there, so the title and description are read instead.
            if value and not is_placeholder_brand(value) and not is_promotion_or_material(value):
                return self.brand_from_field(value, source, candidates, standard_keys, models)
        in_title = lexicon.find_in_title(facts.title)
        if in_title:
            return BrandFinding(in_title, lexicon.display(in_title), "title", True)
        for text, source in ((facts.title, "title_marker"), (facts.description, "description_marker")):
            marked = brand_after_marker(text)
            if marked:
                return self.brand_from_field(marked, source, candidates, standard_keys, models)
        by_company = self.licensee_in_title(facts.title, candidates, standard_keys, models)
        if by_company:
            return by_company
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
        guessed = lexicon.guess_from_thai(
            [*thai_words(facts.title), *spaced_thai_pairs(facts.title, self.product_words)],
            candidates,
            [unknown or ""],
        )
        if guessed:
            return BrandFinding(guessed, lexicon.display(guessed), "title_thai", True)
        if unknown:
            if not lexicon.known(unknown):
                # An unknown word may be a licensee's name written in Latin letters (`Siamwell`).
                sounded = self._one_brand(
                    lexicon.licensees.brands_sounding_like(unknown, candidates), standard_keys, models
                )
                if sounded:
                    return BrandFinding(sounded, lexicon.display(sounded), "title", True, licensee=unknown)
            key = lexicon.canonical(unknown)
            return BrandFinding(key, unknown, "title_unknown", lexicon.known(unknown))
        return BrandFinding(None)

    def brand_from_field(
        self,
        value: str,
        source: str,
        candidates: frozenset[str],
        standard_keys: Collection[str] = (),
        models: tuple[str, ...] = (),
    ) -> BrandFinding:
        """A brand as a seller typed it: `Toshiba`, `TOSHIBA (โตชิบา)`, `โตชิบา`, `Toshiba Lighting`, or
        the company holding its licences (`Siamwell`, `บริษัท สยามเวลล์ กรุ๊ป จำกัด`)."""
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
        licensees = lexicon.licensees
        held = licensees.brands_named(value)
        # The company's brand licensed for the standard; else any brand it holds (still a known brand).
        company_brand = None
        if held:
            company_brand = self._one_brand(held, standard_keys, models, candidates) or held[0]
        else:
            sounded = licensees.brands_sounding_like(value, candidates)
            company_brand = self._one_brand(sounded, standard_keys, models, candidates)
        if company_brand:
            return BrandFinding(company_brand, lexicon.display(company_brand), source, True, licensee=value)
        return BrandFinding(lexicon.canonical(value), value, source, False)

    def licensee_in_title(
        self, title: str, candidates: frozenset[str], standard_keys: Collection[str], models: tuple[str, ...]
    ) -> BrandFinding | None:
        """A company holding licences for the standard, named in the title by its distinctive name
        (Latin words, alone or two or three together, or a Thai word): its brand."""
        licensees = self.lexicon.licensees
        if not len(licensees) or not candidates:
            return None
        names: list[str] = []
        run: list[str] = []
        # Runs of words that may belong to a company's name (`Navakij Industry`), tried longest first.
        for word in [*_TITLE_WORD.findall(title), ""]:
            if word and (word.lower() in licensees.latin_words or is_company_word(word)):
                run.append(word)
                continue
            if any(w.lower() in licensees.latin_words for w in run):
                names.extend(" ".join(run[i : i + n]) for n in (3, 2, 1) for i in range(len(run) - n + 1))
            run = []
        for name in names:
            brand = self._one_brand(licensees.brands_named(name), standard_keys, models, candidates)
            if brand:
                return BrandFinding(brand, self.lexicon.display(brand), "title", True, licensee=name)
        if not licensees.has_names_among(candidates):
            return None
        thai_name, held = licensees.thai_names_in(fold_case_and_spacing(title), candidates)
        brand = self._one_brand(held, standard_keys, models, candidates)
        if brand:
            return BrandFinding(brand, self.lexicon.display(brand), "title", True, licensee=thai_name)
        return None

    def _one_brand(
        self,
        brands: tuple[str, ...],
        standard_keys: Collection[str],
        models: tuple[str, ...],
        candidates: frozenset[str] | None = None,
    ) -> str | None:
        """One of a company's brands licensed for the standard: the one whose licence lists the
        listing's model when the company holds several (a group's brands), else the first."""
        if candidates is None:
            candidates = self.index.brands_for(standard_keys)
        among = [brand for brand in brands if brand in candidates]
        if len(among) > 1:
            for code in models:
                for entry in self.index.for_standard_model(standard_keys, code):
                    if entry.brand in among:
                        return entry.brand
        return among[0] if among else None

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


_THAI_WORD = re.compile(r"[\u0e01-\u0e4e]+")
# A joined pair longer than this is a phrase, not a two-word brand.
_PAIR_MAX_LETTERS = 16


def spaced_thai_pairs(title: str, product_words: frozenset[str]) -> list[str]:
    """Two Thai words the title separates by a space only, joined (`บิ๊ก ไรเดอร์` → `บิ๊กไรเดอร์`, Big
    Rider): sellers space the words of a brand of two English words written in Thai, and each word
    alone is too short or a common word (`ไรเดอร์`, rider) to be taken for the brand. A product or
    seller word (`หมวกกันน็อค`, `ไซส์`) is no part of a brand: pairs with one are not tried."""
    from matchers.tokenize import SELLER_WORDS

    pairs = []
    for first, second in itertools.pairwise(_THAI_WORD.finditer(title)):
        a, b = first.group(), second.group()
        if not title[first.end() : second.start()].isspace() or min(len(a), len(b)) < 2:
            continue
        common = any(word in product_words or word in SELLER_WORDS for word in (a, b))
        if common or len(a) + len(b) > _PAIR_MAX_LETTERS:
            continue
        pairs.append(a + b)
    return pairs


def thai_words(title: str, keep_dictionary_words: bool = False) -> list[str]:
    """Thai words of a title that may be a brand (see matchers.tokenize.thai_tokens)."""
    from matchers.tokenize import thai_tokens

    return thai_tokens(title, keep_dictionary_words)
