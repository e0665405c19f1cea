"""Licensee names as brands (issue 13): a listing that names the company holding the licences — in Thai,
by its short English name, with or without `Co., Ltd.`, `(ประเทศไทย)`, `Thailand` — is matched to that
company's licences as a brand alias would be; a registry whose brand column holds the company's name
matches the listing's short name; a group brand held by several companies is named by each; and company
words alone never make a brand match. Registry: data/registry_licensees.csv (invented)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matchers.licensees import COMPANY_WORDS, distinctive_key
from matchers.matcher import Matcher
from matchers.verdict import CERTIFIED, UNCERTIFIED
from standards_data.registry import read_registry_csv
from tests.matcher_tests.conftest import listing

REGISTRY = Path(__file__).parent / "data" / "registry_licensees.csv"


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(read_registry_csv(REGISTRY))


@pytest.mark.parametrize(
    "fields",
    [
        {"title": "พัดลมตั้งพื้น 16 นิ้ว BR-16", "brand": "บริษัท นาวาสตาร์ กรุ๊ป จำกัด"},
        {"title": "พัดลมตั้งพื้น 16 นิ้ว BR-16", "brand": "นาวาสตาร์"},
        {"title": "พัดลมตั้งพื้น นาวาสตาร์ 16 นิ้ว BR-16"},
        {"title": "พัดลมตั้งพื้น 16 นิ้ว BR-16", "brand": "Navastar Group Co., Ltd."},
        {"title": "พัดลมตั้งพื้น 16 นิ้ว BR-16", "brand": "Navastar (Thailand)"},
        {"title": "พัดลมตั้งพื้น Navastar BR-16 16 นิ้ว"},
    ],
)
def test_the_licensee_named_instead_of_the_brand_is_matched_to_its_licences(
    matcher: Matcher, fields: dict
) -> None:
    verdict = matcher.judge(listing(**fields))
    assert (verdict.verdict, verdict.licence_no) == (CERTIFIED, "ท4101-62/934"), verdict.reasons
    assert any(reason.startswith("brand_by_licensee") for reason in verdict.reasons)


def test_a_licensed_company_name_with_a_model_off_its_list_is_uncertified(matcher: Matcher) -> None:
    verdict = matcher.judge(listing("พัดลมตั้งพื้น 20 นิ้ว BR-20", brand="Navastar"))
    assert verdict.verdict == UNCERTIFIED


@pytest.mark.parametrize("brand", ["Novastar", "Nakamura", "Navarro Group Co., Ltd."])
def test_look_alike_company_names_are_other_brands(matcher: Matcher, brand: str) -> None:
    verdict = matcher.judge(listing("พัดลมตั้งพื้น 16 นิ้ว BR-16", brand=brand))
    assert verdict.verdict == UNCERTIFIED, verdict.reasons


@pytest.mark.parametrize(
    ("fields", "licence_no"),
    [
        ({"title": "ปลั๊กพ่วง 3 ช่อง 5 เมตร OV-7", "brand": "บริษัท พรหมสิริ อินดัสทรี จำกัด"}, "น4103-64/2432"),
        ({"title": "ปลั๊กพ่วง พรหมสิริ OV-3 3 ช่อง 5 เมตร"}, "ท4102-63/2432"),
        ({"title": "ปลั๊กพ่วง 3 ช่อง 5 เมตร OV-5", "brand": "Orvia Asia Co., Ltd."}, "ท4102-63/2432"),
    ],
)
def test_a_group_brand_is_named_by_each_company_holding_it(
    matcher: Matcher, fields: dict, licence_no: str
) -> None:
    verdict = matcher.judge(listing(**fields))
    assert (verdict.verdict, verdict.licence_no) == (CERTIFIED, licence_no), verdict.reasons


@pytest.mark.parametrize(("model", "licence_no"), [("LM-9", "ท4105-61/2432"), ("KV-2", "ท4104-60/2432")])
def test_a_company_holding_several_brands_is_matched_by_the_model(
    matcher: Matcher, model: str, licence_no: str
) -> None:
    record = listing(f"ปลั๊กพ่วง 4 ช่อง 3 เมตร {model}", brand="เจริญกิจพาณิชย์ ประเทศไทย")
    verdict = matcher.judge(record)
    assert (verdict.verdict, verdict.licence_no) == (CERTIFIED, licence_no), verdict.reasons


@pytest.mark.parametrize(
    ("fields", "licence_no"),
    [
        ({"title": "หม้อหุงข้าว ทองไพศาล 1.8 ลิตร TP-18"}, "ท4106-65/1039"),
        ({"title": "หม้อหุงข้าว 1.8 ลิตร TP-18", "brand": "ทองไพศาล"}, "ท4106-65/1039"),
        ({"title": "พาวเวอร์แบงค์ Wellbright 10000mAh"}, "น4107-66/2879"),
        ({"title": "พาวเวอร์แบงค์ 10000mAh", "brand": "WELLBRIGHT"}, "น4107-66/2879"),
    ],
)
def test_a_registry_brand_written_as_a_company_name_matches_the_short_name(
    matcher: Matcher, fields: dict, licence_no: str
) -> None:
    verdict = matcher.judge(listing(**fields))
    assert (verdict.verdict, verdict.licence_no) == (CERTIFIED, licence_no), verdict.reasons


LATIN_COMPANY_WORDS = sorted(w for w in COMPANY_WORDS if w.isascii())
THAI_COMPANY_WORDS = sorted(w for w in COMPANY_WORDS if not w.isascii())


@settings(max_examples=120, deadline=None)
@given(
    words=st.lists(st.sampled_from(LATIN_COMPANY_WORDS + THAI_COMPANY_WORDS), min_size=1, max_size=4),
    form=st.sampled_from(["{}", "{} Co., Ltd.", "บริษัท {} จำกัด", "{} (ประเทศไทย)", "{} Thailand", "{}"]),
    upper=st.booleans(),
)
def test_company_words_alone_never_make_a_brand_match(
    matcher: Matcher, words: list[str], form: str, upper: bool
) -> None:
    """However company and business words are put together (`Electric Industry Co., Ltd.`, `บริษัท
    อุตสาหกรรมไฟฟ้า จำกัด`), they name no company and no brand: the registry holds companies named
    only by such words (Electric Industry Co., Ltd.; บริษัท อุตสาหกรรมไฟฟ้าไทย จำกัด)."""
    name = form.format(" ".join(w.upper() if upper else w for w in words))
    assert distinctive_key(name) == ""
    lexicon = matcher.lexicon
    assert lexicon.licensees.brands_named(name) == ()
    assert not lexicon.known(name)
    for fields in ({"brand": name}, {"title": f"หม้อหุงข้าว {name} 1.8 ลิตร"}):
        record = listing(fields.pop("title", "หม้อหุงข้าว 1.8 ลิตร"), **fields)
        verdict = matcher.judge(record)
        assert verdict.verdict != CERTIFIED, (name, verdict.reasons)
        found = matcher.analyse(record).brand
        assert found.key is None or found.key not in lexicon.brands, (name, found)
