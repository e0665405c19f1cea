"""The run is closed by `crawler.extensions.RunCloser` on `spider_closed`: its status comes from Scrapy's
finish reason and the coverage counters *before* anything is judged, and the console's summary
(`build_summary`, what `summary.json` holds), the database and the workbook's summary sheet agree.
Real in-process crawls of the demo marketplace on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from scrapy.utils.defer import deferred_f_from_coro_f
from sqlalchemy.exc import OperationalError

from crawler.coverage import build_summary
from crawler.demo_market import DemoMarket
from pipelines.store import HistoryStore
from tests.pipeline_tests.test_crawl_pipelines import crawl


def _sheet_summary(out: Path) -> dict[str, Any]:
    sheet = load_workbook(out / "flagged.xlsx")["run summary"]
    return {row[0]: row[1:] for row in sheet.iter_rows(min_row=2, values_only=True) if row and row[0]}


@deferred_f_from_coro_f
async def test_a_stopped_crawl_is_interrupted_everywhere_and_marks_nothing_gone(tmp_path: Path) -> None:
    with DemoMarket() as market:
        await crawl(tmp_path, market)
        stats = await crawl(tmp_path, market, CLOSESPIDER_ITEMCOUNT=5)
    store = HistoryStore.from_url(f"sqlite:///{tmp_path / 'tiswatch.sqlite'}")
    first, stopped = store.runs()
    console = build_summary(stats, "shopee")
    assert stats["finish_reason"] == "closespider_itemcount"
    assert console["status"] == stopped.status == "interrupted"
    assert stopped.finish_reason == "closespider_itemcount"
    assert first.status == "complete" and first.summary["flagged"] > 0
    assert stopped.summary["gone"] == 0 and not stopped.summary["gone_assessed"]
    assert "stopped early: closespider_itemcount" in stopped.summary["coverage_gaps"]
    assert all(covered.status != "complete" for covered in store.run_scopes(stopped.id).values())
    # The crawl's export: the first run's flags are all still there, none gone, the stop named.
    sheet = _sheet_summary(tmp_path)
    assert "interrupted" in sheet["status"]
    report = store.report(spiders=["shopee"])
    assert not [row for row in report.rows if row.mark == "gone"]
    assert len(report.flagged_rows) >= first.summary["flagged"]
    assert report.stale and {s.run_id for s in report.stale} == {stopped.id}


@deferred_f_from_coro_f
async def test_a_lost_write_makes_the_run_incomplete(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    record = HistoryStore.record_observation
    lost: list[str] = []

    def locked_sometimes(self: HistoryStore, run_id: int, listing: Any, *args: Any, **kwargs: Any) -> int:
        if not lost:  # the first write meets a locked database
            lost.append(str(listing["listing_id"]))
            raise OperationalError("INSERT INTO listings", {}, Exception("database is locked"))
        return record(self, run_id, listing, *args, **kwargs)

    monkeypatch.setattr(HistoryStore, "record_observation", locked_sometimes)
    with DemoMarket() as market:
        stats = await crawl(tmp_path, market)
    store = HistoryStore.from_url(f"sqlite:///{tmp_path / 'tiswatch.sqlite'}")
    [run] = store.runs()
    console = build_summary(stats, "shopee")
    assert stats["tiswatch/store_errors"] == 1
    assert console["status"] == run.status == "incomplete"
    assert console["items_stored"] == stats["item_scraped_count"] - 1 == run.summary["listings"]
    assert "could not store listing" in caplog.text and "database is locked" in caplog.text
    assert "listings not stored (database errors): 1" in run.summary["coverage_gaps"]
