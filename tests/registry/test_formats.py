"""Readers: UTF-8 with/without BOM, TIS-620/cp874, .xlsx with either header set, TISI's search shape."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import Engine

from standards_data.registry import Licence
from standards_data.registry_import import import_registry, validate_registry_file
from standards_data.registry_store import current_licences


def by_number(licences: list[Licence] | None) -> dict[str, Licence]:
    assert licences is not None
    return {licence.licence_no: licence for licence in licences}


@pytest.mark.parametrize(
    ("encoding", "newline", "detected"),
    [
        ("utf-8", "\n", "utf-8"),
        ("utf-8-sig", "\r\n", "utf-8-sig"),
        ("cp874", "\r\n", "cp874"),
        ("tis-620", "\n", "cp874"),
        ("utf-16", "\r\n", "utf-16"),
    ],
)
def test_encodings_give_the_same_licences(
    engine: Engine, write_csv, registry_lines: list[str], encoding: str, newline: str, detected: str
) -> None:
    path = write_csv("registry.csv", registry_lines, encoding=encoding, newline=newline)
    validated = validate_registry_file(path)
    assert validated.ok, validated.problems.lines()
    assert validated.source_format == f"canonical+{detected}"
    outcome = import_registry(engine, path, mode="replace", imported_by="วิภา")
    licences = by_number(current_licences(engine))
    assert outcome.added == len(licences) == 7
    toshino = licences["ท4080-51/2432"]
    assert toshino.brand == "Toshino (โตชิโน)"
    assert toshino.licensee == "บริษัท โตชิโน อินเตอร์เนชั่นแนล จำกัด"
    assert toshino.models == ("P-404", "ET-915")
    assert licences["น6123-63/685"].tis_number == "685 เล่ม 1-2562"
    assert licences["น6123-63/685"].models == ()


def test_excel_unicode_text_export_utf16_tab_separated(write_csv, registry_lines: list[str]) -> None:
    tabbed = [line.replace(",", "\t") for line in registry_lines]
    validated = validate_registry_file(write_csv("registry.txt", tabbed, encoding="utf-16", newline="\r\n"))
    assert validated.ok, validated.problems.lines()
    assert validated.rows == 7
    records = {record[0]: record for _row, record in validated.records()}
    assert records["ท4080-51/2432"][5] == "P-404;ET-915"


def test_file_in_no_accepted_encoding_is_one_file_level_error(
    tmp_path: Path, registry_lines: list[str]
) -> None:
    path = tmp_path / "registry.csv"
    # cp874 text with bytes that are neither UTF-8 nor defined in cp874 (0xFC-0xFF).
    path.write_bytes("\n".join(registry_lines).encode("cp874") + b"\xfc\xfd\xfe\n")
    validated = validate_registry_file(path)
    assert [(p.row, p.column) for p in validated.problems.errors] == [(0, "")]
    assert "neither UTF-8" in validated.problems.errors[0].message


def test_tisi_search_shape_becomes_canonical_licences(engine: Engine, data_dir: Path) -> None:
    outcome = import_registry(
        engine, data_dir / "tisi_search_2432.csv", mode="replace", imported_by="officer"
    )
    assert outcome.ok, outcome.validated.problems.lines()
    licences = by_number(current_licences(engine))
    assert sorted(licences) == ["(2)น1187-58/2432", "(3)ท1021-49/2432", "ท4080-51/2432", "ส0412-61/2432"]
    assert licences["ท4080-51/2432"] == Licence(
        licence_no="ท4080-51/2432",
        licence_type="make",
        tis_number="2432-2555",
        licensee="บริษัท โตชิโน อินเตอร์เนชั่นแนล จำกัด",
        brand="",
        models=(),
        issued="2008-06-19",  # 19-06-2551 BE
        status="active",
    )
    assert licences["(2)น1187-58/2432"].licence_type == "import"
    assert licences["ส0412-61/2432"].licence_type == "display"
    assert licences["(3)ท1021-49/2432"].issued == "2005-08-05"  # Thai digits ๐๕-๐๘-๒๕๔๘


def test_tisi_search_shape_in_cp874_like_tisi_open_data(engine: Engine, data_dir: Path, write_csv) -> None:
    lines = (data_dir / "tisi_search_2432.csv").read_text(encoding="utf-8").splitlines()
    path = write_csv("tisi.csv", lines, encoding="cp874", newline="\r\n")
    outcome = import_registry(engine, path, mode="replace", imported_by="officer")
    assert outcome.ok
    assert outcome.validated.source_format == "tisi_search+cp874"
    assert by_number(current_licences(engine))["ส0412-61/2432"].licensee == "บริษัท พาวเวอร์ ซัพพลาย เซ็นเตอร์ จำกัด"


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_xlsx_with_canonical_header_and_real_date_cells(engine: Engine, tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "registry.xlsx",
        [
            ["licence_no", "licence_type", "tis_number", "licensee", "brand", "models", "issued", "status"],
            ["ท2210-55/934", "make", "934-2558", "บริษัท ฮาตาริ อีเลคทริค จำกัด", "Hatari (ฮาตาริ)", "HE-P16M1",
             datetime(2012, 10, 11), "active"],
            [None] * 8,  # Excel leaves blank rows behind; they are not licences
            ["น3310-60/2879", "import", "2879-2560", "บริษัท เสียวหมี่ เทคโนโลยี (ประเทศไทย) จำกัด",
             "Xiaomi (เสียวหมี่)", "PB1022ZM;PLM13ZM", "2017-11-30", "revoked"],
        ],
    )  # fmt: skip
    outcome = import_registry(engine, path, mode="replace", imported_by="officer")
    assert outcome.ok, outcome.validated.problems.lines()
    assert outcome.validated.source_format == "canonical+xlsx"
    licences = by_number(current_licences(engine))
    assert licences["ท2210-55/934"].issued == "2012-10-11"
    assert licences["น3310-60/2879"].status == "revoked"


def test_xlsx_with_tisi_thai_headers_and_errors_on_spreadsheet_rows(tmp_path: Path) -> None:
    scope = "2879-2560 : แบตเตอรี่สำรองไฟฟ้าสำหรับการใช้งานแบบพกพา"
    rows: list[list[object]] = [
        ["เลขที่ใบอนุญาต", "ประเภท", "วันที่ออกใบอนุญาต", "มาตรฐาน", "ผู้รับใบอนุญาต"],
        ["น3310-60/2879", "นำเข้า", "30-11-2560", scope, "บริษัท เสียวหมี่ เทคโนโลยี (ประเทศไทย) จำกัด"],
        ["น3311-60/2879", "นำเข้า", "30-11-60", scope, "บริษัท เอโลป (ประเทศไทย) จำกัด"],
    ]
    validated = validate_registry_file(write_xlsx(tmp_path / "tisi.xlsx", rows))
    assert validated.source_format == "tisi_search+xlsx"
    assert [(p.row, p.column) for p in validated.problems.errors] == [(3, "วันที่ออกใบอนุญาต")]

    rows[2][2] = "30-11-2560"
    validated = validate_registry_file(write_xlsx(tmp_path / "tisi-fixed.xlsx", rows))
    assert validated.ok
    assert next(record for _row, record in validated.records()) == (
        "น3310-60/2879",
        "import",
        "2879-2560",
        "บริษัท เสียวหมี่ เทคโนโลยี (ประเทศไทย) จำกัด",
        "",
        "",
        "2017-11-30",
        "active",
    )


def test_damaged_xlsx_is_a_file_level_error(tmp_path: Path) -> None:
    path = tmp_path / "registry.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    validated = validate_registry_file(path)
    assert not validated.ok
    assert "not a readable .xlsx workbook" in validated.problems.errors[0].message
