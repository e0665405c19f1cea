"""Are two product records the same product? A learned pair matcher over similarity features.

Used to find the same product sold twice (one case per product across platforms, `pipelines/cases.py`) and
measured on the public entity-matching benchmarks (`python -m benchmarks.bench_pairs`).

A record is a mapping of roles — `title`, `brand`, `model`, `description`, `category`, `price` — to text.
`features()` turns a pair into numbers (symmetric: the order of the two records does not matter):
- model codes (tokens mixing letters and digits, compared without separators): the same code, one inside
  the other's title or description, a variant (same digits, letters changed), a conflict (same family,
  other digits), codes that share nothing;
- the title: rapidfuzz ratios, word Jaccard, IDF-weighted cosine and overlap (word rarity over the records
  being compared, computed without labels), the rarest shared word, the rarity of words only one side has,
  character 3-gram overlap;
- the brand, model and category columns where the records have them; numbers outside codes (`2007` vs
  `2003`), colours, the description, and the price ratio.
A gradient-boosted tree model (LightGBM) turns them into a score; a pair is a match when it scores at least
the model's threshold and is the best candidate of both its records (one product matches one product).

A fitted model is a data file (`matchers/data/pairs_<name>.json`: the booster's text, the feature names it
was fitted on, its threshold and what it was fitted on), written by `benchmarks/bench_pairs.py --fit`.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import lightgbm as lgb
import numpy as np
from rapidfuzz import fuzz
from scipy import sparse

DATA_DIR = Path(__file__).resolve().parent / "data"
GENERAL_MODEL = "general"
"""The model fitted on all three benchmarks' train splits without neighbour features; the one used on
marketplace listings (pipelines/cases.py)."""

# A token is a run of anything but whitespace and punctuation (Thai words included), separators at its
# ends stripped: `(dvd-rom)` → `dvd-rom`, `ps-lx350h.` → `ps-lx350h`.
_SPLIT = re.compile(r"[\s,;:()\[\]{}\"'|+*!?&#<>=~^$%@…“”‘’]+")
_EDGES = "-/._"
_NOT_ALNUM = re.compile(r"[\W_]+")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
# Numbers with a unit are specifications, not model codes (`1080p`, `500gb`, `12volt`).
_SPEC = re.compile(
    r"^\d+(?:gb|tb|mb|p|i|mm|cm|m|in|inch|ft|w|watt|watts|v|volt|hz|khz|mhz|ghz|x|mp|lb|lbs|oz|ms|k|rpm|mah"
    r"|db|th|nd|rd|st|s|pk|pack|l|ml|kg|g)$"
)
# Written specifications: `2-line`, `24-port`, `10/100`, `1920x1080`, `5.1`.
_SPEC_TOKEN = re.compile(r"^\d+-[a-z]{3,}$|^\d+(?:/\d+)+$|^\d+x\d+$|^\d+\.\d+$")
_COLOURS_FILE = DATA_DIR / "colour_words.txt"


def _load_words(path: Path) -> frozenset[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


_COLOURS = _load_words(_COLOURS_FILE)
_PAIR_WORDS = json.loads((DATA_DIR / "pair_words.json").read_text(encoding="utf-8"))
_PLATFORM_OF = {word: name for name, words in _PAIR_WORDS["platforms"].items() for word in words}
_EDITIONS = frozenset(_PAIR_WORDS["editions"])


@dataclass(frozen=True)
class Product:
    """One side of a pair, prepared once."""

    title: str
    brand: str
    model: str
    category: str
    price: float | None
    tokens: frozenset[str]
    """Title and model words, separators removed (`dvp-fx820` → `dvpfx820`)."""
    codes: frozenset[str]
    """Model codes of the title and model columns, separators removed."""
    specific: frozenset[str]
    """The codes that do not go on to a longer code of the record (`dvpfx820w`, not `dvpfx820`)."""
    compact: str
    """Title and model, letters and digits only (for containment tests)."""
    description: str
    """Description, letters and digits only."""
    description_tokens: frozenset[str]
    numbers: frozenset[str]
    colours: frozenset[str]
    grams: frozenset[str]
    """Character 3-grams of the compacted title."""
    brand_words: frozenset[str]
    """Words of the brand column (taken out of the titles for the `core_` features)."""
    platforms: frozenset[str]
    editions: frozenset[str]


# Thai sellers glue Thai words to Latin codes and numbers (`รุ่นPL10`, `6ช่อง`, `สาย3เมตร`): the script
# boundary is a word boundary, so `pl10` is a model code and `6` a number, as in `รุ่น PL10`.
_SCRIPT_BOUNDARY = re.compile(
    r"(?<=[\u0e00-\u0e7f])(?=[^\u0e00-\u0e7f\s])|(?<=[^\u0e00-\u0e7f\s])(?=[\u0e00-\u0e7f])"
)


def _tokens(text: str) -> list[str]:
    spaced = _SCRIPT_BOUNDARY.sub(" ", text.lower())
    return [token.strip(_EDGES) for token in _SPLIT.split(spaced) if token.strip(_EDGES)]


def _is_code(token: str) -> bool:
    if _SPEC.match(token):
        return False
    letters = sum(ch.isalpha() for ch in token)
    digits = sum(ch.isdigit() for ch in token)
    return (digits >= 1 and letters >= 1 and len(token) >= 4) or (digits >= 4 and len(token) >= 5)


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
            found.update(_plain_number(number) for number in _NUMBER.findall(token))
    return found


def _plain_number(number: str) -> str:
    """`08` → `8`, `8.0` → `8`, `5.10` → `5.1`: one number, one spelling."""
    if "." in number:
        number = number.rstrip("0").rstrip(".")
    return number.lstrip("0") or "0"


def _price(value: Any) -> float | None:
    if isinstance(value, int | float):
        return float(value) if value > 0 else None
    try:
        number = float(re.sub(r"[^0-9.]", "", str(value or "")))
    except ValueError:
        return None
    return number if number > 0 else None


def _grams(text: str, size: int = 3) -> frozenset[str]:
    if len(text) <= size:
        return frozenset([text]) if text else frozenset()
    return frozenset(text[i : i + size] for i in range(len(text) - size + 1))


def make_product(values: Mapping[str, Any]) -> Product:
    """A product from its attributes by role: `title`, `brand`, `model`, `description`, `category`,
    `price`."""
    title = str(values.get("title") or "")
    model = str(values.get("model") or "")
    raw_tokens = _tokens(f"{title} {model}")
    tokens = {_NOT_ALNUM.sub("", token) for token in raw_tokens} - {""}
    codes = _codes(raw_tokens)
    title_compact = _NOT_ALNUM.sub("", title.lower())
    description = str(values.get("description") or "").lower()
    return Product(
        title=title.lower(),
        brand=_NOT_ALNUM.sub("", str(values.get("brand") or "").lower()),
        model=_NOT_ALNUM.sub("", model.lower()),
        category=str(values.get("category") or "").lower(),
        price=_price(values.get("price")),
        tokens=frozenset(tokens),
        codes=frozenset(codes),
        specific=frozenset(c for c in codes if not any(o != c and o.startswith(c) for o in codes)),
        compact=_NOT_ALNUM.sub("", f"{title} {model}".lower()),
        description=_NOT_ALNUM.sub("", description),
        description_tokens=frozenset(_NOT_ALNUM.sub("", t) for t in _tokens(description)) - {""},
        numbers=frozenset(_numbers(_tokens(title))),
        colours=frozenset(tokens & _COLOURS),
        grams=_grams(title_compact),
        brand_words=frozenset(_NOT_ALNUM.sub("", t) for t in _tokens(str(values.get("brand") or ""))),
        platforms=frozenset(_PLATFORM_OF[t] for t in tokens if t in _PLATFORM_OF),
        editions=frozenset(tokens & _EDITIONS),
    )


@dataclass(frozen=True)
class Corpus:
    """Word rarity over the records compared: a word two records share says more the fewer records have it.

    IDF scaled to 0–1 by the IDF of a word no record has, so that features built on it mean the same on
    small and large sets of records."""

    idf: dict[str, float]
    gram_idf: dict[str, float]

    @classmethod
    def of(cls, products: Iterable[Product]) -> Corpus:
        counts: Counter[str] = Counter()
        gram_counts: Counter[str] = Counter()
        size = 1
        for product in products:
            counts.update(product.tokens)
            gram_counts.update(product.grams)
            size += 1
        scale = math.log(size) if size > 1 else 1.0
        return cls(
            {token: math.log(size / count) / scale for token, count in counts.items()},
            {gram: math.log(size / count) / scale for gram, count in gram_counts.items()},
        )

    def weight(self, token: str) -> float:
        return self.idf.get(token, 1.0)

    def gram_weight(self, gram: str) -> float:
        return self.gram_idf.get(gram, 1.0)


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


PAIR_FEATURES: tuple[str, ...] = (
    *(f"code_{name}" for name in CodeAgreement._fields),
    "codes_any",
    "model_same",
    "model_ratio",
    "model_in_other_title",
    "model_digits_same",
    "brand_same",
    "brand_ratio",
    "brand_in_other_title",
    "title_ratio",
    "title_partial_ratio",
    "title_token_sort",
    "title_token_set",
    "word_jaccard",
    "idf_cosine",
    "idf_overlap_of_smaller",
    "idf_overlap_of_larger",
    "rarest_shared",
    "unshared_idf_min",
    "unshared_idf_max",
    "gram_jaccard",
    "gram_containment",
    "words_min",
    "words_max",
    "numbers_jaccard",
    "numbers_disjoint",
    "numbers_unshared",
    "colour_conflict",
    "title_in_description",
    "description_jaccard",
    "price_log_ratio",
    "category_ratio",
    "platform_conflict",
    "edition_conflict",
    "editions_unshared",
    "core_jaccard",
    "core_idf_cosine",
    "core_token_set",
    "gram_idf_cosine",
)
"""Features of the pair alone (features())."""
NEIGHBOUR_FEATURES: tuple[str, ...] = (
    "neighbour_rank_min",
    "neighbour_rank_max",
    "neighbour_margin_min",
    "neighbour_margin_max",
    "gram_neighbour_rank_min",
    "gram_neighbour_rank_max",
    "gram_neighbour_margin_min",
    "gram_neighbour_margin_max",
)
"""The pair's place among each record's nearest neighbours on the other side (Neighbourhood)."""
FEATURES = PAIR_FEATURES + NEIGHBOUR_FEATURES
NEIGHBOURS = 10
"""How many nearest records of the other side each record keeps (Neighbourhood)."""


def _digits(code: str) -> str:
    return "".join(ch for ch in code if ch.isdigit())


def _family(code: str) -> str:
    """Codes of one family share their leading letters (`dscw150`, `dscw170`) or, all digits, their shape."""
    head = re.match(r"[^\W\d_]+", code)
    if head:
        return head.group()
    return re.sub(r"[^\W\d_]+", "a", re.sub(r"\d", "9", code))


def _code_agreement(left: Product, right: Product) -> CodeAgreement:
    """Containment tests look at all codes; how two different codes relate, at the specific ones."""
    shared = left.codes & right.codes
    same = bool(left.specific & right.specific)
    pairs = ((left.codes, right), (right.codes, left))
    contained = not shared and any(
        len(c) >= 5 and c in other.compact for codes, other in pairs for c in codes
    )
    in_description = (
        not shared
        and not contained
        and any(len(c) >= 5 and c in other.description for codes, other in pairs for c in codes)
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
        # Shops label a product by its model code (letters first) or by a part, catalogue or UPC number
        # (digits first); two model codes that disagree say more than two kinds of number.
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


def _mass(tokens: Iterable[str], corpus: Corpus) -> float:
    # fsum: exact, so the result does not depend on the set's iteration order (string hashing varies
    # between runs) and every run gives the same scores.
    return math.fsum(corpus.weight(t) ** 2 for t in tokens)


def _rarest_shared(left: Product, right: Product, corpus: Corpus) -> float:
    """Rarity of the rarest word of one title found in the other (whole, or inside its compacted text:
    `ulpt-l` in `…ulptlbk`), so that alphabetic model names (`roomgroove`, `lcscst`) count too."""
    best = max((corpus.weight(t) for t in left.tokens & right.tokens), default=0.0)
    for tokens, other in ((left.tokens, right), (right.tokens, left)):
        for token in tokens:
            if len(token) >= 5 and token in other.compact:
                best = max(best, corpus.weight(token))
    return best


def _in_other_title(value: str, other: Product) -> bool:
    return len(value) >= 2 and (value in other.tokens or (len(value) >= 4 and value in other.compact))


def _ratio_or_nan(left: str, right: str) -> float:
    return fuzz.ratio(left, right) / 100.0 if left and right else math.nan


def _gram_cosine(left: Product, right: Product, corpus: Corpus) -> float:
    """IDF-weighted cosine of the titles' character 3-grams: spelling variants (`jampack`, `jam pack`)."""
    shared = math.fsum(corpus.gram_weight(g) ** 2 for g in left.grams & right.grams)
    if not shared:
        return 0.0
    norm_left = math.fsum(corpus.gram_weight(g) ** 2 for g in left.grams)
    norm_right = math.fsum(corpus.gram_weight(g) ** 2 for g in right.grams)
    return shared / math.sqrt(norm_left * norm_right)


def _core(product: Product, drop: frozenset[str]) -> frozenset[str]:
    """The title's words less brand words and long bare numbers (catalogue and UPC numbers)."""
    return frozenset(t for t in product.tokens - drop if not (t.isdigit() and len(t) >= 5))


def _core_features(left: Product, right: Product, corpus: Corpus) -> list[float]:
    """How alike the titles are once brand words and catalogue numbers are set aside: one shop writes
    `encore software 10634 3d home architect`, the other `3d home architect`."""
    drop = left.brand_words | right.brand_words
    core_left, core_right = _core(left, drop), _core(right, drop)
    if not core_left or not core_right:
        return [0.0, 0.0, 0.0]
    shared = core_left & core_right
    mass_left, mass_right = _mass(core_left, corpus), _mass(core_right, corpus)
    cosine = _mass(shared, corpus) / math.sqrt(mass_left * mass_right) if mass_left and mass_right else 0.0
    token_set = fuzz.token_set_ratio(" ".join(sorted(core_left)), " ".join(sorted(core_right))) / 100.0
    return [len(shared) / len(core_left | core_right), cosine, token_set]


def features(left: Product, right: Product, corpus: Corpus) -> list[float]:
    """The pair's own features, PAIR_FEATURES (pair_features() adds the neighbourhood's); NaN where
    neither record says (the model knows)."""
    codes = _code_agreement(left, right)
    shared = left.tokens & right.tokens
    mass_left, mass_right, mass_shared = (
        _mass(left.tokens, corpus),
        _mass(right.tokens, corpus),
        _mass(shared, corpus),
    )
    union = left.tokens | right.tokens
    grams_shared = len(left.grams & right.grams)
    grams_union = len(left.grams | right.grams)
    numbers_union = left.numbers | right.numbers
    price_log_ratio = math.nan
    if left.price and right.price:
        price_log_ratio = abs(math.log(left.price / right.price))
    title_in_description = max(
        (
            _mass(tokens & other.description_tokens, corpus) / mass
            for tokens, other, mass in ((left.tokens, right, mass_left), (right.tokens, left, mass_right))
            if mass and other.description_tokens
        ),
        default=math.nan,
    )
    descriptions = left.description_tokens | right.description_tokens
    model_same = math.nan
    if left.model and right.model:
        model_same = float(left.model == right.model)
    return [
        *(float(flag) for flag in codes),
        float(bool(left.codes) + bool(right.codes)),
        model_same,
        _ratio_or_nan(left.model, right.model),
        float(_in_other_title(left.model, right) or _in_other_title(right.model, left)),
        # Shops write one model code with other letters around it (`pe209780`, `edgdm-209780-pe`) but the
        # digits stay; other digits are another model (`hd-lb1.5tu2`, `hd-lb1.0tu2`).
        float(_digits(left.model) == _digits(right.model))
        if _digits(left.model) and _digits(right.model)
        else math.nan,
        float(left.brand == right.brand) if left.brand and right.brand else math.nan,
        _ratio_or_nan(left.brand, right.brand),
        float(_in_other_title(left.brand, right) or _in_other_title(right.brand, left)),
        fuzz.ratio(left.title, right.title) / 100.0,
        fuzz.partial_ratio(left.title, right.title) / 100.0,
        fuzz.token_sort_ratio(left.title, right.title) / 100.0,
        fuzz.token_set_ratio(left.title, right.title) / 100.0,
        len(shared) / len(union) if union else 0.0,
        mass_shared / math.sqrt(mass_left * mass_right) if mass_left and mass_right else 0.0,
        mass_shared / min(mass_left, mass_right) if mass_left and mass_right else 0.0,
        mass_shared / max(mass_left, mass_right) if mass_left and mass_right else 0.0,
        _rarest_shared(left, right, corpus),
        min(mass_left - mass_shared, mass_right - mass_shared),
        max(mass_left - mass_shared, mass_right - mass_shared),
        grams_shared / grams_union if grams_union else 0.0,
        grams_shared / min(len(left.grams), len(right.grams)) if left.grams and right.grams else 0.0,
        float(min(len(left.tokens), len(right.tokens))),
        float(max(len(left.tokens), len(right.tokens))),
        len(left.numbers & right.numbers) / len(numbers_union) if numbers_union else math.nan,
        float(bool(left.numbers and right.numbers and not left.numbers & right.numbers)),
        float(len(left.numbers ^ right.numbers)),
        float(bool(left.colours and right.colours and not left.colours & right.colours)),
        title_in_description,
        len(left.description_tokens & right.description_tokens) / len(descriptions)
        if left.description_tokens and right.description_tokens
        else math.nan,
        price_log_ratio,
        _ratio_or_nan(left.category, right.category),
        float(bool(left.platforms and right.platforms and not left.platforms & right.platforms)),
        float(bool(left.editions and right.editions and not left.editions & right.editions)),
        float(len(left.editions ^ right.editions)),
        *_core_features(left, right, corpus),
        _gram_cosine(left, right, corpus),
    ]


@dataclass(frozen=True)
class Neighbourhood:
    """Each record's nearest records on the other side, by IDF-weighted word cosine over whole tables.

    Whether a candidate is its record's nearest neighbour among all the other side's records, and by how
    much, tells a product from its near-identical siblings (`… cs3 design premium` among `… web premium`,
    `… production premium`). Built from the records only (no labels), like the word rarity."""

    vectors: dict[tuple[int, str], Any]
    """(side, id) → its L2-normalised sparse row; side 0 is left, 1 is right."""
    nearest: dict[tuple[int, str], list[tuple[float, str]]]
    """(side, id) → up to NEIGHBOURS (similarity, other side's id), most similar first."""

    @classmethod
    def of(
        cls, left: Mapping[str, Product], right: Mapping[str, Product], corpus: Corpus, *, grams: bool = False
    ) -> Neighbourhood:
        """`left` and `right` may be the same mapping (one pool): a record is then never its own neighbour.
        With `grams`, records are compared by their titles' character 3-grams instead of their words."""
        vocabulary = {
            term: column for column, term in enumerate(sorted(corpus.gram_idf if grams else corpus.idf))
        }
        matrices = [_tfidf(list(side.values()), vocabulary, corpus, grams) for side in (left, right)]
        ids = [list(left), list(right)]
        vectors = {(side, key): matrices[side][row] for side in (0, 1) for row, key in enumerate(ids[side])}
        nearest: dict[tuple[int, str], list[tuple[float, str]]] = {}
        for side in (0, 1):
            other = 1 - side
            for start in range(0, len(ids[side]), 256):
                block = (matrices[side][start : start + 256] @ matrices[other].T).toarray()
                for offset, sims in enumerate(block):
                    key = ids[side][start + offset]
                    count = min(NEIGHBOURS + 1, len(sims))
                    top = np.argpartition(-sims, count - 1)[:count] if count else np.array([], dtype=int)
                    ranked = sorted(((float(sims[i]), ids[other][i]) for i in top), reverse=True)
                    nearest[(side, key)] = [(sim, o) for sim, o in ranked if o != key or left is not right]
        return cls(vectors, nearest)

    def features(self, left_id: str, right_id: str) -> list[float]:
        """Ranks (0 = nearest) and margins (similarity minus the best other candidate's) of the pair."""
        similarity = float((self.vectors[(0, left_id)] @ self.vectors[(1, right_id)].T).toarray()[0, 0])
        ranks, margins = [], []
        for key, other in (((0, left_id), right_id), ((1, right_id), left_id)):
            others = [sim for sim, candidate in self.nearest.get(key, []) if candidate != other]
            ranks.append(float(sum(1 for sim in others if sim > similarity + 1e-9)))
            margins.append(similarity - (others[0] if others else 0.0))
        return [min(ranks), max(ranks), min(margins), max(margins)]


def _tfidf(products: Sequence[Product], vocabulary: Mapping[str, int], corpus: Corpus, grams: bool) -> Any:
    rows, columns, values = [], [], []
    rarity = corpus.gram_weight if grams else corpus.weight
    for row, product in enumerate(products):
        terms = product.grams if grams else product.tokens
        weights = {vocabulary[t]: rarity(t) for t in sorted(terms) if t in vocabulary}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        for column, weight in weights.items():
            rows.append(row)
            columns.append(column)
            values.append(weight / norm)
    shape = (len(products), max(len(vocabulary), 1))
    return sparse.csr_matrix((values, (rows, columns)), shape=shape)


def pair_features(
    left_id: str,
    right_id: str,
    left: Product,
    right: Product,
    corpus: Corpus,
    neighbourhoods: tuple[Neighbourhood, Neighbourhood],
) -> list[float]:
    """features() and the pair's place among each record's nearest neighbours (by words, by character
    3-grams): the model's input row."""
    by_words, by_grams = neighbourhoods
    return [
        *features(left, right, corpus),
        *by_words.features(left_id, right_id),
        *by_grams.features(left_id, right_id),
    ]


def neighbourhoods(
    left: Mapping[str, Product], right: Mapping[str, Product], corpus: Corpus
) -> tuple[Neighbourhood, Neighbourhood]:
    return Neighbourhood.of(left, right, corpus), Neighbourhood.of(left, right, corpus, grams=True)


def best_of_both(pairs: Sequence[tuple[str, str]], scores: Sequence[float]) -> list[bool]:
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


def decide(pairs: Sequence[tuple[str, str]], scores: Sequence[float], threshold: float) -> list[bool]:
    """Match = at least the threshold and the best candidate of both its records."""
    best = best_of_both(pairs, scores)
    return [b and score >= threshold for b, score in zip(best, scores, strict=True)]


@dataclass(frozen=True)
class PairModel:
    """A fitted booster, the threshold chosen for it and the features it expects.

    A model uses all FEATURES (matching within whole catalogues: each record's nearest neighbours say
    much) or PAIR_FEATURES only (`uses_neighbours` false: a few candidates, as a shop's listings on another
    platform, where being the nearest of two says little)."""

    booster: lgb.Booster
    threshold: float
    fitted_on: str
    uses_neighbours: bool = True

    @property
    def features(self) -> tuple[str, ...]:
        return FEATURES if self.uses_neighbours else PAIR_FEATURES

    def scores(self, rows: Sequence[Sequence[float]]) -> list[float]:
        """Scores of rows of pair_features() (or of features() for a model without neighbours)."""
        if not rows:
            return []
        matrix = np.asarray(rows, dtype=float)[:, : len(self.features)]
        return [float(p) for p in self.booster.predict(matrix)]

    def to_json(self) -> dict[str, Any]:
        return {
            "features": list(self.features),
            "threshold": self.threshold,
            "fitted_on": self.fitted_on,
            "booster": self.booster.model_to_string(),
        }

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_json(), ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> PairModel:
        data = json.loads(path.read_text(encoding="utf-8"))
        features = tuple(data.get("features", ()))
        if features not in (FEATURES, PAIR_FEATURES):
            raise ValueError(f"{path}: fitted on other features than this code computes; refit it")
        return cls(
            booster=lgb.Booster(model_str=data["booster"]),
            threshold=float(data["threshold"]),
            fitted_on=str(data.get("fitted_on", "")),
            uses_neighbours=features == FEATURES,
        )


def model_path(name: str) -> Path:
    return DATA_DIR / f"pairs_{name}.json"


def load_model(name: str = GENERAL_MODEL) -> PairModel:
    return PairModel.load(model_path(name))


# LightGBM settings: small trees and few of them so the model file stays small; chosen by train-split
# cross-validation (benchmarks/bench_pairs.py --fit prints it), not on valid.
BOOSTER_PARAMS: dict[str, Any] = {
    "objective": "binary",
    "learning_rate": 0.05,
    "num_leaves": 15,
    "min_data_in_leaf": 10,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "verbose": -1,
    "num_threads": 1,
    "seed": 7,
    "deterministic": True,
}
BOOST_ROUNDS = 300


def fit_booster(
    rows: Sequence[Sequence[float]], labels: Sequence[int], features: Sequence[str] = FEATURES
) -> lgb.Booster:
    """A booster on the first len(features) columns of the rows."""
    matrix = np.asarray(rows, dtype=float)[:, : len(features)]
    data = lgb.Dataset(matrix, label=np.asarray(labels), feature_name=list(features))
    return lgb.train(BOOSTER_PARAMS, data, num_boost_round=BOOST_ROUNDS)
