"""Code extraction: TIS numbers, licence numbers and model codes in every form sellers write them."""

from __future__ import annotations

import pytest

from matchers.extract import (
    extract_licence_numbers,
    extract_model_codes,
    extract_tis_claims,
    licensed_model_in_text,
    strip_codes,
    to_buddhist_year,
)
from matchers.normalize import normalize_text


def claims(text: str) -> list[str]:
    return [c.describe() for c in extract_tis_claims(normalize_text(text))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("มอก.2432-2555", ["2432-2555"]),
        ("มอก. 2432 - 2555", ["2432-2555"]),
        ("มอก 2432/2555", ["2432-2555"]),
        ("ผ่านมอก.๒๔๓๒-๒๕๕๕", ["2432-2555"]),
        ("TIS 2432-2012", ["2432-2555"]),  # AD year
        ("tis 366-2004", ["366-2547"]),
        ("มอก. 685", ["685"]),  # base only
        ("มอก. 685 เล่ม 1-2562", ["685 เล่ม 1-2562"]),
        ("มอก.685เล่ม1", ["685 เล่ม 1"]),
        ("TIS 60335 Part 2(23)-2021", ["60335 เล่ม 2(23)-2564"]),
        ("มอก. 60335 เล่ม ๒(๖๕)-๒๕๖๔", ["60335 เล่ม 2(65)-2564"]),
        ("IEC style มอก. 60335-2-23", ["60335 เล่ม 2(23)"]),
        ("ม.อ.ก. 27-2543", ["27-2543"]),
        ("มาตรฐาน มอก.: 1039", ["1039"]),
    ],
)
def test_tis_numbers(text: str, expected: list[str]) -> None:
    assert claims(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "รางปลั๊กไฟ มอก.5 ช่อง 1สวิตซ์",  # certified, 5 sockets
        "ปลั๊กไฟ มอก.3 ช่อง",
        "ปลั๊กไฟ มอก. 3680W 6 ช่อง",  # a wattage
        "ปลั๊กพ่วง มอก. 3 เมตร",
        "มีมอก.",
        "ปลั๊กไฟ มอก. สายยาว",
    ],
)
def test_quantities_and_bare_marks_are_bare_claims(text: str) -> None:
    found = extract_tis_claims(normalize_text(text))
    assert found and all(claim.is_bare for claim in found)


def test_fog_is_not_a_tis_mark() -> None:
    assert extract_tis_claims("กรองฝุ่น หมอกควัน PM2.5") == []


def test_buddhist_year() -> None:
    assert to_buddhist_year(2012) == 2555
    assert to_buddhist_year(2555) == 2555


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ใบอนุญาตเลขที่ ท4080-51/2432", ["ท4080-51/2432"]),
        ("ใบอนุญาต ท๔๐๘๐-๕๑/๒๔๓๒", ["ท4080-51/2432"]),
        ("(3)ท1021-49/1040", ["(3)ท1021-49/1040"]),
        ("( ๓ ) ท ๑๐๒๑ - ๔๙ / ๑๐๔๐", ["(3)ท1021-49/1040"]),
        ("License No. น9639-67/1039 และ ส12-3/166", ["น9639-67/1039", "ส12-3/166"]),
        ("นค5-1/2879", ["นค5-1/2879"]),
        ("มอก. 2432-2555 ขนาด 3-5/10 เมตร", []),
    ],
)
def test_licence_numbers(text: str, expected: list[str]) -> None:
    assert [lic.licence_no for lic in extract_licence_numbers(normalize_text(text))] == expected


def test_licence_tis_base() -> None:
    (licence,) = extract_licence_numbers("ท4080-51/2432")
    assert licence.tis_base == "2432"


@pytest.mark.parametrize("text", ["รุ่น P-404", "P404", "p 404", "รุ่นP404", "Model: p-404", "ปลั๊ก P-404 สีขาว"])
def test_model_variants_share_a_key(text: str) -> None:
    assert [m.key for m in extract_model_codes(normalize_text(text))] == ["P404"]


@pytest.mark.parametrize(
    "text",
    ["E27 12W", "HEPA H13", "PM2.5", "PD 20W", "10000mAh", "USB 3000", "Haco 100 สี", "2P 63A 30mA", "SPF50"],
)
def test_sizes_and_units_are_not_models(text: str) -> None:
    assert extract_model_codes(normalize_text(text)) == []


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("ไฟแช็ค Flik FL-5 ไฟฟู่", ["FL5"]),  # one digit, written as a code
        ("Lumenix LX-20W หลอดไฟ LED 20W", ["LX20W"]),  # a coded unit-like suffix is still the model
        ("Thunderbird RCBO TB-RCBO16 16A", ["TBRCBO16"]),  # a four-letter segment
        ("หลอดไฟ T-8 18W", []),  # one letter and one digit: a tube size
        ("สายชาร์จ PD-20W", []),  # PD is a protocol, not a model prefix
    ],
)
def test_coded_models_with_short_digits_or_unit_suffixes(text: str, keys: list[str]) -> None:
    assert [m.key for m in extract_model_codes(normalize_text(text))] == keys


@pytest.mark.parametrize(
    ("models", "text", "found"),
    [
        ({"VT506U"}, "Voltraปลั๊กสามตา vt 506u 3USB", "vt 506u"),
        ({"BW2"}, "bolta สวิตซ์สองทาง bw2 แพ็ค 5 ตัว", "bw2"),
        ({"CM18650", "CM1865030"}, "ถ่านชาร์จ CellMax CM-18650-30 3000mAh", "CM-18650-30"),
        ({"BW2"}, "Bolta BW-25 สวิตช์", ""),  # not inside a longer code
        ({"A1"}, "รุ่น A1 สีขาว", ""),  # too short to be searched for
    ],
)
def test_a_licensed_model_is_found_in_text_however_it_is_spaced(
    models: set[str], text: str, found: str
) -> None:
    assert licensed_model_in_text(models, normalize_text(text)) == found


def test_model_after_the_model_word_is_marked() -> None:
    codes = extract_model_codes("สีเทียน HACO รุ่น HA 8176 กล่อง 6 แท่ง")
    assert [(c.key, c.after_model_word) for c in codes] == [("HA8176", True)]


def test_claims_and_licences_are_not_read_as_models() -> None:
    text = normalize_text("ปลั๊ก TIS 2432-2012 ใบอนุญาต ท4080-51/2432 รุ่น AS551")
    assert [m.key for m in extract_model_codes(strip_codes(text))] == ["AS551"]
