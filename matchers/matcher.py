"""Judge a listing against the registry: the five verdicts of ARCHITECTURE.md, each with its reasons.

    from matchers.matcher import Matcher
    matcher = Matcher(licences)              # bundled vocabulary
    verdict = matcher.judge(listing_dict)    # -> matchers.verdict.Verdict

Steps for one listing: extract its facts (`matchers.facts`), find its category (`matchers.category`:
the vocabulary's classification, refined with the registry), then run the verdict rules of
`matchers.rules` in their stated order — each rule a module with its scores beside it:
1. not under a mandatory standard → `not_regulated`;
2. a claimed TIS number that is not the category's standard → `invalid_licence`;
3. cited licence numbers: unknown, of another standard or brand, suspended or revoked → `invalid_licence`;
   an active licence of the right standard and brand (and model, where both give one) → `certified`;
4. nothing to check (no brand, no model, no licence) → `unverifiable`;
5. brand and model against the registry index (never a scan): an active licence covering them →
   `certified`; only inactive ones → `uncertified`; none → `uncertified`.
This class is the driver: it builds the index and context once per registry and runs the rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from matchers.case import Case
from matchers.category import accepted_standards, listing_category
from matchers.classify import Classification
from matchers.context import MatchContext
from matchers.facts import ListingFacts, extract_facts
from matchers.index_store import load_or_build
from matchers.listing_brand import BrandFinder, BrandFinding
from matchers.registry_index import RegistryIndex, standard_key
from matchers.rules import judge_case
from matchers.standards import StandardResolver
from matchers.verdict import Verdict
from matchers.vocabulary import Vocabulary, load_vocabulary
from standards_data.catalogue import mandatory_standards
from standards_data.registry import Licence

__all__ = ["Analysis", "BrandFinding", "Matcher"]


@dataclass
class Analysis:
    """A listing as the matcher reads it: facts, category, brand, and the standards its claims name."""

    facts: ListingFacts
    classification: Classification
    brand: BrandFinding
    claimed_standards: list[str]
    """Canonical standards the listing's TIS numbers resolve to (a base-only number gives its family)."""


class Matcher:
    """Matches listings against one registry. Build once; `judge` is cheap and thread-compatible."""

    def __init__(
        self,
        licences: Iterable[Licence],
        vocabulary: Vocabulary | None = None,
        index_cache: Path | None = None,
        index: RegistryIndex | None = None,
    ) -> None:
        """`index_cache`: a folder where the built registry index is kept per registry version
        (`matchers.index_store`); a later start on the same registry loads it instead of building.
        `index`: the index of these licences, already built or loaded (`licences` is then not read)."""
        self.vocabulary = vocabulary if vocabulary is not None else load_vocabulary()
        if index is not None:
            self.index = index
        elif index_cache is None:
            self.index = RegistryIndex(licences)
        else:
            self.index = load_or_build(list(licences), index_cache)
        self.lexicon = self.index.lexicon
        self.mandatory = frozenset(mandatory_standards())
        self.resolver = StandardResolver(
            [*self.mandatory, *self.index.tis_numbers, *self.vocabulary.standards()]
        )
        # English product words are not brands (`wax crayons 24 สี` names no brand).
        product_words = frozenset(word for t in self.vocabulary.terms if t.is_latin for word in t.key.split())
        self.context = MatchContext(
            vocabulary=self.vocabulary,
            index=self.index,
            mandatory=self.mandatory,
            resolver=self.resolver,
            brands=BrandFinder(self.index, product_words),
        )

    def warm_up(self) -> None:
        """Load the lazy parts now (Thai dictionary trie, transliteration) instead of on first use."""
        from matchers.brands import romanize_thai
        from matchers.tokenize import thai_tokens

        thai_tokens("ทดสอบการตัดคำภาษาไทยสำหรับชื่อยี่ห้อ")
        romanize_thai("โตชิบา")

    def judge(self, listing: Mapping[str, Any]) -> Verdict:
        """The verdict for one listing dict (Listing contract). Never raises on malformed field values."""
        facts = extract_facts(listing)
        case = Case(facts, listing_category(self.context, facts))
        return judge_case(case, self.context, listing)

    def analyse(self, listing: Mapping[str, Any]) -> Analysis:
        """What the matcher reads from a listing before judging it (for explanations and tests)."""
        facts = extract_facts(listing)
        classification = listing_category(self.context, facts)
        standard_keys = {standard_key(s) for s in accepted_standards(self.context, classification)}
        claimed: list[str] = []
        for claim in facts.tis_claims:
            for standard in self.resolver.resolve(claim):
                if standard not in claimed:
                    claimed.append(standard)
        brand = self.context.brands.listing_brand(facts, standard_keys)
        return Analysis(facts, classification, brand, claimed)
