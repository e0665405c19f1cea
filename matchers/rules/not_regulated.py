"""Rule: a listing that names no product under a mandatory standard is `not_regulated`."""

from __future__ import annotations

from matchers.case import Case
from matchers.context import MatchContext
from matchers.verdict import NOT_REGULATED, Verdict

# A word the vocabulary knows as *not* under a mandatory standard (a near miss: `ไฟฉาย`, `พัดลม USB`).
NEAR_MISS_SCORE = 90.0
# No product word of a mandatory standard at all.
NO_PRODUCT_SCORE = 70.0


def judge(case: Case, ctx: MatchContext) -> Verdict | None:
    found, reasons = case.found, case.reasons
    if found.regulated:
        return None
    if found.near_miss:
        reasons.add("near_miss_product", f"'{found.term}' is not a product under a mandatory standard")
        reasons.sentence = (
            f"Not regulated: '{found.term}' names something that is not under a mandatory standard."
        )
        score = NEAR_MISS_SCORE
    else:
        reasons.add("no_regulated_product", "no product word of a mandatory standard in the listing")
        reasons.sentence = "Not regulated: the listing names no product under a mandatory TIS standard."
        score = NO_PRODUCT_SCORE
    return Verdict(case.listing_id, NOT_REGULATED, None, None, score, reasons.render())
