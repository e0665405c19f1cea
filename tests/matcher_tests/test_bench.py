"""The speed benchmark command runs end to end on small inputs (figures come from real runs, not tests).
The pair matcher's benchmark is tested in test_product_pairs.py."""

from __future__ import annotations

import pytest

from benchmarks import speed as speed_bench


def test_speed_runs_and_reports(capsys: pytest.CaptureFixture[str]) -> None:
    assert speed_bench.main(["--licences", "2000", "--listings", "300", "--baseline-sample", "2"]) == 0
    out = capsys.readouterr().out
    assert "registry: 2000 licences; listings: 300" in out
    assert "listings/s" in out and "speed-up vs naive" in out and "peak memory" in out
