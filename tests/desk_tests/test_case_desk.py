"""Cases at the review desk: the queue's case column, filter and one-row-per-case view, the listing
page's other listings of its case, and one decision for a whole case reaching every listing and the
next export. SQLite and (when configured) PostgreSQL."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from matchers.verdict import Verdict
from pipelines.exports import write_exports
from pipelines.store import HistoryStore
from tests.desk_tests.conftest import REGISTRY, ClientFactory, _clients, csrf_of, make_desk_db

TWIN_OF = "shopA.5003"  # รางปลั๊ก 6 ช่อง 10 เมตร, shop "ร้าน shopA"
TWIN = {
    "platform": "lazada",
    "listing_id": "4100050003",
    "url": "https://www.lazada.co.th/products/i4100050003.html",
    "title": "รางปลั๊ก 6 ช่อง 10 เมตร ของแท้ ส่งไว",
    "description": "สินค้าพร้อมส่ง",
    "brand": "",
    "price": 205.0,
    "currency": "THB",
    "seller_id": "900001",
    "seller_name": "ร้าน shopA",
    "attributes": {},
    "crawled_at": "2026-11-20T04:00:00Z",
    "sold": 12,
}


def _with_twin(db_url: str, evidence_dir: Path) -> str:
    """The desk's small Shopee history, then a Lazada run that finds shop A's power strip there too."""
    make_desk_db(db_url, evidence_dir)
    store = HistoryStore.from_url(db_url)
    run = store.start_run("lazada", {"keywords": "รางปลั๊ก"}, REGISTRY)
    judged = Verdict(
        TWIN["listing_id"], "unverifiable", "2432-2555", None, 60.0, ["x", "Judged unverifiable."]
    )
    store.record_observation(run, TWIN, judged, REGISTRY)
    store.finish_run(run, {"finish_reason": "finished"})
    store.engine.dispose()
    return db_url


@pytest.fixture
def twin_db(db_url: str, tmp_path: Path) -> str:
    return _with_twin(db_url, tmp_path / "evidence")


@pytest.fixture
def twin_client_for(twin_db: str) -> Iterator[ClientFactory]:
    yield from _clients(twin_db)


def _key(client: Any, query: str) -> int:
    page = client.get("/queue", params={"q": query, "decision": "any"}).text
    return int(re.findall(r'href="/listings/(\d+)"', page)[0])


def _case_of(client: Any, key: int) -> str:
    found = re.search(r"<h2>\S+ (C-\d{6})</h2>", client.get(f"/listings/{key}").text)
    assert found, "no case on the listing page"
    return found.group(1)


def test_queue_shows_filters_and_groups_by_case(twin_client_for: ClientFactory) -> None:
    ann = twin_client_for("ann")
    case = _case_of(ann, _key(ann, "4100050003"))
    page = ann.get("/queue").text
    assert page.count(f">{case}</a>") == 2  # the Shopee listing and its Lazada twin
    only = ann.get("/queue", params={"case": case}).text
    assert len(re.findall(r'class="listing-link"', only)) == 2
    assert ann.get("/queue", params={"case": case.lower().replace("-", "")}).text.count(f">{case}</a>") == 2
    grouped = ann.get("/queue", params={"by_case": "1"}).text
    assert grouped.count(f">{case}</a>") == 1
    assert re.search(rf">{case}</a> <span class=\"case-count\"[^>]*>×2<", grouped)
    # Every other listing is a case of its own: one row each.
    assert (
        len(re.findall(r'class="listing-link"', grouped))
        == len(re.findall(r'class="listing-link"', page)) - 1
    )


def test_listing_page_lists_the_other_listings_of_its_case(twin_client_for: ClientFactory) -> None:
    ann = twin_client_for("ann")
    shopee_key, lazada_key = _key(ann, TWIN_OF), _key(ann, "4100050003")
    page = ann.get(f"/listings/{shopee_key}").text
    section = re.search(r'<section id="case">.*?</section>', page, re.S)
    assert section is not None
    members = section.group(0)
    assert f'href="/listings/{lazada_key}"' in members and TWIN["title"] in members
    assert "lazada" in members and "205.00" in members and TWIN["url"] in members
    assert 'class="verdict unverifiable"' in members
    assert f'href="/listings/{shopee_key}"' not in members  # the others, not itself
    alone = ann.get(f"/listings/{_key(ann, 'shopB.5002')}").text
    assert 'id="case-decision-form"' not in alone


def test_a_case_decision_reaches_every_listing_and_the_next_export(
    twin_client_for: ClientFactory, twin_db: str, tmp_path: Path
) -> None:
    ann = twin_client_for("ann")
    shopee_key = _key(ann, TWIN_OF)
    case = _case_of(ann, shopee_key)
    page = ann.get(f"/listings/{shopee_key}").text
    form = re.search(r'<form[^>]*id="case-decision-form".*?</form>', page, re.S)
    assert form is not None
    selected = re.findall(r'name="selected" value="([^"]+)"', form.group(0))
    assert len(selected) == 2
    response = ann.post(
        f"/cases/{case}/decision",
        data={
            "decision": "confirmed",
            "note": "same strip on both platforms",
            "back": str(shopee_key),
            "selected": [*selected, "1:0"],  # a listing outside the case is ignored
            "csrf_token": csrf_of(page),
        },
    )
    assert response.status_code == 200 and f"{case}: 2 recorded" in response.text
    # The same form again: both listings' decisions changed since it was opened, nothing is overwritten.
    again = ann.post(
        f"/cases/{case}/decision",
        data={
            "decision": "dismissed",
            "selected": selected,
            "back": str(shopee_key),
            "csrf_token": csrf_of(page),
        },
    )
    assert f"{case}: 0 recorded" in again.text and "confirmed by ann" in again.text

    store = HistoryStore.from_url(twin_db)
    write_exports(store, tmp_path / "export")
    store.engine.dispose()
    raw = (tmp_path / "export" / "flagged.csv").read_bytes().decode("utf-8-sig")
    rows = {row["listing_id"]: row for row in csv.DictReader(raw.splitlines())}
    for listing_id in (TWIN_OF, TWIN["listing_id"]):
        assert rows[listing_id]["case_id"] == case
        assert rows[listing_id]["decision"] == "confirmed"
        assert rows[listing_id]["note"] == "same strip on both platforms"
    assert sum(1 for row in rows.values() if row["decision"] == "confirmed") == 2


def test_case_decision_refuses_an_unknown_case_and_a_bad_decision(twin_client_for: ClientFactory) -> None:
    ann = twin_client_for("ann")
    key = _key(ann, TWIN_OF)
    page = ann.get(f"/listings/{key}").text
    token = csrf_of(page)
    assert (
        ann.post("/cases/C-999999/decision", data={"decision": "confirmed", "csrf_token": token}).status_code
        == 404
    )
    case = _case_of(ann, key)
    bad = ann.post(
        f"/cases/{case}/decision", data={"decision": "burn", "selected": f"{key}:0", "csrf_token": token}
    )
    assert bad.status_code == 400


def test_seller_case_file_shows_the_case_and_its_other_listing(twin_client_for: ClientFactory) -> None:
    ann = twin_client_for("ann")
    case = _case_of(ann, _key(ann, TWIN_OF))
    seller = ann.get("/sellers/shopee/shopA").text
    assert f">{case}</a>" in seller
    case_file = ann.get("/sellers/shopee/shopA/case").text
    assert case in case_file and "4100050003" in case_file
