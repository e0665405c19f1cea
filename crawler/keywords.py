"""Keyword plans: which search terms a marketplace spider runs, and for which standards.

The terms come from the standards' product vocabulary (`matchers.vocabulary`), so a crawl searches
for the products a mandatory standard covers (`ปลั๊กพ่วง` for 2432-2555, `พาวเวอร์แบงค์` for
2879-2560, …). Spider arguments:

- `-a standards=2432-2555,2879-2560` — only these standards (default: every standard with vocabulary);
  numbers may be written as sellers write them (`2432-2012`, `มอก. 2432`) as long as they name one
  standard of the vocabulary;
- `-a keywords=ปลั๊กพ่วง,หมวกกันน็อค` — search exactly these terms (no vocabulary lookup);
- `-a max_keywords=N` — the first N terms of the plan (a quick look).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from standards_data.text import thai_digits_to_arabic

_SEPARATORS = re.compile(r"[,\n;]")
_STANDARD_PREFIX = re.compile(r"^(มอก\.?|tis)\s*", re.IGNORECASE)


class KeywordVocabulary(Protocol):
    def search_keywords(self, standards: Iterable[str] | None = None) -> dict[str, list[str]]: ...


@dataclass(frozen=True)
class PlannedKeyword:
    """One search term and the standards whose products it is meant to find."""

    keyword: str
    standards: tuple[str, ...]


class KeywordPlanError(ValueError):
    """A plan argument that names nothing (unknown standard, empty keyword list)."""


def split_argument(value: str | Iterable[str] | None) -> list[str]:
    """`"a, b,,c"` → `["a", "b", "c"]`; lists pass through cleaned. Spider `-a` values are strings."""
    if value is None:
        return []
    parts = _SEPARATORS.split(value) if isinstance(value, str) else list(value)
    return [part.strip() for part in parts if part and part.strip()]


def _standard_key(number: str) -> str:
    """Loose key of a TIS number for matching user input: digits, `เล่ม` part, BE year."""
    text = _STANDARD_PREFIX.sub("", thai_digits_to_arabic(number).strip())
    return re.sub(r"\s+", "", text).lower()


def resolve_standards(requested: Iterable[str], known: Iterable[str]) -> list[str]:
    """Canonical numbers for the standards a user asked for, or an error naming those not found.

    `2432-2555` matches itself; `2432-2012` (AD year) and `2432` (no year) match `2432-2555` when
    that is the only standard with that base number.
    """
    known_list = list(known)
    by_key = {_standard_key(number): number for number in known_list}
    resolved: list[str] = []
    unknown: list[str] = []
    for number in requested:
        key = _standard_key(number)
        if key in by_key:
            resolved.append(by_key[key])
            continue
        base, _, year = key.rpartition("-")
        if year.isdigit() and len(year) == 4 and int(year) < 2400:  # AD year → BE
            be_key = f"{base}-{int(year) + 543}"
            if be_key in by_key:
                resolved.append(by_key[be_key])
                continue
        same_base = [n for k, n in by_key.items() if k.rpartition("-")[0] == key]
        if len(same_base) == 1:
            resolved.append(same_base[0])
        else:
            unknown.append(number)
    if unknown:
        raise KeywordPlanError(
            f"no search vocabulary for standard(s) {', '.join(unknown)}; "
            f"standards with vocabulary: {', '.join(sorted(known_list)) or 'none'}"
        )
    return list(dict.fromkeys(resolved))


def plan_from_vocabulary(
    keywords_by_standard: Mapping[str, list[str]], standards: Iterable[str] | None = None
) -> list[PlannedKeyword]:
    """Every distinct keyword once, in vocabulary order, with all standards it serves."""
    wanted = set(standards) if standards is not None else None
    served: dict[str, list[str]] = {}
    for standard, keywords in keywords_by_standard.items():
        if wanted is not None and standard not in wanted:
            continue
        for keyword in keywords:
            term = " ".join(keyword.split())
            if term:
                served.setdefault(term, [])
                if standard not in served[term]:
                    served[term].append(standard)
    return [PlannedKeyword(keyword, tuple(stds)) for keyword, stds in served.items()]


def keyword_plan(
    standards: str | Iterable[str] | None = None,
    keywords: str | Iterable[str] | None = None,
    max_keywords: int | None = None,
    vocabulary: KeywordVocabulary | None = None,
) -> list[PlannedKeyword]:
    """The search plan a spider runs (see the module docstring for the arguments)."""
    explicit = split_argument(keywords)
    if explicit:
        plan = [PlannedKeyword(" ".join(term.split()), ()) for term in dict.fromkeys(explicit)]
    else:
        if vocabulary is None:
            from matchers.vocabulary import load_vocabulary  # the matcher's bundled vocabulary

            vocabulary = load_vocabulary()
        everything = vocabulary.search_keywords(None)
        requested = split_argument(standards)
        chosen = resolve_standards(requested, everything) if requested else None
        plan = plan_from_vocabulary(everything, chosen)
    if not plan:
        raise KeywordPlanError("the keyword plan is empty: nothing to search for")
    if max_keywords is not None and max_keywords > 0:
        plan = plan[:max_keywords]
    return plan
