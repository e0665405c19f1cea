"""HistoryStore on SQLite and PostgreSQL: upserts by natural keys, marks between runs, dismissals,
re-listings. Verdicts are given as inputs here; the crawl tests get them from the real matcher."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from pipelines.store import HistoryStore, NewDecision, RegistryRef
from pipelines.store.models import ListingRecord, Observation, ReviewDecision, Run, Verdict
from pipelines.store.report import GONE, NEW, STILL_FLAGGED

REGISTRY_A = RegistryRef(ref="csv-aaaa", version=None, source="registry-a.csv")
REGISTRY_B = RegistryRef(ref="csv-bbbb", version=None, source="registry-b.csv")

TITLES = {
    "1001": "ปลั๊กไฟ 4 ช่อง 3 เมตร มอก. สวิตช์แยก CSC รุ่น P-404",
    "1002": "รางปลั๊กไฟ 5 ช่อง 5 เมตร ราคาถูก ไม่มีมอก",
    "1003": "ปลั๊กพ่วง Toshiba (โตชิบา) 3 ช่อง มอก.2432-2555 ใบอนุญาต ท4080-51/2432",
    "1004": "หมวกกันน็อค เต็มใบ ลายการ์ตูน สำหรับผู้ใหญ่",
    "1005": "ปลั๊กไฟ USB 3 ช่อง + 2 USB ชาร์จเร็ว",
}


def count(store: HistoryStore, model: Any) -> int:
    with store.session() as session:
        return int(session.execute(select(func.count()).select_from(model)).scalar_one())


def crawl(store: HistoryStore, spider: str, registry: RegistryRef, items: list[tuple[dict, Any]]) -> int:
    run_id = store.start_run(spider, {"keywords": "ปลั๊กไฟ"}, registry)
    for listing, verdict in items:
        store.record_observation(run_id, listing, verdict, registry)
    store.finish_run(run_id, {"downloader/response_count": len(items), "tiswatch/blocked": 0})
    return run_id


def marks(report: Any) -> dict[str, str]:
    return {row.listing_id.split(".")[1]: row.mark for row in report.rows}


def test_schema_migrates_and_is_idempotent(db_url: str) -> None:
    store = HistoryStore.from_url(db_url)
    store.ensure_schema()  # a second time is a no-op
    from pipelines.store.schema import current_revision, head_revision

    assert current_revision(store.engine) == head_revision()


def test_rerun_updates_instead_of_duplicating(db_url: str, make_listing: Any, make_verdict: Any) -> None:
    store = HistoryStore.from_url(db_url)
    listing = make_listing("1001", TITLES["1001"], price=259.0, crawled_at="2026-01-05T03:00:00Z")
    run_1 = store.start_run("shopee", {}, REGISTRY_A)
    store.record_observation(run_1, listing, make_verdict("1001", "uncertified"), REGISTRY_A)
    # The same item again in the same run (a retried page, a resumed crawl): still one observation.
    store.record_observation(
        run_1, listing | {"price": 249.0}, make_verdict("1001", "uncertified"), REGISTRY_A
    )
    store.finish_run(run_1, {})
    run_2 = store.start_run("shopee", {}, REGISTRY_A)
    store.record_observation(
        run_2,
        listing | {"crawled_at": "2026-01-12T03:00:00Z"},
        make_verdict("1001", "uncertified"),
        REGISTRY_A,
    )
    store.finish_run(run_2, {})

    assert count(store, ListingRecord) == 1
    assert count(store, Observation) == 2
    assert count(store, Verdict) == 1  # same content, same registry: one verdict row
    with store.session() as session:
        record = session.execute(select(ListingRecord)).scalar_one()
        prices = session.execute(select(Observation.price).order_by(Observation.run_id)).scalars().all()
    assert record.first_run_id == run_1 and record.last_run_id == run_2
    assert record.first_seen_at.isoformat() == "2026-01-05T03:00:00+00:00"
    assert record.last_seen_at.isoformat() == "2026-01-12T03:00:00+00:00"
    assert prices == [249.0, 259.0]


def test_two_runs_mark_new_still_and_gone(db_url: str, make_listing: Any, make_verdict: Any) -> None:
    store = HistoryStore.from_url(db_url)
    listing = {key: make_listing(key, title) for key, title in TITLES.items()}
    first = crawl(
        store,
        "shopee",
        REGISTRY_A,
        [
            (listing["1001"], make_verdict("1001", "uncertified")),
            (listing["1002"], make_verdict("1002", "unverifiable")),
            (listing["1003"], make_verdict("1003", "certified", licence_no="ท4080-51/2432")),
            (listing["1004"], make_verdict("1004", "uncertified", tis_number="369-2557")),
        ],
    )
    # Second run: 1001 price changed, 1002 removed, 1003's licence revoked (new registry), 1004 now
    # certified, 1005 added.
    second = crawl(
        store,
        "shopee",
        REGISTRY_B,
        [
            (listing["1001"] | {"price": 199.0}, make_verdict("1001", "uncertified")),
            (listing["1003"], make_verdict("1003", "invalid_licence", licence_no="ท4080-51/2432")),
            (listing["1004"], make_verdict("1004", "certified", tis_number="369-2557")),
            (listing["1005"], make_verdict("1005", "unverifiable")),
        ],
    )
    report = store.report(run_ids=[second])
    assert marks(report) == {"1001": STILL_FLAGGED, "1003": NEW, "1005": NEW, "1002": GONE}
    summary = report.runs[0].summary
    assert summary["baseline_run_id"] == first
    assert (summary["new"], summary["still_flagged"], summary["gone"], summary["cleared"]) == (2, 1, 1, 1)
    assert summary["listings"] == 4 and summary["new_listings"] == 1
    assert summary["verdicts"] == {"certified": 1, "invalid_licence": 1, "uncertified": 1, "unverifiable": 1}
    by_id = {row.listing_id.split(".")[1]: row for row in report.rows}
    assert by_id["1001"].price == 199.0
    # Invalid licence first, then uncertified, then unverifiable; gone rows last.
    assert [row.listing_id.split(".")[1] for row in report.rows] == ["1003", "1001", "1005", "1002"]
    # The summary stored at close says the same.
    assert store.get_run(second).summary["gone"] == 1  # type: ignore[union-attr]


def test_a_blocked_run_marks_nothing_gone(db_url: str, make_listing: Any, make_verdict: Any) -> None:
    """Listings a blocked run did not see may still be online: they are not reported as gone."""
    store = HistoryStore.from_url(db_url)
    listing = {key: make_listing(key, title) for key, title in TITLES.items()}
    crawl(
        store,
        "shopee",
        REGISTRY_A,
        [
            (listing["1001"], make_verdict("1001", "uncertified")),
            (listing["1002"], make_verdict("1002", "unverifiable")),
        ],
    )
    second = store.start_run("shopee", {"keywords": "ปลั๊กไฟ"}, REGISTRY_A)
    store.record_observation(second, listing["1001"], make_verdict("1001", "uncertified"), REGISTRY_A)
    store.finish_run(
        second,
        {"tiswatch/pages_fetched": 1, "tiswatch/blocked": 2, "finish_reason": "finished"},
        status="blocked",
    )
    report = store.report(run_ids=[second])
    assert marks(report) == {"1001": STILL_FLAGGED}
    summary = report.runs[0].summary
    assert summary["gone"] == 0 and summary["gone_assessed"] is False
    assert summary["coverage_gaps"] == ["pages blocked: 2"]


def test_a_shop_crawl_cut_short_by_its_page_budget_marks_nothing_gone(
    db_url: str, make_listing: Any, make_verdict: Any
) -> None:
    store = HistoryStore.from_url(db_url)
    listing = {key: make_listing(key, title) for key, title in TITLES.items()}
    crawl(store, "schema_org", REGISTRY_A, [(listing["1001"], make_verdict("1001", "uncertified"))])
    second = store.start_run("schema_org", {"base_url": "https://shop.example.co.th"}, REGISTRY_A)
    store.finish_run(
        second, {"tiswatch/links_not_followed": 12, "finish_reason": "finished"}, status="incomplete"
    )
    summary = store.report(run_ids=[second]).runs[0].summary
    assert summary["gone"] == 0
    assert summary["coverage_gaps"] == ["shop links not followed (page budget or depth): 12"]


def test_exposure_orders_rows_within_a_verdict(db_url: str, make_listing: Any, make_verdict: Any) -> None:
    store = HistoryStore.from_url(db_url)
    items = [
        (make_listing("2001", "ปลั๊กไฟ ถูก", price=99.0, sold=10), make_verdict("2001", "uncertified")),
        (make_listing("2002", "ปลั๊กไฟ ขายดี", price=199.0, sold=3400), make_verdict("2002", "uncertified")),
        (
            make_listing("2003", "ปลั๊กไฟ ไม่มีข้อมูลยอดขาย", price=450.0, sold=None),
            make_verdict("2003", "uncertified"),
        ),
        (
            make_listing("2004", "ปลั๊กไฟ ปลอมเลขมอก.", price=89.0, sold=5),
            make_verdict("2004", "invalid_licence"),
        ),
    ]
    run_id = crawl(store, "shopee", REGISTRY_A, items)
    rows = store.report(run_ids=[run_id]).rows
    assert [row.listing_id.split(".")[1] for row in rows] == ["2004", "2002", "2001", "2003"]
    assert rows[1].exposure == pytest.approx(199.0 * 3400)


def test_interrupted_run_is_not_a_baseline(db_url: str, make_listing: Any, make_verdict: Any) -> None:
    store = HistoryStore.from_url(db_url)
    a, b = make_listing("1001", TITLES["1001"]), make_listing("1002", TITLES["1002"])
    first = crawl(
        store,
        "shopee",
        REGISTRY_A,
        [(a, make_verdict("1001", "uncertified")), (b, make_verdict("1002", "uncertified"))],
    )
    killed = store.start_run("shopee", {}, REGISTRY_A)  # never finished: killed mid-crawl
    store.record_observation(killed, a, make_verdict("1001", "uncertified"), REGISTRY_A)
    third = crawl(
        store,
        "shopee",
        REGISTRY_A,
        [(a, make_verdict("1001", "uncertified")), (b, make_verdict("1002", "uncertified"))],
    )
    report = store.report(run_ids=[third])
    assert report.runs[0].baseline_run_id == first
    assert marks(report) == {"1001": STILL_FLAGGED, "1002": STILL_FLAGGED}
    # The default export picks the latest finished run of each spider.
    assert store.report().run_ids == [third]


def test_spiders_are_compared_with_their_own_previous_run(
    db_url: str, make_listing: Any, make_verdict: Any
) -> None:
    store = HistoryStore.from_url(db_url)
    shopee = make_listing("1001", TITLES["1001"])
    lazada = make_listing("1002", TITLES["1002"], seller_id="lz-77") | {
        "platform": "lazada",
        "listing_id": "3300112",
        "url": "https://www.lazada.co.th/products/i3300112.html",
    }
    crawl(store, "shopee", REGISTRY_A, [(shopee, make_verdict("1001", "uncertified"))])
    crawl(store, "lazada", REGISTRY_A, [(lazada, make_verdict("1002", "uncertified"))])
    second_shopee = crawl(store, "shopee", REGISTRY_A, [(shopee, make_verdict("1001", "uncertified"))])
    report = store.report()
    assert sorted(report.run_ids) == sorted([second_shopee, second_shopee - 1])
    assert {row.platform: row.mark for row in report.rows} == {"shopee": STILL_FLAGGED, "lazada": NEW}


def test_dismissed_listing_stays_quiet_until_its_content_changes(
    db_url: str, make_listing: Any, make_verdict: Any
) -> None:
    store = HistoryStore.from_url(db_url)
    quiet, changing = make_listing("1001", TITLES["1001"]), make_listing("1002", TITLES["1002"])
    items = [(quiet, make_verdict("1001", "uncertified")), (changing, make_verdict("1002", "unverifiable"))]
    crawl(store, "shopee", REGISTRY_A, items)
    keys = store.listing_keys([("shopee", quiet["listing_id"]), ("shopee", changing["listing_id"])])
    with store.session() as session:
        hashes = {key: session.get(ListingRecord, key).content_hash for key in keys.values()}  # type: ignore[union-attr]
    store.record_decisions(
        [
            NewDecision(key, "dismissed", "ผู้ขายแสดงใบอนุญาตแล้ว", hashes[key], f"test row {n}")
            for n, key in enumerate(keys.values(), start=2)
        ],
        reviewer="somchai",
    )
    changed = changing | {"title": TITLES["1002"] + " รุ่นใหม่ 2026"}
    # A price change is not a content change: the dismissal holds.
    third = crawl(
        store,
        "shopee",
        REGISTRY_A,
        [
            (quiet | {"price": 10.0}, make_verdict("1001", "uncertified")),
            (changed, make_verdict("1002", "unverifiable")),
        ],
    )
    report = store.report(run_ids=[third])
    assert marks(report) == {"1002": NEW}
    # The earlier dismissal travels with the row, but is not pre-filled for the changed content.
    assert report.rows[0].decision == ""
    assert report.rows[0].previous_decision.startswith("dismissed ")
    assert report.rows[0].previous_decision.endswith("by somchai: ผู้ขายแสดงใบอนุญาตแล้ว (listing changed since)")
    summary = report.runs[0].summary
    assert summary["dismissed_unchanged"] == 1 and summary["flagged_before_review"] == 2


def test_relisting_of_a_reviewed_listing_is_detected(
    db_url: str, make_listing: Any, make_verdict: Any
) -> None:
    store = HistoryStore.from_url(db_url)
    original = make_listing("1002", "รางปลั๊กไฟ 5 ช่อง 5 เมตร ราคาถูก ไม่มีมอก")
    other_seller = make_listing("7001", "รางปลั๊กไฟ 5 ช่อง 5 เมตร ราคาถูก ไม่มีมอก", seller_id="99120033")
    crawl(store, "shopee", REGISTRY_A, [(original, make_verdict("1002", "uncertified"))])
    key = store.listing_keys([("shopee", original["listing_id"])])[("shopee", original["listing_id"])]
    store.record_decisions([NewDecision(key, "confirmed", "ส่งแจ้งลบแล้ว", "", "test")], reviewer="somchai")
    # Taken down; the same seller lists it again under a new id with a near-identical title.
    again = make_listing("1099", "รางปลั๊กไฟ 5 ช่อง 5 เมตร ราคาถูกๆ ไม่มีมอก")
    unrelated = make_listing("1100", "หมวกกันน็อค เต็มใบ ลายการ์ตูน")
    run = crawl(
        store,
        "shopee",
        REGISTRY_A,
        [
            (again, make_verdict("1099", "uncertified")),
            (unrelated, make_verdict("1100", "uncertified")),
            (other_seller, make_verdict("7001", "uncertified")),
        ],
    )
    report = store.report(run_ids=[run])
    relisted = {row.listing_id.split(".")[1]: row.relisted_from for row in report.rows if row.relisted_from}
    assert list(relisted) == ["1099"]
    assert relisted["1099"].startswith(f"shopee {original['listing_id']} (confirmed")
    assert report.runs[0].summary["relisted"] == 1
    # The confirmed listing is no longer online: the confirmed view says so.
    assert [(c.listing_id, c.still_online) for c in report.confirmed] == [(original["listing_id"], "no")]


def test_decisions_are_all_or_nothing(db_url: str, make_listing: Any, make_verdict: Any) -> None:
    store = HistoryStore.from_url(db_url)
    listing = make_listing("1001", TITLES["1001"])
    crawl(store, "shopee", REGISTRY_A, [(listing, make_verdict("1001", "uncertified"))])
    key = store.listing_keys([("shopee", listing["listing_id"])])[("shopee", listing["listing_id"])]
    with pytest.raises(ValueError, match="row 3: unknown decision 'maybe'"):
        store.record_decisions(
            [NewDecision(key, "confirmed", "", "", "row 2"), NewDecision(key, "maybe", "", "", "row 3")],
            "somchai",
        )
    assert count(store, ReviewDecision) == 0
    assert count(store, Run) == 1


def test_migrations_build_exactly_the_declared_schema(db_url: str) -> None:
    """Every table on the shared Base (history, registry, re-match) comes from a migration, as declared."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    import pipelines.rematch  # noqa: F401  (its tables are on Base too)
    import standards_data.registry_store  # noqa: F401
    import tiswatch.api.tables  # the check API's tables
    import tiswatch.web.models  # noqa: F401  (the review desk's tables)
    from standards_data.database import Base

    store = HistoryStore.from_url(db_url)
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_crawl_resumed_from_its_jobdir_continues_its_run(
    db_url: str, make_listing: Any, make_verdict: Any
) -> None:
    store = HistoryStore.from_url(db_url)
    first = store.start_run("shopee", {}, REGISTRY_A, job_dir="data/jobs/shopee")
    store.record_observation(
        first, make_listing("1001", TITLES["1001"]), make_verdict("1001", "uncertified"), REGISTRY_A
    )
    store.set_run_status(first, "interrupted")  # Ctrl-C: a clean stop, to be resumed
    resumed = store.start_run("shopee", {}, REGISTRY_A, job_dir="data/jobs/shopee")
    assert resumed == first
    store.record_observation(
        first, make_listing("1001", TITLES["1001"]), make_verdict("1001", "uncertified"), REGISTRY_A
    )
    store.record_observation(
        first, make_listing("1002", TITLES["1002"]), make_verdict("1002", "uncertified"), REGISTRY_A
    )
    assert store.finish_run(first, {})["listings"] == 2
    # A finished run is not resumed: the next crawl from the same JOBDIR is a new run.
    assert store.start_run("shopee", {}, REGISTRY_A, job_dir="data/jobs/shopee") != first
    assert store.start_run("lazada", {}, REGISTRY_A, job_dir="data/jobs/shopee") != first


def test_since_compares_with_the_state_before_the_date(
    db_url: str, make_listing: Any, make_verdict: Any
) -> None:
    from datetime import UTC, datetime

    store = HistoryStore.from_url(db_url)
    a, b, c = (make_listing(k, TITLES[k]) for k in ("1001", "1002", "1003"))

    def run_on(day: int, items: list[tuple[dict, Any]]) -> int:
        run_id = store.start_run("shopee", {}, REGISTRY_A, started_at=datetime(2026, 1, day, 3, tzinfo=UTC))
        for listing, verdict in items:
            store.record_observation(run_id, listing, verdict, REGISTRY_A)
        store.finish_run(run_id, {})
        return run_id

    flagged = lambda key: make_verdict(key, "uncertified")  # noqa: E731
    run_on(1, [(a, flagged("1001")), (b, flagged("1002"))])
    run_on(8, [(a, flagged("1001")), (c, flagged("1003"))])
    last = run_on(15, [(a, flagged("1001")), (c, flagged("1003"))])
    report = store.report(since=datetime(2026, 1, 5, tzinfo=UTC))
    # Every run since the date, each against the state before it; 1002 left and was found gone on the 8th.
    assert report.run_ids == [last - 1, last]
    assert {run.baseline_run_id for run in report.runs} == {1}  # the state before 5 January
    assert marks(report) == {"1001": STILL_FLAGGED, "1003": NEW, "1002": GONE}
    assert store.report(since=datetime(2026, 2, 1, tzinfo=UTC)).runs == []
