"""`tiswatch crawl` as cron and people run it: a subprocess against the demo marketplace on 127.0.0.1."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crawler.demo_market import DemoMarket
from tiswatch.cli.crawl import run_lock

# Politeness delays are for real sites; the demo market is ours, on loopback.
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY_JITTER=0"]
# Every test runs `tiswatch crawl` in a subprocess.
pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]


def tiswatch(*args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tiswatch.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=REPO,
    )


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_blocked_keyword_is_reported_blocked_and_the_run_exits_non_zero(tmp_path):
    out = tmp_path / "out"
    with DemoMarket(port=0, blocked_shopee={"ปลั๊กพ่วง"}) as market:
        result = tiswatch(
            "crawl",
            "shopee",
            "-a",
            f"base_url={market.base_url}",
            "-a",
            "keywords=ปลั๊กพ่วง,หมวกกันน็อค",
            "--out",
            str(out),
            "--db",
            f"sqlite:///{tmp_path / 'runs.sqlite'}",
            *FAST,
        )
        helmets = len(market.catalogue.search("หมวกกันน็อค", "shopee"))
    assert result.returncode == 1, result.stderr[-3000:]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["status"] == "blocked"
    assert summary["blocked"] == 1
    blocked, helmet = summary["keywords"]["ปลั๊กพ่วง"], summary["keywords"]["หมวกกันน็อค"]
    assert (blocked["status"], blocked["blocked"], blocked["listings"]) == ("blocked", 1, 0)
    assert helmet["status"] == "complete" and helmet["listings"] == helmets > 0
    assert "BLOCKED" in result.stdout and "ปลั๊กพ่วง" in result.stdout
    # The unblocked keyword's listings went through the whole pipeline: stored, matched, exported.
    rows = read_jsonl(out / "listings.jsonl")
    assert len(rows) == helmets
    assert all(row["platform"] == "shopee" and row["verdict"]["verdict"] for row in rows)
    with sqlite3.connect(tmp_path / "runs.sqlite") as db:
        assert db.execute("select count(*) from runs").fetchone()[0] == 1


def test_a_clean_crawl_exits_zero_and_writes_listings_and_summary(tmp_path):
    out = tmp_path / "out"
    with DemoMarket(port=0) as market:
        result = tiswatch(
            "crawl",
            "lazada",
            "-a",
            f"base_url={market.base_url}",
            "-a",
            "standards=2432-2555",
            "-a",
            "max_pages=2",
            "--out",
            str(out),
            "--db",
            f"sqlite:///{tmp_path / 'runs.sqlite'}",
            *FAST,
        )
    assert result.returncode == 0, result.stderr[-3000:]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["status"] == "complete" and summary["blocked"] == summary["failed"] == 0
    assert summary["listings"] > 0
    assert summary["pages_fetched"] > summary["listings"]  # catalog pages + one product page per listing
    assert set(summary["keywords"]) >= {"ปลั๊กพ่วง"}
    assert all(entry["standards"] == ["2432-2555"] for entry in summary["keywords"].values())
    rows = read_jsonl(out / "listings.jsonl")
    assert len(rows) == summary["listings"] == len({row["listing_id"] for row in rows})
    assert summary["verdicts"] and sum(summary["verdicts"].values()) == len(rows)
    assert "COMPLETE" in result.stdout


def test_bad_arguments_are_usage_errors(tmp_path):
    result = tiswatch("crawl", "lazada", "-a", "standards", "--out", str(tmp_path))
    assert result.returncode == 2 and "NAME=VALUE" in result.stderr
    result = tiswatch("crawl", "--out", str(tmp_path))
    assert result.returncode == 2


def test_unknown_standard_is_a_usage_error_before_scrapy_starts(tmp_path):
    """A spider argument the spider refuses is one line and exit 2; nothing is crawled or written."""
    result = tiswatch(
        "crawl",
        "lazada",
        "-a",
        "base_url=http://127.0.0.1:9",
        "-a",
        "standards=9999-2599",
        "--out",
        str(tmp_path / "out"),
        "--db",
        f"sqlite:///{tmp_path / 'runs.sqlite'}",
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("tiswatch crawl: lazada: ") and "9999-2599" in lines[0]
    assert not (tmp_path / "out").exists() and not (tmp_path / "runs.sqlite").exists()


def test_crawl_all_does_not_start_while_another_run_holds_the_lock(tmp_path):
    state = tmp_path / "state"
    with run_lock(state / "crawl.lock"):
        result = tiswatch(
            "crawl",
            "--all",
            "--state-dir",
            str(state),
            "--out",
            str(tmp_path / "out"),
            "--db",
            f"sqlite:///{tmp_path / 'runs.sqlite'}",
        )
    assert result.returncode == 3
    assert "crawl.lock" in result.stderr and str(os.getpid()) in result.stderr


def test_plans_file_errors_are_reported(tmp_path):
    plans = tmp_path / "plans.toml"
    plans.write_text('[[plan]]\nspider = "lazada"\n[[plan]]\nspider = "lazada"\n', encoding="utf-8")
    result = tiswatch("crawl", "--all", "--plans", str(plans), "--state-dir", str(tmp_path / "state"))
    assert result.returncode == 2 and "unique" in result.stderr


def test_crawl_all_resumes_a_cleanly_stopped_run_from_its_jobdir(tmp_path):
    state, out, db = tmp_path / "state", tmp_path / "out", tmp_path / "runs.sqlite"
    with DemoMarket(port=0) as market:
        plans = tmp_path / "plans.toml"
        plans.write_text(
            "[[plan]]\n"
            'name = "lazada-plugs"\n'
            'spider = "lazada"\n'
            f'arguments = {{ base_url = "{market.base_url}", standards = "2432-2555", max_pages = 5 }}\n',
            encoding="utf-8",
        )
        expected = {
            entry.listing_id("lazada")
            for keyword in ("ปลั๊กพ่วง", "รางปลั๊กไฟ", "รางปลั๊ก", "ปลั๊กไฟ", "ชุดสายพ่วง")
            for entry in market.catalogue.search(keyword, "lazada")[:200]
        }
        command = [
            sys.executable,
            "-m",
            "tiswatch.cli",
            "crawl",
            "--all",
            "--plans",
            str(plans),
            "--state-dir",
            str(state),
            "--out",
            str(out),
            "--db",
            f"sqlite:///{db}",
            "-s",
            "DOWNLOAD_DELAY=0.05",
            "-s",
            "AUTOTHROTTLE_ENABLED=False",
            "-s",
            "CONCURRENT_REQUESTS_PER_DOMAIN=1",
        ]
        first = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while market.request_counts()["lazada_product"] < 15 and time.monotonic() < deadline:
            time.sleep(0.05)
        first.send_signal(signal.SIGINT)  # a clean stop, as `kill -INT` from an operator
        _, first_err = first.communicate(timeout=60)
        first_summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
        assert first.returncode == 1, first_err[-3000:]
        crawl = first_summary["crawls"]["lazada-plugs"]
        assert crawl["finish_reason"] == "shutdown" and crawl["status"] == "interrupted"
        assert (state / "jobs" / "lazada-plugs").is_dir()
        fetched_first = market.request_counts()["lazada_product"]
        # The database and the workbook say the same as the console and summary.json, and the stop
        # marks nothing gone.
        from openpyxl import load_workbook

        from pipelines.store import HistoryStore

        [stopped] = HistoryStore.from_url(f"sqlite:///{db}").runs()
        assert (stopped.status, stopped.finish_reason) == ("interrupted", "shutdown")
        assert stopped.summary["gone"] == 0 and not stopped.summary["gone_assessed"]
        sheet = load_workbook(out / "flagged.xlsx")["run summary"]
        statuses = [row[1] for row in sheet.iter_rows(values_only=True) if row and row[0] == "status"]
        assert statuses == ["interrupted"]

        second = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=180)
    assert second.returncode == 0, second.stderr[-3000:]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))["crawls"]["lazada-plugs"]
    assert summary["resumed"] is True and summary["finish_reason"] == "finished"
    assert not (state / "jobs" / "lazada-plugs").exists()  # finished: the next run starts afresh
    [resumed] = HistoryStore.from_url(f"sqlite:///{db}").runs()  # the same run, continued
    assert (resumed.id, resumed.status, resumed.finish_reason) == (stopped.id, "complete", "finished")
    # Counts carry over the stop: the resumed summary covers the whole crawl…
    assert summary["listings"] == len(expected)
    # …and the pages fetched before the stop were not fetched again (allowing those in flight).
    assert market.request_counts()["lazada_product"] <= len(expected) + 2
    assert fetched_first < len(expected)
    with sqlite3.connect(db) as connection:
        stored = {
            row[0] for row in connection.execute("select listing_id from listings where platform='lazada'")
        }
    assert stored == expected
