"""The benchmark commands run end to end on small inputs (figures come from real runs, not tests)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from matchers.bench.__main__ import main


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

    assert (
        main(["pairs", "--left", str(left), "--right", str(right), "--pairs", str(pairs), "--out", str(out)])
        == 0
    )

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


def test_pairs_reports_an_unknown_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = _write(tmp_path / "t.csv", [["id", "name"], ["0", "x 100"]])
    pairs = _write(tmp_path / "p.csv", [["ltable_id", "rtable_id"], ["0", "9"]])
    code = main(
        [
            "pairs",
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
    assert main(["speed", "--licences", "2000", "--listings", "300", "--baseline-sample", "2"]) == 0
    out = capsys.readouterr().out
    assert "registry: 2000 licences; listings: 300" in out
    assert "listings/s" in out and "speed-up vs naive" in out and "peak memory" in out
