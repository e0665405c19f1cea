"""The API judges exactly as `tiswatch match`: the dev set through both, every verdict field equal."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import httpx

from tests.api_tests.conftest import DEV


def test_dev_set_verdicts_equal_tiswatch_match(client: httpx.Client, tmp_path: Path) -> None:
    out = tmp_path / "verdicts.jsonl"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "tiswatch.cli",
            "match",
            "--registry",
            str(DEV / "registry.csv"),
            "--listings",
            str(DEV / "listings.jsonl"),
            "--out",
            str(out),
        ],
        check=True,
        capture_output=True,
    )
    expected = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    listings = [
        json.loads(line) for line in (DEV / "listings.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert len(expected) == len(listings) == 432

    answered = client.post("/check/batch", json={"listings": listings}).json()["results"]
    fields = ("listing_id", "verdict", "flagged", "tis_number", "licence_no", "score", "reasons")
    assert [{name: a[name] for name in fields} for a in answered] == expected
    # Single checks give the same answers as the batch.
    for listing, answer in list(zip(listings, answered, strict=True))[::40]:
        assert client.post("/check", json=listing).json() == answer
