"""Verdicts and their reasons, judged against the fixture registry (data/registry.csv)."""

from __future__ import annotations

import pytest

from matchers.matcher import Matcher
from matchers.verdict import CERTIFIED, INVALID_LICENCE, NOT_REGULATED, UNCERTIFIED, UNVERIFIABLE
from tests.matcher_tests.conftest import listing


def codes(reasons: list[str]) -> set[str]:
    return {reason.split(":")[0] for reason in reasons[:-1]}


@pytest.mark.parametrize(
    ("fields", "licence_no", "expected_codes"),
    [
        # Brand and a licensed model (model written without its hyphen, brand glued to Thai).
        ({"title": "Toshibaปลั๊กพ่วง p404 4 ช่อง มอก.2432-2555"}, "น1234-10/2432", {"model_match"}),
        # Thai transliteration of the brand, model after รุ่น.
        ({"title": "ปลั๊กพ่วง โตชิบา รุ่น P 406 สายยาว 3 เมตร"}, "น1234-10/2432", {"model_match"}),
        # A cited licence with Thai digits in the description, brand from the brand field.
        (
            {"title": "ปลั๊กไฟ 3 ช่อง 1 สวิตช์", "brand": "CSC", "description": "ใบอนุญาตเลขที่ ท๔๐๘๐-๕๑/๒๔๓๒"},
            "ท4080-51/2432",
            {"licence_cited", "licence_active"},
        ),
        # A licence without models covers the brand for that standard.
        ({"title": "ตัวต่อ LEGO 500 ชิ้น รุ่น LG-7788"}, "น3000-6/685", {"licence_covers_brand"}),
        # The licence number in the attributes table.
        (
            {"title": "ถังแก๊ส 15 กก.", "brand": "PTT", "attributes": {"เลขที่ใบอนุญาต มอก.": "ท6000-8/27"}},
            "ท6000-8/27",
            {"licence_cited"},
        ),
    ],
)
def test_certified(matcher: Matcher, fields: dict, licence_no: str, expected_codes: set[str]) -> None:
    verdict = matcher.judge(listing(**fields))
    assert verdict.verdict == CERTIFIED
    assert verdict.flagged is False
    assert verdict.licence_no == licence_no
    assert expected_codes <= codes(verdict.reasons)
    assert verdict.reasons[-1].startswith("Certified:")
    assert 0 < verdict.score <= 100


@pytest.mark.parametrize(
    "title",
    [
        "ปลั๊กสามตา 3 ช่อง Toshiba P-406 มอก.2432-2555",  # claims the related standard it is licensed under
        "ปลั๊กสามตา 3 ช่อง Toshiba p406",  # no claim: the brand's licence of the related standard
    ],
)
def test_a_family_with_a_related_standard_is_certified_under_the_licences_standard(
    matcher: Matcher, title: str
) -> None:
    verdict = matcher.judge(listing(title))
    assert (verdict.verdict, verdict.tis_number, verdict.licence_no) == (
        CERTIFIED,
        "2432-2555",
        "น1234-10/2432",
    )


def test_a_related_standards_licence_without_the_model_does_not_certify(matcher: Matcher) -> None:
    """Toshiba's 2432 licence lists P-404/P-406: a ปลั๊กสามตา (166) of another model is not covered."""
    verdict = matcher.judge(listing("ปลั๊กสามตา 3 ช่อง Toshiba"))
    assert verdict.verdict == UNCERTIFIED and verdict.tis_number == "166-2549"


@pytest.mark.parametrize(
    ("title", "licence_no"),
    [
        ("จุกนม นูนู่ ไซส์ L รุ่น NN-L", "น341-44/969"),  # the first word of a two-word brand
        ("วีสตอร์ม หมวกนิรภัย VS1 สำหรับผู้ขับขี่รถจักรยานยนต์", "น212-22/369"),  # ว for an English v
        ("ไบรท์โทร่า หลอด LED 12W E27 มอก.2780-2562", "น4544-20/2780"),  # English igh sounds ai
    ],
)
def test_thai_transliterations_of_latin_only_brands(matcher: Matcher, title: str, licence_no: str) -> None:
    verdict = matcher.judge(listing(title, brand="No Brand"))
    assert (verdict.verdict, verdict.licence_no) == (CERTIFIED, licence_no)
    assert "brand_title_thai" in codes(verdict.reasons)


def test_a_generic_cable_word_gives_way_to_the_part_the_description_names(matcher: Matcher) -> None:
    """`สายไฟ` alone is มอก. 11 เล่ม 101; THW in the description makes it เล่ม 3, whose claim and
    licence then fit (no false 'claims another standard')."""
    judged = matcher.judge(
        listing(
            "[พร้อมส่ง] สายไฟบ้าน ขายยกม้วน ส่งไว",
            description=(
                "สายไฟแกนเดี่ยว THW ยี่ห้อ ช้างทอง 1x2.5 sq.mm มาตรฐาน มอก.11 เล่ม 3-2553 ใบอนุญาต ท8985-39/11"
            ),
        )
    )
    assert (judged.verdict, judged.tis_number, judged.licence_no) == (
        CERTIFIED,
        "11 เล่ม 3-2553",
        "ท8985-39/11",
    )
    # Yazaki holds a เล่ม 101 licence only: its THW cable is not covered by it.
    thw = matcher.judge(listing("สายไฟ คุณภาพดี พร้อมส่ง", brand="Yazaki", description="Yazaki สายไฟ THW 1x4"))
    assert (thw.verdict, thw.tis_number) == (UNCERTIFIED, "11 เล่ม 3-2553")


def test_a_licensed_brand_named_only_in_the_description(matcher: Matcher) -> None:
    judged = matcher.judge(
        listing("อุปกรณ์ตู้ไฟ ราคาส่ง RCCB", brand="No Brand", description="เสือเหลือง RCCB 2P 40A 30mA")
    )
    assert (judged.verdict, judged.licence_no) == (CERTIFIED, "ท2434-68/2425")
    assert "brand_description" in codes(judged.reasons)


def test_a_brand_opening_the_description_is_checked_against_a_cited_licence(matcher: Matcher) -> None:
    """Panasonic's licence cited for a Hirano lamp (the brand opens the description) is another brand's."""
    judged = matcher.judge(
        listing(
            "หลอดไฟ ใช้ทน ประกันร้าน",
            brand="OEM",
            description="Hirano (ฮิราโนะ) หลอดไฟ LED 9W E27 ใบอนุญาตเลขที่ ท9200-3/2780",
        )
    )
    assert (judged.verdict, judged.licence_no) == (INVALID_LICENCE, "ท9200-3/2780")
    assert "licence_other_brand" in codes(judged.reasons)


def test_a_tiger_brand_is_not_a_shirt(matcher: Matcher) -> None:
    """Tone marks are folded away in matching (น็อค/น๊อค); เสือ (tiger) must not become เสื้อ (shirt)."""
    judged = matcher.judge(listing("NEW เสือเหลือง เครื่องตัดไฟรั่ว RCCB 2P 25A 10mA"))
    assert (judged.verdict, judged.tis_number) == (CERTIFIED, "2425-2560")


def test_a_short_coded_model_off_the_licence_is_uncertified(matcher: Matcher) -> None:
    verdict = matcher.judge(listing("Toshiba ปลั๊กพ่วง TS-7 4 ช่อง"))
    assert verdict.verdict == UNCERTIFIED
    assert "model_not_licensed" in codes(verdict.reasons)


def test_a_flag_from_a_search_card_alone_says_its_product_page_was_not_read(matcher: Matcher) -> None:
    judged = matcher.judge(listing("ปลั๊กพ่วง 4 ช่อง 3 เมตร", detail_page_missing="blocked"))
    assert judged.verdict == UNVERIFIABLE
    assert "detail_page_not_read" in codes(judged.reasons)
    assert (
        judged.reasons[-1].startswith("Unverifiable:")
        and "product page was not read (blocked)" in (judged.reasons[-1])
    )
    read = matcher.judge(listing("ปลั๊กพ่วง 4 ช่อง 3 เมตร"))
    assert "detail_page_not_read" not in codes(read.reasons) and judged.score < read.score


def test_a_battery_size_is_not_a_brand(matcher: Matcher) -> None:
    verdict = matcher.judge(listing("ถ่านชาร์จ AA 2500mAh แพ็ค 4 ก้อน ชาร์จได้ 1200 ครั้ง"))
    assert verdict.verdict == UNVERIFIABLE


def test_certified_by_brand_alone_when_no_model_is_given(matcher: Matcher) -> None:
    verdict = matcher.judge(listing("หมวกกันน็อค Index เต็มใบ ไซส์ L"))
    assert verdict.verdict == CERTIFIED
    assert verdict.tis_number == "369-2557"
    assert "brand_only" in codes(verdict.reasons)


@pytest.mark.parametrize(
    ("fields", "licence_no", "code"),
    [
        ({"title": "ปลั๊กพ่วง ZUNO ใบอนุญาต ท9999-1/2432"}, None, "licence_unknown"),
        # A real licence, but for fans, cited on a power strip.
        ({"title": "ปลั๊กพ่วง ZUNO ใบอนุญาต ท8000-1/934"}, "ท8000-1/934", "licence_other_standard"),
        # Another brand's licence of the right standard.
        (
            {"title": "ปลั๊กพ่วง ZUNO 4 ช่อง", "description": "ใบอนุญาต น1234-10/2432"},
            "น1234-10/2432",
            "licence_other_brand",
        ),
        ({"title": "พาวเวอร์แบงค์ Volta VP-100 ใบอนุญาต น777-3/2879"}, "น777-3/2879", "licence_suspended"),
        ({"title": "แบตสำรอง Kanto KT-200 ใบอนุญาต น๘๘๘-๔/๒๘๗๙"}, "น888-4/2879", "licence_revoked"),
        # A rice cooker that claims the hair-dryer standard.
        ({"title": "หม้อหุงข้าว Hatari HA-2626S มอก. 60335 เล่ม 2(23)-2564"}, None, "tis_claim_mismatch"),
        ({"title": "ปลั๊กพ่วง TIS 2879-2017 4 ช่อง"}, None, "tis_claim_mismatch"),
    ],
)
def test_invalid_licence(matcher: Matcher, fields: dict, licence_no: str | None, code: str) -> None:
    verdict = matcher.judge(listing(**fields))
    assert verdict.verdict == INVALID_LICENCE
    assert verdict.flagged is True
    assert verdict.licence_no == licence_no
    assert code in codes(verdict.reasons)
    assert verdict.reasons[-1].startswith("Invalid")


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"title": "ปลั๊กพ่วง ZUNO 4 ช่อง มอก.", "brand": "ZUNO"}, "brand_not_licensed"),  # unknown brand
        ({"title": "ปลั๊กพ่วง ZUNO 4 ช่อง"}, "brand_not_licensed"),  # unknown brand found in the title
        ({"title": "ปลั๊กพ่วง Toshiba รุ่น P-999"}, "model_not_licensed"),  # a model no licence lists
        ({"title": "หม้อหุงข้าว Toshiba 1.8 ลิตร"}, "brand_not_licensed"),  # brand licensed elsewhere only
        ({"title": "พาวเวอร์แบงค์ Kanto 10000mAh"}, "licence_revoked"),  # its only licence is revoked
    ],
)
def test_uncertified(matcher: Matcher, fields: dict, code: str) -> None:
    verdict = matcher.judge(listing(**fields))
    assert verdict.verdict == UNCERTIFIED
    assert verdict.flagged is True
    assert code in codes(verdict.reasons)
    assert verdict.reasons[-1].startswith("Uncertified:")


@pytest.mark.parametrize(
    "fields",
    [
        {"title": "รางปลั๊กไฟ มอก.5 ช่อง 1สวิตซ์ ยาว 3 เมตร"},  # the มอก.5 trap, nothing to check
        {"title": "พาวเวอร์แบงค์ 20000mAh มีมอก.", "brand": "No Brand"},
        {"title": "หลอดไฟ LED 12W แสงขาว", "brand": "OEM"},
    ],
)
def test_unverifiable(matcher: Matcher, fields: dict) -> None:
    verdict = matcher.judge(listing(**fields))
    assert verdict.verdict == UNVERIFIABLE
    assert verdict.flagged is True
    assert verdict.tis_number is not None
    assert "nothing_to_check" in codes(verdict.reasons)


@pytest.mark.parametrize(
    "title", ["เคสพาวเวอร์แบงค์ Eloop", "ขวดนม คอกว้าง 8oz", "ที่ปิดรูปลั๊กไฟ กันเด็ก", "เสื้อยืด Toshiba"]
)
def test_not_regulated(matcher: Matcher, title: str) -> None:
    verdict = matcher.judge(listing(title))
    assert verdict.verdict == NOT_REGULATED
    assert verdict.flagged is False
    assert verdict.tis_number is None and verdict.licence_no is None
    assert verdict.reasons[-1].startswith("Not regulated")


def test_led_lamp_may_claim_the_lighting_emc_standard(matcher: Matcher) -> None:
    verdict = matcher.judge(listing("หลอดไฟ LED Panasonic LDA-12 มอก.1955-2551"))
    assert verdict.verdict == CERTIFIED


def test_verdict_dict_follows_the_contract(matcher: Matcher) -> None:
    data = matcher.judge(listing("ปลั๊กพ่วง Toshiba P-404", listing_id=42)).to_dict()
    assert list(data) == ["listing_id", "verdict", "flagged", "tis_number", "licence_no", "score", "reasons"]
    assert data["listing_id"] == "42"
