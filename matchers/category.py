"""A listing's category: the vocabulary's classification (`matchers.classify`), with two refinements
that need the registry — a TIS number or licence of a mandatory standard when no product word names
one, and a sibling part of a cable-like family named anywhere in the listing."""

from __future__ import annotations

from matchers.classify import Classification, classify_listing
from matchers.context import MatchContext
from matchers.facts import ListingFacts
from matchers.standards import standard_base
from matchers.vocabulary import PRODUCT


def listing_category(ctx: MatchContext, facts: ListingFacts) -> Classification:
    found = classify_listing(ctx.vocabulary, facts.title_key, facts.attribute_keys, facts.description_key)
    return refine_to_sibling_part(ctx, facts, classify_from_codes(ctx, facts, found))


def refine_to_sibling_part(ctx: MatchContext, facts: ListingFacts, found: Classification) -> Classification:
    """A generic word (`สายไฟ`) of a standard whose parts are sibling products (cables: มอก. 11
    เล่ม 3 THW, เล่ม 4 IEC 10, เล่ม 5 flexible, เล่ม 101 VAF/VCT) gives way to a word of one
    part named anywhere in the listing (`THW`, `IEC 01` in the description). Siblings are the
    family's related standards with the same base number; a related standard of another number
    (an LED lamp's 1955) is carried as well, not instead, so it never takes over."""
    if not found.regulated or not found.family or found.tis_number is None:
        return found
    base = standard_base(found.tis_number)
    siblings = {s for s in ctx.vocabulary.related_standards(found.family) if standard_base(s) == base}
    if not siblings:
        return found
    fields = [(facts.title_key, "title"), *((key, "attributes") for key in facts.attribute_keys)]
    for key_text, source in [*fields, (facts.description_key, "description")]:
        for hit in ctx.vocabulary.find_terms(key_text):
            if hit.term.kind == PRODUCT and hit.term.tis_number in siblings:
                return Classification(hit.term.tis_number, hit.term.family, hit.term.text, source)
    return found


def classify_from_codes(ctx: MatchContext, facts: ListingFacts, found: Classification) -> Classification:
    """No product word but a TIS number or licence of a mandatory standard: that is the category."""
    if found.regulated or found.near_miss:
        return found
    for claim in facts.tis_claims:
        mandatory = [s for s in ctx.resolver.resolve(claim) if s in ctx.mandatory]
        if len(mandatory) >= 1:
            return Classification(mandatory[0], None, claim.raw, "tis_claim")
    for licence in facts.licences:
        entry, _ = ctx.index.find_licence(licence.licence_no)
        if entry is not None and entry.licence.tis_number in ctx.mandatory:
            return Classification(entry.licence.tis_number, None, licence.licence_no, "licence")
    return found


def accepted_standards(ctx: MatchContext, found: Classification) -> list[str]:
    """The category's standard first, then the family's related standards (sorted)."""
    accepted = [found.tis_number] if found.tis_number else []
    if found.family:
        accepted.extend(sorted(ctx.vocabulary.related_standards(found.family)))
    return accepted
