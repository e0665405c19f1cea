"""The product vocabulary: validated like the registry, stored in versions, and used by the matcher."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from matchers.stored_vocabulary import current_vocabulary, stored_vocabulary
from matchers.vocabulary import read_vocabulary_rows
from standards_data.registry_import.vocabulary import (
    export_vocabulary,
    import_vocabulary,
    validate_vocabulary_file,
)
from standards_data.registry_store import current_vocabulary_version_id, vocabulary_versions

HEADER = "tis_number,family,kind,term,search"


@pytest.fixture
def vocabulary_lines(data_dir: Path) -> list[str]:
    return (data_dir / "vocabulary_small.csv").read_text(encoding="utf-8").splitlines()


def test_import_stores_a_version_the_matcher_reads(engine: Engine, data_dir: Path, tmp_path: Path) -> None:
    assert stored_vocabulary(engine) is None
    outcome = import_vocabulary(
        engine, data_dir / "vocabulary_small.csv", imported_by="officer", extra_check=read_vocabulary_rows
    )
    assert outcome.ok, outcome.validated.problems.lines()
    assert outcome.version_id == current_vocabulary_version_id(engine) == 1
    (version,) = vocabulary_versions(engine)
    assert (version.imported_by, version.rows_in_file) == ("officer", 8)

    vocabulary = stored_vocabulary(engine)
    assert vocabulary is not None
    assert vocabulary.search_keywords() == {
        "2432-2555": ["ปลั๊กพ่วง", "รางปลั๊กไฟ"],
        "2879-2560": ["พาวเวอร์แบงค์", "แบตสำรอง"],
    }
    assert current_vocabulary(engine).search_keywords() == vocabulary.search_keywords()
    exported = tmp_path / "vocabulary.csv"
    assert export_vocabulary(engine, exported) == 8
    assert exported.read_bytes() == (data_dir / "vocabulary_small.csv").read_bytes()


def test_newest_version_wins_and_older_ones_stay(
    engine: Engine, data_dir: Path, write_csv, vocabulary_lines: list[str]
) -> None:
    import_vocabulary(engine, data_dir / "vocabulary_small.csv", imported_by="a")
    grown = [*vocabulary_lines, "2432-2555,cord_extension_set,product,ปลั๊กสามตา,1"]
    import_vocabulary(engine, write_csv("vocabulary.csv", grown, encoding="cp874"), imported_by="b")
    newest = stored_vocabulary(engine)
    assert newest is not None and "ปลั๊กสามตา" in newest.search_keywords()["2432-2555"]
    first = stored_vocabulary(engine, 1)
    assert first is not None and "ปลั๊กสามตา" not in first.search_keywords()["2432-2555"]


def test_bundled_vocabulary_when_nothing_is_stored(engine: Engine) -> None:
    assert current_vocabulary(engine).search_keywords()  # the file shipped in standards_data/


@pytest.mark.parametrize(
    ("bad_row", "column", "fragment"),
    [
        ("2432-2555,cord_extension_set,brand,ปลั๊กพ่วง Toshino,0", "kind", "unknown kind 'brand'"),
        (",cord_extension_set,product,ปลั๊กไฟ,1", "tis_number", "a product row needs a tis_number"),
        ("2432-2555,cord_extension_set,product,,1", "term", "a product row needs a term"),
        ("TIS 2432,cord_extension_set,product,ปลั๊กไฟ,1", "tis_number", "is not a TIS standard number"),
        ("2432-2555,cord_extension_set,product,ปลั๊กไฟ,ใช่", "search", "is not 1 or 0"),
        ("2432-2555,cord_extension_set,product, ปลั๊กพ่วง ,0", "term", "duplicate of row 2"),
        ("1955-2551,led_lamp,related_standard,,0", "term", "duplicate of row 9"),
    ],
)
def test_bad_vocabulary_rows_are_errors_and_nothing_is_stored(
    engine: Engine,
    write_csv,
    vocabulary_lines: list[str],
    dump_tables,
    bad_row: str,
    column: str,
    fragment: str,
) -> None:
    import_vocabulary(engine, write_csv("good.csv", vocabulary_lines), imported_by="a")
    before = dump_tables(engine)
    outcome = import_vocabulary(engine, write_csv("bad.csv", [*vocabulary_lines, bad_row]), imported_by="a")
    assert not outcome.ok
    (error,) = outcome.validated.problems.errors
    assert (error.row, error.column) == (10, column)
    assert fragment in error.message
    assert dump_tables(engine) == before


def test_missing_vocabulary_column_is_an_error(write_csv) -> None:
    validated = validate_vocabulary_file(
        write_csv("v.csv", ["tis_number,kind,term", "2432-2555,product,ปลั๊กพ่วง"])
    )
    assert [(p.row, p.column) for p in validated.problems.errors] == [(1, "family"), (1, "search")]


def test_non_mandatory_standard_is_a_warning(write_csv) -> None:
    validated = validate_vocabulary_file(write_csv("v.csv", [HEADER, "1187-2536,paint,product,สีทาบ้าน,1"]))
    assert validated.ok
    assert [(p.row, p.column) for p in validated.problems.warnings] == [(2, "tis_number")]


def test_a_file_the_matcher_refuses_is_refused(write_csv, vocabulary_lines: list[str]) -> None:
    def strict_reader(path: Path) -> None:
        read_vocabulary_rows(path)
        raise ValueError(f"{path}:3: the matcher cannot use this file")

    validated = validate_vocabulary_file(write_csv("v.csv", vocabulary_lines), extra_check=strict_reader)
    assert not validated.ok
    assert "the matcher refuses this vocabulary" in validated.problems.errors[0].message


NOTE_HEADER = "tis_number,family,kind,term,search,note"


def test_the_new_kinds_and_the_note_column_import_and_export_unchanged(
    engine: Engine, write_csv, tmp_path: Path
) -> None:
    lines = [
        NOTE_HEADER,
        "166-2549,plug_socket,product,ปลั๊กสามตา,0,",
        "2432-2555,cord_extension_set,product,ปลั๊กพ่วง,1,",
        "2432-2555,plug_socket,sibling,(?<![0-9.])[0-9]+ ?(?:เมตร|m),0,a cord length",
        "2718-2560,car_tyre,pattern,(?<![0-9/])[1-3][0-9]5/[2-9][05] ?r ?1[2-9],0,",
        "1746-2545,,not_sold_online,,0,explosive-grade raw material sold to licensed users only",
    ]
    source = write_csv("vocabulary.csv", lines)
    outcome = import_vocabulary(engine, source, imported_by="officer", extra_check=read_vocabulary_rows)
    assert outcome.ok, outcome.validated.problems.lines()
    vocabulary = stored_vocabulary(engine)
    assert vocabulary is not None
    assert vocabulary.not_sold_online() == {
        "1746-2545": "explosive-grade raw material sold to licensed users only"
    }
    assert [hit.term.tis_number for hit in vocabulary.find_patterns("michelin 205/55r16 91v")] == [
        "2718-2560"
    ]
    fact = vocabulary.sibling_fact("plug_socket", ["ปลักสามตา 5 เมตร"])
    assert fact is not None and fact.rule.tis_number == "2432-2555"
    exported = tmp_path / "exported.csv"
    export_vocabulary(engine, exported)
    assert exported.read_bytes() == source.read_bytes()


@pytest.mark.parametrize(
    ("bad_row", "column", "fragment"),
    [
        ("2718-2560,car_tyre,pattern,[1-3,0,", "term", "not a valid regular expression"),
        ("1746-2545,,not_sold_online,,0,", "note", "needs a note (the reason)"),
        (",,sibling,เมตร,0,", "family", "a sibling row needs a family"),
    ],
)
def test_bad_rows_of_the_new_kinds_are_errors(write_csv, bad_row: str, column: str, fragment: str) -> None:
    validated = validate_vocabulary_file(
        write_csv("v.csv", [NOTE_HEADER, bad_row]), extra_check=read_vocabulary_rows
    )
    assert not validated.ok
    (error,) = validated.problems.errors
    assert (error.row, error.column) == (2, column) and fragment in error.message


def test_a_standard_marked_not_sold_online_that_has_product_words_is_a_warning(write_csv) -> None:
    validated = validate_vocabulary_file(
        write_csv(
            "v.csv",
            [
                NOTE_HEADER,
                "2432-2555,cord_extension_set,product,ปลั๊กพ่วง,1,",
                "2432-2555,,not_sold_online,,0,sold to trade only",
            ],
        )
    )
    assert validated.ok
    assert [(w.row, w.column) for w in validated.problems.warnings] == [(3, "kind")]


def test_the_matcher_reader_names_file_and_line_of_a_bad_regular_expression(write_csv) -> None:
    path = write_csv("v.csv", [NOTE_HEADER, "2718-2560,car_tyre,pattern,(185,0,"])
    with pytest.raises(ValueError, match=r"v\.csv:2: term is not a valid regular expression"):
        read_vocabulary_rows(path)
