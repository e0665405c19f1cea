"""The fetch log table: rows are written in batches, the last batch on flush, readable per run and
per campaign, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pipelines.fetch_log import Fetch, FetchLog, outcome_of, read_fetch_log
from pipelines.store.history import HistoryStore

START = datetime(2026, 12, 3, 6, 0, tzinfo=UTC)


def fetch(number: int, **values: object) -> Fetch:
    fields: dict[str, object] = {
        "fetched_at": START + timedelta(seconds=number),
        "url": f"https://shopee.co.th/api/v4/search/search_items?keyword=ปลั๊กพ่วง&newest={number * 60}",
        "status": 200,
        "size": 1000 + number,
        "duration_ms": 180 + number,
        "sha256": f"{number:064x}",
        "outcome": "ok",
        "run_id": 7,
    }
    fields.update(values)
    return Fetch(**fields)  # type: ignore[arg-type]


def test_rows_are_written_in_batches_and_the_rest_on_flush(db_url: str) -> None:
    engine = HistoryStore.from_url(db_url).engine  # migrated: the table comes from 0007_shared_store
    log = FetchLog(engine, batch=3, seconds=3600)
    for number in range(7):
        log.add(fetch(number, campaign="20261203T060000-abcdef", worker="host-1"))
    assert log.written == 6  # two batches of three; the seventh waits in the buffer
    assert len(list(read_fetch_log(engine))) == 6
    assert log.flush() == 1 and log.flush() == 0
    rows = list(read_fetch_log(engine, campaign="20261203T060000-abcdef"))
    assert [row.size for row in rows] == [1000 + number for number in range(7)]
    first = rows[0]
    assert first.fetched_at == START and first.fetched_at.tzinfo is not None  # UTC, read back aware
    assert (first.run_id, first.worker, first.status, first.duration_ms) == (7, "host-1", 200, 180)
    assert "ปลั๊กพ่วง" in first.url


def test_download_errors_and_other_runs_are_kept_apart(db_url: str) -> None:
    engine = HistoryStore.from_url(db_url).engine
    log = FetchLog(engine, batch=100)
    log.add(fetch(1))
    log.add(fetch(2, run_id=8, status=None, size=0, duration_ms=None, sha256=None, outcome="TimeoutError"))
    log.flush()
    (error,) = read_fetch_log(engine, run_id=8)
    assert (error.status, error.sha256, error.outcome) == (None, None, "TimeoutError")
    assert [row.run_id for row in read_fetch_log(engine, run_id=7)] == [7]


def test_outcomes_name_the_kind_of_answer() -> None:
    assert [outcome_of(status) for status in (200, 204, 301, 404, 429, 503)] == [
        "ok", "ok", "redirect", "http_404", "http_429", "http_503",
    ]  # fmt: skip
