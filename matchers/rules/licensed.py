"""Rule: brand and model against the registry index (candidates by standard+brand, or standard+model
when the listing names no brand — never a registry scan). An active licence covering them makes the
listing `certified`, scored by how specific the match is."""

from __future__ import annotations

from dataclasses import dataclass, field

from matchers.case import Case
from matchers.context import MatchContext
from matchers.extract import model_key
from matchers.model_cover import model_covered
from matchers.registry_index import IndexedLicence, standard_key
from matchers.verdict import CERTIFIED, Verdict

# Certified, by how the best candidate licence covers the listing:
MODEL_ON_LICENCE_SCORE = 100.0  # the brand's licence lists the listing's model
MODEL_VARIANT_SCORE = 92.0  # … a variant of it (`SC7762` for `SC7762U`)
LICENCE_WITHOUT_MODELS_SCORE = 90.0  # the listing states a model; the licence lists none
BRAND_ONLY_SCORE = 85.0  # the brand holds the licence, which lists no models
MODEL_NOT_STATED_SCORE = 80.0  # the brand's licence lists models; the listing states none
MODEL_WITHOUT_BRAND_SCORE = 88.0  # no brand; a licensed model of the standard identifies the product
FUZZY_BRAND_PENALTY = 5.0  # the brand was matched as a misspelling of the licence's brand


@dataclass
class Candidate:
    entry: IndexedLicence
    score: float
    checks: list[str] = field(default_factory=list)


def candidates(case: Case, ctx: MatchContext) -> list[Candidate]:
    """Licences that may cover the listing (computed once per case). One of a related standard (an LED
    lamp's 1955, a ปลั๊กสามตา's 2432) counts only when it lists the listing's model: a brand's licence
    for a related standard says nothing about its products under the listing's own."""
    if case.candidates is not None:
        return case.candidates
    facts, brand, standard_keys = case.facts, case.brand, case.standard_keys
    main_key = standard_key(case.tis_number)
    found: dict[str, Candidate] = {}
    brand_key = ctx.brands.resolve_for_standard(brand.key, standard_keys) if brand.key else None
    if brand_key:
        for entry in ctx.index.for_standard_brand(standard_keys, brand_key):
            checks = ["brand_match" if brand_key == brand.key else "brand_fuzzy"]
            covered, named = model_covered(facts, entry)
            if covered is False:
                continue  # the listing's model is not on this licence
            if entry.standard != main_key and not covered:
                continue
            if covered:
                exact = model_key(named) in entry.models
                checks.append("model_match" if exact else "model_variant")
                score = MODEL_ON_LICENCE_SCORE if exact else MODEL_VARIANT_SCORE
            elif facts.models and not entry.models:
                checks.append("licence_covers_brand")
                score = LICENCE_WITHOUT_MODELS_SCORE
            elif entry.models and not facts.models:
                # ARCHITECTURE.md's verdict table: certified, but less surely, and filterable by its reason.
                checks.extend(["brand_only", "model_not_stated"])
                score = MODEL_NOT_STATED_SCORE
            else:
                checks.append("brand_only")
                score = BRAND_ONLY_SCORE
            if brand_key != brand.key:
                score -= FUZZY_BRAND_PENALTY
            found[entry.licence.licence_no] = Candidate(entry, score, checks)
    if not brand_key:
        for code in facts.models:
            for entry in ctx.index.for_standard_model(standard_keys, code.key):
                found.setdefault(
                    entry.licence.licence_no, Candidate(entry, MODEL_WITHOUT_BRAND_SCORE, ["model_match"])
                )
    case.candidates = list(found.values())
    return case.candidates


def judge(case: Case, ctx: MatchContext) -> Verdict | None:
    active = [c for c in candidates(case, ctx) if c.entry.licence.is_active]
    if not active:
        return None
    reasons = case.reasons
    best = max(active, key=lambda c: (c.score, c.entry.licence.issued))
    lic = best.entry.licence
    for check in best.checks:
        reasons.add(check, "")
    # Tie the listing to one licence only when the match is specific (a model, or one licence).
    by_model = "model_match" in best.checks or "model_variant" in best.checks
    licence_no = lic.licence_no if by_model or len(active) == 1 else None
    reasons.add("licence_active", f"{lic.licence_no} is active for มอก. {lic.tis_number}")
    brand_name = ctx.lexicon.display(best.entry.brand)
    covered = f"brand {brand_name} and model" if by_model else f"brand {brand_name}"
    reasons.sentence = (
        f"Certified: {covered} covered by active licence {lic.licence_no} for มอก. {lic.tis_number}."
    )
    if "model_not_stated" in best.checks:
        reasons.sentence += " The listing states no model; the licence lists its models."
    return Verdict(case.listing_id, CERTIFIED, lic.tis_number, licence_no, best.score, reasons.render())
