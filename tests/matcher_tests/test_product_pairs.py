"""The product pair matcher (`matchers/product_pairs.py`) and its benchmark command
(`benchmarks/bench_pairs.py`), on records in the public benchmarks' shapes."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks import bench_pairs
from matchers.product_pairs import (
    PAIR_FEATURES,
    Corpus,
    PairModel,
    decide,
    features,
    load_model,
    make_product,
    model_path,
    neighbourhoods,
    pair_features,
)
from tests.conftest import SHARED

BENCH = SHARED / "bench"
CAMERAS = {
    "a1": {"title": "sony cyber-shot dsc-w150 8.1mp digital camera silver", "price": "199.99"},
    "a2": {"title": "sony cyber-shot dsc-w170 10.1mp digital camera black", "price": "249.99"},
    "a3": {"title": "canon powershot sd1100 is 8mp digital elph camera blue", "price": "229.00"},
}
SHOP_B = {
    "b1": {"title": "Sony Cybershot DSCW150 Silver 8 Megapixel Digital Camera", "price": "189.00"},
    "b2": {"title": "Sony DSC-W170/B 10.1 MP Cyber-shot Camera (Black)", "price": "259.00"},
    "b3": {"title": "Canon PowerShot SD1100IS Digital ELPH (Blue)", "price": "219.95"},
}


def _prepared() -> tuple[dict, dict, Corpus, tuple]:
    left = {key: make_product(values) for key, values in CAMERAS.items()}
    right = {key: make_product(values) for key, values in SHOP_B.items()}
    corpus = Corpus.of([*left.values(), *right.values()])
    return left, right, corpus, neighbourhoods(left, right, corpus)


# The models for records that are a title and a price (walmart_amazon's expects brand and model columns,
# amazon_google's is for software titles).
@pytest.mark.parametrize("name", ["general", "abt_buy"])
def test_shipped_model_ranks_same_model_above_sibling(name: str) -> None:
    """The model scores every camera highest with its own listing, not with its sibling model, and a
    listing repeated word for word is a match."""
    left, right, corpus, near = _prepared()
    model = load_model(name)
    for a in left:
        scores = model.scores([pair_features(a, b, left[a], right[b], corpus, near) for b in right])
        assert max(zip(scores, right, strict=True))[1] == "b" + a[1:]
    twin = {"a1": left["a1"]}
    copy = {"c1": make_product(CAMERAS["a1"])}
    corpus = Corpus.of([*left.values(), *right.values(), copy["c1"]])
    score = model.scores(
        [pair_features("a1", "c1", twin["a1"], copy["c1"], corpus, neighbourhoods(twin, copy, corpus))]
    )
    assert decide([("a1", "c1")], score, model.threshold) == [True]


words = st.lists(st.sampled_from(["sony", "dsc-w150", "8.1mp", "camera", "silver", "black", "2007", "pro"]))


@settings(max_examples=50, deadline=None)
@given(words, words)
def test_features_do_not_depend_on_order(a: list[str], b: list[str]) -> None:
    left, right = make_product({"title": " ".join(a)}), make_product({"title": " ".join(b)})
    corpus = Corpus.of([left, right])
    forward, backward = features(left, right, corpus), features(right, left, corpus)
    assert len(forward) == len(PAIR_FEATURES)
    for x, y in zip(forward, backward, strict=True):
        assert (math.isnan(x) and math.isnan(y)) or x == pytest.approx(y)


def test_model_fitted_on_other_features_is_refused(tmp_path: Path) -> None:
    data = json.loads(model_path("general").read_text(encoding="utf-8"))
    data["features"] = data["features"][:-1]
    stale = tmp_path / "pairs_stale.json"
    stale.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match="refit"):
        PairModel.load(stale)


def _small_dataset(folder: Path, rows: int) -> Path:
    """The first `rows` labelled pairs of Abt-Buy's train and valid splits, with the full tables."""
    source = BENCH / "abt_buy"
    folder.mkdir()
    for table in ("tableA.csv", "tableB.csv"):
        (folder / table).write_bytes((source / table).read_bytes())
    for split in ("train", "valid"):
        with open(source / f"{split}.csv", encoding="utf-8", newline="") as handle:
            lines = list(csv.reader(handle))
        with open(folder / f"{split}.csv", "w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(lines[: rows + 1])
    return folder


def test_bench_fits_on_train_and_scores_valid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dataset = _small_dataset(tmp_path / "abt_small", 600)
    models = tmp_path / "models"
    code = bench_pairs.main(["--dataset", str(dataset), "--fit", "--models-dir", str(models)])
    out = capsys.readouterr().out
    assert code == 0
    assert (models / "pairs_abt_small.json").exists()
    assert "train 5-fold CV F1=" in out
    assert "abt_small valid (model abt_small): pairs=600 " in out and " F1=" in out
    assert PairModel.load(models / "pairs_abt_small.json").fitted_on == "abt_small/train"


def test_bench_names_a_pair_with_an_unknown_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dataset = _small_dataset(tmp_path / "abt_bad", 5)
    with open(dataset / "valid.csv", "a", encoding="utf-8") as handle:
        handle.write("999999,0,1\n")
    code = bench_pairs.main(["--dataset", str(dataset), "--model", "abt_buy"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1
    assert len(err) == 1 and "valid.csv" in err[0] and "999999" in err[0]
