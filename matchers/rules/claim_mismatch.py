"""Rule: a listing claiming a TIS number that is not its category's standard (nor a related one), or a
number no standard has at all (`มอก.368` on a helmet), is `invalid_licence` — a wrong claim is a false
claim of certification (ARCHITECTURE.md, "The five verdicts")."""

from __future__ import annotations

from matchers.case import Case
from matchers.context import MatchContext
from matchers.standards import claim_matches_standard
from matchers.verdict import INVALID_LICENCE, Verdict

CLAIM_MISMATCH_SCORE = 95.0
# A claimed number unknown to the catalogue and the registry is a wrong claim from three digits on
# (or with a year): shorter ones are more often an age or a count (`มอก. 14+` on a doll, `มอก.5 ช่อง`).
MIN_UNKNOWN_CLAIM_DIGITS = 3


def judge(case: Case, ctx: MatchContext) -> Verdict | None:
    facts, reasons = case.facts, case.reasons
    for claim in facts.tis_claims:
        if claim.is_bare:
            continue
        if not any(claim_matches_standard(claim, s) for s in case.accepted):
            known = ctx.resolver.knows_base(claim.base or "")
            if not known and claim.year_be is None and len(claim.base or "") < MIN_UNKNOWN_CLAIM_DIGITS:
                continue  # `มอก. 14+`, `มอก.5`: more likely an age or a count than a standard
            if known:
                reasons.add("tis_claim_mismatch", f"claims มอก. {claim.describe()}, not {case.tis_number}")
            else:
                # A number no catalogue or registry standard has (`มอก.368` on a helmet, for 369).
                reasons.add("tis_claim_unknown", f"claims มอก. {claim.describe()}, a number no standard has")
            reasons.sentence = (
                f"Invalid: a {case.found.term} falls under มอก. {case.tis_number}, but the listing claims "
                f"มอก. {claim.describe()}."
            )
            return Verdict(
                case.listing_id,
                INVALID_LICENCE,
                case.tis_number,
                None,
                CLAIM_MISMATCH_SCORE,
                reasons.render(),
            )
        reasons.add("tis_claim_matches", f"claims มอก. {claim.describe()}")
    if any(c.is_bare for c in facts.tis_claims) and not any(not c.is_bare for c in facts.tis_claims):
        reasons.add("tis_claim_bare", "claims มอก. without a number")
    return None
