"""Rule (last): no licence covers the listing's brand or model → `uncertified`."""

from __future__ import annotations

from matchers.case import Case
from matchers.context import MatchContext
from matchers.verdict import UNCERTIFIED, Verdict

# The brand holds licences for the standard, but none lists the stated model.
MODEL_NOT_LICENSED_SCORE = 80.0
# The brand holds no licence for the standard: a brand the registry does not know at all …
UNKNOWN_BRAND_SCORE = 90.0
# … or one it knows from licences of other standards.
KNOWN_BRAND_SCORE = 85.0
# No brand, and the model is on no licence of the standard.
MODEL_ONLY_SCORE = 75.0


def judge(case: Case, ctx: MatchContext) -> Verdict:
    facts, brand, reasons, tis_number = case.facts, case.brand, case.reasons, case.tis_number
    model_text = ", ".join(m.raw for m in facts.models[:2])
    brand_licences = ctx.index.for_standard_brand(case.standard_keys, brand.key) if brand.key else []
    if brand_licences and facts.models:
        reasons.add("model_not_licensed", f"model {model_text} is on no licence of {brand.display}")
        reasons.sentence = (
            f"Uncertified: {brand.display} holds มอก. {tis_number} licences, but none lists model "
            f"{model_text}."
        )
        score = MODEL_NOT_LICENSED_SCORE
    elif brand.key:
        reasons.add("brand_not_licensed", f"{brand.display} holds no licence for มอก. {tis_number}")
        reasons.sentence = (
            f"Uncertified: no licence for มอก. {tis_number} ({case.found.term}) is held for brand "
            f"{brand.display}."
        )
        score = KNOWN_BRAND_SCORE if brand.known else UNKNOWN_BRAND_SCORE
    else:
        reasons.add("model_not_licensed", f"model {model_text} is on no licence for มอก. {tis_number}")
        reasons.sentence = f"Uncertified: model {model_text} is on no licence for มอก. {tis_number}."
        score = MODEL_ONLY_SCORE
    return Verdict(case.listing_id, UNCERTIFIED, tis_number, None, score, reasons.render())
