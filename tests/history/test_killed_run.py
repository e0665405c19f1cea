"""`kill -9` in the middle of a real crawl (`tiswatch crawl shopee` in a subprocess) leaves whole listings
only, and a rerun neither duplicates nor loses anything. SQLite and PostgreSQL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from crawler.demo_market import DemoMarket
from pipelines.store import HistoryStore
from pipelines.store.models import ABANDONED, COMPLETE, RUNNING, ListingRecord, Observation, Verdict

pytestmark = pytest.mark.slow


def crawl_command(market: DemoMarket, out: Path, db_url: str, *settings: str) -> list[str]:
    command = [
        sys.executable, "-m", "tiswatch.cli", "crawl", "shopee", "-a", f"base_url={market.base_url}",
        "--out", str(out), "--db", db_url, "-L", "WARNING", "-s", "AUTOTHROTTLE_ENABLED=False",
    ]  # fmt: skip
    for setting in settings:
        command += ["-s", setting]
    return command


def observation_count(store: HistoryStore) -> int:
    with store.session() as session:
        return int(session.execute(select(func.count()).select_from(Observation)).scalar_one())


def test_killed_crawl_then_rerun(db_url: str, tmp_path: Path) -> None:
    store = HistoryStore.from_url(db_url)  # schema first, so polling below can read while the crawl writes
    with DemoMarket() as market:
        # Slow and serial, so the kill lands mid-crawl with listings still to come.
        slow = crawl_command(
            market, tmp_path / "killed", db_url, "DOWNLOAD_DELAY=0.25", "CONCURRENT_REQUESTS_PER_DOMAIN=1"
        )
        process = subprocess.Popen(slow, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 120
        try:
            while observation_count(store) < 40:
                assert process.poll() is None, f"the crawl ended before it could be killed: {process.stderr}"
                assert time.monotonic() < deadline, "the crawl stored nothing in 120 s"
                time.sleep(0.2)
        finally:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
        assert process.returncode == -signal.SIGKILL

        [killed] = store.runs()
        assert killed.status == RUNNING and killed.finished_at is None
        with store.session() as session:
            before = {
                (platform, listing_id, price, verdict)
                for platform, listing_id, price, verdict in session.execute(
                    select(
                        ListingRecord.platform, ListingRecord.listing_id, Observation.price, Verdict.verdict
                    )
                    .join(Observation, Observation.listing_key == ListingRecord.id)
                    .join(Verdict, Observation.verdict_id == Verdict.id)
                )
            }
            listings_before = session.execute(select(func.count()).select_from(ListingRecord)).scalar_one()
        # Whole listings only: each stored listing has its observation and its verdict.
        assert listings_before == len(before) >= 40

        fast = crawl_command(
            market, tmp_path / "rerun", db_url, "DOWNLOAD_DELAY=0", "CONCURRENT_REQUESTS_PER_DOMAIN=8"
        )
        done = subprocess.run(fast, cwd=tmp_path, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-3000:]

    runs = store.runs()
    # The rerun's start found the killed run's process dead and marked it abandoned.
    assert [run.status for run in runs] == [ABANDONED, COMPLETE]
    rerun = runs[1]
    with store.session() as session:
        listings = session.execute(select(func.count()).select_from(ListingRecord)).scalar_one()
        distinct = session.execute(
            select(func.count()).select_from(
                select(ListingRecord.platform, ListingRecord.listing_id).distinct().subquery()
            )
        ).scalar_one()
        per_run = dict(
            session.execute(select(Observation.run_id, func.count()).group_by(Observation.run_id)).all()
        )
        after = {
            (platform, listing_id, price, verdict)
            for platform, listing_id, price, verdict in session.execute(
                select(ListingRecord.platform, ListingRecord.listing_id, Observation.price, Verdict.verdict)
                .join(Observation, Observation.listing_key == ListingRecord.id)
                .join(Verdict, Observation.verdict_id == Verdict.id)
                .where(Observation.run_id == killed.id)
            )
        }
        unjudged = session.execute(
            select(func.count()).select_from(Observation).where(Observation.verdict_id.is_(None))
        ).scalar_one()
    assert listings == distinct  # no duplicate listing
    assert after == before  # nothing the killed run committed was lost or changed
    assert per_run[killed.id] == len(before)
    # The rerun saw the whole site: every listing once, including all the killed run had stored.
    assert per_run[rerun.id] == listings == rerun.summary["listings"]
    assert unjudged == 0
    # The killed run is not the baseline of the rerun (it saw only part of the site).
    assert rerun.summary["baseline_run_id"] is None
