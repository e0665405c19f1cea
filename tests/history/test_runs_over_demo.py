"""Three real crawls of the demo marketplace (`tiswatch crawl shopee` in a subprocess, the market in this
process on 127.0.0.1) with the real matcher, on SQLite and PostgreSQL:

run 1; then a listing removed, one added, one price changed and one licence revoked -> run 2 marks
new / still flagged / gone; then a review import (dismissals, a confirmation) and a changed listing
-> run 3 keeps the unchanged dismissed listing quiet and re-flags the changed one.
"""

from __future__ import annotations

import csv
import dataclasses
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from crawler.demo_market import Catalogue, CatalogueEntry, DemoMarket, build_catalogue
from pipelines.store import HistoryStore
from standards_data import DATA_DIR

pytestmark = pytest.mark.slow

STANDARD = "2432-2555"
REPO = Path(__file__).resolve().parents[2]


def crawl(market: DemoMarket, out: Path, db_url: str, registry_csv: Path) -> None:
    command = [
        sys.executable, "-m", "tiswatch.cli", "crawl", "shopee",
        "-a", f"base_url={market.base_url}", "-a", f"standards={STANDARD}",
        "--out", str(out), "--db", db_url, "-L", "WARNING",
        "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "-s", f"TISWATCH_REGISTRY_CSV={registry_csv}",
    ]  # fmt: skip
    done = subprocess.run(
        command, cwd=out.parent, capture_output=True, text=True, timeout=300, env=os.environ
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


def flagged_rows(out: Path) -> dict[str, dict[str, Any]]:
    workbook = load_workbook(out / "flagged.xlsx")
    rows = list(workbook["flagged"].iter_rows(values_only=True))
    return {row[rows[0].index("listing_id")]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}


def key(entry: CatalogueEntry) -> str:
    return f"{entry.seller.shop_id}.{entry.shopee_item_id}"


def write_registry(path: Path, revoke: str) -> Path:
    with open(DATA_DIR / "sample_registry.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert any(row["licence_no"] == revoke for row in rows)
    for row in rows:
        if row["licence_no"] == revoke:
            row["status"] = "revoked"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def market_with(catalogue: Catalogue, entries: list[CatalogueEntry]) -> DemoMarket:
    return DemoMarket(catalogue=Catalogue(entries, seed=catalogue.seed, family_terms=catalogue.family_terms))


def test_three_runs_with_changes_and_a_review(db_url: str, tmp_path: Path) -> None:
    catalogue = build_catalogue()
    registry = DATA_DIR / "sample_registry.csv"
    run_1 = tmp_path / "run-1"
    with DemoMarket(catalogue=catalogue) as market:
        crawl(market, run_1, db_url, registry)
    flagged_1 = flagged_rows(run_1)
    store = HistoryStore.from_url(db_url)
    [(first_run, _)] = [(r.id, r) for r in store.runs()]
    seen_1 = {o.data["listing_id"]: (o, v) for o, v, _ in store.iter_observations([first_run])}
    assert len(flagged_1) >= 10 and all(row["mark"] == "new" for row in flagged_1.values())

    by_key = {key(e): e for e in catalogue if "shopee" in e.platforms}
    flagged_entries = [by_key[k] for k in sorted(flagged_1) if k in by_key]
    removed, price_cut = flagged_entries[0], flagged_entries[1]
    # Revoke a licence the matcher used to certify listings with, and that is its brand's only licence
    # for the standard (so nothing else can certify them afterwards).
    certified = {
        k: v.licence_no for k, (_, v) in seen_1.items() if v and v.verdict == "certified" and v.licence_no
    }
    with open(registry, encoding="utf-8", newline="") as handle:
        licences = list(csv.DictReader(handle))
    brand_of = {row["licence_no"]: (row["brand"], row["tis_number"]) for row in licences}
    sole = [
        no for no in sorted(set(certified.values()))
        if sum(1 for row in licences if (row["brand"], row["tis_number"]) == brand_of[no]) == 1
    ]  # fmt: skip
    assert sole, "the sample registry has a brand with a single licence among the certified listings"
    revoked = sole[0]
    revoked_listings = {k for k, no in certified.items() if no == revoked}
    template = flagged_entries[2]
    added = dataclasses.replace(
        template,
        index=10_000,
        shopee_item_id=29_000_000_001,
        lazada_item_id=4_900_000_001,
        shop_sku="TW-NEW-1",
        title=template.title + " ล็อตใหม่ 2026",
    )
    entries_2 = [
        dataclasses.replace(e, price=round(e.price / 2, 2)) if e is price_cut else e
        for e in catalogue
        if e is not removed
    ] + [added]

    run_2 = tmp_path / "run-2"
    with market_with(catalogue, entries_2) as market:
        crawl(market, run_2, db_url, write_registry(tmp_path / "registry-revoked.csv", revoked))
    flagged_2 = flagged_rows(run_2)
    marks = {k: row["mark"] for k, row in flagged_2.items()}
    assert marks[key(removed)] == "gone"
    assert marks[key(added)] == "new"
    assert {k for k in revoked_listings if marks.get(k) == "new"} == revoked_listings
    # Citing the revoked licence is an invalid licence; merely being its brand is now uncertified.
    assert {flagged_2[k]["verdict"] for k in revoked_listings} <= {"invalid licence", "uncertified"}
    expected_still = set(flagged_1) - {key(removed)}
    assert {k for k, m in marks.items() if m == "still flagged"} == expected_still
    assert set(marks) == expected_still | revoked_listings | {key(added), key(removed)}
    assert flagged_2[key(price_cut)]["price"] == pytest.approx(round(price_cut.price / 2, 2))
    summary = dict(
        load_workbook(run_2 / "flagged.xlsx")["run summary"].iter_rows(min_row=2, values_only=True)
    )
    assert summary["gone (flagged, left a completely covered scope)"] == 1
    assert summary["  new"] == len(revoked_listings) + 1

    # Review: dismiss two still-flagged listings (one of which will change), confirm a third.
    quiet, changing, confirmed = sorted(expected_still)[:3]
    workbook = load_workbook(run_2 / "flagged.xlsx")
    sheet = workbook["flagged"]
    header = [cell.value for cell in sheet[1]]
    decisions = {quiet: "dismissed", changing: "Dismissed", confirmed: "confirmed"}
    for row in sheet.iter_rows(min_row=2):
        listing_id = row[header.index("listing_id")].value
        if listing_id in decisions:
            row[header.index("decision")].value = decisions[listing_id]
            row[header.index("note")].value = "ตรวจแล้ว"
    workbook.save(tmp_path / "reviewed.xlsx")
    review = subprocess.run(
        [sys.executable, "-m", "tiswatch.cli", "review", "import", str(tmp_path / "reviewed.xlsx"),
         "--by", "investigator-1", "--db", db_url],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert review.returncode == 0, review.stderr
    assert "recorded 3 decision(s) (1 confirmed, 2 dismissed)" in review.stdout

    changing_entry = by_key[changing]
    entries_3 = [
        dataclasses.replace(e, title=e.title + " (ปรับปรุงสินค้าใหม่)") if e is changing_entry else e
        for e in entries_2
    ]
    run_3 = tmp_path / "run-3"
    with market_with(catalogue, entries_3) as market:
        crawl(market, run_3, db_url, tmp_path / "registry-revoked.csv")
    flagged_3 = flagged_rows(run_3)
    assert quiet not in flagged_3  # dismissed and unchanged: not flagged again
    assert flagged_3[changing]["mark"] == "new"  # dismissed but changed: flagged again
    assert flagged_3[confirmed]["mark"] == "still flagged"
    confirmed_sheet = list(load_workbook(run_3 / "flagged.xlsx")["confirmed"].iter_rows(values_only=True))
    confirmed_rows = {row[1]: dict(zip(confirmed_sheet[0], row, strict=True)) for row in confirmed_sheet[1:]}
    assert confirmed_rows[confirmed]["still_online"] == "yes"
    assert confirmed_rows[confirmed]["runs_seen"] == 3
    summary_3 = store.get_run(max(r.id for r in store.runs())).summary  # type: ignore[union-attr]
    assert summary_3["dismissed_unchanged"] == 1
