"""Coverage truth through the store and the CLI: what a run did not see never reads as clean, gone or
finished (issue 10). The in-process crawl counterparts are in tests/pipeline_tests/test_run_close.py."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from openpyxl import load_workbook
from sqlalchemy import select, text, update

from pipelines.exports import write_exports
from pipelines.store import HistoryStore, RegistryRef
from pipelines.store.history import ScopeCoverage
from pipelines.store.models import ListingRecord, Run
from pipelines.store.report import GONE
from pipelines.store.schema import alembic_config
from standards_data.database import make_engine
from tiswatch.cli import main

REGISTRY = RegistryRef(ref="csv-aaaa", version=None, source="sample_registry.csv")
PLUG, HELMET = "ปลั๊กพ่วง", "หมวกกันน็อค"


def _run(
    store: HistoryStore,
    seen: dict[str, list[tuple[dict[str, Any], Any]]],
    statuses: dict[str, str],
    status: str,
    finish_reason: str = "finished",
) -> int:
    run_id = store.start_run("shopee", {"keywords": ",".join(statuses)}, REGISTRY)
    for scope, items in seen.items():
        for listing, verdict in items:
            store.record_observation(run_id, listing, verdict, REGISTRY, scope=scope)
    scopes = {scope: ScopeCoverage(covered, {}) for scope, covered in statuses.items()}
    store.finish_run(run_id, {"finish_reason": finish_reason}, status=status, scopes=scopes)
    return run_id


@pytest.fixture
def market(make_listing: Any, make_verdict: Any) -> dict[str, tuple[dict[str, Any], Any]]:
    return {
        "plug": (make_listing("5001", "ปลั๊กพ่วง 4 ช่อง ไม่มีมอก."), make_verdict("5001", "uncertified")),
        "plug2": (make_listing("5002", "รางปลั๊ก 3 ช่อง"), make_verdict("5002", "unverifiable")),
        "helmet": (
            make_listing("5003", "หมวกกันน็อค ครึ่งใบ", price=450.0),
            make_verdict("5003", "uncertified", tis_number="369-2557"),
        ),
    }


def test_a_blocked_run_does_not_hide_earlier_flags_and_is_named(
    db_url: str, tmp_path: Path, market: dict[str, Any], capsys: Any
) -> None:
    store = HistoryStore.from_url(db_url)
    _run(
        store,
        {PLUG: [market["plug"], market["plug2"]], HELMET: [market["helmet"]]},
        {PLUG: "complete", HELMET: "complete"},
        "complete",
    )
    # Lazada-style block: the plug keyword answered nothing, the helmets were seen again.
    blocked = _run(store, {HELMET: [market["helmet"]]}, {PLUG: "blocked", HELMET: "complete"}, "blocked")
    out = tmp_path / "export"
    assert main(["export", "--out", str(out), "--db", db_url]) == 0
    printed = capsys.readouterr().out
    assert f"not re-checked: shopee {PLUG}: run {blocked} blocked" in printed
    assert "not re-checked since" in printed
    report = store.report()
    flagged = {row.listing_id.split(".")[1]: row.mark for row in report.rows}
    assert flagged == {
        "5001": "new",
        "5002": "new",
        "5003": "still flagged",
    }  # nothing vanished, nothing gone
    assert [(s.scope, s.status) for s in report.stale] == [(PLUG, "blocked")]
    sheet = load_workbook(out / "flagged.xlsx")["run summary"]
    cells = [row[0] for row in sheet.iter_rows(values_only=True) if row and row[0]]
    assert any(str(cell).startswith(f"shopee {PLUG}: run {blocked} blocked") for cell in cells)


def test_a_re_scoped_plan_marks_nothing_gone_outside_its_scope(db_url: str, market: dict[str, Any]) -> None:
    store = HistoryStore.from_url(db_url)
    _run(
        store,
        {PLUG: [market["plug"]], HELMET: [market["helmet"]]},
        {PLUG: "complete", HELMET: "complete"},
        "complete",
    )
    narrower = _run(store, {PLUG: [market["plug"]]}, {PLUG: "complete"}, "complete")
    assert store.report(run_ids=[narrower]).runs[0].summary["gone"] == 0
    # The helmet keyword covered again, without the helmet: now it is gone, once.
    again = _run(store, {PLUG: [market["plug"]]}, {PLUG: "complete", HELMET: "complete"}, "complete")
    report = store.report(run_ids=[again])
    assert [(row.listing_id.split(".")[1], row.mark) for row in report.rows if row.mark == GONE] == [
        ("5003", GONE)
    ]
    later = _run(store, {PLUG: [market["plug"]]}, {PLUG: "complete", HELMET: "complete"}, "complete")
    assert store.report(run_ids=[later]).runs[0].summary["gone"] == 0


def test_interrupted_and_incomplete_scopes_mark_nothing_gone(db_url: str, market: dict[str, Any]) -> None:
    store = HistoryStore.from_url(db_url)
    _run(store, {PLUG: [market["plug"], market["plug2"]]}, {PLUG: "complete"}, "complete")
    stopped = _run(store, {PLUG: [market["plug"]]}, {PLUG: "incomplete"}, "interrupted", "shutdown")
    cut = _run(store, {PLUG: [market["plug"]]}, {PLUG: "incomplete"}, "incomplete")
    for run_id in (stopped, cut):
        summary = store.report(run_ids=[run_id]).runs[0].summary
        assert summary["gone"] == 0 and summary["gone_assessed"] is False
    assert store.get_run(stopped).finish_reason == "shutdown"  # type: ignore[union-attr]


def test_a_dead_process_run_is_abandoned_by_the_next_start(db_url: str, market: dict[str, Any]) -> None:
    store = HistoryStore.from_url(db_url)
    dead = store.start_run("shopee", {}, REGISTRY)
    store.record_observation(dead, *market["plug"], REGISTRY, scope=PLUG)
    finished = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    with store.session() as session:  # the process that held the run has exited
        session.execute(update(Run).where(Run.id == dead).values(pid=int(finished.stdout)))
        session.commit()
    alive = store.start_run("shopee", {}, REGISTRY)  # this process: alive
    assert store.get_run(dead).status == "abandoned"  # type: ignore[union-attr]
    store.start_run("lazada", {}, REGISTRY)
    assert store.get_run(alive).status == "running"  # type: ignore[union-attr]


def test_runs_command_shows_status_and_gaps(db_url: str, market: dict[str, Any], capsys: Any) -> None:
    # No database: the read-only command creates none and says so (issue 11); an empty one: "no runs".
    assert main(["runs", "--db", db_url]) == 1
    assert "no tiswatch database at" in capsys.readouterr().err
    store = HistoryStore.from_url(db_url)
    assert main(["runs", "--db", db_url]) == 0
    assert capsys.readouterr().out.strip() == f"no runs in {db_url}"
    _run(store, {PLUG: [market["plug"]]}, {PLUG: "complete"}, "complete")
    _run(store, {}, {PLUG: "blocked", HELMET: "not_crawled"}, "blocked")
    assert main(["runs", "--db", db_url]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert " complete " in lines[0] and " blocked " in lines[1]
    assert lines[2].strip() == f"gaps: scopes not covered: {PLUG} blocked, {HELMET} not_crawled"
    assert main(["runs", "--last", "1", "--db", db_url]) == 0
    shown = capsys.readouterr().out.splitlines()
    assert len(shown) == 2 and " blocked " in shown[0]


def test_long_ids_and_skus_are_stored_whole(db_url: str, make_listing: Any, make_verdict: Any) -> None:
    store = HistoryStore.from_url(db_url)
    sku = "SKU-" + "ปลั๊ก-4-ช่อง-" * 40  # a schema.org SKU well over 255 characters
    listing = make_listing("1", "ปลั๊กพ่วง") | {"listing_id": sku, "seller_id": "seller-" + "x" * 300}
    run_id = store.start_run("schema_org", {}, REGISTRY)
    store.record_observation(
        run_id, listing, make_verdict(sku, "uncertified"), REGISTRY, scope="https://shop.example/"
    )
    with store.session() as session:
        stored = session.execute(select(ListingRecord.listing_id, ListingRecord.seller_id)).one()
    assert stored == (sku, listing["seller_id"])


def test_migration_maps_old_statuses(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    engine = make_engine(url)
    command.upgrade(alembic_config(engine), "0003_rematch")
    old = {
        1: ("finished", '{"tiswatch/pages_fetched": 9}'),
        2: ("finished", '{"tiswatch/blocked": 2}'),
        3: ("finished", '{"tiswatch/links_not_followed": 4}'),
        4: ("shutdown", "{}"),
        5: ("running", "{}"),
    }
    with engine.begin() as connection:
        for run_id, (status, stats) in old.items():
            connection.execute(
                text(
                    "INSERT INTO runs (id, spider, arguments, started_at, status, registry_ref,"
                    " registry_source, stats, summary)"
                    " VALUES (:id, 'shopee', '{}', '2026-01-01 00:00:00', :status, '', '', :stats, '{}')"
                ),
                {"id": run_id, "status": status, "stats": stats},
            )
    store = HistoryStore.from_url(url)
    assert [run.status for run in store.runs()] == [
        "complete",
        "blocked",
        "incomplete",
        "interrupted",
        "running",
    ]
    assert store.run_scopes(1) == {"": ScopeCoverage("complete", {})}
    assert store.run_scopes(5) == {}
    store.abandon_dead_runs()  # no process recorded: it can never close itself
    assert store.get_run(5).status == "abandoned"  # type: ignore[union-attr]


def test_export_without_complete_coverage_names_scopes_never_covered(
    db_url: str, tmp_path: Path, market: dict[str, Any]
) -> None:
    store = HistoryStore.from_url(db_url)
    _run(store, {PLUG: [market["plug"]]}, {PLUG: "incomplete"}, "incomplete")
    result = write_exports(store, tmp_path / "out")
    assert [row.listing_id.split(".")[1] for row in result.report.rows] == ["5001"]  # seen, so shown
    [stale] = result.report.stale
    assert "never completely covered" in stale.describe()


def test_an_abandoned_run_is_named_a_blind_spot_in_the_export(db_url: str, market: dict[str, Any]) -> None:
    store = HistoryStore.from_url(db_url)
    complete = _run(store, {PLUG: [market["plug"]]}, {PLUG: "complete"}, "complete")
    dead = store.start_run("shopee", {}, REGISTRY)
    store.record_observation(dead, *market["plug2"], REGISTRY, scope=PLUG)
    with store.session() as session:
        session.execute(
            update(Run).where(Run.id == dead).values(pid=None)
        )  # as if recorded by a dead process
        session.commit()
    store.abandon_dead_runs()
    report = store.report()
    assert [(s.run_id, s.status, s.last_complete_run_id) for s in report.stale] == [
        (dead, "abandoned", complete)
    ]
    assert "(whole run): run" in report.stale[0].describe()
    assert {row.listing_id.split(".")[1] for row in report.rows} >= {"5001", "5002"}  # what it saw is shown
