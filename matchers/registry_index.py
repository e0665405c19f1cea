"""An index over the registry of licences, so a listing is compared with a handful of candidates.

Lookups are by licence number, by (standard, brand), by (standard, model) and by model alone. Standards
are keyed without their year (`2432-2555` → `2432`, `685 เล่ม 1-2562` → `685 เล่ม 1`): a registry that
holds a newer edition still matches the vocabulary's number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from matchers.brands import BrandLexicon, split_registry_brand
from matchers.extract import licence_key, model_key
from standards_data.registry import Licence

_YEAR_SUFFIX = re.compile(r"\s*-\s*\d{4}\s*$")
_LICENCE_PREFIX = re.compile(r"^\(\d+\)")


def standard_key(tis_number: str) -> str:
    """A standard without its edition year (`60335 เล่ม 2(23)-2564` → `60335 เล่ม 2(23)`)."""
    text = " ".join((tis_number or "").split())
    return _YEAR_SUFFIX.sub("", text)


@dataclass(frozen=True)
class IndexedLicence:
    """A licence with its precomputed keys."""

    licence: Licence
    standard: str
    """`standard_key` of its tis_number."""
    brand: str
    """Canonical brand key (see BrandLexicon.canonical)."""
    models: frozenset[str]
    """Model keys (`model_key`)."""


class RegistryIndex:
    """Licences indexed for candidate lookup. Build once per registry; lookups are dictionary reads."""

    def __init__(self, licences: Iterable[Licence]) -> None:
        licence_list = list(licences)
        self.lexicon = BrandLexicon((lic.brand, lic.licensee) for lic in licence_list)
        self.licences: list[IndexedLicence] = []
        self.by_licence_no: dict[str, IndexedLicence] = {}
        self._by_licence_no_unprefixed: dict[str, list[IndexedLicence]] = {}
        self.by_standard_brand: dict[tuple[str, str], list[IndexedLicence]] = {}
        self.by_standard_model: dict[tuple[str, str], list[IndexedLicence]] = {}
        self.by_model: dict[str, list[IndexedLicence]] = {}
        self.brands_by_standard: dict[str, set[str]] = {}
        self.tis_numbers: set[str] = set()
        self._brands_for_cache: dict[frozenset[str], frozenset[str]] = {}
        for licence in licence_list:
            entry = IndexedLicence(
                licence=licence,
                standard=standard_key(licence.tis_number),
                brand=self.lexicon.canonical((split_registry_brand(licence.brand) or ("",))[0]),
                models=frozenset(k for k in (model_key(m) for m in licence.models) if k),
            )
            self.licences.append(entry)
            self.tis_numbers.add(licence.tis_number)
            key = licence_key(licence.licence_no)
            self.by_licence_no.setdefault(key, entry)
            self._by_licence_no_unprefixed.setdefault(_LICENCE_PREFIX.sub("", key), []).append(entry)
            self.by_standard_brand.setdefault((entry.standard, entry.brand), []).append(entry)
            self.brands_by_standard.setdefault(entry.standard, set()).add(entry.brand)
            for model in entry.models:
                self.by_standard_model.setdefault((entry.standard, model), []).append(entry)
                self.by_model.setdefault(model, []).append(entry)

    def __len__(self) -> int:
        return len(self.licences)

    def find_licence(self, licence_no: str) -> tuple[IndexedLicence | None, bool]:
        """The licence with this number; second value True when found only by ignoring the `(n)` prefix."""
        key = licence_key(licence_no)
        entry = self.by_licence_no.get(key)
        if entry is not None:
            return entry, False
        loose = self._by_licence_no_unprefixed.get(_LICENCE_PREFIX.sub("", key), [])
        if len(loose) == 1:
            return loose[0], True
        return None, False

    def for_standard_brand(self, standards: Iterable[str], brand: str) -> list[IndexedLicence]:
        found: list[IndexedLicence] = []
        for standard in standards:
            found.extend(self.by_standard_brand.get((standard, brand), ()))
        return found

    def for_standard_model(self, standards: Iterable[str], model: str) -> list[IndexedLicence]:
        found: list[IndexedLicence] = []
        for standard in standards:
            found.extend(self.by_standard_model.get((standard, model), ()))
        return found

    def brands_for(self, standards: Iterable[str]) -> frozenset[str]:
        """Brand keys holding licences (any status) for any of these standards (cached per set)."""
        key = frozenset(standards)
        cached = self._brands_for_cache.get(key)
        if cached is None:
            brands: set[str] = set()
            for standard in key:
                brands |= self.brands_by_standard.get(standard, set())
            cached = self._brands_for_cache[key] = frozenset(brands)
        return cached
