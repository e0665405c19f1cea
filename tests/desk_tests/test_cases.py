"""Sellers' pages and case files, takedown requests, the dashboard, over the real app (SQLite)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.desk_tests.conftest import ClientFactory, csrf_of
from tests.desk_tests.servers import CHROMIUM


def _confirm(client: Any, query: str) -> int:
    page = client.get("/queue", params={"q": query}).text
    key = int(re.findall(r'href="/listings/(\d+)"', page)[0])
    listing = client.get(f"/listings/{key}").text
    response = client.post(
        f"/listings/{key}/decision",
        data={
            "decision": "confirmed",
            "note": '=HYPERLINK("http://evil")',
            "version": "0",
            "csrf_token": csrf_of(listing),
        },
    )
    assert response.status_code == 200
    return key


def test_takedown_request_lists_confirmed_listings_of_a_platform(sqlite_client_for: ClientFactory) -> None:
    ann, olga = sqlite_client_for("ann"), sqlite_client_for("olga")
    _confirm(ann, "หมวกกันน็อค")
    _confirm(ann, "ปลั๊กพ่วง 4 ช่อง")
    assert ann.get("/takedown").status_code == 403
    assert ann.get("/takedown/shopee.csv").status_code == 403
    assert re.search(r"<td>shopee</td><td class=\"num\">2</td>", olga.get("/takedown").text)
    response = olga.get("/takedown/shopee.csv")
    assert response.status_code == 200 and "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert sorted(row["listing_id"] for row in rows) == ["shopA.5001", "shopB.5002"]
    for row in rows:
        assert row["url"].startswith("https://shopee.co.th/product/")
        assert row["standard"] == "มอก. 2432-2555"
        assert re.fullmatch(r"[0-9a-f]{64}", row["evidence_sha256"])
        assert row["reason"].startswith(("Judged invalid_licence", "Judged uncertified"))
        assert row["confirmed_by"] == "ann"
        assert row["note"].startswith("'=")  # never a formula in Excel
    workbook = load_workbook(io.BytesIO(olga.get("/takedown/shopee.xlsx").content))
    sheet = workbook.active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:5] == ("url", "listing_id", "standard", "reason", "evidence_sha256")
    assert len(values) == 3
    assert olga.get("/takedown/lazada.csv").content.decode("utf-8-sig").count("\n") == 1  # header only


def test_seller_page_and_case_file(sqlite_client_for: ClientFactory) -> None:
    ann = sqlite_client_for("ann")
    _confirm(ann, "รางปลั๊ก")
    page = ann.get("/sellers/shopee/shopA")
    assert page.status_code == 200
    assert len(re.findall(r'class="listing-link"', page.text)) == 2
    assert "ร้าน shopA" in page.text
    case = ann.get("/sellers/shopee/shopA/case").text
    assert "รางปลั๊ก 6 ช่อง 10 เมตร" in case and "ปลั๊กพ่วง 4 ช่อง" in case
    assert re.search(r"SHA-256 [0-9a-f]{64}", case)
    assert "ann" in case and "HYPERLINK(&#34;http://evil&#34;)" in case
    assert ann.get("/sellers/shopee/nobody").status_code == 404


def test_dashboard_shows_coverage_flags_sellers_and_registry(sqlite_client_for: ClientFactory) -> None:
    page = sqlite_client_for("ann").get("/dashboard").text
    per_standard = re.search(r'<svg[^>]*id="per-standard".*?</svg>', page, re.S)
    assert per_standard and "2432-2555" in per_standard.group(0) and ">5<" in per_standard.group(0)
    sellers = re.search(r'<svg[^>]*id="top-sellers".*?</svg>', page, re.S)
    assert sellers
    # shopB: 990×100 + 450×10 = 103,500 leads; shopA: 299×40 + 199×500 = 111,460 leads overall.
    labels = re.findall(r"<text x=\"0\"[^>]*>([^<]*)</text>", sellers.group(0))
    assert labels[:2] == ["shopee · ร้าน shopA", "shopee · ร้าน shopB"]
    assert 'class="coverage-complete"' in page
    assert "no registry imported" in page


@pytest.mark.slow
def test_case_file_as_pdf(sqlite_client_for: ClientFactory) -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no chromium at {CHROMIUM}")
    response = sqlite_client_for("ann").get("/sellers/shopee/shopA/case.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-") and len(response.content) > 5000


def test_officer_imports_a_registry_file(sqlite_client_for: ClientFactory) -> None:
    from pathlib import Path as _Path

    olga = sqlite_client_for("olga")
    token = csrf_of(olga.get("/registry/import").text)
    sample = (_Path(__file__).resolve().parents[2] / "standards_data" / "sample_registry.csv").read_bytes()
    response = olga.post(
        "/registry/import",
        data={"csrf_token": token, "mode": "replace"},
        files={"file": ("sample_registry.csv", sample, "text/csv")},
    )
    assert response.status_code == 200 and "registry version 1:" in response.text
    broken = olga.post(
        "/registry/import",
        data={"csrf_token": token, "mode": "update"},
        files={"file": ("broken.csv", "licence_no,status\nท1-1/1,maybe\n".encode(), "text/csv")},
    )
    assert broken.status_code == 400 and "nothing was imported" in broken.text
    assert "broken.csv" in broken.text
    assert re.search(
        r'id="registry">version 1: [\d,]+ licences, imported [^<]* by olga', olga.get("/dashboard").text
    )
