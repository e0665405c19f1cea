"""Keyword plans from the standards' product vocabulary."""

from __future__ import annotations

import pytest

from crawler.keywords import KeywordPlanError, keyword_plan, resolve_standards, split_argument


class FakeVocabulary:
    def __init__(self, keywords: dict[str, list[str]]) -> None:
        self.keywords = keywords

    def search_keywords(self, standards=None):
        if standards is None:
            return dict(self.keywords)
        return {number: words for number, words in self.keywords.items() if number in set(standards)}


VOCABULARY = FakeVocabulary(
    {
        "2432-2555": ["ปลั๊กพ่วง", "รางปลั๊กไฟ", "ปลั๊กไฟ"],
        "166-2549": ["เต้ารับ", "ปลั๊กไฟ"],
        "2879-2560": ["พาวเวอร์แบงค์", "แบตสำรอง"],
        "685 เล่ม 1-2562": ["ไฟแต่งรถ"],
    }
)


def test_default_plan_is_every_keyword_once_with_all_its_standards():
    plan = keyword_plan(vocabulary=VOCABULARY)
    assert [p.keyword for p in plan] == [
        "ปลั๊กพ่วง",
        "รางปลั๊กไฟ",
        "ปลั๊กไฟ",
        "เต้ารับ",
        "พาวเวอร์แบงค์",
        "แบตสำรอง",
        "ไฟแต่งรถ",
    ]
    assert dict((p.keyword, p.standards) for p in plan)["ปลั๊กไฟ"] == ("2432-2555", "166-2549")


def test_standards_argument_selects_standards():
    plan = keyword_plan(standards="2432-2555,2879-2560", vocabulary=VOCABULARY)
    assert [p.keyword for p in plan] == ["ปลั๊กพ่วง", "รางปลั๊กไฟ", "ปลั๊กไฟ", "พาวเวอร์แบงค์", "แบตสำรอง"]


def test_standards_written_as_sellers_write_them_resolve():
    known = ["2432-2555", "166-2549", "685 เล่ม 1-2562"]
    assert resolve_standards(["2432-2012"], known) == ["2432-2555"]  # AD year
    assert resolve_standards(["มอก. 2432"], known) == ["2432-2555"]  # no year
    assert resolve_standards(["๑๖๖-๒๕๔๙"], known) == ["166-2549"]  # Thai digits
    assert resolve_standards(["685 เล่ม 1-2562"], known) == ["685 เล่ม 1-2562"]


def test_unknown_standard_is_an_error_naming_it():
    with pytest.raises(KeywordPlanError, match="9999-2560"):
        keyword_plan(standards="2432-2555,9999-2560", vocabulary=VOCABULARY)


def test_explicit_keywords_and_limits():
    plan = keyword_plan(keywords="ปลั๊กพ่วง, หมวกกันน็อค,,ปลั๊กพ่วง", vocabulary=VOCABULARY)
    assert [(p.keyword, p.standards) for p in plan] == [("ปลั๊กพ่วง", ()), ("หมวกกันน็อค", ())]
    assert len(keyword_plan(max_keywords=2, vocabulary=VOCABULARY)) == 2


def test_split_argument():
    assert split_argument(" a, b;c\n,") == ["a", "b", "c"]
    assert split_argument(None) == []


def test_bundled_vocabulary_gives_thai_keywords_for_the_power_strip_standard():
    plan = keyword_plan(standards="2432-2555")
    assert plan, "the bundled vocabulary has keywords for 2432-2555"
    assert all("2432-2555" in p.standards for p in plan)
    assert any("ปลั๊ก" in p.keyword for p in plan)
