"""`python -m benchmarks.pairs`: the pair matcher (`matchers.pairs`) on entity-matching benchmarks.

    python -m benchmarks.pairs --left tableA.csv --right tableB.csv --pairs valid.csv \
        --out decisions.csv [--fit train.csv ...] [--threshold T]

Format (DeepMatcher/Magellan): tables `id,<attributes>`, pairs `ltable_id,rtable_id[,label]`. Columns are
mapped by name: `name`/`title` → title, `brand`/`manufacturer` → brand, `modelno`/`model` → model,
`description`, `price`. Writes `ltable_id,rtable_id,score,match`; with labels it prints precision,
recall and F1.

How a pair is scored — the same ideas the listing matcher uses, on English product records:
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
The features are combined by a logistic model. A pair is a match if it scores at least the threshold
and is the best-scoring candidate of both its left and its right record (one product matches one
product). `--fit` refits the weights on the given labelled pairs (train/valid splits only — never a
test split) and chooses the threshold on held-out thirds of them (see choose_threshold).

DEFAULT_WEIGHTS and DEFAULT_THRESHOLD were produced by
`--fit ../shared/bench/abt_buy/train.csv` (the Abt-Buy train split only).
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from matchers.pairs import (
    DEFAULT_THRESHOLD,
    DEFAULT_WEIGHTS,
    FEATURES,
    Corpus,
    Record,
    best_of_both,
    decide,
    features,
    make_record,
    predict,
)

_THRESHOLDS = tuple(step / 100 for step in range(5, 96))
# choose_threshold(): held-out thirds, cut three ways.
_FOLDS = 3
_REPEATS = 3


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


def read_table(path: Path) -> dict[str, Record]:
    records: dict[str, Record] = {}
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        roles = {column: _COLUMN_ROLES.get(column.strip().lower()) for column in reader.fieldnames or []}
        for row in reader:
            values: dict[str, str] = {}
            for column, role in roles.items():
                if role and row.get(column):
                    values[role] = f"{values.get(role, '')} {row[column]}".strip()
            records[row["id"]] = make_record(row["id"], values)
    return records


def fit_weights(rows: list[list[float]], labels: list[int], l2: float = 0.1) -> list[float]:
    """Logistic regression by Newton's method, lightly L2-regularised (which also keeps the weight of
    a feature that happens to separate the classes finite)."""
    x = np.asarray(rows, dtype=float)
    y = np.asarray(labels, dtype=float)
    penalty = np.full(x.shape[1], l2)
    penalty[0] = 0.0  # the bias is not shrunk
    w = np.zeros(x.shape[1])
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
        gradient = x.T @ (p - y) + penalty * w
        hessian = (x.T * (p * (1 - p))) @ x + np.diag(penalty) + 1e-9 * np.eye(len(w))
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return [float(v) for v in w]


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


def _f1_by_threshold(pairs: list[tuple[str, str]], scores: list[float], labels: list[int]) -> list[float]:
    """F1 at each threshold of _THRESHOLDS."""
    best = best_of_both(pairs, scores)
    candidates = [(s, y) for b, s, y in zip(best, scores, labels, strict=True) if b]
    positives = sum(labels)
    result = []
    for t in _THRESHOLDS:
        tp = sum(1 for s, y in candidates if y and s >= t)
        chosen = sum(1 for s, _ in candidates if s >= t)
        result.append(2 * tp / (chosen + positives) if chosen + positives else 0.0)
    return result


def choose_threshold(pairs: list[tuple[str, str]], rows: list[list[float]], labels: list[int]) -> float:
    """The threshold with the best F1 on held-out thirds of the labelled pairs.

    Scores of the pairs a model was fitted on are optimistic, so the threshold is chosen on scores of
    pairs it did not see. The best-candidate rule removes more wrong candidates the more candidates a
    pairs file has, so each third is decided on its own: a third is the size of a benchmark's test
    split (train:valid:test is 3:1:1 in the DeepMatcher suite), which the threshold is meant for. F1 is
    flat near its best, so the threshold is the middle of the range within half a point of the best,
    over three different cuts into thirds, rather than the noisy single best.
    """
    totals = [0.0] * len(_THRESHOLDS)
    for seed in range(_REPEATS):
        order = list(range(len(rows)))
        random.Random(seed).shuffle(order)
        for part in range(_FOLDS):
            held = sorted(order[part::_FOLDS])
            held_set = set(held)
            fitted = [i for i in range(len(rows)) if i not in held_set]
            weights = fit_weights([rows[i] for i in fitted], [labels[i] for i in fitted])
            f1s = _f1_by_threshold(
                [pairs[i] for i in held], [predict(weights, rows[i]) for i in held], [labels[i] for i in held]
            )
            totals = [total + f1 for total, f1 in zip(totals, f1s, strict=True)]
    means = [total / (_REPEATS * _FOLDS) for total in totals]
    near_best = [t for t, f1 in zip(_THRESHOLDS, means, strict=True) if f1 >= max(means) - 0.005]
    return near_best[len(near_best) // 2]


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
        print(f"benchmarks.pairs: cannot read input: {error}", file=sys.stderr)
        return 1
    corpus = Corpus.of(left, right)

    def rows_for(items: list[tuple[str, str, int | None]]) -> list[list[float]]:
        missing = [(a, b) for a, b, _ in items if a not in left or b not in right]
        if missing:
            raise KeyError(f"pair {missing[0]} names an id missing from the tables")
        return [features(left[a], right[b], corpus) for a, b, _ in items]

    weights: list[float] = list(DEFAULT_WEIGHTS)
    chosen = DEFAULT_THRESHOLD
    try:
        if fit_sets:
            fit_items = [item for items in fit_sets for item in items if item[2] is not None]
            fit_rows = rows_for(fit_items)
            fit_labels = [int(item[2]) for item in fit_items]  # type: ignore[arg-type]
            weights = fit_weights(fit_rows, fit_labels)
            chosen = choose_threshold([(a, b) for a, b, _ in fit_items], fit_rows, fit_labels)
            shown = ", ".join(f"{name}={w:.3f}" for name, w in zip(FEATURES, weights, strict=True))
            print(f"fitted on {len(fit_items)} labelled pairs: {shown}; threshold {chosen:.2f}")
        rows = rows_for(pairs)
    except KeyError as error:
        print(f"benchmarks.pairs: {error.args[0]}", file=sys.stderr)
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.pairs", description=__doc__.split("\n\n")[0])
    parser.add_argument("--left", required=True, type=Path, help="left table CSV (id,<attributes>)")
    parser.add_argument("--right", required=True, type=Path, help="right table CSV (id,<attributes>)")
    parser.add_argument("--pairs", required=True, type=Path, help="pairs CSV (ltable_id,rtable_id[,label])")
    parser.add_argument("--out", required=True, type=Path, help="decisions CSV to write")
    parser.add_argument(
        "--fit",
        type=Path,
        action="append",
        default=[],
        metavar="LABELLED_PAIRS.csv",
        help="labelled pairs to fit the feature weights and the decision threshold on (train/valid "
        "splits only, never test); default: the weights and threshold shipped with the matcher "
        "(fitted on the Abt-Buy train split)",
    )
    parser.add_argument("--threshold", type=float, help="decision threshold 0-100 (overrides --fit)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return run_pairs(args.left, args.right, args.pairs, args.out, args.fit, args.threshold)


if __name__ == "__main__":
    sys.exit(main())
