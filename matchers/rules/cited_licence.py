"""Rule: licence numbers the listing cites. The first cited licence that is active, of the right
standard and brand (and lists the model, where both give one) makes it `certified`; otherwise the first
problem found (unknown, other standard, other brand, suspended or revoked, model not listed) makes it
`invalid_licence`."""

from __future__ import annotations

from matchers.case import Case
from matchers.context import MatchContext
from matchers.model_cover import model_covered
from matchers.verdict import CERTIFIED, INVALID_LICENCE, Verdict

# Certified by a cited licence that lists the listing's model, or (no model to compare) by the licence.
CITED_WITH_MODEL_SCORE = 100.0
CITED_SCORE = 95.0
# Invalid: the cited licence does not exist, certifies another standard, or was revoked …
CITED_FALSE_SCORE = 95.0
# … or is of another brand, suspended, or does not list the model (a slip is more likely).
CITED_MISMATCH_SCORE = 90.0
_FALSE_CODES = ("licence_unknown", "licence_other_standard", "licence_revoked")


def judge(case: Case, ctx: MatchContext) -> Verdict | None:
    facts, brand, reasons = case.facts, case.brand, case.reasons
    if not facts.licences:
        return None
    problems: list[tuple[str, str, str | None]] = []  # (code, sentence, licence_no to report)
    for cited in facts.licences:
        entry, loose = ctx.index.find_licence(cited.licence_no)
        if entry is None:
            problems.append(("licence_unknown", f"licence {cited.licence_no} is not in the registry", None))
            continue
        lic = entry.licence
        if loose:
            reasons.add("licence_prefix_differs", f"cited {cited.licence_no}, registry has {lic.licence_no}")
        if entry.standard not in case.standard_keys:
            problems.append(
                (
                    "licence_other_standard",
                    f"licence {lic.licence_no} is for มอก. {lic.tis_number}, not {case.tis_number}",
                    lic.licence_no,  # the registry licence it cites (DESIGN: "matched or cited")
                )
            )
            continue
        if brand.key and entry.brand != brand.key and not ctx.brands.close(brand.key, entry.brand):
            problems.append(
                (
                    "licence_other_brand",
                    f"licence {lic.licence_no} is for brand {ctx.lexicon.display(entry.brand)}, "
                    f"not {brand.display}",
                    lic.licence_no,
                )
            )
            continue
        if not lic.is_active:
            problems.append(
                (f"licence_{lic.status}", f"licence {lic.licence_no} is {lic.status}", lic.licence_no)
            )
            continue
        model_ok, model_note = model_covered(facts, entry)
        if model_ok is False:
            problems.append(
                (
                    "licence_model_not_covered",
                    f"licence {lic.licence_no} does not list model {model_note}",
                    lic.licence_no,
                )
            )
            continue
        reasons.add("licence_cited", f"cites licence {lic.licence_no}")
        reasons.add("licence_active", f"{lic.licence_no} is active for มอก. {lic.tis_number}")
        if model_ok:
            reasons.add("model_match", f"model {model_note} is listed on the licence")
        reasons.sentence = (
            f"Certified: cites active licence {lic.licence_no} for มอก. {lic.tis_number}"
            f" ({ctx.lexicon.display(entry.brand)})."
        )
        score = CITED_WITH_MODEL_SCORE if model_ok else CITED_SCORE
        # The licence's own standard: a related one of the family when that is what it certifies.
        return Verdict(case.listing_id, CERTIFIED, lic.tis_number, lic.licence_no, score, reasons.render())
    code, sentence, licence_no = problems[0]
    for other_code, other_sentence, _ in problems:
        reasons.add(other_code, other_sentence)
    reasons.sentence = f"Invalid licence: {sentence}."
    score = CITED_FALSE_SCORE if code in _FALSE_CODES else CITED_MISMATCH_SCORE
    return Verdict(case.listing_id, INVALID_LICENCE, case.tis_number, licence_no, score, reasons.render())
