"""Rule: a regulated listing with no brand, no model and no licence number is `unverifiable`."""

from __future__ import annotations

from matchers.case import Case
from matchers.context import MatchContext
from matchers.verdict import UNVERIFIABLE, Verdict

UNVERIFIABLE_SCORE = 80.0


def judge(case: Case, ctx: MatchContext) -> Verdict | None:
    if case.brand.key or case.facts.models:
        return None
    case.reasons.add("nothing_to_check", "no brand, model or licence number")
    case.reasons.sentence = (
        f"Unverifiable: a {case.found.term} (มอก. {case.tis_number}) with no brand, model or licence number "
        "to check against the registry."
    )
    return Verdict(
        case.listing_id, UNVERIFIABLE, case.tis_number, None, UNVERIFIABLE_SCORE, case.reasons.render()
    )
