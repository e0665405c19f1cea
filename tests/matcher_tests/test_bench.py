"""The benchmark commands run end to end on small inputs (figures come from real runs, not tests)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from benchmarks import pairs as pair_bench
from benchmarks import speed as speed_bench
from benchmarks.pairs import main
from matchers import pairs


def _write(path: Path, rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_pairs_protocol(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    left = _write(
        tmp_path / "a.csv",
        [
            ["id", "name", "description", "price"],
            ["0", "sony turntable pslx350h", "belt drive", "99.0"],
            ["1", "panasonic dvd recorder dmrea38vk", "", ""],
            ["2", "canon black ink cartridge pg40bk", "", "20"],
        ],
    )
    right = _write(
        tmp_path / "b.csv",
        [
            ["id", "title", "manufacturer", "price"],
            ["0", "sony ps-lx350h turntable", "sony", "$95.00"],
            ["1", "panasonic dmr-ea38vk dvd/vcr combo", "panasonic", ""],
            ["2", "canon cli-8 red ink tank 0626b002", "canon", "15"],
        ],
    )
    pairs = _write(
        tmp_path / "pairs.csv",
        [
            ["ltable_id", "rtable_id", "label"],
            ["0", "0", "1"],
            ["0", "1", "0"],
            ["1", "1", "1"],
            ["1", "0", "0"],
            ["2", "2", "0"],
        ],
    )
    out = tmp_path / "decisions.csv"

    assert main(["--left", str(left), "--right", str(right), "--pairs", str(pairs), "--out", str(out)]) == 0

    with open(out, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["ltable_id", "rtable_id", "score", "match"]
    assert [(r["ltable_id"], r["rtable_id"], r["match"]) for r in rows] == [
        ("0", "0", "1"),
        ("0", "1", "0"),
        ("1", "1", "1"),
        ("1", "0", "0"),
        ("2", "2", "0"),
    ]
    assert "precision=100.00 recall=100.00 F1=100.00" in capsys.readouterr().out


def _record(title: str, **values: str) -> pairs.Record:
    return pairs.make_record("r", {"title": title, **values})


def _codes(left: str, right: str, **values: str) -> pairs.CodeAgreement:
    return pairs._code_agreement(_record(left), _record(right, **values))


def test_codes_agree_across_separators_spaces_and_brand_prefixes() -> None:
    assert _codes("sony turntable pslx350h", "sony ps-lx350h turntable").same
    # a code split by a space on one side is found inside the other's compacted title
    assert _codes("panasonic dvd recorder dmrea38vk", "panasonic dmr ea38vk dvd/vcr combo").contained
    # a code glued to a brand prefix (`dei14230`) still holds the plain one
    assert _codes("directed 50ft extension cable 14230", "sirius extension cable dei14230").contained
    # or only the other's description names it
    found = _codes(
        "netgear prosafe jfs516 ethernet switch",
        "netgear prosafe 16 port switch",
        description="netgear prosafe 16 port 10/100 rackmount switch - jfs516na",
    )
    assert found.in_description and not found.contained


def test_the_most_specific_code_decides() -> None:
    black, white = "sony dvp-fx820 black dvd player dvpfx820", "sony dvp-fx820 dvd player dvpfx820/w"
    found = _codes(black, white)
    assert not found.same and found.same_base and found.variant
    assert _codes(black, "sony dvp-fx820 portable dvd player dvpfx820").same


def test_conflicting_unrelated_and_other_kinds_of_code() -> None:
    assert _codes("samsung ln46a650 lcd hdtv", "samsung ln46a860 lcd tv").conflict
    assert _codes("sony headphones mdrex85lp", "sony camera dsct300").unrelated
    # a model code against a catalogue number: two numbering schemes, not a disagreement
    found = _codes("logitech harmony 890 remote h890", "logitech harmony 890 remote 966193-0403")
    assert found.other_kind and not found.unrelated and not found.conflict
    same = _codes("bose speaker am53bk", "bose speaker am53bk")
    assert same.same and not any(same[1:])


def test_specifications_are_not_codes() -> None:
    record = _record("lacie 500gb 1080p 10/100 24-port 5.1 switch 1920x1080 f3h982-10")
    assert record.codes == {"f3h98210"}


def test_rare_shared_words_weigh_more_than_common_ones() -> None:
    left = {str(i): _record(f"klipsch wireless speaker model{i}") for i in range(20)}
    left["x"] = _record("klipsch black wireless ipod speaker roomgroove")
    right = {"y": _record("klipsch roomgroove wireless ipod speaker system 1006602")}
    corpus = pairs.Corpus.of(left, right)
    assert corpus.weight("roomgroove") > corpus.weight("speaker")
    common = pairs._rarest_shared(left["0"], right["y"], corpus)
    assert pairs._rarest_shared(left["x"], right["y"], corpus) > common
    assert pairs._idf_cosine(left["x"], right["y"], corpus) > pairs._idf_cosine(left["0"], right["y"], corpus)


def test_features_name_colour_and_price_disagreement() -> None:
    corpus = pairs.Corpus.of({"a": _record("x")})
    row = dict(
        zip(
            pairs.FEATURES,
            pairs.features(
                _record("sony cyber-shot black camera", price="100"),
                _record("sony cyber-shot red camera", price="$300.00"),
                corpus,
            ),
            strict=True,
        )
    )
    assert row["colour_conflict"] == 1.0 and row["brand_agrees"] == 1.0
    assert row["price_far"] > 1.0
    assert len(pairs.DEFAULT_WEIGHTS) == len(pairs.FEATURES)


def test_a_match_is_the_best_candidate_of_both_records() -> None:
    keys = [("a", "x"), ("b", "x"), ("b", "y"), ("c", "y"), ("d", "z")]
    scores = [0.9, 0.8, 0.6, 0.5, 0.3]
    # b-x loses to a-x (x's best); b-y to b-x (b's best); c-y to b-y (y's best); d-z is below threshold
    assert pairs.decide(keys, scores, 0.4) == [1, 0, 0, 0, 0]
    assert pairs.decide(keys, scores, 0.2) == [1, 0, 0, 0, 1]


def test_fitting_learns_which_way_a_feature_points() -> None:
    rows = [[1.0, x / 10, (x * 7) % 10 / 10] for x in range(10)] * 5
    labels = [int(row[1] > 0.55) for row in rows]
    weights = pair_bench.fit_weights(rows, labels)
    assert weights[1] > 5 and abs(weights[2]) < abs(weights[1]) / 2
    assert pairs.predict(weights, [1.0, 0.9, 0.0]) > 0.5 > pairs.predict(weights, [1.0, 0.1, 0.0])
    keys = [(f"l{i}", f"r{i}") for i in range(len(rows))]
    threshold = pair_bench.choose_threshold(keys, rows, labels)
    assert 0.05 <= threshold <= 0.95
    assert threshold == pair_bench.choose_threshold(keys, rows, labels)  # deterministic
    scores = [pairs.predict(weights, row) for row in rows]
    assert pairs.decide(keys, scores, threshold) == labels


def test_pairs_fit_refits_weights_and_threshold(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    products = [f"brand{i} gadget model{i}x{i}" for i in range(12)]
    left = _write(tmp_path / "a.csv", [["id", "title"], *[[str(i), p] for i, p in enumerate(products)]])
    right = _write(
        tmp_path / "b.csv", [["id", "name"], *[[str(i), f"{p} new"] for i, p in enumerate(products)]]
    )
    labelled = [["ltable_id", "rtable_id", "label"]]
    for i in range(12):
        labelled += [
            [str(i), str(i), "1"],
            [str(i), str((i + 1) % 12), "0"],
            [str(i), str((i + 5) % 12), "0"],
        ]
    train = _write(tmp_path / "train.csv", labelled)
    out = tmp_path / "d.csv"
    args = ["--left", str(left), "--right", str(right), "--pairs", str(train), "--out", str(out)]
    assert main([*args, "--fit", str(train)]) == 0
    printed = capsys.readouterr().out
    assert "fitted on 36 labelled pairs" in printed and "code_same=" in printed
    assert "precision=100.00 recall=100.00 F1=100.00" in printed


def test_pairs_reports_an_unknown_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = _write(tmp_path / "t.csv", [["id", "name"], ["0", "x 100"]])
    pairs = _write(tmp_path / "p.csv", [["ltable_id", "rtable_id"], ["0", "9"]])
    code = main(
        [
            "--left",
            str(table),
            "--right",
            str(table),
            "--pairs",
            str(pairs),
            "--out",
            str(tmp_path / "d.csv"),
        ]
    )
    assert code == 1
    assert "names an id missing" in capsys.readouterr().err


def test_speed_runs_and_reports(capsys: pytest.CaptureFixture[str]) -> None:
    assert speed_bench.main(["--licences", "2000", "--listings", "300", "--baseline-sample", "2"]) == 0
    out = capsys.readouterr().out
    assert "registry: 2000 licences; listings: 300" in out
    assert "listings/s" in out and "speed-up vs naive" in out and "peak memory" in out
