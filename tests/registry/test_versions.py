"""Registry versions: replace vs update, diff, export round-trip, and all-or-nothing imports."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from standards_data.registry_import import diff_versions, export_registry, import_registry
from standards_data.registry_store import (
    UnknownVersionError,
    current_licences,
    current_version_id,
    licence_history,
    registry_versions,
)

HEADER = "licence_no,licence_type,tis_number,licensee,brand,models,issued,status"


def numbers(engine: Engine, version: int | None = None) -> set[str]:
    licences = current_licences(engine, version)
    assert licences is not None
    return {licence.licence_no for licence in licences}


def test_empty_database_has_no_registry(engine: Engine) -> None:
    assert current_version_id(engine) is None
    assert current_licences(engine) is None


def test_version_records_who_when_file_and_counts(engine: Engine, data_dir: Path) -> None:
    outcome = import_registry(engine, data_dir / "registry_v1.csv", mode="replace", imported_by="วิภา ใจดี")
    assert outcome.version_id == current_version_id(engine) == 1
    (version,) = registry_versions(engine)
    assert version.imported_by == "วิภา ใจดี"
    assert version.source_file == str((data_dir / "registry_v1.csv").resolve())
    assert len(version.source_sha256) == 64
    assert version.imported_at.endswith("Z")
    assert (version.mode, version.source_format) == ("replace", "canonical+utf-8")
    assert (version.rows_in_file, version.added, version.total_licences) == (7, 7, 7)


def test_replace_ends_missing_licences_update_keeps_them(
    engine: Engine, write_csv, registry_lines: list[str]
) -> None:
    first = write_csv("v1.csv", registry_lines)
    import_registry(engine, first, mode="replace", imported_by="officer")
    # A file with two licences: one unchanged, one new.
    new_licence = "น9001-67/2432,import,2432-2555,บริษัท พีเอ็นซี (ประเทศไทย) จำกัด,PNC,PN-33,2024-01-15,active"
    partial = write_csv("partial.csv", [HEADER, registry_lines[1], new_licence])

    updated = import_registry(engine, partial, mode="update", imported_by="officer")
    assert (updated.added, updated.changed, updated.ended, updated.unchanged) == (1, 0, 0, 1)
    assert len(numbers(engine)) == updated.total_licences == 8

    replaced = import_registry(engine, partial, mode="replace", imported_by="officer")
    assert (replaced.added, replaced.changed, replaced.ended, replaced.unchanged) == (0, 0, 6, 2)
    assert numbers(engine) == {"ท4080-51/2432", "น9001-67/2432"}
    # Older versions stay readable as they were.
    assert len(numbers(engine, 1)) == 7
    assert len(numbers(engine, 2)) == 8
    with pytest.raises(UnknownVersionError):
        current_licences(engine, 9)


def test_diff_reports_added_ended_status_and_brand_model_changes(
    engine: Engine, write_csv, registry_lines: list[str]
) -> None:
    import_registry(engine, write_csv("v1.csv", registry_lines), mode="replace", imported_by="officer")
    changed = [HEADER]
    for line in registry_lines[1:]:
        if line.startswith("น3310-60/2879"):  # the power bank licence is revoked
            line = line.replace(",active", ",revoked")
        if line.startswith("ท2210-55/934"):  # the fan licence now covers a third model
            line = line.replace("HE-P16M1;HG-S16M3", "HE-P16M1;HG-S16M3;HE-S18M2")
        if line.startswith("(2)น1187-58/2432"):  # ended: not in the new file
            continue
        if line.startswith("ท5821-52/1039"):  # licensee renamed only
            line = line.replace("บริษัท ชาร์ป แมนูแฟคเจอริ่ง", "บริษัท ชาร์ป ไทย")
        changed.append(line)
    changed.append("ส0412-61/2432,display,2432-2555,บริษัท พาวเวอร์ ซัพพลาย จำกัด,PowerMax,,2018-09-14,active")
    import_registry(engine, write_csv("v2.csv", changed), mode="replace", imported_by="officer")

    diff = diff_versions(engine)  # newest against the one before
    assert (diff.old_version, diff.new_version) == (1, 2)
    assert [licence.licence_no for licence in diff.added] == ["ส0412-61/2432"]
    assert [licence.licence_no for licence in diff.ended] == ["(2)น1187-58/2432"]
    (revoked,) = diff.status_changes
    assert (revoked.new.licence_no, revoked.old.status, revoked.new.status) == (
        "น3310-60/2879",
        "active",
        "revoked",
    )
    (fan,) = diff.brand_or_model_changes
    assert fan.fields == ("models",)
    assert fan.new.models == ("HE-P16M1", "HG-S16M3", "HE-S18M2")
    (renamed,) = diff.other_changes
    assert renamed.fields == ("licensee",)

    # The reverse diff mirrors it, and a version against itself is empty.
    reverse = diff_versions(engine, 2, 1)
    assert [licence.licence_no for licence in reverse.ended] == ["ส0412-61/2432"]
    assert [change.new.status for change in reverse.status_changes] == ["active"]
    assert diff_versions(engine, 2, 2).empty


def test_diff_ignores_a_change_that_was_undone(engine: Engine, write_csv, registry_lines: list[str]) -> None:
    original = write_csv("v1.csv", registry_lines)
    import_registry(engine, original, mode="replace", imported_by="officer")
    suspended = [
        line.replace(",active", ",suspended") if line.startswith("ท4080") else line for line in registry_lines
    ]
    import_registry(engine, write_csv("v2.csv", suspended), mode="replace", imported_by="officer")
    import_registry(engine, original, mode="replace", imported_by="officer")
    assert [change.new.status for change in diff_versions(engine, 1, 2).status_changes] == ["suspended"]
    assert diff_versions(engine, 1, 3).empty
    history = licence_history(engine, "ท4080-51/2432")
    assert [(entry.valid_from, entry.valid_to, entry.licence.status) for entry in history] == [
        (1, 2, "active"),
        (2, 3, "suspended"),
        (3, None, "active"),
    ]


def test_export_round_trips_through_import_unchanged(
    engine: Engine, data_dir: Path, tmp_path: Path, write_csv, registry_lines: list[str]
) -> None:
    # Start from messy but valid spellings: Thai digits, extra spaces, Thai status and type words.
    messy = [HEADER]
    for line in registry_lines[1:]:
        messy.append(
            line.replace("2432-2555", "มอก. ๒๔๓๒-๒๕๕๕")
            .replace(",make,", ",ทำ,")
            .replace("P-404;", " P-404 ; ")
        )
    import_registry(engine, write_csv("messy.csv", messy, encoding="cp874"), mode="replace", imported_by="a")
    import_registry(engine, data_dir / "tisi_search_2432.csv", mode="update", imported_by="a")

    first = tmp_path / "export-1.csv"
    version, written = export_registry(engine, first)
    assert (version, written) == (2, 9)
    again = import_registry(engine, first, mode="replace", imported_by="a")
    assert (again.added, again.changed, again.ended, again.unchanged) == (0, 0, 0, 9)
    assert diff_versions(engine).empty

    second = tmp_path / "export-2.csv"
    export_registry(engine, second)
    assert second.read_bytes() == first.read_bytes()
    text = first.read_text(encoding="utf-8")
    assert "ท4080-51/2432,make,2432-2555," in text and ",P-404;ET-915," in text


def test_bad_file_leaves_registry_tables_byte_for_byte_unchanged(
    engine: Engine, write_csv, registry_lines: list[str], dump_tables
) -> None:
    import_registry(engine, write_csv("v1.csv", registry_lines), mode="replace", imported_by="officer")
    before = dump_tables(engine)
    # Valid changes on every row but one bad date on the last: nothing may be applied.
    bad = [HEADER] + [line.replace(",active", ",revoked") for line in registry_lines[1:]]
    bad.append("น9001-67/2432,import,2432-2555,บริษัท พีเอ็นซี จำกัด,PNC,PN-33,2024-02-30,active")
    for mode in ("replace", "update"):
        outcome = import_registry(engine, write_csv("bad.csv", bad), mode=mode, imported_by="officer")
        assert outcome.version_id is None
        assert [(p.row, p.column) for p in outcome.validated.problems.errors] == [(9, "issued")]
        assert dump_tables(engine) == before


def test_bad_file_into_a_new_database_writes_nothing(engine: Engine, write_csv, dump_tables) -> None:
    # A new database as entry points open it: migrated, so the registry tables exist and are empty.
    before = dump_tables(engine)
    assert all(rows == [] for rows in before.values())
    outcome = import_registry(
        engine, write_csv("bad.csv", [HEADER, "x,y,z,,,,,"]), mode="replace", imported_by="a"
    )
    assert not outcome.ok
    assert dump_tables(engine) == before


def test_failure_while_writing_rolls_the_whole_version_back(
    engine: Engine, write_csv, registry_lines: list[str], dump_tables, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_registry(engine, write_csv("v1.csv", registry_lines), mode="replace", imported_by="officer")
    before = dump_tables(engine)
    from standards_data.registry_import import importer

    def broken_flush(self: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(importer._Writer, "flush", broken_flush)
    revoked = [line.replace(",active", ",revoked") for line in registry_lines]
    with pytest.raises(OSError, match="disk full"):
        import_registry(engine, write_csv("v2.csv", revoked), mode="replace", imported_by="officer")
    assert dump_tables(engine) == before


def test_tisi_search_update_keeps_stored_brand_and_models(
    engine: Engine, data_dir: Path, write_csv, registry_lines: list[str]
) -> None:
    import_registry(engine, write_csv("v1.csv", registry_lines), mode="replace", imported_by="officer")
    outcome = import_registry(engine, data_dir / "tisi_search_2432.csv", mode="update", imported_by="officer")
    # ท4080 and (2)น1187 are in both files with the same licensee and date: nothing to change.
    assert (outcome.added, outcome.changed, outcome.unchanged) == (2, 0, 2)
    licences = {licence.licence_no: licence for licence in current_licences(engine) or []}
    assert licences["ท4080-51/2432"].brand == "Toshino (โตชิโน)"
    assert licences["ท4080-51/2432"].models == ("P-404", "ET-915")
    assert licences["ส0412-61/2432"].brand == ""
