"""Rule: a listing claiming a TIS number that is not its category's standard (nor a related one) is
`invalid_licence` — a wrong claim is a false claim of certification (DESIGN.md, "Verdicts")."""

from __future__ import annotations

from matchers.case import Case
from matchers.context import MatchContext
from matchers.standards import claim_matches_standard
from matchers.verdict import INVALID_LICENCE, Verdict

CLAIM_MISMATCH_SCORE = 95.0


def judge(case: Case, ctx: MatchContext) -> Verdict | None:
    facts, reasons = case.facts, case.reasons
    for claim in facts.tis_claims:
        if claim.is_bare:
            continue
        if not any(claim_matches_standard(claim, s) for s in case.accepted):
            if not ctx.resolver.knows_base(claim.base or "") and claim.year_be is None:
                continue  # an unknown bare number (`มอก.5`) is not a standard: no claim to test
            reasons.add("tis_claim_mismatch", f"claims มอก. {claim.describe()}, not {case.tis_number}")
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
