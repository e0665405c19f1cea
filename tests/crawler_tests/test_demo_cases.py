"""Cases over real crawls: `tiswatch demo` twice into one history gives every listing the same case id in
both exports, and the demo market's cross-platform twins (one catalogue entry on Shopee and Lazada) share
one case while no case holds two products."""

from __future__ import annotations

import csv
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from crawler.demo_market.catalogue import build_catalogue

REPO = Path(__file__).resolve().parents[2]


def _demo(db_url: str, out: Path) -> dict[tuple[str, str], str]:
    result = subprocess.run(
        [sys.executable, "-m", "tiswatch.cli", "demo", "--db", db_url, "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    with (out / "flagged.csv").open(encoding="utf-8-sig", newline="") as handle:
        return {(row["platform"], row["listing_id"]): row["case_id"] for row in csv.DictReader(handle)}


@pytest.mark.slow
def test_two_demo_crawls_keep_every_case_id_and_join_the_twins(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'history.sqlite'}"
    first = _demo(db_url, tmp_path / "first")
    second = _demo(db_url, tmp_path / "second")
    assert first == second  # same listings seen again: same case ids, same rows

    entry_of = {
        (platform, entry.listing_id(platform)): entry.index
        for entry in build_catalogue()
        for platform in entry.platforms
    }
    cases_of_entry: dict[int, set[str]] = defaultdict(set)
    entries_of_case: dict[str, set[int]] = defaultdict(set)
    for key, case in first.items():
        cases_of_entry[entry_of[key]].add(case)
        entries_of_case[case].add(entry_of[key])
    assert all(len(cases) == 1 for cases in cases_of_entry.values())
    assert all(len(entries) == 1 for entries in entries_of_case.values())
    twins = [case for case in entries_of_case if sum(1 for c in first.values() if c == case) > 1]
    assert len(twins) > 20  # the demo export holds many products flagged on both platforms
