"""Campaign checks and alert settings (no services: the checks read a campaign summary)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from scrapy.settings import Settings

from crawler.cluster.alerts import AlertConfigError, AlertSettings, campaign_alerts
from tests.cluster_tests.conftest import run_tiswatch


def summary(
    status: str = "complete", listings: int = 40, fetched: int = 100, failed: int = 0, **keywords: str
) -> dict[str, Any]:
    return {
        "campaign": "c1",
        "status": status,
        "pages_fetched": fetched,
        "failed": failed,
        "blocked": sum(1 for state in keywords.values() if state == "blocked"),
        "crawls": {"shopee-a": {"keywords": {word: {"status": state} for word, state in keywords.items()}}},
        "history": {"listings": listings},
    }


def checks(found: list[Any]) -> dict[str, str]:
    return {alert.check: alert.message for alert in found}


def test_a_clean_campaign_raises_no_alert() -> None:
    assert campaign_alerts(summary(ปลั๊กพ่วง="complete"), previous_listings=40, settings=AlertSettings()) == []


def test_blocked_keywords_are_named_and_make_coverage_incomplete() -> None:
    found = checks(
        campaign_alerts(summary("blocked", ปลั๊กพ่วง="blocked", หมวกกันน็อค="complete"), 40, AlertSettings())
    )
    assert found["blocked"] == "1 keyword(s) blocked: shopee-a: ปลั๊กพ่วง"
    assert found["incomplete"].startswith("coverage blocked (blocked 1")


def test_no_listings_alerts_only_where_the_last_campaign_had_many() -> None:
    settings = AlertSettings(min_previous_listings=10)
    assert "no_listings" in checks(campaign_alerts(summary(listings=0), 250, settings))
    assert "no_listings" not in checks(campaign_alerts(summary(listings=0), 3, settings))
    assert "no_listings" not in checks(campaign_alerts(summary(listings=0), None, settings))


def test_error_rate_above_the_limit_alerts() -> None:
    settings = AlertSettings(max_error_rate=0.05)
    assert checks(campaign_alerts(summary("failed", fetched=90, failed=10), 40, settings))["error_rate"] == (
        "10 of 100 pages failed (10%)"
    )
    assert "error_rate" not in checks(campaign_alerts(summary("failed", fetched=99, failed=1), 40, settings))


@pytest.mark.parametrize(
    ("given", "missing"),
    [
        (
            {"TISWATCH_ALERT_EMAIL_TO": "ops@example.org"},
            "TISWATCH_ALERT_EMAIL_FROM, TISWATCH_ALERT_SMTP_HOST",
        ),
        ({"TISWATCH_ALERT_SMTP_HOST": "127.0.0.1"}, "TISWATCH_ALERT_EMAIL_TO, TISWATCH_ALERT_EMAIL_FROM"),
        ({"TISWATCH_ALERT_WEBHOOK_URL": "ftp://example.org/x"}, "expected an http(s) URL"),
    ],
)
def test_a_channel_missing_a_setting_fails_loudly(given: dict[str, str], missing: str) -> None:
    with pytest.raises(AlertConfigError, match=re.escape(missing)):
        AlertSettings.from_settings(Settings(given))


def test_half_configured_e_mail_alerts_fail_the_campaign_start(tmp_path: Path) -> None:
    plans = tmp_path / "plans.toml"
    plans.write_text('[[plan]]\nspider = "shopee"\n', encoding="utf-8")
    started = run_tiswatch(
        tmp_path, "campaign", "start", "--plans", str(plans), "--redis", "redis://127.0.0.1:9",
        "--db", f"sqlite:///{tmp_path}/t.sqlite", "-s", "TISWATCH_ALERT_EMAIL_TO=ops@example.org",
    )  # fmt: skip
    assert started.returncode == 2
    assert "TISWATCH_ALERT_SMTP_HOST" in started.stderr and "Traceback" not in started.stderr
    assert not (tmp_path / "t.sqlite").exists()  # nothing was started


def test_a_worker_monitor_missing_its_setting_fails_the_worker_at_start(tmp_path: Path) -> None:
    started = run_tiswatch(
        tmp_path, "worker", "--redis", "redis://127.0.0.1:9", "--db", f"sqlite:///{tmp_path}/t.sqlite",
        "--until-idle", "-s", "TISWATCH_MONITOR_MAX_BLOCKED=",
    )  # fmt: skip
    assert started.returncode == 2
    assert "TISWATCH_MONITOR_MAX_BLOCKED is not set" in started.stderr and "Traceback" not in started.stderr
