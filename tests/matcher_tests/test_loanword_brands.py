"""Registry brands made of English words (labelled set H, 77 listings written without reading the
matcher, measured these classes): a two-word brand opened by a common word (`Super Falcon`, `Baby
Moose`) is that brand when the listing names it whole, not the second word's brand or none; and a brand
written in Thai the way Thai writes English loanwords — British, so a word's final r and the e of -re
are not heard (`Master Art` มาสเตอร์อาร์ต, `Thai Copper Wire` ไทยคอปเปอร์ไวร์) — sounds like its Latin
name. Registry: data/registry_loanwords.csv (invented)."""

from __future__ import annotations

from pathlib import Path

import pytest

from matchers.brands import romanize_thai, sounds_like
from matchers.matcher import Matcher
from matchers.verdict import CERTIFIED, UNCERTIFIED
from standards_data.registry import read_registry_csv
from tests.matcher_tests.conftest import listing

REGISTRY = Path(__file__).parent / "data" / "registry_loanwords.csv"


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(read_registry_csv(REGISTRY))


@pytest.mark.parametrize(
    ("title", "licence_no"),
    [
        ("พาวเวอร์แบงค์ Super Falcon SF-20 20000mAh", "ท5201-64/2879"),
        ("SUPER FALCON แบตสำรอง SF-10 10000mAh ชาร์จเร็ว", "ท5201-64/2879"),
        ("จุกนม Baby Moose BM-1 ไซส์ S", "ท5202-64/969"),
        ("พาวเวอร์แบงค์ Falcon FC-1 5000mAh", "ท5205-65/2879"),
    ],
)
def test_a_two_word_brand_opened_by_a_common_word_is_that_brand(
    matcher: Matcher, title: str, licence_no: str
) -> None:
    verdict = matcher.judge(listing(title))
    assert (verdict.verdict, verdict.licence_no) == (CERTIFIED, licence_no), verdict.reasons


def test_a_common_word_before_another_brand_does_not_make_a_two_word_brand(matcher: Matcher) -> None:
    # `Super` + `Falcon` is a registry brand; `Super Moose` is not, and `Super` is no brand: the
    # listing names Baby Moose's second word only, under another standard — not certified.
    verdict = matcher.judge(listing("พาวเวอร์แบงค์ Super Moose SM-9 10000mAh"))
    assert verdict.verdict != CERTIFIED, verdict.reasons


def test_a_registry_brand_whose_model_is_not_listed_stays_uncertified(matcher: Matcher) -> None:
    verdict = matcher.judge(listing("พาวเวอร์แบงค์ Super Falcon SF-99 20000mAh"))
    assert verdict.verdict == UNCERTIFIED, verdict.reasons


@pytest.mark.parametrize(
    ("thai", "latin"),
    [
        ("มาสเตอร์อาร์ต", "Master Art"),
        ("ไทยคอปเปอร์ไวร์", "Thai Copper Wire"),
        ("คอปเปอร์โอเชียน", "Copper Ocean"),
        ("โตชิบา", "Toshiba"),
        ("ช็อปเปอร์", "Shopper"),  # ็อ: English short o (set I's class)
        ("ด็อกช็อป", "Dock Shop"),
    ],
)
def test_a_loanword_brand_in_thai_sounds_like_its_latin_name(thai: str, latin: str) -> None:
    assert sounds_like(thai, latin) > 0


@pytest.mark.parametrize(
    ("thai", "latin"),
    [
        ("มาสเตอร์อาร์ต", "Mister Hot"),
        ("ไทยคอปเปอร์ไวร์", "Tiger Power"),
        ("โตชิบา", "Hitachi"),
        ("ช็อปเปอร์", "Hopper"),
    ],
)
def test_other_brands_do_not_sound_alike(thai: str, latin: str) -> None:
    assert sounds_like(thai, latin) == 0


@pytest.mark.parametrize(
    ("title", "licence_no"),
    [
        ("ปลั๊กพ่วง มาสเตอร์อาร์ต MA-4 4 ช่อง 3 เมตร", "ท5203-65/2432"),
        ("ปลั๊กพ่วง ไทยคอปเปอร์ไวร์ TCW-3 3 ช่อง 5 เมตร", "ท5204-65/2432"),
    ],
)
def test_a_loanword_brand_written_in_thai_is_matched(matcher: Matcher, title: str, licence_no: str) -> None:
    verdict = matcher.judge(listing(title))
    assert (verdict.verdict, verdict.licence_no) == (CERTIFIED, licence_no), verdict.reasons


@pytest.mark.parametrize(
    "title",
    ["หมวกกันน็อค บิ๊ก ไรเดอร์ เต็มใบ ไซส์ L", "หมวกกันน็อค บิ๊กไรเดอร์ เต็มใบ ไซส์ L"],
)
def test_a_two_word_brand_written_in_thai_with_or_without_its_space_is_matched(
    matcher: Matcher, title: str
) -> None:
    # No model stated (a model code alone would name the brand): the brand must be read from the words.
    verdict = matcher.judge(listing(title))
    assert verdict.verdict == CERTIFIED, verdict.reasons
    assert "Big Rider" in verdict.reasons[-1]


def test_two_ordinary_thai_words_side_by_side_are_no_brand(matcher: Matcher) -> None:
    verdict = matcher.judge(listing("หมวกกันน็อค ครึ่ง ใบ ชิลด์ ใส ไซส์ L"))
    assert verdict.verdict != CERTIFIED, verdict.reasons


@pytest.mark.parametrize(
    ("thai", "romanized"),
    [("ท็อป", "thop"), ("ช็อป", "chop"), ("แม็กซ์", "maek"), ("เจ็ท", "chet"), ("เซ็นทรัล", "sentran")],
)
def test_the_short_vowel_mark_is_read_not_left_in_the_romanisation(thai: str, romanized: str) -> None:
    # pythainlp's royin leaves ็ in its output before อ and drops the vowel (`th็p`).
    assert romanize_thai(thai) == romanized
