"""Rule: a listing that names a regulated product but is not that product is `not_regulated`:
- a service or guide about it (a service word before the product word: `รับติดตั้งเครื่องทำน้ำอุ่น`);
- something for or of it (another word glued before the product word — in Thai the head noun comes
  first, so `สเปรย์ทำความสะอาดหมวกกันน็อค` is a spray, `ฐานรองตู้เย็น` a stand, `ทรงหลอดไฟ` a shape);
- an item for display or that does not work as the product (`ของเก่า`, `ใช้งานไม่ได้`);
- text that quotes the product word (a sign or sticker: `ป้ายไม้ "ปลั๊กพ่วง มีมอก."`);
- a vehicle or 12/24 V version of a product whose standard covers mains equipment only
  (`หลอดไฟหน้ารถ H4 12V` is no self-ballasted mains lamp).
The words are data (`standards_data/wordlists/`: service_markers, neutral_title_words,
display_only_markers, low_voltage_markers, mains_only_standards); the rule is the grammar around them.
"""

from __future__ import annotations

import re
from functools import cache

from matchers.brands import PROMOTION_WORDS
from matchers.case import Case
from matchers.context import MatchContext
from matchers.normalize import fold_thai, match_key
from matchers.standards import standard_base
from matchers.tokenize import SELLER_WORDS
from matchers.trie import trie_pattern
from matchers.verdict import NOT_REGULATED, Verdict
from matchers.vocabulary import PRODUCT
from standards_data.wordlists import load_wordlist

NOT_THE_PRODUCT_SCORE = 80.0
_THAI = re.compile(r"[\u0e01-\u0e4e]+")
# Text in quotation marks (normalised: curly quotes are straight ones by then).
_QUOTED = re.compile(r'"[^"]+"')


@cache
def _markers(name: str) -> re.Pattern[str]:
    keys = {match_key(word) for word in load_wordlist(name)}
    # Latin markers stand alone (`car` is not in `carbon`); Thai ones are parts of longer runs.
    return re.compile(r"(?<![a-z0-9])(?:" + trie_pattern(keys) + ")")


@cache
def _neutral_words() -> re.Pattern[str]:
    words = {match_key(w) for w in (*load_wordlist("neutral_title_words"), *SELLER_WORDS, *PROMOTION_WORDS)}
    # One pass, longest word first at each position (a trie pattern), instead of one replace per word.
    return re.compile(trie_pattern((w for w in words if w and not w.isascii()), lambda _: ""))


@cache
def _mains_only() -> frozenset[str]:
    return load_wordlist("mains_only_standards")


def judge(case: Case, ctx: MatchContext) -> Verdict | None:
    found, facts = case.found, case.facts
    if not found.regulated or found.tis_number is None:
        return None
    title_key = facts.title_key
    product_at = _first_product_word(ctx, title_key)
    why: tuple[str, str] | None = None
    service = _markers("service_markers").search(title_key)
    if service and product_at is not None and service.start() < product_at:
        why = ("service_not_product", f"'{service.group(0)}' before the product word: a service or guide")
    elif product_at is not None and any(
        q.start() < product_at < q.end() for q in _QUOTED.finditer(title_key)
    ):
        why = ("quoted_text", f"'{found.term}' is quoted: words printed on the item, not the item")
    elif display := _markers("display_only_markers").search(title_key):
        why = ("display_only", f"'{display.group(0)}': for display or not working as a {found.term}")
    elif standard_base(found.tis_number) in _mains_only() and (
        low := _markers("low_voltage_markers").search(title_key)
    ):
        why = ("low_voltage_or_vehicle", f"'{low.group(0)}': มอก. {found.tis_number} covers mains equipment")
    elif product_at and (head := _head_before_product(ctx, facts.title)):  # 0: the title opens with it
        why = ("accessory_of_product", f"'{head}' before '{found.term}': an item for or of it")
    if why is None:
        return None
    code, detail = why
    case.reasons.add(code, detail)
    case.reasons.sentence = (
        f"Not regulated: the listing names '{found.term}' (มอก. {found.tis_number}) but is not that product."
    )
    return Verdict(case.listing_id, NOT_REGULATED, None, None, NOT_THE_PRODUCT_SCORE, case.reasons.render())


def _inside_quotes(key_text: str, position: int) -> bool:
    return any(quoted.start() < position < quoted.end() for quoted in _QUOTED.finditer(key_text))


def _first_product_word(ctx: MatchContext, key_text: str) -> int | None:
    for hit in ctx.vocabulary.find_terms(key_text):
        if hit.term.kind == PRODUCT:
            return hit.start
    return None


def _head_before_product(ctx: MatchContext, title: str) -> str:
    """The Thai word glued before the title's first product word, when it is not a neutral word."""
    for run in title.split():
        run_key = fold_thai(run.lower())
        start = _first_product_word(ctx, run_key)
        if start is None:
            continue
        if start and (brand := ctx.lexicon.leading_thai_brand(run)):
            # A brand's Thai form glued before the product word names whose product it is (`ซันเวฟพัดลม`).
            run_key = fold_thai(run[len(brand) :].lower())
            start = _first_product_word(ctx, run_key)
            if start is None:
                continue
        before = _neutral_words().sub("", "".join(_THAI.findall(run_key[:start])))
        return before if len(before) >= 2 else ""
    return ""
