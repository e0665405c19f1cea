"""Careless commands and hostile files, one table: each case runs the real CLI in a subprocess and
must end with the exit status and the one stderr line the case names (no traceback), within a memory
bound where the input is a bomb, and leave what was stored and exported before exactly as it was."""

from __future__ import annotations

import csv
import re
import socket
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.hostile_input.hostile import (
    CANONICAL_HEADER,
    Finished,
    corrupt_crc,
    latin1_registry,
    many_bad_rows_csv,
    run_cli,
    utf16_without_bom,
    xlsx_shared_strings_bomb,
    xlsx_with_rows,
)
from tests.hostile_input.world import DDE_SELLER, FORMULA_SKU, World, build_world

# Peak memory of one CLI process reading a bomb: the crawl's own target is < 300 MB; an import of a
# hostile file must stay far below what the bombs would take (gigabytes).
BOMB_RSS_MB = 300


@dataclass(frozen=True)
class Case:
    name: str
    command: Callable[[World, Path], list[str]]
    status: int
    line: str
    """A regular expression the one stderr line (the last, for rejected files) must match."""
    env: dict[str, str] = field(default_factory=dict)
    max_rss_mb: float | None = None
    max_stderr_lines: int = 1
    check: Callable[[World, Path, Finished], None] | None = None


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return build_world(tmp_path_factory.mktemp("world"))


def _missing(scratch: Path) -> str:
    return f"sqlite:///{scratch / 'nowhere' / 'tiswatch.sqlite'}"


def _nothing_created(world: World, scratch: Path, result: Finished) -> None:
    assert not (scratch / "nowhere").exists(), "a read-only command created a database folder"


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _garbage_listings(scratch: Path) -> Path:
    path = scratch / "garbage.jsonl"
    path.write_text('not json\n[1, 2]\n{"title": "no id"}\n', encoding="utf-8")
    return path


def _sample_registry() -> str:
    return str(Path(__file__).resolve().parents[2] / "standards_data" / "sample_registry.csv")


def _review_sheet(world: World, scratch: Path, rows: list[tuple[str, str, str]]) -> Path:
    """A flagged.xlsx as an investigator returns it: the export's workbook with decisions typed in."""
    workbook = load_workbook(world.out / "flagged.xlsx")
    sheet = workbook["flagged"]
    header = [cell.value for cell in sheet[1]]
    for number, (listing_id, decision, note) in enumerate(rows, start=2):
        sheet.cell(row=number, column=header.index("platform") + 1, value="shopee")
        sheet.cell(row=number, column=header.index("listing_id") + 1, value=listing_id)
        sheet.cell(row=number, column=header.index("decision") + 1, value=decision)
        sheet.cell(row=number, column=header.index("note") + 1, value=note)
    path = scratch / "review.xlsx"
    workbook.save(path)
    return path


def _export_copy_with_decision(world: World, scratch: Path) -> Path:
    """A copy of the export folder whose flagged.xlsx holds a decision not imported yet."""
    import shutil

    folder = scratch / "export-with-decisions"
    shutil.copytree(world.out, folder)
    review = _review_sheet(world, scratch, [("28841377.42", "confirmed", "แจ้ง สมอ.")])
    shutil.copy(review, folder / "flagged.xlsx")
    return folder


def _still_has_decision(world: World, scratch: Path, result: Finished) -> None:
    rows = list(load_workbook(scratch / "export-with-decisions" / "flagged.xlsx")["flagged"].values)
    assert any("confirmed" in row for row in rows[1:]), "the investigator's decision was overwritten"


def _terminal_safe(world: World, scratch: Path, result: Finished) -> None:
    assert "ACME" in result.stdout
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", result.stdout), (
        "control characters reached the terminal"
    )


def _registry_export_neutralised(world: World, scratch: Path, result: Finished) -> None:
    with open(scratch / "registry-out.csv", encoding="utf-8", newline="") as handle:
        licensees = [row["licensee"] for row in csv.DictReader(handle)]
    assert f"'{DDE_SELLER}" in licensees
    assert not any(value.startswith(("=", "+", "-", "@")) for value in licensees)


def _hold_write_lock(world: World) -> Iterator[None]:
    connection = sqlite3.connect(world.db_file, timeout=5)
    connection.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        connection.rollback()
        connection.close()


CASES: list[Case] = [
    # --- read-only commands never create a database ---------------------------------------------------
    Case(
        "runs, no database",
        lambda w, s: ["runs", "--db", _missing(s)],
        1,
        r"^tiswatch runs: no tiswatch database at .*nowhere",
        check=_nothing_created,
    ),
    Case(
        "export, no database",
        lambda w, s: ["export", "--out", str(s / "o"), "--db", _missing(s)],
        1,
        r"^tiswatch export: no tiswatch database at",
        check=_nothing_created,
    ),
    Case(
        "registry versions, no database",
        lambda w, s: ["registry", "versions", "--db", _missing(s)],
        1,
        r"^tiswatch registry versions: no tiswatch database at",
        check=_nothing_created,
    ),
    Case(
        "registry show, no database",
        lambda w, s: ["registry", "show", "ท1-64/2432", "--db", _missing(s)],
        1,
        r"no tiswatch database at",
        check=_nothing_created,
    ),
    Case(
        "registry diff, no database",
        lambda w, s: ["registry", "diff", "--db", _missing(s)],
        1,
        r"no tiswatch database at",
        check=_nothing_created,
    ),
    Case(
        "registry export, no database",
        lambda w, s: ["registry", "export", "--out", str(s / "r.csv"), "--db", _missing(s)],
        1,
        r"no tiswatch database at",
        check=_nothing_created,
    ),
    # --- database URLs -------------------------------------------------------------------------------
    Case(
        "--db nonsense",
        lambda w, s: ["runs", "--db", "nonsense"],
        2,
        r"^tiswatch runs: --db 'nonsense' is not a database URL",
    ),
    Case(
        "--db mysql://", lambda w, s: ["runs", "--db", "mysql://u@127.0.0.1/x"], 2, r"mysql is not supported"
    ),
    Case(
        "--db a folder",
        lambda w, s: ["crawl", "lazada", "--out", str(s / "o"), "--db", f"sqlite:///{s}"],
        1,
        r"^tiswatch crawl: --db .*: cannot open the database file",
    ),
    Case(
        "--db a file that is not a database",
        lambda w, s: ["runs", "--db", f"sqlite:///{_sample_registry()}"],
        1,
        r"the file is not a SQLite database",
    ),
    Case(
        "--db unreachable PostgreSQL",
        lambda w, s: ["runs", "--db", f"postgresql://u:secret@127.0.0.1:{_closed_port()}/x"],
        1,
        r"^tiswatch runs: --db postgresql://u:\*\*\*@127\.0\.0\.1:\d+/x: cannot connect",
    ),
    Case(
        "--debug shows the traceback",
        lambda w, s: ["runs", "--db", "nonsense", "--debug"],
        1,
        r"DatabaseUnavailable",
        max_stderr_lines=100,
    ),
    # --- usage errors --------------------------------------------------------------------------------
    Case(
        "demo-market --port 70000",
        lambda w, s: ["demo-market", "--port", "70000"],
        2,
        r"^tiswatch demo-market: argument --port: 70000 is not a port",
    ),
    Case(
        "demo-market --size -3",
        lambda w, s: ["demo-market", "--size", "-3"],
        2,
        r"argument --size: -3 must be 1 or more",
    ),
    Case(
        "export --out names a file",
        lambda w, s: ["export", "--out", _sample_registry(), "--db", w.db_url],
        2,
        r"argument --out: .* is a file, not a folder",
    ),
    Case(
        "crawl --out names a file",
        lambda w, s: ["crawl", "lazada", "--out", _sample_registry()],
        2,
        r"is a file, not a folder",
    ),
    Case(
        "unknown spider",
        lambda w, s: ["crawl", "amazon", "--out", str(s / "amazon"), "--db", _missing(s)],
        2,
        r"^tiswatch crawl: unknown spider 'amazon' \(known: lazada, schema_org, shopee\)",
        check=lambda w, s, r: (
            _nothing_created(w, s, r),
            not (s / "amazon").exists() or pytest.fail("out folder written"),
        ),
    ),
    Case(
        "match judges nothing",
        lambda w, s: [
            "match",
            "--registry",
            _sample_registry(),
            "--listings",
            str(_garbage_listings(s)),
            "--out",
            str(s / "v.jsonl"),
        ],
        1,
        r"^tiswatch match: no listing in .* could be judged",
        max_stderr_lines=5,
    ),
    # --- exports never destroy -------------------------------------------------------------------------
    Case(
        "export with no closed run in scope",
        lambda w, s: ["export", "--since", "2099-01-01", "--out", str(w.out), "--db", w.db_url],
        1,
        r"^tiswatch export: no closed run since 2099-01-01 .*nothing was written",
    ),
    Case(
        "export over decisions not imported",
        lambda w, s: ["export", "--out", str(_export_copy_with_decision(w, s)), "--db", w.db_url],
        1,
        r"holds 1 decision\(s\) not yet imported; "
        r"run `tiswatch review import .*flagged\.xlsx` first, or give --force",
        check=_still_has_decision,
    ),
    # --- review files --------------------------------------------------------------------------------
    Case(
        "review: conflicting notes",
        lambda w, s: [
            "review",
            "import",
            str(
                _review_sheet(
                    w, s, [("28841377.42", "confirmed", "note one"), ("28841377.42", "confirmed", "note two")]
                )
            ),
            "--db",
            w.db_url,
        ],
        1,
        r"^rejected .*review\.xlsx: 1 error\(s\); nothing was recorded",
        max_stderr_lines=2,
    ),
    Case(
        "review: bad CRC",
        lambda w, s: [
            "review",
            "import",
            str(corrupt_crc(w.out / "flagged.xlsx", s / "crc.xlsx")),
            "--db",
            w.db_url,
        ],
        1,
        r"^rejected .*crc\.xlsx: 1 error\(s\)",
        max_stderr_lines=2,
    ),
    Case(
        "review: sharedStrings bomb",
        lambda w, s: [
            "review",
            "import",
            str(xlsx_shared_strings_bomb(s / "bomb.xlsx", 200)),
            "--db",
            w.db_url,
        ],
        1,
        r"^rejected .*bomb\.xlsx",
        env={"TISWATCH_MAX_XLSX_PART_BYTES": str(64 << 20)},
        max_rss_mb=BOMB_RSS_MB,
        max_stderr_lines=2,
    ),
    Case(
        "review: rows past TISWATCH_MAX_ROWS",
        lambda w, s: [
            "review",
            "import",
            str(
                xlsx_with_rows(
                    s / "rows.xlsx",
                    "flagged",
                    ["platform", "listing_id", "decision"],
                    ["shopee", "x", "maybe"],
                    30_000,
                )
            ),
            "--db",
            w.db_url,
        ],
        1,
        r"more than 2,000 rows \(the limit TISWATCH_MAX_ROWS\)",
        env={"TISWATCH_MAX_ROWS": "2000"},
        max_rss_mb=BOMB_RSS_MB,
        max_stderr_lines=2,
    ),
    Case(
        "review: errors capped",
        lambda w, s: [
            "review",
            "import",
            str(
                xlsx_with_rows(
                    s / "bad.xlsx",
                    "flagged",
                    ["platform", "listing_id", "decision"],
                    ["shopee", "x", "maybe"],
                    1_000,
                )
            ),
            "--db",
            w.db_url,
        ],
        1,
        r"^rejected .*bad\.xlsx: 2000 error\(s\)",
        env={"TISWATCH_MAX_ERRORS": "10"},
        max_stderr_lines=12,
    ),
    # --- registry files ------------------------------------------------------------------------------
    Case(
        "registry: Latin-1 is not cp874",
        lambda w, s: ["registry", "import", str(latin1_registry(s / "latin1.csv")), "--replace", "--dry-run"],
        1,
        r"^rejected .*latin1\.csv",
        max_stderr_lines=2,
        check=lambda w, s, r: None if "Latin-1" in r.stderr_lines[0] else pytest.fail(r.stderr),
    ),
    Case(
        "registry: UTF-16 without BOM is read",
        lambda w, s: [
            "registry",
            "import",
            str(utf16_without_bom(s / "utf16.csv")),
            "--replace",
            "--dry-run",
        ],
        0,
        r"",
        max_stderr_lines=0,
        check=lambda w, s, r: (
            None if "3 licence rows (canonical+utf-16-le)" in r.stdout else pytest.fail(r.stdout + r.stderr)
        ),
    ),
    Case(
        "registry: errors capped",
        lambda w, s: [
            "registry",
            "import",
            str(many_bad_rows_csv(s / "bad.csv", 2_000)),
            "--replace",
            "--dry-run",
        ],
        1,
        r"^rejected .*bad\.csv: 2000 error\(s\)",
        env={"TISWATCH_MAX_ERRORS": "20"},
        max_stderr_lines=22,
        check=lambda w, s, r: (
            None if "… and 1,980 more error(s)" in r.stderr else pytest.fail(r.stderr[-500:])
        ),
    ),
    Case(
        "registry: sharedStrings bomb",
        lambda w, s: [
            "registry",
            "import",
            str(xlsx_shared_strings_bomb(s / "bomb.xlsx", 200)),
            "--replace",
            "--db",
            w.db_url,
        ],
        1,
        r"^rejected .*bomb\.xlsx",
        max_rss_mb=BOMB_RSS_MB,
        max_stderr_lines=2,
        check=lambda w, s, r: None if "TISWATCH_MAX_XLSX_PART_BYTES" in r.stderr else pytest.fail(r.stderr),
    ),
    Case(
        "registry: rows past TISWATCH_MAX_ROWS",
        lambda w, s: [
            "registry",
            "import",
            str(
                xlsx_with_rows(
                    s / "rows.xlsx", "licences", CANONICAL_HEADER, ["", "", "", "", "", "", "", ""], 30_000
                )
            ),
            "--replace",
            "--db",
            w.db_url,
        ],
        1,
        r"^rejected .*rows\.xlsx",
        env={"TISWATCH_MAX_ROWS": "2000"},
        max_rss_mb=BOMB_RSS_MB,
        max_stderr_lines=2,
        check=lambda w, s, r: None if "TISWATCH_MAX_ROWS" in r.stderr else pytest.fail(r.stderr),
    ),
    Case(
        "registry show: no terminal escapes",
        lambda w, s: ["registry", "show", w.registry_licence, "--db", w.db_url],
        0,
        r"",
        max_stderr_lines=0,
        check=_terminal_safe,
    ),
    Case(
        "registry export: cells neutralised",
        lambda w, s: ["registry", "export", "--out", str(s / "registry-out.csv"), "--db", w.db_url],
        0,
        r"",
        max_stderr_lines=0,
        check=_registry_export_neutralised,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_case(case: Case, world: World, tmp_path: Path) -> None:
    before = world.snapshot()
    result = run_cli(*case.command(world, tmp_path), env=case.env)
    lines = result.stderr_lines
    assert result.status == case.status, result.stderr[-2000:]
    assert "Traceback" not in result.stderr or case.name.startswith("--debug"), result.stderr[-2000:]
    assert len(lines) <= case.max_stderr_lines, f"{len(lines)} stderr lines: {lines[:5]}"
    if case.line:
        assert lines and any(re.search(case.line, line) for line in lines), lines[-3:]
    if case.max_rss_mb is not None:
        assert result.peak_rss_mb < case.max_rss_mb, f"peak RSS {result.peak_rss_mb:.0f} MB"
    if case.check is not None:
        case.check(world, tmp_path, result)
    assert world.snapshot() == before, "something stored or exported changed"


def test_a_busy_database_is_one_line(world: World, tmp_path: Path) -> None:
    """A review import while another process writes (a registry import) waits its busy timeout, then
    says the database is busy, instead of 91 lines ending `database is locked`."""
    review = _review_sheet(world, tmp_path, [("28841377.42", "confirmed", "ok")])
    holder = _hold_write_lock(world)
    next(holder)
    try:
        result = run_cli(
            "review", "import", str(review), "--db", world.db_url, env={"TISWATCH_SQLITE_BUSY_TIMEOUT": "0.5"}
        )
    finally:
        next(holder, None)
    assert result.status == 1, result.stderr
    assert result.stderr_lines == [
        f"tiswatch review import: database {world.db_url} is busy: another import or crawl is writing "
        "to it; try again when that finishes"
    ]


def test_export_files_neutralise_every_outside_cell(world: World) -> None:
    """The manifest, flagged.csv and the workbook as written by the world's export."""
    with open(world.out / "evidence" / "manifest.csv", encoding="utf-8", newline="") as handle:
        manifest = list(csv.DictReader(handle))
    assert f"'{FORMULA_SKU}" in [row["listing_id"] for row in manifest]
    with open(world.out / "flagged.csv", encoding="utf-8-sig", newline="") as handle:
        flagged = list(csv.DictReader(handle))
    assert {row["seller_name"] for row in flagged} >= {f"'{DDE_SELLER}"}
    long_title = next(row["title"] for row in flagged if row["listing_id"] == "28841377.42")
    assert len(long_title) <= 32_767 and long_title.endswith("more characters]")
    assert "\x1b" not in (world.out / "flagged.csv").read_text(encoding="utf-8-sig")
    workbook = load_workbook(world.out / "flagged.xlsx")
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str):
                    assert cell.data_type == "s" and len(cell.value) <= 32_767, (sheet.title, cell.coordinate)
                    assert "\x1b" not in cell.value
    sellers = [row[2] for row in workbook["per seller"].iter_rows(min_row=2, values_only=True)]
    assert DDE_SELLER in sellers  # kept as text: a string cell is never evaluated
