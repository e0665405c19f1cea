"""Every line of the listing-title trap table (data/listing_titles_th.tsv) through `Matcher.analyse`.

Columns: the title; the standards its TIS numbers must resolve to (`|`-separated, `-` for none);
whether it makes a bare `มอก.` claim; the licence number it cites; the standard its product falls
under (`-` = not regulated); the brand key and a model key the matcher must find (`-` = none expected).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

import pytest

from matchers.matcher import Matcher
from tests.matcher_tests.conftest import DATA, listing


@dataclass(frozen=True)
class TitleCase:
    title: str
    claimed: list[str]
    bare_claim: bool
    licence: str | None
    category: str | None
    brand: str | None
    model: str | None
    note: str


def _cases() -> list[TitleCase]:
    with open(DATA / "listing_titles_th.tsv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))

    def value(text: str) -> str | None:
        return None if text == "-" else text

    return [
        TitleCase(
            title=row["title"],
            claimed=[] if row["claimed_tis"] == "-" else row["claimed_tis"].split("|"),
            bare_claim=row["bare_claim"] == "yes",
            licence=value(row["licence"]),
            category=value(row["category_tis"]),
            brand=value(row["brand"]),
            model=value(row["model"]),
            note=row["note"],
        )
        for row in rows
    ]


CASES = _cases()


def test_the_table_has_every_trap() -> None:
    assert len(CASES) >= 30


@pytest.mark.parametrize("case", CASES, ids=[c.note for c in CASES])
def test_claims_licences_category_brand_model(matcher: Matcher, case: TitleCase) -> None:
    analysis = matcher.analyse(listing(case.title))
    facts = analysis.facts

    assert analysis.claimed_standards == case.claimed
    assert any(claim.is_bare for claim in facts.tis_claims) == case.bare_claim
    assert [lic.licence_no for lic in facts.licences] == ([case.licence] if case.licence else [])
    assert analysis.classification.tis_number == case.category
    if case.brand:
        assert analysis.brand.key == case.brand
    if case.model:
        assert case.model in [m.key for m in facts.models]
    # `มอก.5 ช่อง` must never be read as standard 5, nor a wattage as a standard.
    assert all(claim.base not in {"5", "3", "4", "3680"} for claim in facts.tis_claims)
