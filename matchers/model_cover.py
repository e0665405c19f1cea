"""Whether a listing's model is on a licence's model list: the same code written another way
(`P-404`/`p 404`), a short letter suffix added or dropped, a letter prefix, or the licence's own models
found in the text where no code pattern reads them (`FL-5`, `vt 506u`)."""

from __future__ import annotations

from collections.abc import Collection

from rapidfuzz import fuzz

from matchers.extract import licensed_model_in_text
from matchers.facts import ListingFacts
from matchers.registry_index import IndexedLicence

# A listing model this close to a licensed model of the same brand is a variant written differently.
MODEL_FUZZY_MIN = 92.0


def model_covered(facts: ListingFacts, entry: IndexedLicence) -> tuple[bool | None, str]:
    """(True, model) when a listing model is on the licence, (False, model) when the listing gives a
    model the licence does not list, (None, '') when there is nothing to compare."""
    if not entry.models:
        return None, ""
    for code in facts.models:
        if model_matches(code.key, entry.models):
            return True, code.raw
    # The licence's own models looked up in the text: finds what no code pattern reads as a model
    # (`FL-5`, `vt 506u`, `CM-18650-30`), so a short or odd model is not mistaken for a missing one.
    named = licensed_model_in_text(entry.models, facts.title, facts.description, compact=facts.compact_text)
    if named:
        return True, named
    if not facts.models:
        return None, ""
    stated = [c for c in facts.models if c.after_model_word] or facts.models
    return False, stated[0].raw


def model_matches(listing_model: str, licensed: Collection[str]) -> bool:
    """Same model key; the same code with a short letter suffix added or dropped (`SC7762` ~ `SC7762U`);
    or the code with or without a letter prefix (`SL163` for `PJ-SL163`, `LEGO 10698` for `10698`)."""
    if listing_model in licensed:
        return True
    for model in licensed:
        longer, shorter = (
            (model, listing_model) if len(model) > len(listing_model) else (listing_model, model)
        )
        if (
            len(shorter) >= 4
            and longer.endswith(shorter)
            and longer[: len(longer) - len(shorter)].isalpha()
            and len(longer) - len(shorter) <= 4
            and sum(ch.isdigit() for ch in shorter) >= 3
        ):
            return True  # `SL163` ~ `PJ-SL163`, `LEGO 10698` ~ `10698`
        if (
            longer.startswith(shorter)
            and len(longer) - len(shorter) <= 1
            and longer[-1].isalpha()
            and shorter[-1].isdigit()
        ):
            return True
        if len(model) >= 5 and fuzz.ratio(listing_model, model) >= MODEL_FUZZY_MIN:
            return True
    return False
