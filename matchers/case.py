"""One listing on its way through the verdict rules: what the matcher read from it, and what the rules
worked out so far (the standards it may fall under, its brand, the reasons gathered)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from matchers.classify import Classification
from matchers.explain import Reasons
from matchers.facts import ListingFacts
from matchers.listing_brand import BrandFinding

if TYPE_CHECKING:
    from matchers.rules.licensed import Candidate


@dataclass
class Case:
    facts: ListingFacts
    found: Classification
    """The category the listing was classified to (a mandatory standard, a near miss, or nothing)."""
    reasons: Reasons = field(default_factory=Reasons)
    accepted: list[str] = field(default_factory=list)
    """The category's standard first, then the family's related standards."""
    tis_number: str = ""
    """The standard the listing is judged under (the category's, or a related one it claims)."""
    standard_keys: set[str] = field(default_factory=set)
    brand: BrandFinding = field(default_factory=lambda: BrandFinding(None))
    candidates: list[Candidate] | None = None
    """Licences that may cover the listing (computed by the first rule that needs them)."""

    @property
    def listing_id(self) -> str:
        return self.facts.listing_id
