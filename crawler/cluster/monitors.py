"""Spidermon monitors on each worker's crawl: checked when the worker's crawler of a plan closes.

The suite (`WorkerCloseSuite`): the log's errors (`SPIDERMON_MAX_ERRORS`), the finish reason
(`SPIDERMON_EXPECTED_FINISH_REASONS`), blocked pages (`TISWATCH_MONITOR_MAX_BLOCKED`) and failed
pages (`TISWATCH_MONITOR_MAX_FAILED`) of this worker. A failed monitor is counted into the campaign's
stats (`tiswatch/monitors_failed`, summed in Redis like coverage), so `campaign finish` reports it
with the campaign's alerts.

Spidermon reads a monitor's threshold only when the monitor runs, at spider close: a missing setting
raises there, aborts the suite, and the crawl still ends "finished". `check_monitor_settings` runs
at worker start instead and names the missing setting.
"""

from __future__ import annotations

from typing import Any, ClassVar

from spidermon import MonitorSuite, monitors
from spidermon.contrib.scrapy.monitors import ErrorCountMonitor, FinishReasonMonitor
from spidermon.contrib.scrapy.monitors.base import BaseStatMonitor
from spidermon.core.actions import Action

MONITOR_FAILURES = "tiswatch/monitors_failed"
# Every setting a monitor of the suite needs, and what it must be.
REQUIRED_SETTINGS = {
    "SPIDERMON_MAX_ERRORS": "a whole number",
    "SPIDERMON_EXPECTED_FINISH_REASONS": "a list of finish reasons",
    "TISWATCH_MONITOR_MAX_BLOCKED": "a whole number",
    "TISWATCH_MONITOR_MAX_FAILED": "a whole number",
}


class MonitorSettingsError(ValueError):
    pass


def check_monitor_settings(settings: Any, enabled: bool | None = None) -> None:
    """Fail at start, naming the setting, when a monitor of the suite could not run (`enabled`:
    whether the monitors will run; default: the `SPIDERMON_ENABLED` setting)."""
    if not (settings.getbool("SPIDERMON_ENABLED") if enabled is None else enabled):
        return
    for name, kind in REQUIRED_SETTINGS.items():
        value = settings.get(name)
        if value is None or value == "" or value == []:
            raise MonitorSettingsError(f"Spidermon is enabled but {name} is not set (expected {kind})")
        if kind == "a whole number":
            try:
                int(value)
            except (TypeError, ValueError):
                raise MonitorSettingsError(f"{name}={value!r}: expected {kind}") from None


@monitors.name("Blocked pages")
class BlockedPagesMonitor(BaseStatMonitor):
    """Pages the sites answered with a block, on this worker."""

    stat_name = "tiswatch/blocked"
    threshold_setting = "TISWATCH_MONITOR_MAX_BLOCKED"
    assert_type = "<="
    fail_if_stat_missing = False


@monitors.name("Failed pages")
class FailedPagesMonitor(BaseStatMonitor):
    """Pages that could not be fetched, on this worker."""

    stat_name = "tiswatch/failed"
    threshold_setting = "TISWATCH_MONITOR_MAX_FAILED"
    assert_type = "<="
    fail_if_stat_missing = False


class CountFailures(Action):
    """Count the failed monitors into the crawl's stats (and so into the campaign's, in Redis)."""

    def run_action(self) -> None:
        failed = len(self.result.monitors_failed_results)
        crawler = self.data.get("crawler")
        if failed and crawler is not None:
            crawler.stats.inc_value(MONITOR_FAILURES, failed)


class WorkerCloseSuite(MonitorSuite):
    monitors: ClassVar[list[type]] = [
        ErrorCountMonitor,
        FinishReasonMonitor,
        BlockedPagesMonitor,
        FailedPagesMonitor,
    ]
    monitors_failed_actions: ClassVar[list[type]] = [CountFailures]
