"""The investigator's export read back the way an investigator's tools read it: openpyxl for the
workbook, csv for flagged.csv, gzip + sha256 for the evidence."""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from pipelines.evidence import EvidenceStore
from pipelines.exports import write_exports
from pipelines.store import EvidenceRef, HistoryStore, NewDecision, RegistryRef
from pipelines.store.types import parse_utc

REGISTRY = RegistryRef(ref="csv-aaaa", version=None, source="sample_registry.csv")

FLAGGED_COLUMNS_IN_ORDER = [
    "priority",
    "mark",
    "verdict",
    "platform",
    "listing_id",
    "title",
    "url",
    "seller_name",
    "seller_id",
    "brand",
    "price",
    "sold",
    "exposure",
    "tis_number",
    "standard_th",
    "licence_no",
    "reasons",
    "checks",
    "relisted_from",
    "registry_change",
    "first_seen",
    "last_seen",
    "evidence_sha256",
    "decision",
    "note",
]


def _record(store: HistoryStore, evidence: EvidenceStore, run_id: int, listing: dict, verdict: Any) -> None:
    body = json.dumps({"items": [{"item_basic": {"name": listing["title"]}}]}, ensure_ascii=False).encode()
    sha256 = evidence.record(listing["source_url"], body, "2026-01-05T03:00:01Z")
    ref = EvidenceRef(
        sha256, listing["source_url"], parse_utc("2026-01-05T03:00:01Z"), str(evidence.path_for(sha256))
    )  # type: ignore[arg-type]
    store.record_observation(run_id, listing, verdict, REGISTRY, ref)


@pytest.fixture
def exported(db_url: str, tmp_path: Path, make_listing: Any, make_verdict: Any) -> dict[str, Any]:
    store = HistoryStore.from_url(db_url)
    evidence = EvidenceStore(tmp_path / "data" / "evidence")
    gone = make_listing("3001", "ปลั๊กไฟ 3 ช่อง ไม่มียี่ห้อ", price=120.0, sold=40)
    first = store.start_run("shopee", {"keywords": "ปลั๊กไฟ"}, REGISTRY)
    _record(store, evidence, first, gone, make_verdict("3001", "uncertified"))
    still = make_listing(
        "3002", "ปลั๊กพ่วง 4 ช่อง มอก.2432-2555 CSC รุ่น P-404 ⚡", brand="CSC", price=259.0, sold=1500
    )
    _record(store, evidence, first, still, make_verdict("3002", "uncertified", licence_no=None))
    store.finish_run(first, {"tiswatch/pages_fetched": 2})

    second = store.start_run("shopee", {"keywords": "ปลั๊กไฟ"}, REGISTRY)
    _record(store, evidence, second, still, make_verdict("3002", "uncertified"))
    fake_licence = make_listing(
        "3003",
        '=HYPERLINK("http://evil") รางปลั๊ก มอก. ท9999-99/2432',
        price=89.0,
        sold=20,
        seller_id="55501234",
        seller_name="ร้านปลั๊กถูก",
    )
    _record(
        store,
        evidence,
        second,
        fake_licence,
        make_verdict(
            "3003",
            "invalid_licence",
            licence_no="ท9999-99/2432",
            # The matcher's shape: codes with details, the sentence last.
            reasons=[
                "category:2432-2555: classified by 'รางปลั๊ก' in the title",
                "licence_unknown: licence ท9999-99/2432 is not in the registry",
                "Invalid licence: cites ท9999-99/2432, which is not in the registry.",
            ],
        ),
    )
    bare = make_listing("3004", "ปลั๊กไฟ", price=59.0, sold=None)
    _record(
        store, evidence, second, bare, make_verdict("3004", "unverifiable", reasons=["no_brand", "no_model"])
    )
    ok = make_listing("3005", "ปลั๊กพ่วง Toshiba มอก.", brand="Toshiba")
    _record(store, evidence, second, ok, make_verdict("3005", "certified", licence_no="ท4080-51/2432"))
    store.finish_run(second, {"tiswatch/pages_fetched": 4, "tiswatch/field_problems": 1})
    key = store.listing_keys([("shopee", still["listing_id"])])[("shopee", still["listing_id"])]
    store.record_decisions([NewDecision(key, "confirmed", "แจ้ง สมอ. แล้ว", "", "test")], "somchai")

    out = tmp_path / "export"
    result = write_exports(store, out)
    return {"out": out, "result": result, "listings": [gone, still, fake_licence, bare, ok], "run": second}


def _sheet_rows(sheet: Any) -> list[dict[str, Any]]:
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


def test_flagged_sheet_columns_order_links_and_layout(exported: dict[str, Any]) -> None:
    workbook = load_workbook(exported["out"] / "flagged.xlsx")
    assert workbook.sheetnames == ["flagged", "run summary", "per seller", "confirmed"]
    sheet = workbook["flagged"]
    header = [cell.value for cell in sheet[1]]
    assert header[: len(FLAGGED_COLUMNS_IN_ORDER)] == FLAGGED_COLUMNS_IN_ORDER
    rows = _sheet_rows(sheet)
    # invalid licence, then uncertified, then unverifiable; the gone listing last.
    assert [(r["verdict"], r["mark"]) for r in rows] == [
        ("invalid licence", "new"),
        ("uncertified", "still flagged"),
        ("unverifiable", "new"),
        ("uncertified", "gone"),
    ]
    assert [r["priority"] for r in rows] == [1, 2, 3, 4]
    # Clickable URLs, Thai text intact, a formula-looking title kept as text.
    url_column = header.index("url") + 1
    for row_number, row in enumerate(rows, start=2):
        cell = sheet.cell(row=row_number, column=url_column)
        assert cell.hyperlink is not None and cell.hyperlink.target == row["url"]
        assert row["url"].startswith("https://shopee.co.th/product/")
    assert rows[1]["title"] == "ปลั๊กพ่วง 4 ช่อง มอก.2432-2555 CSC รุ่น P-404 ⚡"
    assert rows[0]["title"].startswith('=HYPERLINK("http://evil")')
    assert sheet.cell(row=2, column=header.index("title") + 1).data_type == "s"
    assert rows[0]["standard_th"]  # Thai title of 2432-2555 from the catalogue
    assert rows[0]["licence_no"] == "ท9999-99/2432"
    assert rows[0]["reasons"] == "Invalid licence: cites ท9999-99/2432, which is not in the registry."
    assert (
        rows[0]["checks"]
        == "classified by 'รางปลั๊ก' in the title; licence ท9999-99/2432 is not in the registry"
    )
    assert rows[0]["reason_codes"] == "category:2432-2555, licence_unknown"
    assert rows[2]["reasons"] == "no brand; no model"
    assert rows[1]["exposure"] == pytest.approx(259.0 * 1500)
    assert rows[1]["decision"] == "confirmed" and rows[1]["note"] == "แจ้ง สมอ. แล้ว"
    assert len(rows[0]["evidence_sha256"]) == 64
    # Layout: frozen header, filters over the table, widths set.
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(row=1, column=len(header)).column_letter}{len(rows) + 1}"
    assert sheet.column_dimensions["F"].width == 60  # title
    validations = sheet.data_validations.dataValidation
    assert validations and "confirmed,dismissed,needs-info" in validations[0].formula1


def test_summary_seller_and_confirmed_sheets(exported: dict[str, Any]) -> None:
    workbook = load_workbook(exported["out"] / "flagged.xlsx")
    summary = {row[0]: row[1] for row in workbook["run summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["run"] == exported["run"]
    assert summary["pages fetched"] == 4 and summary["pages unreadable (parse errors)"] == 0
    assert summary["status"] == "complete" and summary["coverage gaps"] == "none"
    assert summary["flagged"] == 3 and summary["  new"] == 2 and summary["  still flagged"] == 1
    assert summary["gone (flagged, left a completely covered scope)"] == 1
    sellers = _sheet_rows(workbook["per seller"])
    assert [(s["seller_id"], s["flagged"], s["listings_seen"]) for s in sellers] == [
        ("28841377", 2, 3),  # 3002 and 3004 flagged, 3005 certified
        ("55501234", 1, 1),
    ]
    assert sellers[0]["exposure"] == pytest.approx(259.0 * 1500)
    confirmed = _sheet_rows(workbook["confirmed"])
    assert [(c["listing_id"], c["still_online"], c["runs_seen"]) for c in confirmed] == [
        ("28841377.3002", "yes", 2)
    ]
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref


def test_csv_has_bom_and_the_same_rows(exported: dict[str, Any]) -> None:
    raw = (exported["out"] / "flagged.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    workbook_rows = _sheet_rows(load_workbook(exported["out"] / "flagged.xlsx")["flagged"])
    assert [r["listing_id"] for r in rows] == [r["listing_id"] for r in workbook_rows]
    assert rows[0]["title"].startswith("'=HYPERLINK")  # never a formula when Excel opens the CSV
    assert rows[1]["title"] == "ปลั๊กพ่วง 4 ช่อง มอก.2432-2555 CSC รุ่น P-404 ⚡"
    assert rows[1]["first_seen"] == "2026-01-05T03:00:00Z"


def test_listings_jsonl_holds_everything_crawled(exported: dict[str, Any]) -> None:
    lines = (exported["out"] / "listings.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == 4  # the latest run: four listings, certified included
    verdicts = {r["listing_id"].split(".")[1]: r["verdict"]["verdict"] for r in records}
    assert verdicts == {
        "3002": "uncertified",
        "3003": "invalid_licence",
        "3004": "unverifiable",
        "3005": "certified",
    }
    assert all(r["run_id"] == exported["run"] for r in records)


def test_evidence_manifest_files_match_their_hashes(exported: dict[str, Any]) -> None:
    out = exported["out"]
    with open(out / "evidence" / "manifest.csv", encoding="utf-8", newline="") as handle:
        manifest = list(csv.DictReader(handle))
    assert len(manifest) == 4 and all(row["status"] == "ok" for row in manifest)
    for row in manifest:
        body = gzip.decompress((out / row["file"]).read_bytes())
        assert hashlib.sha256(body).hexdigest() == row["sha256"]
        assert row["fetched_at"] == "2026-01-05T03:00:01Z"
        assert row["url"].startswith("https://shopee.co.th/api/v4/search/search_items")


@pytest.mark.parametrize(
    ("title", "brand", "verdict"),
    [
        ("ของเล่นเด็ก ตัวต่อ เสริมพัฒนาการ", "Babyplay", "uncertified"),
        ("ปลั๊กพ่วง 4 ช่อง 3 เมตร", "", "unverifiable"),
        ("เสื้อยืด cotton 100% ไซส์ L", "", "not_regulated"),
    ],
)
def test_reasons_column_is_the_matchers_sentence_and_checks_its_details(
    title: str, brand: str, verdict: str
) -> None:
    """Every verdict's sentence (`Uncertified: …`, `Unverifiable: …`) lands in `reasons`, never among
    the codes, whatever its first word."""
    from matchers.matcher import Matcher
    from pipelines.exports.columns import reason_codes, reason_details, reasons_in_words
    from standards_data.registry import read_registry_csv

    registry = Path(__file__).parents[2] / "standards_data" / "sample_registry.csv"
    judged = Matcher(read_registry_csv(registry)).judge(
        {"listing_id": "x1", "title": title, "brand": brand, "description": "", "attributes": {}}
    )
    assert judged.verdict == verdict
    assert reasons_in_words(judged.reasons) == judged.reasons[-1]
    assert judged.reasons[-1] not in reason_details(judged.reasons)
    assert all(code[0].islower() for code in reason_codes(judged.reasons))


def test_one_case_per_product_across_platforms(
    db_url: str, tmp_path: Path, make_listing: Any, make_verdict: Any
) -> None:
    """The same product from the same shop on Shopee and Lazada shares a case id; other products do not."""
    store = HistoryStore.from_url(db_url)
    evidence = EvidenceStore(tmp_path / "data" / "evidence")
    title = "ปลั๊กพ่วง 4 ช่อง มอก.2432-2555 CSC รุ่น P-404 ⚡"
    on_shopee = make_listing("3002", title, brand="CSC", price=259.0)
    on_lazada = make_listing(
        "9977",
        "🔥 ปลั๊กพ่วง CSC รุ่น P-404 4 ช่อง มอก.2432-2555",
        seller_id="200744386",
        brand="CSC",
        price=265.0,
    ) | {
        "platform": "lazada",
        "listing_id": "4100019977",
        "url": "https://www.lazada.co.th/products/i4100019977.html",
    }
    other = make_listing("3008", "ปลั๊กพ่วง 6 ช่อง CSC รุ่น P-606 สาย 5 เมตร", brand="CSC", price=459.0)
    for platform, listings in (("shopee", [on_shopee, other]), ("lazada", [on_lazada])):
        run = store.start_run(platform, {"keywords": "ปลั๊กพ่วง"}, REGISTRY)
        for listing in listings:
            _record(store, evidence, run, listing, make_verdict(listing["listing_id"], "uncertified"))
        store.finish_run(run, {"tiswatch/pages_fetched": 1})
    write_exports(store, tmp_path / "export")
    raw = (tmp_path / "export" / "flagged.csv").read_bytes().decode("utf-8-sig")
    cases = {row["listing_id"]: row["case_id"] for row in csv.DictReader(raw.splitlines())}
    assert cases[on_shopee["listing_id"]] == cases["4100019977"]
    assert cases[other["listing_id"]] != cases["4100019977"]
    assert all(re.fullmatch(r"C-\d{6}", case) for case in cases.values())
