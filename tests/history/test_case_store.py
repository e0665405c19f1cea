"""Cases stored in the history (`pipelines/store/case_store.py`): assigned when a run closes, numbered
for people, the numbers kept from run to run, and the export's `case_id` read from them."""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from crawler.demo_market.catalogue import build_catalogue
from matchers.verdict import Verdict
from pipelines.exports import write_exports
from pipelines.store import HistoryStore, RegistryRef
from pipelines.store.models import Case, ListingRecord, case_key_of, case_label

REGISTRY = RegistryRef("csv-cases", None, "cases test")


def _demo_listings() -> tuple[dict[str, list[dict[str, Any]]], dict[tuple[str, str], tuple[int, str]]]:
    """The demo market's listings by platform, and each listing's catalogue entry and verdict."""
    by_platform: dict[str, list[dict[str, Any]]] = defaultdict(list)
    entry_of: dict[tuple[str, str], tuple[int, str]] = {}
    for entry in build_catalogue():
        for platform in sorted(entry.platforms):
            listing = entry.to_listing(platform) | {"crawled_at": "2026-12-01T03:00:00Z"}
            by_platform[platform].append(listing)
            entry_of[(platform, listing["listing_id"])] = (entry.index, entry.verdict)
    return by_platform, entry_of


def _crawl(store: HistoryStore, by_platform: dict[str, list[dict[str, Any]]], verdicts: dict) -> None:
    """One run per platform, as `tiswatch demo` makes them: each closes (and assigns cases) on its own."""
    for platform, listings in sorted(by_platform.items()):
        run = store.start_run(platform, {"keywords": "demo"}, REGISTRY)
        for listing in listings:
            verdict = verdicts[(platform, listing["listing_id"])][1]
            judged = Verdict(listing["listing_id"], verdict, None, None, 70.0, ["test", f"Judged {verdict}."])
            store.record_observation(run, listing, judged, REGISTRY)
        store.finish_run(run, {"finish_reason": "finished"})


def _stored_cases(store: HistoryStore) -> dict[tuple[str, str], int | None]:
    with store.session() as session:
        query = select(ListingRecord.platform, ListingRecord.listing_id, ListingRecord.case_key)
        return {(platform, listing_id): case for platform, listing_id, case in session.execute(query)}


def test_demo_twins_are_one_stored_case_whose_number_holds_across_runs(db_url: str, tmp_path: Path) -> None:
    store = HistoryStore.from_url(db_url)
    by_platform, entry_of = _demo_listings()
    _crawl(store, by_platform, entry_of)
    first = _stored_cases(store)
    assert None not in first.values()  # every stored listing has a case
    cases_of_entry: dict[int, set[int | None]] = defaultdict(set)
    entries_of_case: dict[int | None, set[int]] = defaultdict(set)
    for key, case in first.items():
        cases_of_entry[entry_of[key][0]].add(case)
        entries_of_case[case].add(entry_of[key][0])
    # The product a shop lists on Shopee and Lazada is one case; no case holds two products.
    assert all(len(cases) == 1 for cases in cases_of_entry.values())
    assert all(len(entries) == 1 for entries in entries_of_case.values())
    assert sum(1 for case in set(first.values()) if list(first.values()).count(case) > 1) > 50

    _crawl(store, by_platform, entry_of)  # the same listings seen again: the same numbers, none new
    assert _stored_cases(store) == first
    with store.session() as session:
        assert session.execute(select(func.count()).select_from(Case)).scalar() == len(set(first.values()))

    # The export's case_id is the stored number, as people read it.
    write_exports(store, tmp_path / "export")
    raw = (tmp_path / "export" / "flagged.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(raw.splitlines()))
    assert rows and all(re.fullmatch(r"C-\d{6}", row["case_id"]) for row in rows)
    for row in rows:
        assert case_key_of(row["case_id"]) == first[(row["platform"], row["listing_id"])]
    crawled = (tmp_path / "export" / "listings.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(crawled) == len(first)  # the newest run of each platform saw every listing
    for line in crawled:
        record = json.loads(line)
        assert record["case_id"] == case_label(first[(record["platform"], record["listing_id"])])


def _listing(platform: str, listing_id: str, title: str, **fields: Any) -> dict[str, Any]:
    return {
        "platform": platform,
        "listing_id": listing_id,
        "url": f"https://{platform}.example/{listing_id}",
        "title": title,
        "description": "",
        "brand": "Toshino",
        "price": 399.0,
        "currency": "THB",
        "seller_id": "s1",
        "seller_name": "ร้านเฮงเฮงช็อป89",
        "attributes": {},
        "crawled_at": "2026-12-01T03:00:00Z",
    } | fields


def _run(store: HistoryStore, platform: str, listings: list[dict[str, Any]]) -> None:
    run = store.start_run(platform, {}, REGISTRY)
    for listing in listings:
        store.record_observation(
            run,
            listing,
            Verdict(listing["listing_id"], "uncertified", "2432-2555", None, 70.0, ["t"]),
            REGISTRY,
        )
    store.finish_run(run, {"finish_reason": "finished"})


def test_a_listing_that_joins_takes_the_case_number_one_that_leaves_gets_its_own(db_url: str) -> None:
    store = HistoryStore.from_url(db_url)
    strip = "ปลั๊กไฟ Toshino ET-914 4 ช่อง 4 สวิตช์ สาย 3 เมตร มอก."
    fan = "พัดลมตั้งพื้น Hatari HT-S16M7 16 นิ้ว สีขาว"
    _run(store, "shopee", [_listing("shopee", "1.1", strip)])
    _run(store, "lazada", [_listing("lazada", "501", f"🔥 {strip} ของแท้")])
    cases = _stored_cases(store)
    assert cases[("shopee", "1.1")] == cases[("lazada", "501")]
    number = cases[("shopee", "1.1")]

    # Lazada 501 now sells a fan (it leaves the case); a new Lazada listing of the strip joins it.
    _run(
        store,
        "lazada",
        [_listing("lazada", "501", fan, brand="Hatari"), _listing("lazada", "502", f"{strip} ส่งไว")],
    )
    cases = _stored_cases(store)
    assert cases[("shopee", "1.1")] == cases[("lazada", "502")] == number
    assert cases[("lazada", "501")] not in (None, number)
    assert case_label(number) == f"C-{number:06d}"


@pytest.mark.parametrize("typed", ["C-000042", "c42", " 42 ", "C42"])
def test_case_labels_as_people_type_them(typed: str) -> None:
    assert case_key_of(typed) == 42


@pytest.mark.parametrize("typed", ["", "C-", "x42", "C-12a", "C-99999999999"])
def test_what_is_not_a_case_label(typed: str) -> None:
    assert case_key_of(typed) is None


def test_two_assignments_at_once_hand_out_each_number_once(db_url: str) -> None:
    """Two crawls closing together: both assign cases; the numbers stay one per product."""
    import threading

    from pipelines.store.case_store import assign_cases

    store = HistoryStore.from_url(db_url)
    by_platform, entry_of = _demo_listings()
    for platform, listings in sorted(by_platform.items()):
        run = store.start_run(platform, {}, REGISTRY)
        for listing in listings:  # stored, not closed: no case yet
            store.record_observation(run, listing, None, REGISTRY)
    errors: list[BaseException] = []

    def assign() -> None:
        try:
            assign_cases(store.engine)
        except BaseException as error:  # reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=assign) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    cases = _stored_cases(store)
    assert None not in cases.values()
    entries_of_case: dict[int | None, set[int]] = defaultdict(set)
    cases_of_entry: dict[int, set[int | None]] = defaultdict(set)
    for key, case in cases.items():
        entries_of_case[case].add(entry_of[key][0])
        cases_of_entry[entry_of[key][0]].add(case)
    assert all(len(entries) == 1 for entries in entries_of_case.values())
    assert all(len(found) == 1 for found in cases_of_entry.values())
