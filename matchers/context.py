"""What the verdict rules may consult about one registry: the index, its brands, the vocabulary and the
standards catalogue. Built once per registry by `matchers.matcher.Matcher`; read-only afterwards."""

from __future__ import annotations

from dataclasses import dataclass

from matchers.brands import BrandLexicon
from matchers.listing_brand import BrandFinder
from matchers.registry_index import RegistryIndex
from matchers.standards import StandardResolver
from matchers.vocabulary import Vocabulary


@dataclass(frozen=True)
class MatchContext:
    vocabulary: Vocabulary
    index: RegistryIndex
    mandatory: frozenset[str]
    """The mandatory standards of the catalogue (canonical numbers)."""
    resolver: StandardResolver
    brands: BrandFinder

    @property
    def lexicon(self) -> BrandLexicon:
        return self.index.lexicon
