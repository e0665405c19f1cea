"""`python -m benchmarks.bench_pairs`: the product pair matcher on entity-matching benchmarks.

    python -m benchmarks.bench_pairs --dataset ../shared/bench/abt_buy [--dataset …] [--split valid]
    python -m benchmarks.bench_pairs --dataset ../shared/bench/abt_buy --fit
    python -m benchmarks.bench_pairs --dataset A --dataset B --dataset C --fit --model general

A dataset is a folder in the DeepMatcher/Magellan format: `tableA.csv`, `tableB.csv` (`id,<attributes>`)
and labelled pairs `train.csv`, `valid.csv` (`ltable_id,rtable_id,label`). Columns are mapped to roles by
name (`name`/`title` → title, `brand`/`manufacturer` → brand, `modelno` → model, …).

Without `--fit` it scores the split with the shipped model (`matchers/data/pairs_<model>.json`; the model
defaults to the dataset folder's name) and prints precision, recall and F1. With `--fit` it fits the model on
the train split(s) only, chooses the threshold on held-out folds of train (never on valid), prints the
train cross-validation F1, writes the model file and then scores the split. Test splits are never read.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from matchers.product_pairs import (
    DATA_DIR,
    FEATURES,
    PAIR_FEATURES,
    Corpus,
    PairModel,
    Product,
    best_of_both,
    decide,
    fit_booster,
    make_product,
    model_path,
    neighbourhoods,
    pair_features,
)

_COLUMN_ROLES = {
    "name": "title",
    "title": "title",
    "brand": "brand",
    "manufacturer": "brand",
    "modelno": "model",
    "model": "model",
    "description": "description",
    "category": "category",
    "price": "price",
}
_THRESHOLDS = tuple(step / 100 for step in range(5, 96))
_FOLDS = 5
_REPEATS = 2

Pair = tuple[str, str, int]


def read_table(path: Path) -> dict[str, Product]:
    records: dict[str, Product] = {}
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        roles = {column: _COLUMN_ROLES.get(column.strip().lower()) for column in reader.fieldnames or []}
        for row in reader:
            values: dict[str, str] = {}
            for column, role in roles.items():
                if role and row.get(column):
                    values[role] = f"{values.get(role, '')} {row[column]}".strip()
            records[row["id"]] = make_product(values)
    return records


def read_pairs(path: Path) -> list[Pair]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return [(row["ltable_id"], row["rtable_id"], int(row["label"])) for row in csv.DictReader(handle)]


@dataclass
class Split:
    """One labelled split of one dataset, its pairs keyed so that datasets do not collide."""

    keys: list[tuple[str, str]]
    rows: list[list[float]]
    labels: list[int]


def load_split(folder: Path, split: str) -> Split:
    left, right = read_table(folder / "tableA.csv"), read_table(folder / "tableB.csv")
    corpus = Corpus.of([*left.values(), *right.values()])
    near = neighbourhoods(left, right, corpus)
    pairs = read_pairs(folder / f"{split}.csv")
    missing = [(a, b) for a, b, _ in pairs if a not in left or b not in right]
    if missing:
        raise KeyError(f"{folder / f'{split}.csv'}: pair {missing[0]} names an id missing from the tables")
    return Split(
        keys=[(f"{folder.name}/{a}", f"{folder.name}/{b}") for a, b, _ in pairs],
        rows=[pair_features(a, b, left[a], right[b], corpus, near) for a, b, _ in pairs],
        labels=[label for _, _, label in pairs],
    )


def prf(decisions: Sequence[bool], labels: Sequence[int]) -> tuple[float, float, float]:
    tp = sum(1 for d, y in zip(decisions, labels, strict=True) if d and y)
    fp = sum(1 for d, y in zip(decisions, labels, strict=True) if d and not y)
    fn = sum(1 for d, y in zip(decisions, labels, strict=True) if not d and y)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _f1_by_threshold(keys: list[tuple[str, str]], scores: list[float], labels: list[int]) -> list[float]:
    best = best_of_both(keys, scores)
    candidates = [(s, y) for b, s, y in zip(best, scores, labels, strict=True) if b]
    positives = sum(labels)
    result = []
    for t in _THRESHOLDS:
        tp = sum(1 for s, y in candidates if y and s >= t)
        chosen = sum(1 for s, _ in candidates if s >= t)
        result.append(2 * tp / (chosen + positives) if chosen + positives else 0.0)
    return result


def cross_validate(train: Split, features: Sequence[str] = FEATURES) -> tuple[float, float]:
    """Threshold and F1 from held-out folds of the train split.

    Scores of pairs a model was fitted on are optimistic, so the threshold is chosen on scores of pairs it
    did not see, fold by fold (each fold decided on its own, as a test split is). F1 is flat near its best,
    so the threshold is the middle of the range within half a point of the best mean F1."""
    totals = [0.0] * len(_THRESHOLDS)
    for seed in range(_REPEATS):
        order = list(range(len(train.rows)))
        random.Random(seed).shuffle(order)
        for part in range(_FOLDS):
            held = sorted(order[part::_FOLDS])
            held_set = set(held)
            fitted = [i for i in range(len(train.rows)) if i not in held_set]
            booster = fit_booster(
                [train.rows[i] for i in fitted], [train.labels[i] for i in fitted], features
            )
            held_rows = [train.rows[i][: len(features)] for i in held]
            scores = [float(s) for s in booster.predict(held_rows)]
            f1s = _f1_by_threshold([train.keys[i] for i in held], scores, [train.labels[i] for i in held])
            totals = [total + f1 for total, f1 in zip(totals, f1s, strict=True)]
    means = [total / (_REPEATS * _FOLDS) for total in totals]
    best = max(means)
    near_best = [t for t, f1 in zip(_THRESHOLDS, means, strict=True) if f1 >= best - 0.005]
    return near_best[len(near_best) // 2], best


def _join(splits: list[Split]) -> Split:
    return Split(
        keys=[k for s in splits for k in s.keys],
        rows=[r for s in splits for r in s.rows],
        labels=[y for s in splits for y in s.labels],
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.bench_pairs", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--dataset", type=Path, action="append", required=True, help="benchmark folder")
    parser.add_argument("--split", default="valid", choices=("train", "valid"), help="split to score")
    parser.add_argument("--model", help="model name (matchers/data/pairs_<name>.json); default: dataset's")
    parser.add_argument("--fit", action="store_true", help="refit on the train split(s) and write the model")
    parser.add_argument(
        "--no-neighbours",
        action="store_true",
        help="with --fit: pair features only (the model for a few candidates, as in pipelines/cases.py)",
    )
    parser.add_argument(
        "--models-dir", type=Path, default=DATA_DIR, help="where model files are (default: %(default)s)"
    )
    args = parser.parse_args(argv)

    name = args.model or args.dataset[0].name
    path = args.models_dir / model_path(name).name
    try:
        if args.fit:
            train = _join([load_split(folder, "train") for folder in args.dataset])
            features = PAIR_FEATURES if args.no_neighbours else FEATURES
            threshold, cv_f1 = cross_validate(train, features)
            fitted_on = " + ".join(f"{folder.name}/train" for folder in args.dataset)
            booster = fit_booster(train.rows, train.labels, features)
            model = PairModel(booster, threshold, fitted_on, uses_neighbours=not args.no_neighbours)
            model.save(path)
            print(
                f"{name}: fitted on {len(train.rows)} labelled pairs ({fitted_on}); "
                f"train {_FOLDS}-fold CV F1={cv_f1 * 100:.2f} at threshold {threshold:.2f}; "
                f"wrote {path}"
            )
        model = PairModel.load(path)
        for folder in args.dataset:
            split = load_split(folder, args.split)
            scores = model.scores(split.rows)
            decisions = decide(split.keys, scores, model.threshold)
            precision, recall, f1 = prf(decisions, split.labels)
            print(
                f"{folder.name} {args.split} (model {name}): "
                f"pairs={len(split.rows)} matches={sum(decisions)} "
                f"threshold={model.threshold:.2f} precision={precision * 100:.2f} "
                f"recall={recall * 100:.2f} F1={f1 * 100:.2f}"
            )
    except (OSError, KeyError, ValueError, csv.Error) as error:
        print(f"bench_pairs: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
