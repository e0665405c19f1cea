"""Whether two product records are the same product: the pair matcher.

Records are English or Thai product records (title, brand, model, description, price); `features`
compares two of them, `predict` scores a pair with the fitted logistic weights, and `decide` keeps a
pair when it scores at least the threshold and is the best candidate of both its records (one product
matches one product). How a pair is scored:
- model codes: tokens mixing letters and digits (`pslx350h`, `dsc-h50`, `f3h982-10`) of the title and
  model columns, compared without separators. The same code on both sides is the strongest signal
  (compared on each side's most specific code, so `dvp-fx820` does not settle `dvpfx820/w`); a code
  found inside the other's compacted title (`ps lx350h`, brand-prefixed `dei14230`) or description
  counts too; same digits with letters added or changed (`tc60i`/`tc60iw`) is a variant; a code of
  the same family with other digits (`ln46a650`/`ln46a860`) is a conflict; model codes that share
  nothing count against the pair, a model code against a part or catalogue number (`h890` vs
  `966193-0403`, two numbering schemes) much less;
- word rarity (IDF over both tables, computed at run time — no labels): IDF-weighted cosine of the
  titles' words, and the rarity of the rarest word of one title found in the other, which lets
  alphabetic model names (`roomgroove`, `lcscst`) count like codes;
- brand agreement (the brand column, else the first word of the title), rapidfuzz title similarity,
  colours named on both sides that disagree, numbers outside codes that disagree (`office 2007` vs
  `2003`), and the price ratio when both sides have a price.
The features are combined by a logistic model whose weights (DEFAULT_WEIGHTS) and threshold
(DEFAULT_THRESHOLD) were fitted by `python -m benchmarks.pairs --fit ../shared/bench/abt_buy/train.csv`
(the Abt-Buy train split only); the benchmark command and the fitting live in `benchmarks/pairs.py`.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from rapidfuzz import fuzz, utils

# Fitted with `python -m benchmarks.pairs --fit ../shared/bench/abt_buy/train.csv` (the train split
# only; see benchmarks.pairs.fit_weights).
DEFAULT_WEIGHTS = (
    -11.399,  # bias
    3.614,  # code_same
    1.261,  # code_same_base
    2.074,  # code_contained
    4.663,  # code_in_description
    -0.657,  # code_variant
    -2.932,  # code_conflict
    -3.925,  # code_unrelated
    -1.201,  # code_other_kind
    0.655,  # brand_agrees
    2.829,  # title_token_set
    -1.828,  # title_ratio
    2.208,  # idf_cosine
    10.160,  # rarest_shared
    0.065,  # numbers_disjoint
    -3.628,  # colour_conflict
    -0.934,  # price_far
)
DEFAULT_THRESHOLD = 0.43
_TOKEN = re.compile(r"[a-z0-9][a-z0-9\-/.]*[a-z0-9]|[a-z0-9]")
_NOT_ALNUM = re.compile(r"[^a-z0-9]")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")

# Numbers with a unit are specifications, not model codes (`1080p`, `500gb`, `12volt`).
_SPEC = re.compile(
    r"^\d+(?:gb|tb|mb|p|i|mm|cm|in|inch|ft|w|watt|watts|v|volt|hz|khz|mhz|ghz|x|mp|lb|lbs|oz|ms|k|rpm|mah|db|th|nd|rd|st|s)$"
)
# Written specifications: `2-line`, `24-port`, `10/100`, `1920x1080`, `5.1`.
_SPEC_TOKEN = re.compile(r"^\d+-[a-z]{3,}$|^\d+(?:/\d+)+$|^\d+x\d+$|^\d+\.\d+$")
_COLOURS = frozenset(
    [
        "black",
        "white",
        "silver",
        "red",
        "blue",
        "pink",
        "green",
        "gold",
        "grey",
        "gray",
        "brown",
        "purple",
        "yellow",
        "orange",
        "beige",
        "bronze",
        "titanium",
        "graphite",
        "charcoal",
        "ivory",
        "plum",
        "crimson",
        "cobalt",
        "navy",
    ]
)


@dataclass(frozen=True)
class Record:
    id: str
    title: str
    brand: str
    price: float | None
    tokens: frozenset[str]
    """Title and model tokens, separators removed (`dvp-fx820` → `dvpfx820`)."""
    codes: frozenset[str]
    """Model codes of the title and model columns, separators removed."""
    specific: frozenset[str]
    """The codes that do not go on to a longer code of the record (`dvpfx820/w`, not `dvp-fx820`)."""
    compact: str
    """Title and model, letters and digits only (for containment tests)."""
    description: str
    """Description, letters and digits only."""
    numbers: frozenset[str]
    colours: frozenset[str]


def _is_code(token: str) -> bool:
    if _SPEC.match(token):
        return False
    letters = sum(ch.isalpha() for ch in token)
    digits = sum(ch.isdigit() for ch in token)
    return (digits >= 1 and letters >= 1 and len(token) >= 4) or (digits >= 4 and len(token) >= 5)


def _digits(code: str) -> str:
    return "".join(ch for ch in code if ch.isdigit())


def _codes(tokens: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for token in tokens:
        if _SPEC_TOKEN.match(token):
            continue
        compact = _NOT_ALNUM.sub("", token)
        if _is_code(compact):
            found.add(compact)
    return found


def _numbers(tokens: Iterable[str]) -> set[str]:
    """Numbers outside model codes (`890` in `harmony 890`, `5.6` in `5.6 cu.ft`, `46` in `46-inch`)."""
    found: set[str] = set()
    for token in tokens:
        if _SPEC_TOKEN.match(token) or not _is_code(_NOT_ALNUM.sub("", token)):
            found.update(number.lstrip("0") or "0" for number in _NUMBER.findall(token))
    return found


def _price(text: str) -> float | None:
    try:
        value = float(re.sub(r"[^0-9.]", "", text or ""))
    except ValueError:
        return None
    return value if value > 0 else None


def make_record(record_id: str, values: Mapping[str, str]) -> Record:
    """A record from its attributes by role (`title`, `brand`, `model`, `description`, `price`)."""
    title = values.get("title", "")
    model = values.get("model", "")
    lower = f"{title} {model}".lower()
    raw_tokens = _TOKEN.findall(lower)
    tokens = {_NOT_ALNUM.sub("", token) for token in raw_tokens}
    brand = values.get("brand", "").lower() or (title.lower().split()[:1] or [""])[0]
    codes = _codes(raw_tokens)
    return Record(
        id=record_id,
        title=title,
        brand=brand,
        price=_price(values.get("price", "")),
        tokens=frozenset(tokens),
        codes=frozenset(codes),
        specific=frozenset(c for c in codes if not any(o != c and o.startswith(c) for o in codes)),
        compact=_NOT_ALNUM.sub("", lower),
        description=_NOT_ALNUM.sub("", values.get("description", "").lower()),
        numbers=frozenset(_numbers(_TOKEN.findall(title.lower()))),
        colours=frozenset(tokens & _COLOURS),
    )


@dataclass(frozen=True)
class Corpus:
    """Word rarity over both tables: a word two records share says more the fewer records have it.

    IDF, scaled to 0–1 by the IDF of a word no record has, so that features built on it mean the same
    on small and large tables."""

    idf: dict[str, float]

    @classmethod
    def of(cls, *tables: dict[str, Record]) -> Corpus:
        counts: Counter[str] = Counter()
        for table in tables:
            for record in table.values():
                counts.update(record.tokens)
        size = sum(len(table) for table in tables) + 1
        return cls({token: math.log(size / count) / math.log(size) for token, count in counts.items()})

    def weight(self, token: str) -> float:
        return self.idf.get(token, 1.0)


class CodeAgreement(NamedTuple):
    """How the model codes of two records relate (one feature each)."""

    same: bool  # a code on both sides, the most specific one of each (`dvpfx820` = `dvp-fx820`)
    same_base: bool  # a shared code, but one side goes on to a longer one (`dvpfx820` vs `dvpfx820/w`)
    contained: bool  # a code inside the other's compacted title (`dmrea38vk` in `dmr ea38vk`)
    in_description: bool  # a code found only in the other's description
    variant: bool  # same digits, letters added or changed (`tc60i` ~ `tc60iw`, `scd382` ~ `scdc382`)
    conflict: bool  # same family, other digits (`ln46a650` vs `ln46a860`)
    unrelated: bool  # model codes on both sides, none of the same family (`mdrex85lp` vs `dsct300`)
    other_kind: bool  # a model code against a part or catalogue number only (`h890` vs `966193-0403`)


FEATURES = (
    "bias",
    *(f"code_{name}" for name in CodeAgreement._fields),
    "brand_agrees",
    "title_token_set",
    "title_ratio",
    "idf_cosine",
    "rarest_shared",
    "numbers_disjoint",
    "colour_conflict",
    "price_far",
)


def _code_agreement(left: Record, right: Record) -> CodeAgreement:
    """Containment tests look at all codes; how two different codes relate, at the specific ones."""
    shared = left.codes & right.codes
    same = bool(left.specific & right.specific)
    contained = not shared and any(
        len(c) >= 5 and c in other.compact
        for codes, other in ((left.codes, right), (right.codes, left))
        for c in codes
    )
    in_description = (
        not shared
        and not contained
        and any(
            len(c) >= 5 and c in other.description
            for codes, other in ((left.codes, right), (right.codes, left))
            for c in codes
        )
    )
    variant = conflict = related = False
    for a in left.specific:
        for b in right.specific:
            if a == b:
                related = True
            elif _digits(a) == _digits(b):
                related = variant = True
            elif _family(a) == _family(b):
                related = conflict = True
    unrelated = other_kind = False
    if left.codes and right.codes and not (related or shared or contained):
        # Shops label a product by its model code (letters first) or by a part, catalogue or UPC
        # number (digits first); two model codes that disagree say more than two kinds of number.
        unrelated = any(c[0].isalpha() for c in left.codes) and any(c[0].isalpha() for c in right.codes)
        other_kind = not unrelated
    return CodeAgreement(
        same=same,
        same_base=bool(shared) and not same,
        contained=contained,
        in_description=in_description,
        variant=variant,
        conflict=conflict,
        unrelated=unrelated,
        other_kind=other_kind,
    )


def _family(code: str) -> str:
    """Codes of one family share their leading letters (`dscw150`, `dscw170`) or, all digits, their shape."""
    head = re.match(r"[a-z]+", code)
    if head:
        return head.group()
    return re.sub(r"[a-z]+", "a", re.sub(r"\d", "9", code))


def _idf_cosine(left: Record, right: Record, corpus: Corpus) -> float:
    shared = sum(corpus.weight(t) ** 2 for t in left.tokens & right.tokens)
    if not shared:
        return 0.0
    norm_l = sum(corpus.weight(t) ** 2 for t in left.tokens)
    norm_r = sum(corpus.weight(t) ** 2 for t in right.tokens)
    return shared / math.sqrt(norm_l * norm_r)


def _rarest_shared(left: Record, right: Record, corpus: Corpus) -> float:
    """Rarity of the rarest word of one title found in the other (whole, or inside its compacted text:
    `ulpt-l` in `…ulptlbk`), so that alphabetic model names (`roomgroove`, `lcscst`) count too."""
    best = 0.0
    for token in left.tokens & right.tokens:
        best = max(best, corpus.weight(token))
    for tokens, other in ((left.tokens, right), (right.tokens, left)):
        for token in tokens:
            if len(token) >= 5 and token in other.compact:
                best = max(best, corpus.weight(token))
    return best


def _brand_agrees(record: Record, other: Record) -> bool:
    """The record's brand is the other's, or is written in the other's title (`case logic`)."""
    if not record.brand:
        return False
    return record.brand == other.brand or f" {record.brand} " in f" {other.title.lower()} "


def features(left: Record, right: Record, corpus: Corpus) -> list[float]:
    codes = _code_agreement(left, right)
    brand = _brand_agrees(left, right) or _brand_agrees(right, left)
    left_title, right_title = utils.default_process(left.title), utils.default_process(right.title)
    token_set = fuzz.token_set_ratio(left_title, right_title) / 100.0
    ratio = fuzz.ratio(left_title, right_title) / 100.0
    numbers_disjoint = bool(left.numbers and right.numbers and not left.numbers & right.numbers)
    colour_conflict = bool(left.colours and right.colours and not left.colours & right.colours)
    price_far = 0.0
    if left.price and right.price:
        price_far = min(abs(math.log(left.price / right.price)), 2.0)
    return [
        1.0,
        *(float(flag) for flag in codes),
        float(brand),
        token_set,
        ratio,
        _idf_cosine(left, right, corpus),
        _rarest_shared(left, right, corpus),
        float(numbers_disjoint),
        float(colour_conflict),
        price_far,
    ]


def _sigmoid(value: float) -> float:
    if value < -30:
        return 0.0
    if value > 30:
        return 1.0
    return 1.0 / (1.0 + math.exp(-value))


def predict(weights: Sequence[float], row: Sequence[float]) -> float:
    return _sigmoid(sum(w * x for w, x in zip(weights, row, strict=True)))


def best_of_both(pairs: list[tuple[str, str]], scores: list[float]) -> list[bool]:
    """Whether each pair is the best-scoring candidate of its left record and of its right (ties kept):
    one product matches one product, so a record's weaker candidates lose to its best one."""
    best_left: dict[str, float] = {}
    best_right: dict[str, float] = {}
    for (left, right), score in zip(pairs, scores, strict=True):
        best_left[left] = max(best_left.get(left, 0.0), score)
        best_right[right] = max(best_right.get(right, 0.0), score)
    return [
        score >= best_left[left] - 1e-9 and score >= best_right[right] - 1e-9
        for (left, right), score in zip(pairs, scores, strict=True)
    ]


def decide(pairs: list[tuple[str, str]], scores: list[float], threshold: float) -> list[int]:
    """Match = above threshold and the best candidate of both its records."""
    best = best_of_both(pairs, scores)
    return [int(b and score >= threshold) for b, score in zip(best, scores, strict=True)]
