"""Rule: the only licences matching the listing's brand and model are suspended or revoked → `uncertified`."""

from __future__ import annotations

from matchers.case import Case
from matchers.context import MatchContext
from matchers.rules.licensed import candidates
from matchers.verdict import UNCERTIFIED, Verdict

INACTIVE_LICENCE_SCORE = 85.0


def judge(case: Case, ctx: MatchContext) -> Verdict | None:
    inactive = [c for c in candidates(case, ctx) if not c.entry.licence.is_active]
    if not inactive:
        return None
    best = max(inactive, key=lambda c: c.score)
    lic = best.entry.licence
    model_text = ", ".join(m.raw for m in case.facts.models[:2])
    case.reasons.add(f"licence_{lic.status}", f"the matching licence {lic.licence_no} is {lic.status}")
    case.reasons.sentence = (
        f"Uncertified: the only matching licence, {lic.licence_no}, is {lic.status}; "
        f"no active licence of มอก. {case.tis_number} covers {case.brand.display or model_text}."
    )
    return Verdict(
        case.listing_id, UNCERTIFIED, case.tis_number, None, INACTIVE_LICENCE_SCORE, case.reasons.render()
    )
