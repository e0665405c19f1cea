"""`tiswatch demo-market` in a subprocess: it serves until Ctrl-C and can write the truth file."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.demo_market.pages import fetch

# `tiswatch demo-market` as a server process.
pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]


def test_demo_market_command_serves_until_interrupted(tmp_path):
    truth = tmp_path / "truth.jsonl"
    command = [
        sys.executable,
        "-m",
        "tiswatch.cli",
        "demo-market",
        "--port",
        "0",
        "--size",
        "320",
        "--seed",
        "9",
        "--block-shopee",
        "ไฟแช็ก",
        "--truth",
        str(truth),
    ]
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = []
        for line in process.stdout:  # the banner ends with the blocked-keywords line
            lines.append(line)
            if "Shopee blocked" in line:
                break
        banner = "".join(lines)
        base_url = re.search(r"serving on (http://127\.0\.0\.1:\d+)", banner).group(1)
        assert "320 listings" in banner and "Shopee blocked (hard) for: ไฟแช็ก" in banner
        assert fetch(f"{base_url}/robots.txt").status == 200
        blocked = fetch(f"{base_url}/api/v4/search/search_items?keyword={quote('ไฟแช็ก')}")
        assert blocked.status == 403 and blocked.json()["error"] == 90309999
    finally:
        process.send_signal(signal.SIGINT)
        try:
            _, err = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()  # never leave the server behind; the test fails below
            _, err = process.communicate()
    assert process.returncode == 0, err
    records = [json.loads(line) for line in truth.read_text(encoding="utf-8").splitlines()]
    assert {r["platform"] for r in records} == {"shopee", "lazada", "shop"}
    assert {r["verdict"] for r in records} == {
        "certified",
        "uncertified",
        "invalid_licence",
        "unverifiable",
        "not_regulated",
    }


def test_demo_market_command_reports_a_port_it_cannot_bind(tmp_path):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "tiswatch.cli", "demo-market", "--port", str(port), "--size", "300"],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    assert f"127.0.0.1:{port}" in result.stderr
