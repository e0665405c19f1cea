"""The queue and the listing page over the real app and the real store (SQLite and PostgreSQL): priority
order, filters, Thai search, paging, claims, bulk decisions, version-checked decisions, and decisions
shared with `tiswatch review import` and `tiswatch export`."""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import select

from pipelines.store import HistoryStore
from pipelines.store.models import ReviewDecision
from tests.desk_tests.conftest import LISTINGS, ClientFactory, csrf_of
from tiswatch.cli import main
from tiswatch.web import queue as queue_module


def _titles(html: str) -> list[str]:
    return re.findall(r'class="listing-link" href="/listings/\d+">([^<]*)</a>', html)


def _keys(html: str) -> list[int]:
    return [int(key) for key in re.findall(r'class="listing-link" href="/listings/(\d+)"', html)]


def _total(html: str) -> int:
    found = re.search(r'id="total">(\d+)<', html)
    assert found
    return int(found.group(1))


def test_queue_in_priority_order_with_filters_and_thai_search(client_for: ClientFactory) -> None:
    ann = client_for("ann")
    page = ann.get("/queue").text
    titles = _titles(page)
    assert _total(page) == len(LISTINGS)
    # invalid licence first, then uncertified by exposure (990×100 > 450×10 > 99×1), then unverifiable.
    assert titles[0].startswith("ปลั๊กพ่วง 4 ช่อง")
    assert titles[1].startswith("เตารีดไฟฟ้า") and titles[2].startswith("หมวกกันน็อค")
    assert titles[-1].startswith("รางปลั๊ก")
    assert _total(ann.get("/queue", params={"verdict": "uncertified"}).text) == 3
    assert _total(ann.get("/queue", params={"seller": "shopA"}).text) == 2
    assert _total(ann.get("/queue", params={"standard": "2432-2555", "platform": "shopee"}).text) == 5
    assert _total(ann.get("/queue", params={"platform": "lazada"}).text) == 0
    assert _total(ann.get("/queue", params={"mark": "new"}).text) == 5
    assert _total(ann.get("/queue", params={"mark": "still"}).text) == 0
    # Thai search, and Thai digits in a licence number found by Arabic ones.
    assert _titles(ann.get("/queue", params={"q": "หมวกกันน็อค"}).text) == ["หมวกกันน็อค ครึ่งใบ วินเทจ ไม่มีมอก."]
    assert _total(ann.get("/queue", params={"q": "9999-65"}).text) == 1
    assert _total(ann.get("/queue", params={"q": "50%"}).text) == 0  # LIKE wildcards are literal


def test_server_side_paging(client_for: ClientFactory, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(queue_module, "PAGE_SIZE", 2)
    monkeypatch.setattr(queue_module.query_queue, "__defaults__", (2,))
    ann = client_for("ann")
    pages = [_keys(ann.get("/queue", params={"page": n}).text) for n in (1, 2, 3)]
    assert [len(keys) for keys in pages] == [2, 2, 1]
    assert len({key for keys in pages for key in keys}) == 5
    assert 'rel="next"' in ann.get("/queue", params={"page": 1}).text
    assert 'rel="next"' not in ann.get("/queue", params={"page": 3}).text


def test_claim_assign_and_assigned_to_me(client_for: ClientFactory) -> None:
    ann, olga = client_for("ann"), client_for("olga")
    page = ann.get("/queue").text
    first, second = _keys(page)[:2]
    token = csrf_of(page)
    ann.post("/queue/claim", data={"csrf_token": token, "selected": [f"{first}:0"], "action": "claim"})
    olga_token = csrf_of(olga.get("/queue").text)
    olga.post(
        "/queue/claim",
        data={"csrf_token": olga_token, "selected": [f"{second}:0"], "action": "assign", "assign_to": "ann"},
    )
    mine = ann.get("/queue", params={"mine": "1"}).text
    assert sorted(_keys(mine)) == sorted([first, second])
    assert _keys(olga.get("/queue", params={"mine": "1"}).text) == []


def test_listing_page_and_decision_with_version_check(client_for: ClientFactory, desk_db: str) -> None:
    ann, olga = client_for("ann"), client_for("olga")
    key = _keys(ann.get("/queue", params={"q": "หมวกกันน็อค"}).text)[0]
    page = ann.get(f"/listings/{key}").text
    for fact in ("ร้าน shopB", "มอก. 2432-2555", "uncertified_reason", "1600W", "2026-11-20 03:00 UTC"):
        assert fact in page, fact
    # Both open the page; olga decides first; ann's decision is refused, not written over olga's.
    olga_page = olga.get(f"/listings/{key}").text
    saved = olga.post(
        f"/listings/{key}/decision",
        data={
            "decision": "confirmed",
            "note": "ไม่มีมอก. จริง",
            "version": "0",
            "csrf_token": csrf_of(olga_page),
        },
    )
    assert saved.status_code == 200 and 'id="saved"' in saved.text
    refused = ann.post(
        f"/listings/{key}/decision",
        data={"decision": "dismissed", "note": "ok", "version": "0", "csrf_token": csrf_of(page)},
    )
    assert refused.status_code == 409
    assert "someone else changed" in refused.text or "มีผู้อื่นเปลี่ยน" in refused.text
    assert "olga" in refused.text
    store = HistoryStore.from_url(desk_db)
    with store.session() as session:
        rows = list(session.execute(select(ReviewDecision)).scalars())
    assert [(row.decision, row.reviewer, row.source) for row in rows] == [
        ("confirmed", "olga", "review desk")
    ]
    assert rows[0].decided_at is not None
    # The reloaded page carries the new version: now ann's change goes through.
    again = ann.get(f"/listings/{key}").text
    changed = ann.post(
        f"/listings/{key}/decision",
        data={
            "decision": "needs-info",
            "note": "",
            "version": re.search(r'name="version" value="(\d+)"', again).group(1),  # type: ignore[union-attr]
            "csrf_token": csrf_of(again),
        },
    )
    assert changed.status_code == 200
    assert _total(ann.get("/queue", params={"decision": "needs-info"}).text) == 1
    assert _total(ann.get("/queue", params={"decision": "confirmed"}).text) == 0


def test_bulk_decisions_then_export_and_review_import_share_the_records(
    client_for: ClientFactory, desk_db: str, tmp_path: Path
) -> None:
    ann = client_for("ann")
    page = ann.get("/queue", params={"seller": "shopB"}).text
    boxes = re.findall(r'name="selected" value="(\d+:\d+)"', page)
    assert len(boxes) == 2
    response = ann.post(
        "/queue/decide",
        data={"csrf_token": csrf_of(page), "selected": boxes, "decision": "confirmed", "note": "bulk"},
    )
    assert "2 recorded" in response.text
    assert _total(ann.get("/queue").text) == 3  # the default view shows open work only
    assert _total(ann.get("/queue", params={"decision": "confirmed"}).text) == 2
    # The next export carries the web decisions (the `confirmed` sheet, with who).
    out = tmp_path / "export"
    assert main(["export", "--out", str(out), "--db", desk_db]) == 0
    workbook = load_workbook(out / "flagged.xlsx", read_only=True)
    confirmed = list(workbook["confirmed"].iter_rows(values_only=True))
    header = list(confirmed[0])
    by = {row[header.index("listing_id")]: row for row in confirmed[1:]}
    assert set(by) == {"shopB.5002", "shopB.5005"}
    assert {row[header.index("decided_by")] for row in by.values()} == {"ann"}
    # A decision imported from the workbook shows on the desk, as the same kind of record.
    sheet_path = out / "flagged.xlsx"
    filled = load_workbook(sheet_path)
    sheet = filled["flagged"]
    head = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[head.index("listing_id")].value == "shopA.5003":
            row[head.index("decision")].value = "dismissed"
            row[head.index("note")].value = "ใบอนุญาตถูกต้อง"
    filled.save(tmp_path / "filled.xlsx")
    assert main(["review", "import", str(tmp_path / "filled.xlsx"), "--by", "somchai", "--db", desk_db]) == 0
    dismissed = ann.get("/queue", params={"decision": "dismissed"}).text
    assert _titles(dismissed) == ["รางปลั๊ก 6 ช่อง 10 เมตร"]
    key = _keys(dismissed)[0]
    listing = ann.get(f"/listings/{key}").text
    assert "somchai" in listing and "ใบอนุญาตถูกต้อง" in listing


def test_a_finished_crawl_reaches_the_queue(client_for: ClientFactory, desk_db: str) -> None:
    import time

    from matchers.verdict import Verdict
    from tests.desk_tests.conftest import REGISTRY, make_listing

    ann = client_for("ann")
    assert _total(ann.get("/queue", params={"decision": "any"}).text) == 5
    store = HistoryStore.from_url(desk_db)
    run_id = store.start_run("shopee", {}, REGISTRY)
    listing = make_listing("6001", "ปลั๊กพ่วง ไม่มียี่ห้อ 5 ช่อง", "shopD", 159.0, 3)
    store.record_observation(
        run_id,
        listing,
        Verdict(listing["listing_id"], "unverifiable", "2432-2555", None, 50.0, ["x"]),
        REGISTRY,
    )
    # A crawl in progress does not touch the queue...
    assert _total(ann.get("/queue", params={"decision": "any"}).text) == 5
    store.finish_run(run_id, {"finish_reason": "finished"})
    # ...a finished one replaces it (rebuilt in the background: the page after next shows it). The new run
    # saw only shopD's listing, so the queue now holds it alone.
    deadline = time.monotonic() + 60
    while _titles(ann.get("/queue", params={"decision": "any"}).text) != ["ปลั๊กพ่วง ไม่มียี่ห้อ 5 ช่อง"]:
        assert time.monotonic() < deadline, "the queue was not rebuilt after the run finished"
        time.sleep(0.2)


def test_a_decision_made_on_other_content_leaves_the_listing_open(
    client_for: ClientFactory, desk_db: str
) -> None:
    """Like the export: a dismissal holds while the listing is unchanged; one made on an older content
    (the seller edited the listing since) puts it back in the open queue."""
    from pipelines.store import NewDecision

    ann = client_for("ann")
    store = HistoryStore.from_url(desk_db)
    keys = store.listing_keys([("shopee", "shopB.5002"), ("shopee", "shopB.5005")])
    store.record_decisions(
        [
            NewDecision(keys[("shopee", "shopB.5002")], "dismissed", "", "0" * 64, "flagged.xlsx row 3"),
            NewDecision(keys[("shopee", "shopB.5005")], "dismissed", "", "", "flagged.xlsx row 2"),
        ],
        "somchai",
    )
    assert _titles(ann.get("/queue", params={"decision": "dismissed"}).text) == ["เตารีดไฟฟ้า ST-2 1600W"]
    assert "หมวกกันน็อค ครึ่งใบ วินเทจ ไม่มีมอก." in _titles(ann.get("/queue").text)
