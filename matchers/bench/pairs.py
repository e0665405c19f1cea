"""`python -m matchers.bench pairs`: the matcher's product-matching logic on entity-matching benchmarks.

    python -m matchers.bench pairs --left tableA.csv --right tableB.csv --pairs valid.csv \
        --out decisions.csv [--fit train.csv ...] [--threshold T]

Format (DeepMatcher/Magellan): tables `id,<attributes>`, pairs `ltable_id,rtable_id[,label]`. Columns are
mapped by name: `name`/`title` → title, `brand`/`manufacturer` → brand, `modelno` → model,
`description`, `price`. Writes `ltable_id,rtable_id,score,match`; with labels it prints precision,
recall and F1.

How a pair is scored — the same ideas the listing matcher uses, on English product records:
- model codes: tokens mixing letters and digits (`pslx350h`, `dsc-h50`, `f3h982-10`), compared without
  separators; one side's code found inside the other side's compacted text (`dmr-ea38vk` ~ `dmrea38vk`)
  is the strongest signal; a short letter suffix added or dropped (`nnsd797s`/`nnsd797ss`) a weaker one;
  codes on both sides that agree on nothing count against the pair;
- brand agreement (the brand column, else the first word of the title);
- title similarity (rapidfuzz token_set_ratio and ratio after default processing);
- price ratio when both sides have a price.
The features are combined by a logistic model whose weights ship with the module (fitted on the
Abt-Buy *train* split); `--fit` refits them on the given labelled pairs (train/valid splits only —
never a test split). Last, a pair is a match only if it scores above the threshold and is its left
record's best-scoring candidate (one product matches one product).
"""

from __future__ import annotations

import csv
import itertools
import math
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, utils

# Fitted with `--fit ../shared/bench/abt_buy/train.csv` (the train split only); see fit_weights().
DEFAULT_WEIGHTS = (-1.014, 3.810, 1.690, 0.266, 0.814, -3.656, 0.407, 1.217, 0.225, -0.562)
DEFAULT_THRESHOLD = 0.69
FEATURES = (
    "bias",
    "code_same",
    "code_contained",
    "code_variant",
    "code_other_variant",
    "code_conflict",
    "brand_agrees",
    "title_token_set",
    "title_ratio",
    "price_far",
)

_COLUMN_ROLES = {
    "name": "title",
    "title": "title",
    "brand": "brand",
    "manufacturer": "brand",
    "modelno": "model",
    "model": "model",
    "description": "description",
    "price": "price",
}
_TOKEN = re.compile(r"[a-z0-9][a-z0-9\-/.]*[a-z0-9]|[a-z0-9]")


@dataclass
class Record:
    id: str
    title: str
    brand: str
    model: str
    description: str
    price: float | None
    codes: frozenset[str]
    compact: str
    """Title, model and description, lower case, letters and digits only (for containment tests)."""


# Numbers with a unit are specifications, not model codes (`1080p`, `500gb`, `12volt`).
_SPEC = re.compile(
    r"^\d+(?:gb|tb|mb|p|i|mm|cm|in|inch|ft|w|watt|watts|v|volt|hz|khz|mhz|ghz|x|mp|lb|lbs|oz|ms|k|rpm|mah|db|th|nd|rd|st|s)$"
)


# Written specifications: `2-line`, `24-port`, `10/100`, `1920x1080`, `5.1`.
_SPEC_TOKEN = re.compile(r"^\d+-[a-z]{3,}$|^\d+(?:/\d+)+$|^\d+x\d+$|^\d+\.\d+$")


def _is_code(token: str) -> bool:
    if _SPEC.match(token):
        return False
    letters = sum(ch.isalpha() for ch in token)
    digits = sum(ch.isdigit() for ch in token)
    return (digits >= 1 and letters >= 1 and len(token) >= 4) or (digits >= 4 and len(token) >= 5)


def _digits(code: str) -> str:
    return "".join(ch for ch in code if ch.isdigit())


def _codes(text: str) -> set[str]:
    found: set[str] = set()
    tokens = _TOKEN.findall(text.lower())
    for token in tokens:
        if _SPEC_TOKEN.match(token):
            continue
        compact = re.sub(r"[^a-z0-9]", "", token)
        if _is_code(compact):
            found.add(compact)
    # A code split by a space (`ps lx350h`, `dsc h50`): join a short letter run with a following code.
    for first, second in itertools.pairwise(tokens):
        if (
            first.isalpha()
            and len(first) <= 4
            and any(ch.isdigit() for ch in second)
            and any(ch.isalpha() for ch in second)
        ):
            joined = re.sub(r"[^a-z0-9]", "", first + second)
            if _is_code(joined):
                found.add(joined)
    return found


def _price(text: str) -> float | None:
    try:
        value = float(re.sub(r"[^0-9.]", "", text or ""))
    except ValueError:
        return None
    return value if value > 0 else None


def read_table(path: Path) -> dict[str, Record]:
    records: dict[str, Record] = {}
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        roles = {column: _COLUMN_ROLES.get(column.strip().lower()) for column in reader.fieldnames or []}
        for row in reader:
            values = {"title": "", "brand": "", "model": "", "description": "", "price": ""}
            for column, role in roles.items():
                if role and row.get(column):
                    values[role] = (values[role] + " " + row[column]).strip()
            title = values["title"]
            brand = values["brand"].lower() or (title.lower().split()[:1] or [""])[0]
            codes = _codes(f"{title} {values['model']}")
            compact = re.sub(r"[^a-z0-9]", "", f"{title} {values['model']} {values['description']}".lower())
            records[row["id"]] = Record(
                id=row["id"],
                title=title,
                brand=brand,
                model=values["model"],
                description=values["description"],
                price=_price(values["price"]),
                codes=frozenset(codes),
                compact=compact,
            )
    return records


def _code_agreement(left: Record, right: Record) -> tuple[bool, bool, bool, bool]:
    """(same code, code contained in the other's text, close variant, conflicting variant)."""
    same = bool(left.codes & right.codes)
    contained = (
        same
        or any(len(c) >= 5 and c in right.compact for c in left.codes)
        or any(len(c) >= 5 and c in left.compact for c in right.codes)
    )
    variant = conflicting = False
    for a in left.codes:
        for b in right.codes:
            if a == b or _digits(a) != _digits(b) or not _digits(a):
                continue
            longer, shorter = (a, b) if len(a) >= len(b) else (b, a)
            if longer.startswith(shorter) and len(longer) - len(shorter) <= 2:
                variant = True  # `nnsd797s` ~ `nnsd797ss`: a suffix added
            elif (
                longer[: len(shorter) - 1] == shorter[:-1] and shorter[-1].isalpha() and longer[-1].isalpha()
            ):
                conflicting = True  # `dscw150b` vs `dscw150r`: same model, another colour/variant
            elif fuzz.ratio(a, b) >= 88:
                variant = True
    return same, contained, variant, conflicting


def features(left: Record, right: Record) -> list[float]:
    same, contained, variant, conflicting = _code_agreement(left, right)
    conflict = bool(left.codes and right.codes and not contained and not variant)
    brand = bool(left.brand) and (left.brand in right.title.lower().split() or left.brand == right.brand)
    left_title, right_title = utils.default_process(left.title), utils.default_process(right.title)
    token_set = fuzz.token_set_ratio(left_title, right_title) / 100.0
    ratio = fuzz.ratio(left_title, right_title) / 100.0
    price_far = 0.0
    if left.price and right.price:
        price_far = min(abs(math.log(left.price / right.price)), 2.0)
    return [
        1.0,
        float(same),
        float(contained and not same),
        float(variant),
        float(conflicting and not same),
        float(conflict),
        float(brand),
        token_set,
        ratio,
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


def fit_weights(
    rows: list[list[float]], labels: list[int], epochs: int = 400, rate: float = 0.5
) -> list[float]:
    """Logistic regression by batch gradient descent (few features, a few thousand pairs)."""
    weights = [0.0] * len(rows[0])
    count = len(rows)
    positive = max(sum(labels), 1)
    # Balance the classes: matches are ~10% of the pairs.
    class_weight = {1: (count - positive) / positive, 0: 1.0}
    for _ in range(epochs):
        gradient = [0.0] * len(weights)
        for row, label in zip(rows, labels, strict=True):
            error = (predict(weights, row) - label) * class_weight[label]
            for i, value in enumerate(row):
                gradient[i] += error * value
        weights = [w - rate * g / count for w, g in zip(weights, gradient, strict=True)]
    return weights


def _read_pairs(path: Path) -> list[tuple[str, str, int | None]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return [
            (
                row["ltable_id"],
                row["rtable_id"],
                int(row["label"]) if row.get("label") not in (None, "") else None,
            )
            for row in csv.DictReader(handle)
        ]


def decide(pairs: list[tuple[str, str]], scores: list[float], threshold: float) -> list[int]:
    """Match = above threshold and the best candidate of its left record (ties kept)."""
    best: dict[str, float] = {}
    for (left, _), score in zip(pairs, scores, strict=True):
        best[left] = max(best.get(left, 0.0), score)
    return [
        int(score >= threshold and score >= best[left] - 1e-9)
        for (left, _), score in zip(pairs, scores, strict=True)
    ]


def _best_threshold(pairs: list[tuple[str, str]], scores: list[float], labels: list[int]) -> float:
    best_t, best_f1 = DEFAULT_THRESHOLD, -1.0
    for step in range(5, 96):
        t = step / 100
        f1 = prf(decide(pairs, scores, t), labels)[2]
        if f1 > best_f1:
            best_t, best_f1 = t, f1
    return best_t


def prf(decisions: list[int], labels: list[int]) -> tuple[float, float, float]:
    tp = sum(1 for d, y in zip(decisions, labels, strict=True) if d and y)
    fp = sum(1 for d, y in zip(decisions, labels, strict=True) if d and not y)
    fn = sum(1 for d, y in zip(decisions, labels, strict=True) if not d and y)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def run_pairs(
    left_path: Path,
    right_path: Path,
    pairs_path: Path,
    out_path: Path,
    fit_paths: Sequence[Path] = (),
    threshold: float | None = None,
) -> int:
    try:
        left, right = read_table(left_path), read_table(right_path)
        pairs = _read_pairs(pairs_path)
        fit_sets = [_read_pairs(p) for p in fit_paths]
    except (OSError, KeyError, csv.Error) as error:
        print(f"matchers.bench pairs: cannot read input: {error}", file=sys.stderr)
        return 1

    def rows_for(items: list[tuple[str, str, int | None]]) -> list[list[float]]:
        missing = [(a, b) for a, b, _ in items if a not in left or b not in right]
        if missing:
            raise KeyError(f"pair {missing[0]} names an id missing from the tables")
        return [features(left[a], right[b]) for a, b, _ in items]

    weights: list[float] = list(DEFAULT_WEIGHTS)
    chosen = DEFAULT_THRESHOLD
    try:
        if fit_sets:
            fit_items = [item for items in fit_sets for item in items if item[2] is not None]
            fit_rows = rows_for(fit_items)
            fit_labels = [int(item[2]) for item in fit_items]  # type: ignore[arg-type]
            weights = fit_weights(fit_rows, fit_labels)
            fit_scores = [predict(weights, row) for row in fit_rows]
            chosen = _best_threshold([(a, b) for a, b, _ in fit_items], fit_scores, fit_labels)
            shown = ", ".join(f"{name}={w:.3f}" for name, w in zip(FEATURES, weights, strict=True))
            print(f"fitted on {len(fit_items)} labelled pairs: {shown}; threshold {chosen:.2f}")
        rows = rows_for(pairs)
    except KeyError as error:
        print(f"matchers.bench pairs: {error.args[0]}", file=sys.stderr)
        return 1
    if threshold is not None:
        chosen = threshold / 100.0 if threshold > 1 else threshold
    scores = [predict(weights, row) for row in rows]
    keys = [(a, b) for a, b, _ in pairs]
    decisions = decide(keys, scores, chosen)

    out_path.parent.mkdir(parents=True, exist_ok=True)
    with open(out_path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["ltable_id", "rtable_id", "score", "match"])
        for (a, b), score, decision in zip(keys, scores, decisions, strict=True):
            writer.writerow([a, b, f"{score * 100:.1f}", decision])
    labels = [label for _, _, label in pairs]
    if all(label is not None for label in labels) and labels:
        precision, recall, f1 = prf(decisions, [int(y) for y in labels])  # type: ignore[arg-type]
        print(
            f"pairs={len(pairs)} matches={sum(decisions)} threshold={chosen * 100:.0f} "
            f"precision={precision * 100:.2f} recall={recall * 100:.2f} F1={f1 * 100:.2f}"
        )
    print(f"wrote {out_path}")
    return 0
