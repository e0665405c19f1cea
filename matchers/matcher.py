"""Judge a listing against the registry: the five verdicts of ARCHITECTURE.md, each with its reasons.

    from matchers.matcher import Matcher
    matcher = Matcher(licences)              # bundled vocabulary
    verdict = matcher.judge(listing_dict)    # -> matchers.verdict.Verdict

Steps for one listing: extract its facts (`matchers.facts`), classify it to a mandatory standard
(`matchers.classify`), then check, in this order,
1. claimed TIS numbers: one that is not the category's standard makes the listing `invalid_licence`;
2. cited licence numbers: unknown, of another standard or brand, suspended or revoked → `invalid_licence`;
   an active licence of the right standard and brand (and model, where both give one) → `certified`;
3. otherwise brand and model against the registry index (candidates by standard+brand and
   standard+model, never a scan): an active licence covering them → `certified`; none → `uncertified`;
4. nothing to check (no brand, no model, no licence) → `unverifiable`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process

from matchers.brands import (
    brand_after_marker,
    is_placeholder_brand,
    split_registry_brand,
    unknown_brand_in_title,
)
from matchers.classify import Classification, classify_listing
from matchers.explain import Reasons
from matchers.extract import licensed_model_in_text, model_key, strip_codes
from matchers.facts import ListingFacts, extract_facts
from matchers.registry_index import IndexedLicence, RegistryIndex, standard_key
from matchers.standards import StandardResolver, claim_matches_standard, standard_base
from matchers.verdict import CERTIFIED, INVALID_LICENCE, NOT_REGULATED, UNCERTIFIED, UNVERIFIABLE, Verdict
from matchers.vocabulary import PRODUCT, Vocabulary, load_vocabulary
from standards_data.catalogue import mandatory_standards
from standards_data.registry import Licence

# A listing brand this close (rapidfuzz ratio on brand keys) to a registry brand of the same standard is
# that brand misspelt (`Electolux`). Fitted on the dev set's brand variants; conservative on purpose.
BRAND_FUZZY_MIN = 88.0
# A listing model this close to a licensed model of the same brand is a variant written differently.
MODEL_FUZZY_MIN = 92.0


@dataclass
class BrandFinding:
    """The brand a listing names, as the matcher found it."""

    key: str | None
    """Canonical brand key, None when the listing names no brand."""
    display: str = ""
    source: str = ""
    """`field`, `attributes`, `title`, `title_thai`, `title_unknown` or `model`."""
    known: bool = False
    """The registry knows this brand (for any standard)."""


@dataclass
class Analysis:
    """A listing as the matcher reads it: facts, category, brand, and the standards its claims name."""

    facts: ListingFacts
    classification: Classification
    brand: BrandFinding
    claimed_standards: list[str]
    """Canonical standards the listing's TIS numbers resolve to (a base-only number gives its family)."""


@dataclass
class _Candidate:
    entry: IndexedLicence
    score: float
    checks: list[str] = field(default_factory=list)


class Matcher:
    """Matches listings against one registry. Build once; `judge` is cheap and thread-compatible."""

    def __init__(self, licences: Iterable[Licence], vocabulary: Vocabulary | None = None) -> None:
        self.vocabulary = vocabulary if vocabulary is not None else load_vocabulary()
        self.index = RegistryIndex(licences)
        self.lexicon = self.index.lexicon
        self.mandatory = set(mandatory_standards())
        self.resolver = StandardResolver(
            [*self.mandatory, *self.index.tis_numbers, *self.vocabulary.standards()]
        )
        self._brand_resolution_cache: dict[tuple[str, frozenset[str]], str] = {}
        self._brands_by_initial: dict[tuple[frozenset[str], str], list[str]] = {}
        # English product words are not brands (`wax crayons 24 สี` names no brand).
        self._product_words = frozenset(
            word for t in self.vocabulary.terms if t.is_latin for word in t.key.split()
        )

    # -- public --------------------------------------------------------------------------------------

    def warm_up(self) -> None:
        """Load the lazy parts now (Thai dictionary trie, transliteration) instead of on first use."""
        from matchers.brands import romanize_thai
        from matchers.tokenize import thai_tokens

        thai_tokens("ทดสอบการตัดคำภาษาไทยสำหรับชื่อยี่ห้อ")
        romanize_thai("โตชิบา")

    def judge(self, listing: Mapping[str, Any]) -> Verdict:
        """The verdict for one listing dict (Listing contract). Never raises on malformed field values."""
        facts, classification = self._facts_and_class(listing)
        reasons = Reasons()
        if not classification.regulated:
            return self._not_regulated(facts, classification, reasons)
        verdict = self._judge_regulated(facts, classification, reasons)
        missing = listing.get("detail_page_missing")
        if missing and verdict.verdict in (UNCERTIFIED, UNVERIFIABLE):
            _note_unread_detail_page(verdict, str(missing))
        return verdict

    def analyse(self, listing: Mapping[str, Any]) -> Analysis:
        """What the matcher reads from a listing before judging it (for explanations and tests)."""
        facts, classification = self._facts_and_class(listing)
        standard_keys = {standard_key(s) for s in self._accepted_standards(classification)}
        claimed: list[str] = []
        for claim in facts.tis_claims:
            for standard in self.resolver.resolve(claim):
                if standard not in claimed:
                    claimed.append(standard)
        return Analysis(facts, classification, self._listing_brand(facts, standard_keys), claimed)

    def _facts_and_class(self, listing: Mapping[str, Any]) -> tuple[ListingFacts, Classification]:
        facts = extract_facts(listing)
        classification = classify_listing(
            self.vocabulary, facts.title_key, facts.attribute_keys, facts.description_key
        )
        return facts, self._refine_to_sibling_part(facts, self._classify_from_codes(facts, classification))

    def _refine_to_sibling_part(self, facts: ListingFacts, found: Classification) -> Classification:
        """A generic word (`สายไฟ`) of a standard whose parts are sibling products (cables: มอก. 11
        เล่ม 3 THW, เล่ม 4 IEC 10, เล่ม 5 flexible, เล่ม 101 VAF/VCT) gives way to a word of one
        part named anywhere in the listing (`THW`, `IEC 01` in the description). Siblings are the
        family's related standards with the same base number; a related standard of another number
        (an LED lamp's 1955) is carried as well, not instead, so it never takes over."""
        if not found.regulated or not found.family or found.tis_number is None:
            return found
        base = standard_base(found.tis_number)
        siblings = {s for s in self.vocabulary.related_standards(found.family) if standard_base(s) == base}
        if not siblings:
            return found
        fields = [(facts.title_key, "title"), *((key, "attributes") for key in facts.attribute_keys)]
        for key_text, source in [*fields, (facts.description_key, "description")]:
            for hit in self.vocabulary.find_terms(key_text):
                if hit.term.kind == PRODUCT and hit.term.tis_number in siblings:
                    return Classification(hit.term.tis_number, hit.term.family, hit.term.text, source)
        return found

    # -- classification fallbacks --------------------------------------------------------------------

    def _classify_from_codes(self, facts: ListingFacts, found: Classification) -> Classification:
        """No product word but a TIS number or licence of a mandatory standard: that is the category."""
        if found.regulated or found.near_miss:
            return found
        for claim in facts.tis_claims:
            mandatory = [s for s in self.resolver.resolve(claim) if s in self.mandatory]
            if len(mandatory) >= 1:
                return Classification(mandatory[0], None, claim.raw, "tis_claim")
        for licence in facts.licences:
            entry, _ = self.index.find_licence(licence.licence_no)
            if entry is not None and entry.licence.tis_number in self.mandatory:
                return Classification(entry.licence.tis_number, None, licence.licence_no, "licence")
        return found

    # -- verdicts ------------------------------------------------------------------------------------

    def _not_regulated(self, facts: ListingFacts, found: Classification, reasons: Reasons) -> Verdict:
        if found.near_miss:
            reasons.add("near_miss_product", f"'{found.term}' is not a product under a mandatory standard")
            score = 90.0
        else:
            reasons.add("no_regulated_product", "no product word of a mandatory standard in the listing")
            score = 70.0
        reasons.sentence = (
            f"Not regulated: '{found.term}' names something that is not under a mandatory standard."
            if found.near_miss
            else "Not regulated: the listing names no product under a mandatory TIS standard."
        )
        return Verdict(facts.listing_id, NOT_REGULATED, None, None, score, reasons.render())

    def _judge_regulated(self, facts: ListingFacts, found: Classification, reasons: Reasons) -> Verdict:
        assert found.tis_number is not None
        accepted = self._accepted_standards(found)
        # A family whose products may fall under a related standard too (a ปลั๊กสามตา is a plug adapter
        # or a small extension set): the standard the listing itself claims among those is the one.
        tis_number = self._claimed_related(facts, accepted) or found.tis_number
        standard_keys = {standard_key(s) for s in accepted}
        reasons.add(f"category:{tis_number}", f"classified by '{found.term}' in the {found.source}")
        brand = self._listing_brand(facts, standard_keys)
        if brand.key:
            reasons.add(f"brand_{brand.source}", f"brand {brand.display}")

        # 1. A claimed standard number that is not the category's.
        for claim in facts.tis_claims:
            if claim.is_bare:
                continue
            if not any(claim_matches_standard(claim, s) for s in accepted):
                if not self.resolver.knows_base(claim.base or "") and claim.year_be is None:
                    continue  # an unknown bare number (`มอก.5`) is not a standard: no claim to test
                reasons.add("tis_claim_mismatch", f"claims มอก. {claim.describe()}, not {tis_number}")
                reasons.sentence = (
                    f"Invalid: a {found.term} falls under มอก. {tis_number}, but the listing claims "
                    f"มอก. {claim.describe()}."
                )
                return Verdict(facts.listing_id, INVALID_LICENCE, tis_number, None, 95.0, reasons.render())
            reasons.add("tis_claim_matches", f"claims มอก. {claim.describe()}")
        if any(c.is_bare for c in facts.tis_claims) and not any(not c.is_bare for c in facts.tis_claims):
            reasons.add("tis_claim_bare", "claims มอก. without a number")

        # 2. Cited licence numbers.
        if facts.licences:
            return self._judge_cited(facts, tis_number, standard_keys, brand, reasons)

        # 3. Brand and model against the registry.
        if not brand.key and not facts.models:
            reasons.add("nothing_to_check", "no brand, model or licence number")
            reasons.sentence = (
                f"Unverifiable: a {found.term} (มอก. {tis_number}) with no brand, model or licence number "
                "to check against the registry."
            )
            return Verdict(facts.listing_id, UNVERIFIABLE, tis_number, None, 80.0, reasons.render())
        return self._judge_by_brand_model(facts, tis_number, standard_keys, brand, reasons, found)

    def _claimed_related(self, facts: ListingFacts, accepted: list[str]) -> str | None:
        """A related standard (not the family's own) that a numbered claim of the listing names."""
        if len(accepted) < 2:
            return None
        for claim in facts.tis_claims:
            if claim.is_bare or claim_matches_standard(claim, accepted[0]):
                continue
            for standard in accepted[1:]:
                if claim_matches_standard(claim, standard):
                    return standard
        return None

    def _accepted_standards(self, found: Classification) -> list[str]:
        accepted = [found.tis_number] if found.tis_number else []
        if found.family:
            accepted.extend(sorted(self.vocabulary.related_standards(found.family)))
        return accepted

    def _judge_cited(
        self,
        facts: ListingFacts,
        tis_number: str,
        standard_keys: set[str],
        brand: BrandFinding,
        reasons: Reasons,
    ) -> Verdict:
        problems: list[tuple[str, str, str | None]] = []  # (code, sentence, licence_no to report)
        for cited in facts.licences:
            entry, loose = self.index.find_licence(cited.licence_no)
            if entry is None:
                problems.append(
                    ("licence_unknown", f"licence {cited.licence_no} is not in the registry", None)
                )
                continue
            lic = entry.licence
            if loose:
                reasons.add(
                    "licence_prefix_differs", f"cited {cited.licence_no}, registry has {lic.licence_no}"
                )
            if entry.standard not in standard_keys:
                problems.append(
                    (
                        "licence_other_standard",
                        f"licence {lic.licence_no} is for มอก. {lic.tis_number}, not {tis_number}",
                        lic.licence_no,  # the registry licence it cites (DESIGN: "matched or cited")
                    )
                )
                continue
            if brand.key and entry.brand != brand.key and not self._brand_close(brand.key, entry.brand):
                problems.append(
                    (
                        "licence_other_brand",
                        f"licence {lic.licence_no} is for brand {self.lexicon.display(entry.brand)}, "
                        f"not {brand.display}",
                        lic.licence_no,
                    )
                )
                continue
            if not lic.is_active:
                problems.append(
                    (f"licence_{lic.status}", f"licence {lic.licence_no} is {lic.status}", lic.licence_no)
                )
                continue
            model_ok, model_note = self._model_covered(facts, entry)
            if model_ok is False:
                problems.append(
                    (
                        "licence_model_not_covered",
                        f"licence {lic.licence_no} does not list model {model_note}",
                        lic.licence_no,
                    )
                )
                continue
            reasons.add("licence_cited", f"cites licence {lic.licence_no}")
            reasons.add("licence_active", f"{lic.licence_no} is active for มอก. {lic.tis_number}")
            if model_ok:
                reasons.add("model_match", f"model {model_note} is listed on the licence")
            reasons.sentence = (
                f"Certified: cites active licence {lic.licence_no} for มอก. {lic.tis_number}"
                f" ({self.lexicon.display(entry.brand)})."
            )
            score = 100.0 if model_ok else 95.0
            # The licence's own standard: a related one of the family when that is what it certifies.
            return Verdict(
                facts.listing_id, CERTIFIED, lic.tis_number, lic.licence_no, score, reasons.render()
            )
        code, sentence, licence_no = problems[0]
        for other_code, other_sentence, _ in problems:
            reasons.add(other_code, other_sentence)
        reasons.sentence = f"Invalid licence: {sentence}."
        score = 95.0 if code in ("licence_unknown", "licence_other_standard", "licence_revoked") else 90.0
        return Verdict(facts.listing_id, INVALID_LICENCE, tis_number, licence_no, score, reasons.render())

    def _judge_by_brand_model(
        self,
        facts: ListingFacts,
        tis_number: str,
        standard_keys: set[str],
        brand: BrandFinding,
        reasons: Reasons,
        found: Classification,
    ) -> Verdict:
        candidates = self._candidates(facts, standard_keys, brand, standard_key(tis_number))
        active = [c for c in candidates if c.entry.licence.is_active]
        if active:
            best = max(active, key=lambda c: (c.score, c.entry.licence.issued))
            lic = best.entry.licence
            for check in best.checks:
                reasons.add(check, "")
            # Tie the listing to one licence only when the match is specific (a model, or one licence).
            tied = "model_match" in best.checks or "model_variant" in best.checks or len(active) == 1
            licence_no = lic.licence_no if tied else None
            reasons.add("licence_active", f"{lic.licence_no} is active for มอก. {lic.tis_number}")
            covered = (
                f"brand {self.lexicon.display(best.entry.brand)} and model"
                if "model_match" in best.checks or "model_variant" in best.checks
                else f"brand {self.lexicon.display(best.entry.brand)}"
            )
            reasons.sentence = (
                f"Certified: {covered} covered by active licence {lic.licence_no} for มอก. {lic.tis_number}."
            )
            return Verdict(
                facts.listing_id, CERTIFIED, lic.tis_number, licence_no, best.score, reasons.render()
            )

        inactive = [c for c in candidates if not c.entry.licence.is_active]
        model_text = ", ".join(m.raw for m in facts.models[:2])
        if inactive:
            best = max(inactive, key=lambda c: c.score)
            lic = best.entry.licence
            reasons.add(f"licence_{lic.status}", f"the matching licence {lic.licence_no} is {lic.status}")
            reasons.sentence = (
                f"Uncertified: the only matching licence, {lic.licence_no}, is {lic.status}; "
                f"no active licence of มอก. {tis_number} covers {brand.display or model_text}."
            )
            return Verdict(facts.listing_id, UNCERTIFIED, tis_number, None, 85.0, reasons.render())
        brand_licences = self.index.for_standard_brand(standard_keys, brand.key) if brand.key else []
        if brand_licences and facts.models:
            reasons.add("model_not_licensed", f"model {model_text} is on no licence of {brand.display}")
            reasons.sentence = (
                f"Uncertified: {brand.display} holds มอก. {tis_number} licences, but none lists model "
                f"{model_text}."
            )
            score = 80.0
        elif brand.key:
            reasons.add("brand_not_licensed", f"{brand.display} holds no licence for มอก. {tis_number}")
            reasons.sentence = (
                f"Uncertified: no licence for มอก. {tis_number} ({found.term}) is held for brand "
                f"{brand.display}."
            )
            score = 90.0 if not brand.known else 85.0
        else:
            reasons.add("model_not_licensed", f"model {model_text} is on no licence for มอก. {tis_number}")
            reasons.sentence = f"Uncertified: model {model_text} is on no licence for มอก. {tis_number}."
            score = 75.0
        return Verdict(facts.listing_id, UNCERTIFIED, tis_number, None, score, reasons.render())

    # -- brand, model and candidates -----------------------------------------------------------------

    def _listing_brand(self, facts: ListingFacts, standard_keys: set[str]) -> BrandFinding:
        """The brand: the brand field or attribute, else a brand named in the title (see module brands)."""
        candidates = self.index.brands_for(standard_keys)
        for value, source in ((facts.brand_field, "field"), (facts.attribute_brand, "attributes")):
            if value and not is_placeholder_brand(value):
                return self._brand_from_field(value, source, candidates)
        in_title = self.lexicon.find_in_title(facts.title)
        if in_title:
            return BrandFinding(in_title, self.lexicon.display(in_title), "title", True)
        for text, source in ((facts.title, "title_marker"), (facts.description, "description_marker")):
            marked = brand_after_marker(text)
            if marked:
                return self._brand_from_field(marked, source, candidates)
        # A title that names no brand (`สายไฟบ้าน ขายยกม้วน`) leaves it to the description: there only
        # a brand licensed for this standard counts, since descriptions name others in passing.
        in_description = self.lexicon.find_in_title(facts.description, among=candidates)
        if in_description:
            return BrandFinding(in_description, self.lexicon.display(in_description), "description", True)
        opening = _description_opening_brand(facts.description, self._product_words)
        if opening:
            # Sellers open a description with the brand (`Hirano (ฮิราโนะ) หลอดไฟ LED 9W …`).
            known = self.lexicon.known(opening)
            key = self.lexicon.canonical(opening)
            return BrandFinding(key, self.lexicon.display(key) if known else opening, "description", known)
        title = facts.title
        for code in facts.models:  # `EL-6342` must not leave `EL` behind as a brand
            title = title.replace(code.raw, " ")
        unknown = unknown_brand_in_title(strip_codes(title), self._product_words)
        guessed = self.lexicon.guess_from_thai(_thai_words(facts.title), candidates, [unknown or ""])
        if guessed:
            return BrandFinding(guessed, self.lexicon.display(guessed), "title_thai", True)
        if unknown:
            key = self.lexicon.canonical(unknown)
            return BrandFinding(key, unknown, "title_unknown", self.lexicon.known(unknown))
        return BrandFinding(None)

    def _brand_from_field(self, value: str, source: str, candidates: frozenset[str]) -> BrandFinding:
        """A brand as a seller typed it: `Toshiba`, `TOSHIBA (โตชิบา)`, `โตชิบา`, `Toshiba Lighting`."""
        for part in split_registry_brand(value):
            if self.lexicon.known(part):
                key = self.lexicon.canonical(part)
                return BrandFinding(key, self.lexicon.display(key), source, True)
        inside = self.lexicon.find_in_title(value)
        if inside:
            return BrandFinding(inside, self.lexicon.display(inside), source, True)
        if any("\u0e01" <= ch <= "\u0e4e" for ch in value):
            guessed = self.lexicon.guess_from_thai(_thai_words(value, keep_dictionary_words=True), candidates)
            if guessed:
                return BrandFinding(guessed, self.lexicon.display(guessed), source, True)
        return BrandFinding(self.lexicon.canonical(value), value, source, False)

    def _brand_close(self, left: str, right: str) -> bool:
        return fuzz.ratio(left, right) >= BRAND_FUZZY_MIN

    def _resolve_brand_for_standard(self, brand_key: str, standard_keys: set[str]) -> str:
        """A misspelt brand → the registry brand of this standard it is closest to (if close enough)."""
        brands = self.index.brands_for(standard_keys)
        if brand_key in brands or not brands or len(brand_key) < 4:
            return brand_key
        cache_key = (brand_key, brands)
        resolved = self._brand_resolution_cache.get(cache_key)
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
            if len(self._brand_resolution_cache) > 100_000:
                self._brand_resolution_cache.clear()
            self._brand_resolution_cache[cache_key] = resolved
        return resolved

    def _model_covered(self, facts: ListingFacts, entry: IndexedLicence) -> tuple[bool | None, str]:
        """(True, model) when a listing model is on the licence, (False, model) when the listing gives a
        model the licence does not list, (None, '') when there is nothing to compare."""
        if not entry.models:
            return None, ""
        for code in facts.models:
            if _model_matches(code.key, entry.models):
                return True, code.raw
        # The licence's own models looked up in the text: finds what no code pattern reads as a model
        # (`FL-5`, `vt 506u`, `CM-18650-30`), so a short or odd model is not mistaken for a missing one.
        named = licensed_model_in_text(
            entry.models, facts.title, facts.description, compact=facts.compact_text
        )
        if named:
            return True, named
        if not facts.models:
            return None, ""
        stated = [c for c in facts.models if c.after_model_word] or facts.models
        return False, stated[0].raw

    def _candidates(
        self, facts: ListingFacts, standard_keys: set[str], brand: BrandFinding, main_key: str
    ) -> list[_Candidate]:
        """Licences that may cover the listing. One of a related standard (an LED lamp's 1955, a
        ปลั๊กสามตา's 2432) counts only when it lists the listing's model: a brand's licence for a
        related standard says nothing about its products under the listing's own."""
        found: dict[str, _Candidate] = {}
        brand_key = self._resolve_brand_for_standard(brand.key, standard_keys) if brand.key else None
        if brand_key:
            for entry in self.index.for_standard_brand(standard_keys, brand_key):
                checks = ["brand_match" if brand_key == brand.key else "brand_fuzzy"]
                covered, named = self._model_covered(facts, entry)
                if covered is False:
                    continue  # the listing's model is not on this licence
                if entry.standard != main_key and not covered:
                    continue
                if covered:
                    exact = model_key(named) in entry.models
                    checks.append("model_match" if exact else "model_variant")
                    score = 100.0 if exact else 92.0
                elif facts.models and not entry.models:
                    checks.append("licence_covers_brand")
                    score = 90.0
                else:
                    checks.append("brand_only")
                    score = 85.0
                if brand_key != brand.key:
                    score -= 5.0
                found[entry.licence.licence_no] = _Candidate(entry, score, checks)
        if not brand_key:
            # No brand: a licensed model of this standard identifies the product.
            for code in facts.models:
                for entry in self.index.for_standard_model(standard_keys, code.key):
                    found.setdefault(entry.licence.licence_no, _Candidate(entry, 88.0, ["model_match"]))
        return list(found.values())


_OPENING_WORD = re.compile(r"^\W*([A-Z][A-Za-z0-9&'+-]{2,})(?=[\s(]|$)")


def _description_opening_brand(description: str, product_words: frozenset[str]) -> str:
    """A capitalised Latin word that opens a description and is no product or spec word."""
    found = _OPENING_WORD.match(description)
    if not found:
        return ""
    word = found.group(1)
    return word if unknown_brand_in_title(word, product_words) == word else ""


def _note_unread_detail_page(verdict: Verdict, why: str) -> None:
    """A flag that rests on a search card alone says so: the licence number a seller writes in the
    product page's spec table or description was not seen (the page was blocked, unreadable…)."""
    sentence = verdict.reasons.pop() if verdict.reasons else ""
    verdict.reasons.append(f"detail_page_not_read: the product page was {why}; judged from the search card")
    verdict.reasons.append(
        f"{sentence} Its product page was not read ({why}): a licence number written only there was not seen."
    )
    verdict.score = min(verdict.score, 60.0)


def _model_matches(listing_model: str, licensed: frozenset[str]) -> bool:
    """Same model key; the same code with a short letter suffix added or dropped (`SC7762` ~ `SC7762U`);
    or the code with or without a letter prefix (`SL163` for `PJ-SL163`, `LEGO 10698` for `10698`)."""
    if listing_model in licensed:
        return True
    for model in licensed:
        longer, shorter = (
            (model, listing_model) if len(model) > len(listing_model) else (listing_model, model)
        )
        if (
            len(shorter) >= 4
            and longer.endswith(shorter)
            and longer[: len(longer) - len(shorter)].isalpha()
            and len(longer) - len(shorter) <= 4
            and sum(ch.isdigit() for ch in shorter) >= 3
        ):
            return True  # `SL163` ~ `PJ-SL163`, `LEGO 10698` ~ `10698`
        longer, shorter = (
            (model, listing_model) if len(model) > len(listing_model) else (listing_model, model)
        )
        if (
            longer.startswith(shorter)
            and len(longer) - len(shorter) <= 1
            and longer[-1].isalpha()
            and shorter[-1].isdigit()
        ):
            return True
        if len(model) >= 5 and fuzz.ratio(listing_model, model) >= MODEL_FUZZY_MIN:
            return True
    return False


def _thai_words(title: str, keep_dictionary_words: bool = False) -> list[str]:
    """Thai words of a title that may be a brand (see matchers.tokenize.thai_tokens)."""
    from matchers.tokenize import thai_tokens

    return thai_tokens(title, keep_dictionary_words)
