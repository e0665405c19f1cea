"""The verdict rules, one module each, run in the order listed here; the first rule that returns a
verdict decides (like Scrapy's middlewares or Spidermon's monitors, the order is data, stated once).

A new rule is one module with `judge(case, ctx) -> Verdict | None` (copy `nothing_to_check.py`), its
scores as named constants beside it, and one line below. `case` (`matchers.case.Case`) is the listing
as read so far; `ctx` (`matchers.context.MatchContext`) the registry index, brands and vocabulary.

1. SCOPE_RULES — is the listing under a mandatory standard at all? (`not_regulated` otherwise)
2. `read_regulated` — the standard it is judged under, the accepted related standards, its brand
3. VERDICT_RULES — claims, cited licences, then brand and model against the registry
4. ADJUSTMENTS — change a verdict after the fact (a flag from a search card alone is capped)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from matchers.case import Case
from matchers.category import accepted_standards
from matchers.context import MatchContext
from matchers.facts import ListingFacts
from matchers.registry_index import standard_key
from matchers.rules import (
    accessory_or_lookalike,
    cited_licence,
    claim_mismatch,
    inactive_licence,
    licensed,
    not_licensed,
    not_regulated,
    nothing_to_check,
    unread_detail_page,
)
from matchers.standards import claim_matches_standard
from matchers.verdict import Verdict

Rule = Callable[[Case, MatchContext], Verdict | None]
Adjustment = Callable[[Verdict, Mapping[str, Any]], None]

SCOPE_RULES: tuple[Rule, ...] = (
    not_regulated.judge,  # no product word of a mandatory standard → not_regulated
    accessory_or_lookalike.judge,  # a service, accessory, display item or 12 V version of it → not_regulated
)
VERDICT_RULES: tuple[Rule, ...] = (
    claim_mismatch.judge,  # claims another standard's number → invalid_licence
    cited_licence.judge,  # cites licence numbers → certified or invalid_licence
    nothing_to_check.judge,  # no brand, model or licence → unverifiable
    licensed.judge,  # an active licence covers brand/model → certified
    inactive_licence.judge,  # only suspended/revoked licences match → uncertified
    not_licensed.judge,  # nothing covers it → uncertified (always decides)
)
ADJUSTMENTS: tuple[Adjustment, ...] = (
    unread_detail_page.adjust,  # a flag judged from the search card alone says so, score capped
)


def judge_case(case: Case, ctx: MatchContext, listing: Mapping[str, Any]) -> Verdict:
    verdict = _first_verdict(case, ctx)
    for adjust in ADJUSTMENTS:
        adjust(verdict, listing)
    return verdict


def _first_verdict(case: Case, ctx: MatchContext) -> Verdict:
    for rule in SCOPE_RULES:
        verdict = rule(case, ctx)
        if verdict is not None:
            return verdict
    read_regulated(case, ctx)
    for rule in VERDICT_RULES:
        verdict = rule(case, ctx)
        if verdict is not None:
            return verdict
    raise AssertionError("the last verdict rule always decides")


def read_regulated(case: Case, ctx: MatchContext) -> None:
    """The standard a regulated listing is judged under and its brand (with their reasons)."""
    found, facts = case.found, case.facts
    assert found.tis_number is not None
    case.accepted = accepted_standards(ctx, found)
    # A family whose products may fall under a related standard too (a ปลั๊กสามตา is a plug adapter
    # or a small extension set): the standard the listing itself claims among those is the one.
    case.tis_number = claimed_related(facts, case.accepted) or found.tis_number
    case.standard_keys = {standard_key(s) for s in case.accepted}
    case.reasons.add(f"category:{case.tis_number}", f"classified by '{found.term}' in the {found.source}")
    case.brand = ctx.brands.listing_brand(facts, case.standard_keys)
    if case.brand.key:
        case.reasons.add(f"brand_{case.brand.source}", f"brand {case.brand.display}")
    if case.brand.licensee:
        case.reasons.add(
            "brand_by_licensee", f"'{case.brand.licensee}' names the company holding {case.brand.display}"
        )


def claimed_related(facts: ListingFacts, accepted: list[str]) -> str | None:
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
