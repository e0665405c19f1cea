"""Validation of registry files: every error class names its row and column; warnings do not block."""

from __future__ import annotations

from pathlib import Path

import pytest

from standards_data.registry_import import validate_registry_file
from standards_data.registry_import.problems import Problem

HEADER = "licence_no,licence_type,tis_number,licensee,brand,models,issued,status"
GOOD = ",".join(
    [
        "ท4080-51/2432",
        "make",
        "2432-2555",
        "บริษัท โตชิโน อินเตอร์เนชั่นแนล จำกัด",
        "Toshino (โตชิโน)",
        "P-404;ET-915",
        "2008-06-19",
        "active",
    ]
)
OTHER = "(2)น1187-58/2432,import,2432-2555,บริษัท แอนิเทค จำกัด,Anitech,H5134;H5135,2015-03-02,active"


def only_error(path: Path) -> Problem:
    validated = validate_registry_file(path)
    assert not validated.ok
    assert len(validated.problems.errors) == 1, validated.problems.lines()
    return validated.problems.errors[0]


def test_the_suite_files_are_valid(data_dir: Path) -> None:
    for name, rows, shape in (
        ("registry_v1.csv", 7, "canonical"),
        ("tisi_search_2432.csv", 4, "tisi_search"),
    ):
        validated = validate_registry_file(data_dir / name)
        assert validated.ok, validated.problems.lines()
        assert validated.rows == rows
        assert validated.source_format == f"{shape}+utf-8"


@pytest.mark.parametrize(
    ("bad_row", "column", "fragment"),
    [
        (GOOD.replace("ท4080-51/2432", "TH4080-51/2432"), "licence_no", "is not a TISI licence number"),
        (GOOD.replace("ท4080-51/2432", "ท4080/2432"), "licence_no", "is not a TISI licence number"),
        (GOOD.replace(",active", ",cancelled"), "status", "unknown status 'cancelled'"),
        (GOOD.replace(",active", ","), "status", "value is empty"),
        (GOOD.replace("2008-06-19", "2008-02-30"), "issued", "is not a date"),
        (GOOD.replace("2008-06-19", "19/06/2008"), "issued", "is not a date"),
        (GOOD.replace("2008-06-19", "2551-06-19"), "issued", "Buddhist-era year"),
        (GOOD.replace(",make,", ",manufacturer,"), "licence_type", "unknown licence type"),
        (GOOD.replace("2432-2555", "ปลั๊กพ่วง"), "tis_number", "is not a TIS standard number"),
        (GOOD.replace("2432-2555", "2432"), "tis_number", "is not a TIS standard number"),
        (GOOD.replace("2432-2555", "2432-2012"), "tis_number", "the BE year is 2555"),
        (GOOD.replace("บริษัท โตชิโน อินเตอร์เนชั่นแนล จำกัด", ""), "licensee", "value is empty"),
    ],
)
def test_each_bad_value_is_an_error_naming_row_and_column(
    write_csv, bad_row: str, column: str, fragment: str
) -> None:
    path = write_csv("licences.csv", [HEADER, OTHER, bad_row])
    error = only_error(path)
    assert (error.row, error.column) == (3, column)
    assert fragment in error.message
    assert f"row 3, column {column}" in str(error)


def test_duplicate_licence_in_the_file_names_both_rows(write_csv) -> None:
    # The second spelling differs only in Thai digits and spacing: it is the same licence.
    duplicate = GOOD.replace("ท4080-51/2432", " ท๔๐๘๐-๕๑/๒๔๓๒ ")
    path = write_csv("licences.csv", [HEADER, GOOD, OTHER, duplicate])
    error = only_error(path)
    assert (error.row, error.column) == (4, "licence_no")
    assert "duplicate licence ท4080-51/2432 (first at row 2)" in error.message


def test_missing_required_column_is_reported_on_the_header(write_csv) -> None:
    header = HEADER.replace(",status", "")
    path = write_csv("licences.csv", [header, GOOD.rsplit(",", 1)[0]])
    error = only_error(path)
    assert (error.row, error.column) == (1, "status")
    assert "missing required column 'status'" in error.message


def test_unrecognised_header_is_one_error(write_csv) -> None:
    path = write_csv("licences.csv", ["ชื่อสินค้า,ราคา", "ปลั๊กพ่วง,259"])
    error = only_error(path)
    assert error.row == 1
    assert "header not recognised" in error.message


def test_row_with_more_cells_than_the_header_is_an_error(write_csv) -> None:
    # An unquoted comma in the licensee shifts every later column.
    shifted = GOOD.replace("บริษัท โตชิโน อินเตอร์เนชั่นแนล จำกัด", "บริษัท โตชิโน, จำกัด")
    path = write_csv("licences.csv", [HEADER, shifted])
    error = only_error(path)
    assert error.row == 2
    assert "row has 9 cells but the header has 8" in error.message


def test_every_error_of_the_file_is_reported_not_only_the_first(write_csv) -> None:
    rows = [
        HEADER,
        GOOD.replace(",active", ",expired"),
        OTHER.replace("2015-03-02", "2015-13-02"),
        GOOD.replace("ท4080-51/2432", "4080-51/2432").replace(",make,", ",maker,"),
    ]
    validated = validate_registry_file(write_csv("licences.csv", rows))
    located = sorted((problem.row, problem.column) for problem in validated.problems.errors)
    assert located == [(2, "status"), (3, "issued"), (4, "licence_no"), (4, "licence_type")]


def test_warnings_for_non_mandatory_standard_and_licence_base_mismatch_do_not_block(write_csv) -> None:
    not_mandatory = "ท1234-60/1187,make,1187-2536,บริษัท สีไทย จำกัด,ThaiPaint,,2017-05-01,active"
    other_edition = "ท1235-60/2432,make,2432-2550,บริษัท ไทยปลั๊ก จำกัด,ThaiPlug,TP-1,2017-05-01,active"
    wrong_base = GOOD.replace("ท4080-51/2432", "ท4081-51/2433")
    validated = validate_registry_file(
        write_csv("licences.csv", [HEADER, not_mandatory, other_edition, wrong_base])
    )
    assert validated.ok
    warnings = {(problem.row, problem.column): problem.message for problem in validated.problems.warnings}
    assert "the mandatory edition is 2432-2555" in warnings[(3, "tis_number")]
    assert "ends in /2433 but its standard is 2432-2555" in warnings[(4, "licence_no")]
    # A voluntary standard's licence is summarised with the others like it, not a row's own warning.
    assert (2, "tis_number") not in warnings
    [summary] = validated.problems.summary_lines()
    assert "1 row(s) (2), column tis_number: licences under standards that are not mandatory" in summary
    assert summary.endswith("1 value(s): 1187-2536")
    assert validated.problems.warning_count == 3


def test_a_registry_full_of_voluntary_standards_is_one_summary_line_not_thousands(write_csv) -> None:
    """TISI's licence list holds licences under voluntary standards row after row: they are counted and
    summarised on one line, and the warnings an officer must read (another edition) stay on their own."""
    voluntary = [
        f"ท{5000 + i}-60/{standard.split('-')[0]},make,{standard},บริษัท สีไทย จำกัด,ThaiPaint,,2017-05-01,active"
        for i, standard in enumerate(["1187-2536"] * 1500 + ["124-2557"] * 700 + ["9999-2560"] * 2)
    ]
    other_edition = "ท1235-60/2432,make,2432-2550,บริษัท ไทยปลั๊ก จำกัด,ThaiPlug,TP-1,2017-05-01,active"
    validated = validate_registry_file(write_csv("licences.csv", [HEADER, *voluntary, other_edition]))
    assert validated.ok
    problems = validated.problems
    assert problems.warning_count == 2203
    assert [(w.row, w.column) for w in problems.warnings] == [(2204, "tis_number")]
    assert problems.warnings_not_kept == 0
    lines = problems.lines()
    assert len(lines) == 2, lines
    assert "2,202 row(s) (2, 3, 4, 5, 6, 7, 8, 9, 10, 11, …), column tis_number" in lines[1]
    assert lines[1].endswith("3 value(s): 1187-2536 (1,500 rows), 124-2557 (700 rows), 9999-2560 (2 rows)")


def test_tisi_search_shape_errors_name_tisi_columns(write_csv) -> None:
    header = "permit_number,permit_type_th,issued_be_ddmmyyyy,standard_scope,licence_holder"
    scope = "2432-2555 : เต้าเสียบและเต้ารับ : ชุดสายพ่วง"
    rows = [
        header,
        f"ท4080-51/2432,ทำ,31-02-2551,{scope},บริษัท โตชิโน จำกัด",
        f"ท4081-51/2432,ผลิต,01-02-2551,{scope},บริษัท โตชิโน จำกัด",
        f"ท4082-51/2432,ทำ,01-02-2008,{scope},บริษัท โตชิโน จำกัด",
        "ท4083-51/2432,ทำ,01-02-2551,ชุดสายพ่วง,บริษัท โตชิโน จำกัด",
    ]
    validated = validate_registry_file(write_csv("tisi.csv", rows))
    located = [(problem.row, problem.column) for problem in validated.problems.errors]
    assert located == [
        (2, "issued_be_ddmmyyyy"),
        (3, "permit_type_th"),
        (4, "issued_be_ddmmyyyy"),
        (5, "standard_scope"),
    ]
    assert "is not a date" in validated.problems.errors[0].message
    assert "not a Buddhist-era year" in validated.problems.errors[2].message


def test_tisi_search_cross_check_columns_must_agree(write_csv) -> None:
    header = (
        "permit_number,permit_type_th,permit_type,issued_be_ddmmyyyy,issued_iso,standard_scope,licence_holder"
    )
    row = (
        "(3)ท1021-49/1040,ทำ,import,12-05-2552,2009-05-21,1040-2541 : น้ำมันเครื่อง,"
        "บริษัท บีพี - คาสตรอล (ประเทศไทย) จำกัด"
    )
    validated = validate_registry_file(write_csv("tisi.csv", [header, row]))
    assert [(p.row, p.column) for p in validated.problems.errors] == [(2, "permit_type"), (2, "issued_iso")]


def test_missing_file_and_empty_file_are_errors(tmp_path: Path, write_csv) -> None:
    assert "file not found" in only_error(tmp_path / "nothing.csv").message
    assert "no licence rows" in only_error(write_csv("empty.csv", [HEADER])).message
