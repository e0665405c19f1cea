"""Map the TIS numbers sellers write to canonical standards (`<base>[ เล่ม <part>[(<sub>)]]-<BE year>`).

Known standards come from the mandatory catalogue and from the registry in use (a registry may hold
licences for standards that are not mandatory). A claim resolves, most specific first, to: the exact
standard (base, part, sub, year); the same base and part in another year; or every standard with that
base (`มอก. 685` → `685 เล่ม 1-2562`; `มอก.11-2553` → the family `11 เล่ม 3/4/5-2553`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from matchers.extract import TisClaim

_CANONICAL = re.compile(r"^\s*(\d+)(?:\s*เล่ม\s*(\d+)(?:\s*\((\d+)\))?)?\s*-\s*(\d{4})\s*$")


@dataclass(frozen=True)
class StandardNumber:
    """A parsed canonical standard number."""

    canonical: str
    base: str
    part: str | None
    sub: str | None
    year_be: int | None


def parse_standard(tis_number: str) -> StandardNumber | None:
    """Parse a canonical `tis_number`; None when it is not in the canonical shape."""
    match = _CANONICAL.match(tis_number or "")
    if not match:
        return None
    base, part, sub, year = match.groups()
    return StandardNumber(
        canonical=f"{int(base)}"
        + (f" เล่ม {int(part)}" if part else "")
        + (f"({int(sub)})" if sub else "")
        + f"-{year}",
        base=str(int(base)),
        part=str(int(part)) if part else None,
        sub=str(int(sub)) if sub else None,
        year_be=int(year),
    )


def standard_base(tis_number: str) -> str:
    """The base number of a canonical standard (`60335 เล่ม 2(23)-2564` → `60335`)."""
    parsed = parse_standard(tis_number)
    return parsed.base if parsed else tis_number.split(" ")[0].split("-")[0]


class StandardResolver:
    """Resolves TIS claims to the canonical standards they can mean."""

    def __init__(self, tis_numbers: Iterable[str]) -> None:
        self._by_base: dict[str, list[StandardNumber]] = {}
        seen: set[str] = set()
        for tis_number in tis_numbers:
            parsed = parse_standard(tis_number)
            if parsed is None or parsed.canonical in seen:
                continue
            seen.add(parsed.canonical)
            self._by_base.setdefault(parsed.base, []).append(parsed)
        for family in self._by_base.values():
            family.sort(key=lambda s: (int(s.part or 0), int(s.sub or 0), s.year_be or 0))

    def knows_base(self, base: str) -> bool:
        return base in self._by_base

    def resolve(self, claim: TisClaim) -> list[str]:
        """Canonical standards the claim can mean (empty for a bare claim or an unknown number)."""
        if claim.base is None:
            return []
        family = self._by_base.get(claim.base, [])
        if not family:
            return []
        candidates = family
        if claim.part is not None:
            same_part = [
                s for s in family if s.part == claim.part and (claim.sub is None or s.sub == claim.sub)
            ]
            candidates = same_part or [s for s in family if s.part == claim.part] or []
            if not candidates:
                return []
        if claim.year_be is not None:
            same_year = [s for s in candidates if s.year_be == claim.year_be]
            candidates = same_year or candidates
        return [s.canonical for s in candidates]


def claim_matches_standard(claim: TisClaim, tis_number: str) -> bool:
    """Whether a claim names `tis_number` (same base; same part where both give one; year ignored).

    Sellers drop the part or the year, or cite an older edition: only a different base or part is a
    different standard.
    """
    parsed = parse_standard(tis_number)
    if parsed is None or claim.base is None:
        return False
    if claim.base != parsed.base:
        return False
    if claim.part is not None and parsed.part is not None and claim.part != parsed.part:
        return False
    return not (claim.sub is not None and parsed.sub is not None and claim.sub != parsed.sub)
