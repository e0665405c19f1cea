"""Campaigns end to end, as an operator runs them: `tiswatch campaign start`, several `tiswatch
worker` processes, `tiswatch campaign finish`, against a real redis-server, a real PostgreSQL
database and the demo marketplace (in this process, on 127.0.0.1).

The single-process crawl of the same plans (`tiswatch crawl --all`, into SQLite) is the reference:
a campaign must store exactly its listings, whatever the number of workers, and whatever happens to
one of them.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from sqlalchemy import create_engine, text

from crawler.cluster import keys
from crawler.demo_market import DemoMarket
from standards_data.database import normalise_db_url
from tests.cluster_tests.conftest import run_tiswatch, tiswatch_command
from tests.cluster_tests.receivers import SmtpSink, WebhookReceiver

pytestmark = pytest.mark.slow

STANDARDS = "2432-2555,369-2557"
FLEET_DELAY = 0.12  # seconds between two requests to the demo market, for the whole fleet
# Few requests in hand per worker, so that three workers share a small campaign.
CAMPAIGN_SETTINGS = ("-s", f"TISWATCH_FLEET_DELAY={FLEET_DELAY}", "-s", "CONCURRENT_REQUESTS=2")


def write_plans(
    path: Path, base_url: str, spiders: tuple[str, ...] = ("shopee", "lazada"), **extra: str
) -> Path:
    lines = []
    for spider in spiders:
        arguments = {"base_url": base_url, "standards": STANDARDS, "max_pages": "2", **extra}
        table = ", ".join(f'{name} = "{value}"' for name, value in arguments.items())
        lines += [
            "[[plan]]",
            f'name = "{spider}-a"',
            f'spider = "{spider}"',
            f"arguments = {{ {table} }}",
            "",
        ]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def stored_listings(db_url: str) -> list[tuple[str, str]]:
    """(platform, listing_id) of every observation of every run, duplicates kept."""
    engine = create_engine(normalise_db_url(db_url))
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT l.platform, l.listing_id FROM observations o JOIN listings l ON l.id = o.listing_key"
            )
        ).all()
    engine.dispose()
    return [(str(platform), str(listing_id)) for platform, listing_id in rows]


def run_rows(db_url: str) -> list[tuple[int, str, str]]:
    engine = create_engine(normalise_db_url(db_url))
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT id, spider, status FROM runs ORDER BY id")).all()
    engine.dispose()
    return [(int(row[0]), str(row[1]), str(row[2])) for row in rows]


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.2)


def start_worker(cwd: Path, redis_url: str, db_url: str, name: str, *options: str) -> subprocess.Popen[str]:
    log = cwd / f"{name}.log"
    return subprocess.Popen(
        tiswatch_command("worker", "--redis", redis_url, "--db", db_url, "--worker-id", name,
                         "--logfile", str(log), "-L", "INFO", *options),
        cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=os.environ,
    )  # fmt: skip


def stop(workers: list[subprocess.Popen[str]]) -> None:
    for worker in workers:
        if worker.poll() is None:
            worker.kill()
        worker.communicate(timeout=30)


def start_campaign(cwd: Path, plans: Path, redis_url: str, db_url: str, *settings: str) -> str:
    started = run_tiswatch(
        cwd, "campaign", "start", "--plans", str(plans), "--redis", redis_url, "--db", db_url,
        "-L", "WARNING", *CAMPAIGN_SETTINGS, *settings,
    )  # fmt: skip
    assert started.returncode == 0, started.stdout + started.stderr[-3000:]
    return started.stdout.strip().splitlines()[-1]


def finish_campaign(
    cwd: Path, out: Path, redis_url: str, db_url: str, *settings: str
) -> tuple[int, dict[str, Any], str]:
    finished = run_tiswatch(
        cwd, "campaign", "finish", "--redis", redis_url, "--db", db_url, "--out", str(out), "-L", "WARNING",
        *settings,
    )  # fmt: skip
    summary = (
        json.loads((out / "summary.json").read_text(encoding="utf-8"))
        if (out / "summary.json").exists()
        else {}
    )
    return finished.returncode, summary, finished.stdout + finished.stderr[-3000:]


def status(cwd: Path, redis_url: str, db_url: str) -> dict[str, Any]:
    shown = run_tiswatch(cwd, "campaign", "status", "--redis", redis_url, "--db", db_url, "--json")
    assert shown.returncode == 0, shown.stderr
    result: dict[str, Any] = json.loads(shown.stdout)
    return result


@pytest.fixture(scope="module")
def market() -> Iterator[DemoMarket]:
    with DemoMarket(port=0) as running:
        yield running


@pytest.fixture(scope="module")
def single_process_listings(
    market: DemoMarket, tmp_path_factory: pytest.TempPathFactory
) -> set[tuple[str, str]]:
    """The reference: the same plans crawled by `tiswatch crawl --all` in one process (SQLite)."""
    cwd = tmp_path_factory.mktemp("single")
    plans = write_plans(cwd / "plans.toml", market.base_url)
    db_url = f"sqlite:///{cwd}/single.sqlite"
    done = run_tiswatch(
        cwd, "crawl", "--all", "--plans", str(plans), "--db", db_url, "--out", str(cwd / "out"),
        "--state-dir", str(cwd / "state"), "-L", "WARNING", "-s", "DOWNLOAD_DELAY=0",
        "-s", "AUTOTHROTTLE_ENABLED=False",
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    listings = set(stored_listings(db_url))
    assert len(listings) > 50  # both platforms, several keywords: a campaign worth sharing
    return listings


def test_three_workers_store_what_one_process_stores_once_each_at_the_fleet_rate(
    market: DemoMarket,
    single_process_listings: set[tuple[str, str]],
    redis_url: str,
    pg_url: str,
    tmp_path: Path,
) -> None:
    plans = write_plans(tmp_path / "plans.toml", market.base_url)
    names = ["worker-a", "worker-b", "worker-c"]
    workers = [start_worker(tmp_path, redis_url, pg_url, name) for name in names]
    server = redis.Redis.from_url(redis_url)
    try:
        # All three wait for work before there is any, so all three get a share of a small campaign.
        wait_for(lambda: all(server.exists(keys.alive(name)) for name in names), 120, "three live workers")
        began = time.monotonic()
        campaign_id = start_campaign(tmp_path, plans, redis_url, pg_url)
        wait_for(lambda: status(tmp_path, redis_url, pg_url)["drained"], 300, "the campaign to drain")
        code, summary, output = finish_campaign(tmp_path, tmp_path / "out", redis_url, pg_url)
        for worker in workers:  # a worker outlives campaigns; SIGTERM stops it cleanly
            worker.send_signal(signal.SIGTERM)
        exits = [worker.wait(timeout=60) for worker in workers]
    finally:
        stop(workers)

    assert code == 0, output
    assert summary["campaign"] == campaign_id and summary["status"] == "complete"
    assert exits == [0, 0, 0]
    stored = stored_listings(pg_url)
    assert len(stored) == len(set(stored)), "a listing was stored twice in the campaign's run"
    assert set(stored) == single_process_listings
    assert summary["history"]["listings"] == len(single_process_listings)
    assert [(spider, status) for _, spider, status in run_rows(pg_url)] == [("campaign", "complete")]
    pages = {name: summary["workers"][name].get("pages_fetched", 0) for name in names}
    assert all(count > 0 for count in pages.values()), pages
    assert sum(pages.values()) == summary["pages_fetched"]

    # The market's own log: the campaign's requests never came faster than the fleet rate. Turns are
    # taken FLEET_DELAY apart on Redis's clock; the way from there to the market's socket may delay
    # one request next to the following one, hence one request of slack per window.
    arrivals = [moment for moment, _ in market.request_times() if moment >= began]
    assert len(arrivals) >= summary["pages_fetched"]
    window = 2.0
    allowed = int(window / FLEET_DELAY) + 2
    busiest = max(sum(1 for t in arrivals if start <= t < start + window) for start in arrivals)
    assert busiest <= allowed, (
        f"{busiest} requests in {window} s; the fleet allows {window / FLEET_DELAY:.0f}"
    )
    # Without the fleet's bucket three workers would each keep their own pace: the limit is what held.
    assert len(arrivals) / (arrivals[-1] - arrivals[0]) <= 1.0 / FLEET_DELAY + 0.5


def test_a_worker_killed_mid_campaign_loses_nothing(
    market: DemoMarket,
    single_process_listings: set[tuple[str, str]],
    redis_url: str,
    pg_url: str,
    tmp_path: Path,
) -> None:
    plans = write_plans(tmp_path / "plans.toml", market.base_url)
    server = redis.Redis.from_url(redis_url)
    campaign_id = start_campaign(tmp_path, plans, redis_url, pg_url)
    names = ["worker-a", "worker-b", "worker-c"]
    # A 2 s heartbeat: the killed worker's requests are reclaimed 2 s after it stops beating.
    workers = dict(
        zip(
            names,
            (
                start_worker(tmp_path, redis_url, pg_url, name, "--until-idle", "--heartbeat", "2")
                for name in names
            ),
            strict=True,
        )
    )
    try:

        def holding_worker() -> str | None:
            for raw in server.scan_iter(match=keys.processing(campaign_id, "*", "*")):
                key = keys.as_text(raw)
                worker = key.rsplit(":", 1)[1]
                fetched = int(
                    server.hget(keys.worker_stats(campaign_id, worker), "tiswatch/pages_fetched") or 0
                )
                if server.hlen(key) and fetched and len(server.smembers(keys.workers(campaign_id))) == 3:
                    return worker
            return None

        wait_for(lambda: holding_worker() is not None, 120, "a worker holding requests, all three joined")
        victim = holding_worker()
        assert victim is not None
        held = sum(
            int(server.hlen(keys.processing(campaign_id, plan, victim))) for plan in ("shopee-a", "lazada-a")
        )
        workers[victim].send_signal(signal.SIGKILL)
        assert workers[victim].wait(timeout=30) == -signal.SIGKILL
        survivors = [name for name in names if name != victim]
        exits = [workers[name].wait(timeout=300) for name in survivors]
    finally:
        stop(list(workers.values()))

    assert held > 0
    assert exits == [0, 0], "--until-idle workers exit 0 once the dead worker's requests are done too"
    code, summary, output = finish_campaign(tmp_path, tmp_path / "out", redis_url, pg_url)
    assert code == 0, output
    assert summary["status"] == "complete" and victim in summary["workers"]
    stored = stored_listings(pg_url)
    assert len(stored) == len(set(stored))
    assert set(stored) == single_process_listings


def test_a_second_campaign_of_the_same_plans_crawls_again(
    market: DemoMarket, redis_url: str, pg_url: str, tmp_path: Path
) -> None:
    plans = write_plans(tmp_path / "plans.toml", market.base_url, spiders=("shopee",))
    results = []
    for number in (1, 2):
        start_campaign(tmp_path, plans, redis_url, pg_url, "-s", "TISWATCH_FLEET_DELAY=0.02")
        worker = start_worker(tmp_path, redis_url, pg_url, f"worker-{number}", "--until-idle")
        assert worker.wait(timeout=300) == 0, worker.communicate()[0]
        results.append(finish_campaign(tmp_path, tmp_path / f"out{number}", redis_url, pg_url))
    (code1, first, out1), (code2, second, out2) = results
    assert (code1, code2) == (0, 0), out1 + out2
    assert second["pages_fetched"] == first["pages_fetched"] > 0  # nothing "already seen"
    assert second["history"]["listings"] == first["history"]["listings"] > 0
    # Judged against the first campaign: the same flags again, none new, none gone.
    assert second["history"]["new"] == 0
    assert second["history"]["still_flagged"] == first["history"]["flagged"] > 0
    assert [spider for _, spider, _ in run_rows(pg_url)] == ["campaign", "campaign"]


def test_a_blocked_keyword_makes_the_campaign_incomplete_and_alerts_by_mail_and_webhook(
    redis_url: str, pg_url: str, tmp_path: Path
) -> None:
    with (
        DemoMarket(port=0, blocked_shopee={"ปลั๊กพ่วง"}) as blocking,
        SmtpSink() as smtp,
        WebhookReceiver() as webhook,
    ):
        plans = write_plans(tmp_path / "plans.toml", blocking.base_url, spiders=("shopee",))
        alert_settings = (
            "-s", "TISWATCH_ALERT_EMAIL_TO=ops@example.org",
            "-s", "TISWATCH_ALERT_EMAIL_FROM=tiswatch@example.org",
            "-s", "TISWATCH_ALERT_SMTP_HOST=127.0.0.1", "-s", f"TISWATCH_ALERT_SMTP_PORT={smtp.port}",
            "-s", f"TISWATCH_ALERT_WEBHOOK_URL={webhook.url}",
        )  # fmt: skip
        campaign_id = start_campaign(tmp_path, plans, redis_url, pg_url, "-s", "TISWATCH_FLEET_DELAY=0.02")
        worker = start_worker(tmp_path, redis_url, pg_url, "worker-1", "--until-idle")
        assert worker.wait(timeout=300) == 0, worker.communicate()[0]
        code, summary, output = finish_campaign(
            tmp_path, tmp_path / "out", redis_url, pg_url, *alert_settings
        )

    assert code == 1, output
    assert summary["status"] == "blocked"
    keywords = summary["crawls"]["shopee-a"]["keywords"]
    assert keywords["ปลั๊กพ่วง"]["status"] == "blocked"
    assert any(counts["status"] == "complete" for counts in keywords.values())  # the others were covered
    assert len(webhook.payloads) == 1
    payload = webhook.payloads[0]
    assert payload["campaign"] == campaign_id and payload["status"] == "blocked"
    checks = {alert["check"]: alert["message"] for alert in payload["alerts"]}
    assert "ปลั๊กพ่วง" in checks["blocked"] and "incomplete" in checks
    # The worker's Spidermon suite saw the blocked pages too (TISWATCH_MONITOR_MAX_BLOCKED = 0).
    assert "worker_monitors" in checks and summary["counts"]["monitors_failed"] >= 1
    assert payload["text"] == payload["content"] and "ปลั๊กพ่วง" in payload["text"]
    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    assert message["To"] == "ops@example.org" and campaign_id in message["Subject"]
    assert "ปลั๊กพ่วง" in message.get_payload(decode=True).decode("utf-8")  # type: ignore[union-attr]


def test_a_running_campaign_holds_the_lock_and_is_not_finished_behind_its_workers_backs(
    market: DemoMarket, redis_url: str, pg_url: str, tmp_path: Path
) -> None:
    plans = write_plans(tmp_path / "plans.toml", market.base_url, spiders=("shopee",))
    campaign_id = start_campaign(tmp_path, plans, redis_url, pg_url)
    second = run_tiswatch(
        tmp_path, "campaign", "start", "--plans", str(plans), "--redis", redis_url, "--db", pg_url
    )
    assert second.returncode == 3 and campaign_id in second.stderr

    code, _, output = finish_campaign(tmp_path, tmp_path / "out", redis_url, pg_url)
    assert code == 3 and "still has work" in output  # seeded, no worker yet: nothing was crawled
    code, summary, output = finish_campaign(tmp_path, tmp_path / "out", redis_url, pg_url, "--force")
    assert code == 1, output
    assert summary["status"] == "interrupted" and summary["pages_fetched"] == 0
    # Not a baseline for the next campaign's marks: it saw nothing.
    assert [status for _, _, status in run_rows(pg_url)] == ["interrupted"]
    # The lock is free again: the next campaign starts.
    assert start_campaign(tmp_path, plans, redis_url, pg_url) != campaign_id
