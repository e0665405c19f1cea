"""`tiswatch demo` (what `make demo` runs), end to end: demo market → spiders → full pipeline → export."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_demo_crawls_the_demo_market_and_writes_the_export(tmp_path):
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "tiswatch.cli", "demo", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]

    for name in (
        "tiswatch.sqlite",
        "flagged.csv",
        "flagged.xlsx",
        "listings.jsonl",
        "summary.json",
        "demo.log",
    ):
        assert (out / name).is_file(), name
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    rows = [json.loads(line) for line in (out / "listings.jsonl").read_text(encoding="utf-8").splitlines()]
    assert summary["status"] == "complete"
    assert summary["blocked"] == summary["failed"] == summary["parse_errors"] == 0
    assert set(summary["crawls"]) == {"shopee", "lazada"}
    assert summary["listings"] == len(rows) > 300
    assert {row["platform"] for row in rows} == {"shopee", "lazada"}
    assert len({(row["platform"], row["listing_id"]) for row in rows}) == len(rows)
    # Every verdict of the design appears, and the flagged ones are exported for review.
    verdicts = summary["verdicts"]
    assert all(
        verdicts.get(name, 0) > 0
        for name in ("certified", "uncertified", "invalid_licence", "unverifiable", "not_regulated")
    )
    flagged = sum(1 for row in rows if row["verdict"] and row["verdict"]["flagged"])
    assert summary["flagged"] == flagged > 0
    sheet = load_workbook(out / "flagged.xlsx", read_only=True).worksheets[0]
    assert sum(1 for _ in sheet.iter_rows()) - 1 == flagged  # one row per flagged listing under the header

    with sqlite3.connect(out / "tiswatch.sqlite") as db:
        assert db.execute("select count(*) from runs").fetchone()[0] == 2
        assert db.execute("select count(*) from listings").fetchone()[0] == len(rows)

    printed = result.stdout
    assert "pages fetched" in printed and "flagged" in printed and "duration" in printed
    assert str(out / "flagged.xlsx") in printed
