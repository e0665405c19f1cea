"""A campaign finishes itself: the workers given `--out` see it drained and one of them finishes it,
once for the whole fleet (one run closed, one export, one alert); `campaign finish` afterwards only
reports it. Real redis-server, PostgreSQL and the demo marketplace, as in `test_campaign.py`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from crawler.demo_market import DemoMarket
from pipelines.fetch_log import read_fetch_log
from standards_data.database import normalise_db_url
from tests.cluster_tests.conftest import run_tiswatch
from tests.cluster_tests.receivers import WebhookReceiver
from tests.cluster_tests.test_campaign import (
    run_rows,
    start_campaign,
    start_worker,
    status,
    stop,
    stored_listings,
    write_plans,
)

pytestmark = pytest.mark.slow


def test_two_workers_finish_a_drained_campaign_once(redis_url: str, pg_url: str, tmp_path: Path) -> None:
    out = tmp_path / "exports"
    with DemoMarket(port=0, blocked_shopee={"ปลั๊กพ่วง"}) as blocking, WebhookReceiver() as webhook:
        plans = write_plans(tmp_path / "plans.toml", blocking.base_url, spiders=("shopee",))
        # The alert channel is the campaign's (`campaign start -s`): whichever worker finishes uses it.
        campaign_id = start_campaign(
            tmp_path, plans, redis_url, pg_url,
            "-s", "TISWATCH_FLEET_DELAY=0.02", "-s", f"TISWATCH_ALERT_WEBHOOK_URL={webhook.url}",
        )  # fmt: skip
        before = status(tmp_path, redis_url, pg_url)
        workers = [
            start_worker(tmp_path, redis_url, pg_url, name, "--until-idle", "--out", str(out))
            for name in ("worker-a", "worker-b")
        ]
        try:
            exits = [worker.wait(timeout=300) for worker in workers]
            outputs = [worker.communicate()[0] for worker in workers]
        finally:
            stop(workers)
        payloads = list(webhook.payloads)

    assert before["status"] == "active" and before["finish"]["finishers"] == {}
    assert exits == [0, 0], outputs
    finishers = [output for output in outputs if f"finished campaign {campaign_id}" in output]
    assert len(finishers) == 1, outputs
    # One run, closed once, with the blocked keyword's coverage; its export where the worker was told.
    assert [(spider, state) for _, spider, state in run_rows(pg_url)] == [("campaign", "incomplete")]
    export = out / campaign_id
    assert {"flagged.csv", "flagged.xlsx", "summary.json"} <= {path.name for path in export.iterdir()}
    assert [other for other in out.iterdir()] == [export]
    stored = stored_listings(pg_url)
    assert stored and len(stored) == len(set(stored))
    assert len(payloads) == 1 and payloads[0]["campaign"] == campaign_id  # the alert went out once
    summary = json.loads((export / "summary.json").read_text(encoding="utf-8"))

    # The fetch log is the history's table: every page the fleet fetched, named by worker and campaign.
    engine = create_engine(normalise_db_url(pg_url))
    logged = list(read_fetch_log(engine, campaign=campaign_id))
    engine.dispose()
    assert {row.run_id for row in logged} == {summary["run_id"]}
    assert {row.worker for row in logged} <= {"worker-a", "worker-b"}
    pages = [row for row in logged if "/api/v4/search/" in row.url]
    answered = [row for row in pages if row.outcome == "ok"]
    blocked = [row for row in pages if row.outcome == "http_403"]  # the demo market's hard block
    assert len(answered) == summary["pages_fetched"] and len(blocked) == summary["blocked"] > 0
    assert all(row.sha256 and row.duration_ms is not None and row.size > 0 for row in pages)

    after = status(tmp_path, redis_url, pg_url)
    assert after["status"] == "finished" and after["finish"]["result"] == "blocked"
    assert after["finish"]["finished_by"] in ("worker-a", "worker-b")
    assert after["finish"]["export_dir"] == str(export.resolve())
    # Finishing again is no error: it reports the finished campaign, with its exit status (incomplete).
    again = run_tiswatch(
        tmp_path, "campaign", "finish", "--redis", redis_url, "--db", pg_url, "--out", str(tmp_path / "x")
    )
    assert again.returncode == 1, again.stdout + again.stderr
    assert "already finished" in again.stdout and campaign_id in again.stdout
    assert not (tmp_path / "x").exists()
    assert len(run_rows(pg_url)) == 1


def test_without_out_the_status_says_who_finishes(redis_url: str, pg_url: str, tmp_path: Path) -> None:
    with DemoMarket(port=0) as market:
        plans = write_plans(tmp_path / "plans.toml", market.base_url, spiders=("shopee",))
        start_campaign(tmp_path, plans, redis_url, pg_url, "-s", "TISWATCH_FLEET_DELAY=0.02")
        worker = start_worker(tmp_path, redis_url, pg_url, "worker-1", "--until-idle")
        assert worker.wait(timeout=300) == 0, worker.communicate()[0]
    shown = run_tiswatch(tmp_path, "campaign", "status", "--redis", redis_url, "--db", pg_url)
    assert shown.returncode == 0, shown.stderr
    assert "drained" in shown.stdout and "tiswatch campaign finish" in shown.stdout
    assert [state for _, _, state in run_rows(pg_url)] == ["running"]
