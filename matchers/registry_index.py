"""An index over the registry of licences, so a listing is compared with a handful of candidates.

Lookups are by licence number, by (standard, brand) and by (standard, model). Standards
are keyed without their year (`2432-2555` → `2432`, `685 เล่ม 1-2562` → `685 เล่ม 1`): a registry that
holds a newer edition still matches the vocabulary's number.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from matchers.brands import BrandLexicon, split_registry_brand
from matchers.extract import licence_key, model_key
from standards_data.registry import Licence

_YEAR_SUFFIX = re.compile(r"\s*-\s*\d{4}\s*$")
_LICENCE_PREFIX = re.compile(r"^\(\d+\)")


@contextmanager
def collector_paused() -> Iterator[None]:
    """Automatic garbage collection off for a block that builds many long-lived objects."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def standard_key(tis_number: str) -> str:
    """A standard without its edition year (`60335 เล่ม 2(23)-2564` → `60335 เล่ม 2(23)`)."""
    text = " ".join((tis_number or "").split())
    return _YEAR_SUFFIX.sub("", text)


@dataclass(frozen=True, slots=True)
class IndexedLicence:
    """A licence with its precomputed keys."""

    licence: Licence
    standard: str
    """`standard_key` of its tis_number."""
    brand: str
    """Canonical brand key (see BrandLexicon.canonical)."""
    models: tuple[str, ...]
    """Model keys (`model_key`), without repeats (a tuple: a licence lists a few; smaller than a set)."""

    def __reduce__(self) -> tuple[type[IndexedLicence], tuple[Licence, str, str, tuple[str, ...]]]:
        # Pickled as a constructor call: the default state restore of a frozen slots dataclass looks
        # up its fields once per object, most of the time of loading a stored index (`index_store`).
        return IndexedLicence, (self.licence, self.standard, self.brand, self.models)


class RegistryIndex:
    """Licences indexed for candidate lookup. Build once per registry; lookups are dictionary reads."""

    def __init__(self, licences: Iterable[Licence]) -> None:
        # Building allocates a few long-lived objects per licence; the cyclic garbage collector would
        # scan the growing heap again and again meanwhile (~40 % of the build), for nothing to free.
        with collector_paused():
            self._build(list(licences))

    def _build(self, licence_list: list[Licence]) -> None:
        # Many licences share a brand and licensee: each pair is learnt once.
        self.lexicon = BrandLexicon(dict.fromkeys((lic.brand, lic.licensee) for lic in licence_list))
        self.licences: list[IndexedLicence] = []
        self.by_licence_no: dict[str, IndexedLicence] = {}
        # Licences numbered with a `(n)` prefix, by their number without it (None: more than one).
        self._prefixed_by_bare_no: dict[str, IndexedLicence | None] = {}
        self.by_standard_brand: dict[tuple[str, str], list[IndexedLicence]] = {}
        # standard → model → the licence listing it (a list when several do): nested, so no key tuple
        # and no one-element list per model (most of the index's memory at 100,000 licences).
        self.by_standard_model: dict[str, dict[str, IndexedLicence | list[IndexedLicence]]] = {}
        self.brands_by_standard: dict[str, set[str]] = {}
        self.tis_numbers: set[str] = set()
        self._brands_for_cache: dict[frozenset[str], frozenset[str]] = {}
        # Few distinct standards and brands among many licences: their keys are computed once each.
        standards: dict[str, str] = {}
        brands: dict[str, str] = {}
        for licence in licence_list:
            standard = standards.get(licence.tis_number)
            if standard is None:
                standard = standards[licence.tis_number] = standard_key(licence.tis_number)
            brand = brands.get(licence.brand)
            if brand is None:
                brand = brands[licence.brand] = self.lexicon.canonical(
                    (split_registry_brand(licence.brand) or ("",))[0]
                )
            entry = IndexedLicence(
                licence=licence,
                standard=standard,
                brand=brand,
                models=tuple(dict.fromkeys(k for k in map(model_key, licence.models) if k)),
            )
            self.licences.append(entry)
            self.tis_numbers.add(licence.tis_number)
            key = licence_key(licence.licence_no)
            self.by_licence_no.setdefault(key, entry)
            if key.startswith("("):
                bare = _LICENCE_PREFIX.sub("", key)
                self._prefixed_by_bare_no[bare] = None if bare in self._prefixed_by_bare_no else entry
            self.by_standard_brand.setdefault((entry.standard, entry.brand), []).append(entry)
            self.brands_by_standard.setdefault(entry.standard, set()).add(entry.brand)
            if entry.models:
                models = self.by_standard_model.setdefault(entry.standard, {})
                for model in entry.models:
                    held = models.get(model)
                    if held is None:
                        models[model] = entry
                    elif isinstance(held, list):
                        held.append(entry)
                    else:
                        models[model] = [held, entry]

    def __len__(self) -> int:
        return len(self.licences)

    def find_licence(self, licence_no: str) -> tuple[IndexedLicence | None, bool]:
        """The licence with this number; second value True when found only by ignoring the `(n)` prefix."""
        key = licence_key(licence_no)
        entry = self.by_licence_no.get(key)
        if entry is not None:
            return entry, False
        # The same number with another `(n)` prefix, or with one where the registry has none.
        bare = _LICENCE_PREFIX.sub("", key)
        loose: list[IndexedLicence | None] = []
        if bare in self._prefixed_by_bare_no:
            loose.append(self._prefixed_by_bare_no[bare])
        if bare != key and bare in self.by_licence_no:
            loose.append(self.by_licence_no[bare])
        if len(loose) == 1 and loose[0] is not None:
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
            held = self.by_standard_model.get(standard, {}).get(model)
            if isinstance(held, list):
                found.extend(held)
            elif held is not None:
                found.append(held)
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
