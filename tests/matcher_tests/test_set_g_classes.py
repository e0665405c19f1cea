"""Classes of misses found by the independent set G (issue 13), each with examples of its own: model codes
that go on after their letter suffix, a colour after a claimed number, a zero-width space standing for a
space, a brand's Thai form glued before the product word, spec letters glued to digits, and a product
named with a general word followed by the brand (the title table `data/new_standard_titles.tsv`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from matchers.extract import extract_model_codes, extract_tis_claims
from matchers.matcher import Matcher
from matchers.normalize import normalize_text
from matchers.verdict import CERTIFIED, NOT_REGULATED, UNVERIFIABLE
from standards_data.registry import read_registry_csv
from tests.matcher_tests.conftest import listing

REGISTRY = Path(__file__).parent / "data" / "registry_licensees.csv"


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(read_registry_csv(REGISTRY))


@pytest.mark.parametrize(
    ("title", "model"),
    [
        ("พัดลมตั้งพื้น Breezo BZ-18R2 18 นิ้ว", "BZ-18R2"),
        ("ปลั๊กพ่วง Volto VT-4S5M 4 ช่อง 5 เมตร", "VT-4S5M"),
        ("หลอด LED Lumeno LMT5-28 28W", "LMT5-28"),
        ("เตารีด Kleen KL-200 2000W", "KL-200"),
    ],
)
def test_codes_that_go_on_after_their_suffix_are_models(title: str, model: str) -> None:
    assert model in [code.raw for code in extract_model_codes(normalize_text(title))]


@pytest.mark.parametrize("text", ["หลอด LED T8-120cm 18W", "ยาง 215/70R15 8PR", "สาย VAF 2x2.5"])
def test_sizes_after_a_code_are_not_models(text: str) -> None:
    assert extract_model_codes(normalize_text(text)) == []


@pytest.mark.parametrize(
    ("text", "base"),
    [("หมวกกันน็อค มอก.2433 สีแดง", "2433"), ("หม้อหุงข้าว มอก.1039 สีขาว", "1039"), ("ปากกา มอก. 12 สี", None)],
)
def test_a_colour_after_a_claimed_number_is_no_count(text: str, base: str | None) -> None:
    claims = extract_tis_claims(normalize_text(text))
    assert [claim.base for claim in claims] == [base]


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("พัดลม\u200bBreezo\u200bBZ-16", "พัดลม Breezo BZ-16"),
        ("Bree\u200bzo", "Breezo"),
        ("BZ-\u200b16", "BZ-16"),
        ("น\u200b4107-66/2879", "น4107-66/2879"),
    ],
)
def test_a_zero_width_space_between_words_is_a_space_and_inside_one_is_nothing(raw: str, clean: str) -> None:
    assert normalize_text(raw) == clean


def test_a_brand_thai_form_glued_before_the_product_word_is_the_brand(matcher: Matcher) -> None:
    verdict = matcher.judge(listing("ออร์เวียปลั๊กพ่วง3ช่อง5เมตร OV-5"))
    assert (verdict.verdict, verdict.licence_no) == (CERTIFIED, "ท4102-63/2432"), verdict.reasons
    # Any other word glued before it still makes an item for or of the product.
    assert matcher.judge(listing("ฝาครอบปลั๊กพ่วง กันฝุ่น 3 ช่อง")).verdict == NOT_REGULATED


@pytest.mark.parametrize("title", ["ยางรถบรรทุก 7.50R16 12PR ยางใหม่", "แอร์เคลื่อนที่ 12000BTU ไม่ต้องติดตั้ง"])
def test_letters_glued_after_digits_are_no_brand(matcher: Matcher, title: str) -> None:
    analysed = matcher.analyse(listing(title))
    assert analysed.classification.regulated and analysed.brand.key is None
    assert matcher.judge(listing(title)).verdict == UNVERIFIABLE
