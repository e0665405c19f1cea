"""Thai text normalisation: one clean form of what sellers type."""

from __future__ import annotations

import pytest

from matchers.normalize import match_key, normalize_text


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("มอก.๒๔๓๒-๒๕๕๕", "มอก.2432-2555"),  # Thai digits
        ("ปลั๊ก\u200bพ่วง", "ปลั๊กพ่วง"),  # zero-width space
        ("ＳＨＡＲＰ　ＦＰ－Ｊ３０ＴＡ", "SHARP FP-J30TA"),  # full-width letters, digits, space, dash
        ("【ประกันศูนย์】 พัดลม", "[ประกันศูนย์] พัดลม"),  # full-width brackets
        ("🔥ขายดี🔥 เตารีด ✨", "ขายดี เตารีด"),  # emoji are separators, then dropped
        ("เเปลก", "แปลก"),  # two sara e typed for sara ae
        ("น้ำมันเครื่อง", "น้ำมันเครื่อง"),  # sara am survives NFKC
        ("  ปลั๊กไฟ \t  3   ช่อง ", "ปลั๊กไฟ 3 ช่อง"),
        ("ท๔๐๘๐–๕๑/๒๔๓๒", "ท4080-51/2432"),  # en dash
    ],
)
def test_normalize_text(raw: str, clean: str) -> None:
    assert normalize_text(raw) == clean


@pytest.mark.parametrize("value", [None, 12, 3.5, ["a"], {"k": "v"}, b"bytes"])
def test_normalize_text_takes_any_value(value: object) -> None:
    assert isinstance(normalize_text(value), str)


@pytest.mark.parametrize(
    "variants",
    [
        ("หมวกกันน็อค", "หมวกกันน๊อค", "หมวกกันนอค"),  # misplaced or missing tone marks
        ("ปลั๊กสามตา พ่วง", "ปลั๊กสามตาพ่วง", "ปลั๊กสามตา  พ่วง"),  # spacing inside a Thai phrase
        ("สวิตช์", "สวิตช"),  # thanthakhat dropped
    ],
)
def test_match_key_folds_spelling_variants(variants: tuple[str, ...]) -> None:
    assert len({match_key(v) for v in variants}) == 1


def test_match_key_keeps_spaces_between_latin_words() -> None:
    assert match_key("Power Bank ZUNO") == "power bank zuno"
    assert match_key("ZUNOพาวเวอร์แบงค์") == "zunoพาวเวอรแบงค"
