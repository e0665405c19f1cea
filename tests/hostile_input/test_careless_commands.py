"""Every command as a careless new user runs it: options before the command, missing files, a folder
where a file belongs, empty, cp874, NUL and binary files, wrong option types, a database URL into a
read-only or missing folder or to a closed PostgreSQL port. Each case must end with one stderr line
saying what and where, its exit status, no traceback, and the project's database and export exactly
as they were. Most cases call `tiswatch.cli.main` in this process (each subprocess costs a Python
start); `serve`, which would block if it started, runs in a subprocess."""

from __future__ import annotations

import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.hostile_input.hostile import run_cli
from tests.hostile_input.world import World, build_world
from tiswatch.cli import main

REPO = Path(__file__).resolve().parents[2]
SAMPLE_REGISTRY = REPO / "standards_data" / "sample_registry.csv"
# Discard port: nothing listens there, so a spider argument that slipped through could reach nothing.
NOWHERE = "base_url=http://127.0.0.1:9"
CLOSED_REDIS = "redis://127.0.0.1:9"
# A folder nobody may write to: a read-only mount (root), or permissions (anyone else).
NOT_WRITABLE = "(cannot write there: read-only file system|permission denied)"
THAI_LISTINGS = [
    {"listing_id": "t1", "title": "ปลั๊กพ่วง โตชิบา รุ่น P-404 มอก.๒๔๓๒-๒๕๕๕", "brand": "Toshiba"},
    {"listing_id": "t2", "title": "หมวกกันน็อค เต็มใบ ไม่มี มอก.", "brand": ""},
    {"listing_id": "t3", "title": "ขวดนม คอกว้าง 8oz", "brand": ""},
]


@dataclass(frozen=True)
class Files:
    """Careless inputs, made once per module."""

    root: Path
    missing: Path
    folder: Path
    empty: Path
    nul: Path
    binary: Path
    registry_cp874: Path
    listings_utf8: Path
    listings_cp874: Path
    plans_cp874: Path
    garbage: Path
    foreign_sqlite: Path
    read_only: Path | None


# Commands that create or write a database, without their --db (name, (files, scratch) -> arguments).
WRITE_COMMANDS: tuple[tuple[str, Callable[[Files, Path], list[str]]], ...] = (
    ("registry import", lambda f, s: ["registry", "import", str(SAMPLE_REGISTRY), "--replace"]),
    (
        "registry vocabulary import",
        lambda f, s: ["registry", "vocabulary", "import", str(REPO / "standards_data" / "vocabulary.csv")],
    ),
    ("api-keys add", lambda f, s: ["api-keys", "add", "lazada-th"]),
    ("crawl", lambda f, s: ["crawl", "lazada", "-a", NOWHERE, "--out", str(s / "o")]),
)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return build_world(tmp_path_factory.mktemp("world"))


def _read_only_folder(folder: Path) -> Iterator[Path | None]:
    """A folder nobody can write to: permissions for a normal user; for root, who ignores them, a
    read-only tmpfs mounted there (None when root may not mount, and the cases needing it skip)."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)
        return
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(folder)], capture_output=True, check=False
    )
    if mounted.returncode != 0:
        yield None
        return
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Files]:
    root = tmp_path_factory.mktemp("careless")
    (root / "a-folder").mkdir()
    (root / "empty.csv").write_bytes(b"")
    (root / "nul.bin").write_bytes(b"\0" * 65_536)
    # A binary file: a real zip archive (what an .xlsx is), not text.
    (root / "archive.bin").write_bytes(
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)) * 64 + b"\n" * 3000
    )
    text = SAMPLE_REGISTRY.read_text(encoding="utf-8")
    (root / "registry-cp874.csv").write_bytes(text.encode("cp874"))
    lines = "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in THAI_LISTINGS)
    (root / "listings.jsonl").write_text(lines, encoding="utf-8")
    (root / "listings-cp874.jsonl").write_bytes(lines.encode("cp874"))
    (root / "plans-cp874.toml").write_bytes(
        '[[plan]]\nspider = "lazada"\narguments = { keywords = "ปลั๊กพ่วง" }\n'.encode("cp874")
    )
    garbage = [f"garbage {n} {{" for n in range(3000)]
    garbage.insert(1500, json.dumps(THAI_LISTINGS[0], ensure_ascii=False))
    (root / "garbage.jsonl").write_text("\n".join(garbage) + "\n", encoding="utf-8")
    connection = sqlite3.connect(root / "other-program.sqlite")
    connection.execute("CREATE TABLE notes (body TEXT)")
    connection.commit()
    connection.close()
    read_only = root / "read-only"
    read_only.mkdir()
    for folder in _read_only_folder(read_only):
        yield Files(
            root=root,
            missing=root / "no-such-file.csv",
            folder=root / "a-folder",
            empty=root / "empty.csv",
            nul=root / "nul.bin",
            binary=root / "archive.bin",
            registry_cp874=root / "registry-cp874.csv",
            listings_utf8=root / "listings.jsonl",
            listings_cp874=root / "listings-cp874.jsonl",
            plans_cp874=root / "plans-cp874.toml",
            garbage=root / "garbage.jsonl",
            foreign_sqlite=root / "other-program.sqlite",
            read_only=folder,
        )


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _missing_db(f: Files) -> str:
    return f"sqlite:///{f.root / 'nowhere' / 'tiswatch.sqlite'}"


def _closed_pg() -> str:
    return f"postgresql://u:secret@127.0.0.1:{_closed_port()}/tiswatch"


def _read_only_db(f: Files) -> str:
    assert f.read_only is not None
    return f"sqlite:///{f.read_only / 'sub' / 'tiswatch.sqlite'}"


def _scratch(scratch: Path) -> list[str]:
    """`--out` and `--db` of a crawl in the case's own folder (never the repository's data/)."""
    return ["--out", str(scratch / "o"), "--db", f"sqlite:///{scratch / 't.sqlite'}"]


def _read_only(f: Files) -> Path:
    assert f.read_only is not None
    return f.read_only


def _match(f: Files, out: Path, *, registry: Path | None = None, listings: Path | None = None) -> list[str]:
    return [
        "match",
        "--registry",
        str(registry or SAMPLE_REGISTRY),
        "--listings",
        str(listings or f.listings_utf8),
        "--out",
        str(out),
    ]


@dataclass(frozen=True)
class Case:
    name: str
    command: Callable[[World, Files, Path], list[str]]
    status: int
    line: str
    """A regular expression the last stderr line must match."""
    max_lines: int = 1
    needs_read_only: bool = False
    check: Callable[[World, Files, Path], None] | None = None


def _nothing_at(path_of: Callable[[Files], Path]) -> Callable[[World, Files, Path], None]:
    def check(world: World, f: Files, scratch: Path) -> None:
        assert not path_of(f).exists(), f"{path_of(f)} was created"

    return check


def _no_database_created(world: World, f: Files, scratch: Path) -> None:
    assert not (f.root / "nowhere").exists(), "a command created a database for a mistyped --db"


CASES: list[Case] = [
    # --- 1. an option before the command ---------------------------------------------------------------
    Case("--db before runs", lambda w, f, s: ["--db", w.db_url, "runs"], 0, r""),
    Case(
        "--debug --db before runs",
        lambda w, f, s: ["--debug", "--db", w.db_url, "runs", "--last", "1"],
        0,
        r"",
    ),
    Case(
        "--db before match, which has none",
        lambda w, f, s: ["--db", w.db_url, *_match(f, s / "v.jsonl")],
        2,
        r"^tiswatch match: --db is not an option of match \(see tiswatch match --help\)$",
        check=_nothing_at(lambda f: f.root / "v.jsonl"),
    ),
    Case(
        "--db and no command",
        lambda w, f, s: ["--db", w.db_url],
        2,
        r"^tiswatch: --db goes after the command: tiswatch COMMAND --db …",
    ),
    Case(
        "--db before a command that is not one",
        lambda w, f, s: ["--db", w.db_url, "list-runs"],
        2,
        r"^tiswatch: 'list-runs' is not a command; --db goes after the command",
    ),
    # --- 2. match given garbage -------------------------------------------------------------------------
    Case(
        "match: 3,000 bad lines and one listing",
        lambda w, f, s: _match(f, s / "v.jsonl", listings=f.garbage),
        0,
        r"^judged 1 listings .*; 3000 bad line\(s\) skipped; wrote ",
        max_lines=12,
        check=lambda w, f, s: (
            None
            if len((s / "v.jsonl").read_text(encoding="utf-8").splitlines()) == 1
            else pytest.fail("the one good listing was not judged")
        ),
    ),
    Case(
        "match: a binary file",
        lambda w, f, s: _match(f, s / "v.jsonl", listings=f.binary),
        1,
        r"^tiswatch match: listings file .*archive\.bin \(--listings\) is not JSON Lines text: a binary file",
        check=lambda w, f, s: None if not (s / "v.jsonl").exists() else pytest.fail("an output was written"),
    ),
    Case(
        "match: a file of NUL bytes",
        lambda w, f, s: _match(f, s / "v.jsonl", listings=f.nul),
        1,
        r"is not JSON Lines text: a binary file, not text \(a NUL byte at offset 0\)",
    ),
    Case(
        "match: an empty file",
        lambda w, f, s: _match(f, s / "v.jsonl", listings=f.empty),
        1,
        r"^tiswatch match: no listing in .*empty\.csv could be judged .*nothing was written",
        check=lambda w, f, s: (
            None if not (s / "v.jsonl").exists() else pytest.fail("an empty output was left")
        ),
    ),
    # --- 3. missing inputs, and folders where files belong --------------------------------------------
    Case(
        "match: --listings missing",
        lambda w, f, s: _match(f, s / "v.jsonl", listings=f.missing),
        1,
        r"^tiswatch match: listings file not found: .*no-such-file\.csv \(--listings\)$",
    ),
    Case(
        "match: --registry missing",
        lambda w, f, s: _match(f, s / "v.jsonl", registry=f.missing),
        1,
        r"^tiswatch match: registry file not found: .*no-such-file\.csv \(--registry\)$",
    ),
    Case(
        "match: --vocabulary missing",
        lambda w, f, s: [*_match(f, s / "v.jsonl"), "--vocabulary", str(f.missing)],
        1,
        r"^tiswatch match: vocabulary file not found: .*no-such-file\.csv \(--vocabulary\)$",
    ),
    Case(
        "match: --listings a folder",
        lambda w, f, s: _match(f, s / "v.jsonl", listings=f.folder),
        1,
        r"^tiswatch match: listings file .*a-folder is a folder, not a file \(--listings\)$",
    ),
    Case(
        "match: --out a folder",
        lambda w, f, s: _match(f, f.folder),
        2,
        r"^tiswatch match: argument --out: .*a-folder is a folder; give a file name",
    ),
    Case(
        "match: --out is the listings file",
        lambda w, f, s: _match(f, f.listings_utf8),
        2,
        r"^tiswatch match: --out .*listings\.jsonl is the --listings file: the verdicts would replace it",
        check=lambda w, f, s: (
            None
            if json.loads(f.listings_utf8.read_text(encoding="utf-8").splitlines()[0]) == THAI_LISTINGS[0]
            else pytest.fail("the listings were overwritten")
        ),
    ),
    Case(
        "match: --index-cache a file",
        lambda w, f, s: [*_match(f, s / "v.jsonl"), "--index-cache", str(f.empty)],
        2,
        r"argument --index-cache: .*empty\.csv is a file, not a folder",
    ),
    Case(
        "registry import: a folder",
        lambda w, f, s: ["registry", "import", str(f.folder), "--replace", "--dry-run"],
        1,
        r"^rejected .*a-folder",
        max_lines=2,
    ),
    Case(
        "review import: a folder",
        lambda w, f, s: ["review", "import", str(f.folder), "--db", w.db_url],
        1,
        r"^tiswatch review import: review file .*a-folder is a folder, not a file$",
    ),
    Case(
        "rematch: --registry missing",
        lambda w, f, s: ["rematch", "--dry-run", "--registry", str(f.missing), "--db", w.db_url],
        1,
        r"^tiswatch rematch: registry file not found: .*no-such-file\.csv \(--registry\)$",
    ),
    Case(
        "crawl --all: --plans missing",
        lambda w, f, s: [
            "crawl",
            "--all",
            "--plans",
            str(f.missing),
            "--out",
            str(s / "o"),
            "--db",
            w.db_url,
        ],
        2,
        r"^tiswatch crawl --all: plans file not found: .*no-such-file\.csv \(--plans\)$",
    ),
    Case(
        "crawl --all: --plans a folder",
        lambda w, f, s: ["crawl", "--all", "--plans", str(f.folder), "--out", str(s / "o"), "--db", w.db_url],
        2,
        r"plans file .*a-folder is a folder, not a file \(--plans\)$",
    ),
    Case(
        "campaign start: --plans missing",
        lambda w, f, s: [
            "campaign",
            "start",
            "--plans",
            str(f.missing),
            "--redis",
            CLOSED_REDIS,
            "--db",
            w.db_url,
        ],
        2,
        r"^tiswatch campaign start: plans file not found: .*\(--plans\)$",
    ),
    Case(
        "registry export: --out a folder",
        lambda w, f, s: ["registry", "export", "--out", str(f.folder), "--db", w.db_url],
        2,
        r"argument --out: .*a-folder is a folder; give a file name",
    ),
    Case(
        "crawl: --logfile a folder",
        lambda w, f, s: ["crawl", "lazada", "-a", NOWHERE, "--logfile", str(f.folder), *_scratch(s)],
        2,
        r"argument --logfile: .*a-folder is a folder; give a file name",
    ),
    Case(
        "crawl: --jobdir a file",
        lambda w, f, s: ["crawl", "lazada", "-a", NOWHERE, "--jobdir", str(f.empty), *_scratch(s)],
        2,
        r"argument --jobdir: .*empty\.csv is a file, not a folder",
    ),
    Case(
        "demo-market: --truth a folder",
        lambda w, f, s: ["demo-market", "--port", "0", "--truth", str(f.folder)],
        2,
        r"argument --truth: .*a-folder is a folder; give a file name",
    ),
    # --- 4. NUL, binary and cp874 files -----------------------------------------------------------------
    Case(
        "registry import: NUL bytes",
        lambda w, f, s: ["registry", "import", str(f.nul), "--replace", "--dry-run"],
        1,
        r"^rejected .*nul\.bin",
        max_lines=2,
    ),
    Case(
        "registry vocabulary import: binary",
        lambda w, f, s: ["registry", "vocabulary", "import", str(f.binary), "--dry-run"],
        1,
        r"^rejected .*archive\.bin",
        max_lines=2,
    ),
    Case(
        "match: --registry of NUL bytes",
        lambda w, f, s: _match(f, s / "v.jsonl", registry=f.nul),
        1,
        r"^tiswatch match: rejected the registry file .*nul\.bin \(--registry\); nothing was judged$",
        max_lines=2,
    ),
    Case(
        "crawl --all: --plans of NUL bytes",
        lambda w, f, s: ["crawl", "--all", "--plans", str(f.nul), "--out", str(s / "o"), "--db", w.db_url],
        2,
        r"plans file .*nul\.bin \(--plans\) is not valid TOML",
    ),
    Case(
        "crawl --all: --plans in cp874",
        lambda w, f, s: [
            "crawl",
            "--all",
            "--plans",
            str(f.plans_cp874),
            "--out",
            str(s / "o"),
            "--db",
            w.db_url,
        ],
        2,
        r"plans file .*plans-cp874\.toml \(--plans\) is not UTF-8 text",
    ),
    Case(
        "review import: NUL bytes",
        lambda w, f, s: ["review", "import", str(f.nul), "--db", w.db_url],
        1,
        r"^rejected .*nul\.bin: 1 error\(s\); nothing was recorded$",
        max_lines=2,
    ),
    Case(
        "registry import: cp874 is read",
        lambda w, f, s: ["registry", "import", str(f.registry_cp874), "--replace", "--dry-run"],
        0,
        r"",
        max_lines=100,
    ),
    # --- 4. wrong option types --------------------------------------------------------------------------
    Case(
        "crawl: -a max_pages=abc",
        lambda w, f, s: ["crawl", "lazada", "-a", NOWHERE, "-a", "max_pages=abc", *_scratch(s)],
        2,
        r"^tiswatch crawl: lazada: -a max_pages='abc': expected a positive whole number$",
        check=lambda w, f, s: (
            None
            if not (s / "o").exists() and not (s / "t.sqlite").exists()
            else pytest.fail("a crawl that cannot run created its output or database")
        ),
    ),
    Case(
        "crawl: -s DOWNLOAD_DELAY=abc",
        lambda w, f, s: ["crawl", "lazada", "-a", NOWHERE, "-s", "DOWNLOAD_DELAY=abc", *_scratch(s)],
        2,
        r"^tiswatch crawl: -s DOWNLOAD_DELAY='abc': expected a number",
    ),
    Case(
        "campaign start: --redis not a URL",
        lambda w, f, s: [
            "campaign",
            "start",
            "--plans",
            str(f.missing),
            "--redis",
            "localhost",
            "--db",
            w.db_url,
        ],
        2,
        r"argument --redis: 'localhost' is not a Redis URL",
    ),
    Case(
        "runs: --last abc", lambda w, f, s: ["runs", "--last", "abc", "--db", w.db_url], 2, r"argument --last"
    ),
    # --- 4. databases that are not there, not tiswatch's, or not reachable ------------------------------
    *(
        Case(
            f"{' '.join(command)}: missing database",
            lambda w, f, s, command=command: [*command, "--db", _missing_db(f)],
            1,
            rf"^tiswatch {' '.join(command[:2]) if command[0] != 'rematch' else 'rematch'}: "
            r"no tiswatch database at .*nowhere",
            check=_no_database_created,
        )
        for command in (
            ["rematch", "--dry-run"],
            ["api-keys", "list"],
            ["api-keys", "revoke", "someone"],
            ["users", "list"],
            ["evidence", "screenshots"],
        )
    ),
    Case(
        "runs: an empty file is not a database",
        lambda w, f, s: ["runs", "--db", f"sqlite:///{f.empty}"],
        1,
        r"^tiswatch runs: no tiswatch database at .*empty\.csv",
        check=lambda w, f, s: (
            None if f.empty.stat().st_size == 0 else pytest.fail("the empty file was written")
        ),
    ),
    Case(
        "runs: another program's SQLite database",
        lambda w, f, s: ["runs", "--db", f"sqlite:///{f.foreign_sqlite}"],
        1,
        r"^tiswatch runs: no tiswatch database at .*other-program\.sqlite",
        check=lambda w, f, s: _only_table(f.foreign_sqlite, "notes"),
    ),
    *(
        Case(
            f"{name}: another program's SQLite database",
            lambda w, f, s, command=command: [*command(f, s), "--db", _foreign_copy(f, s)],
            1,
            rf"^tiswatch {name}: database sqlite:///.*other\.sqlite is not a tiswatch database "
            r"\(it holds other tables: notes\): nothing was written to it",
            check=lambda w, f, s: _foreign_left_alone(s / "other.sqlite"),
        )
        for name, command in WRITE_COMMANDS
    ),
    *(
        Case(
            f"{name}: closed PostgreSQL port",
            lambda w, f, s, command=command: [*command(f, s), "--db", _closed_pg()],
            1,
            rf"^tiswatch {name}: --db postgresql://u:\*\*\*@127\.0\.0\.1:\d+/tiswatch: cannot connect",
        )
        for name, command in (
            ("registry import", lambda f, s: ["registry", "import", str(SAMPLE_REGISTRY), "--replace"]),
            ("export", lambda f, s: ["export", "--out", str(s / "o")]),
            ("rematch", lambda f, s: ["rematch", "--dry-run"]),
            ("api-keys add", lambda f, s: ["api-keys", "add", "lazada-th"]),
            ("users list", lambda f, s: ["users", "list"]),
            ("crawl", lambda f, s: ["crawl", "lazada", "-a", NOWHERE, "--out", str(s / "o")]),
        )
    ),
    *(
        Case(
            f"{name}: --db in a read-only folder",
            lambda w, f, s, command=command: [*command(f, s), "--db", _read_only_db(f)],
            1,
            rf"^tiswatch {name}: --db sqlite:///.*: cannot create the folder .*sub: "
            r"(read-only file system|permission denied)$",
            needs_read_only=True,
        )
        for name, command in WRITE_COMMANDS
    ),
    # --- 4. outputs into a read-only folder: the option and the path, never a temporary name ----------
    Case(
        "export: --out read-only",
        lambda w, f, s: ["export", "--out", str(_read_only(f) / "export"), "--db", w.db_url],
        1,
        rf"^tiswatch export: --out .*read-only/export: {NOT_WRITABLE}$",
        needs_read_only=True,
    ),
    Case(
        "registry export: --out read-only",
        lambda w, f, s: ["registry", "export", "--out", str(_read_only(f) / "r.csv"), "--db", w.db_url],
        1,
        rf"^tiswatch registry export: --out .*read-only/r\.csv: {NOT_WRITABLE}$",
        needs_read_only=True,
    ),
    Case(
        "match: --out read-only",
        lambda w, f, s: _match(f, _read_only(f) / "v.jsonl"),
        1,
        rf"^tiswatch match: --out .*read-only/v\.jsonl: {NOT_WRITABLE}$",
        needs_read_only=True,
    ),
]


def _only_table(path: Path, name: str) -> None:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    finally:
        connection.close()
    assert tables == [name], f"another program's database was changed: {tables}"


def _foreign_copy(f: Files, scratch: Path) -> str:
    """A copy of another program's database, so that one case's damage cannot hide another's."""
    copy = scratch / "other.sqlite"
    copy.write_bytes(f.foreign_sqlite.read_bytes())
    return f"sqlite:///{copy}"


def _foreign_left_alone(path: Path) -> None:
    _only_table(path, "notes")
    beside = sorted(p.name for p in path.parent.iterdir() if p.name.startswith(path.name) and p != path)
    assert beside == [], f"files made beside another program's database: {beside}"


def _run_main(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        status = main(args)
    except SystemExit as error:  # argparse's usage errors
        status = int(error.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_careless_command(
    case: Case, world: World, files: Files, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if case.needs_read_only and files.read_only is None:
        pytest.skip("root without the right to mount a read-only tmpfs: no read-only folder to test")
    before = world.snapshot()
    status, _, err = _run_main(case.command(world, files, tmp_path), capsys)
    lines = [line for line in err.splitlines() if line.strip()]
    assert status == case.status, err[-2000:]
    assert "Traceback" not in err
    assert len(lines) <= case.max_lines, f"{len(lines)} stderr lines: {lines[:5]}"
    if case.line:
        assert lines and re.search(case.line, lines[-1]), lines[-3:]
    if case.check is not None:
        case.check(world, files, tmp_path)
    assert world.snapshot() == before, "something stored or exported changed"


def _verdicts(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_match_never_replaces_good_verdicts_with_nothing(
    files: Files, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "verdicts.jsonl"
    assert _run_main(_match(files, out), capsys)[0] == 0
    good = out.read_bytes()
    garbage_only = tmp_path / "garbage-only.jsonl"
    garbage_only.write_text("".join(f"not json {n}\n" for n in range(500)), encoding="utf-8")

    status, _, err = _run_main(_match(files, out, listings=garbage_only), capsys)

    lines = err.splitlines()
    assert status == 1
    assert lines[:10] == [
        f"{garbage_only}:{n}: not valid JSON (Expecting value at column 1); skipped" for n in range(1, 11)
    ]
    assert lines[10] == "… and 490 more bad line(s)"
    assert lines[11].endswith(f"nothing was written; {out} was left as it was")
    assert len(lines) == 12
    assert out.read_bytes() == good
    assert [path.name for path in tmp_path.iterdir() if path.name.endswith(".part")] == []


def test_match_reads_cp874_listings_and_registry_as_their_utf8_originals(
    files: Files, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A Thai Excel export in cp874 is judged exactly as its UTF-8 original, not as replacement
    characters (which would judge garbled titles as not regulated)."""
    original, converted = tmp_path / "utf8.jsonl", tmp_path / "cp874.jsonl"
    assert _run_main(_match(files, original), capsys)[0] == 0
    command = _match(files, converted, registry=files.registry_cp874, listings=files.listings_cp874)
    assert _run_main(command, capsys)[0] == 0
    assert _verdicts(converted) == _verdicts(original)
    assert {verdict["verdict"] for verdict in _verdicts(original)} != {"not_regulated"}


def test_serve_on_a_port_in_use_is_one_line(world: World) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", "--db", world.db_url, "--port", str(port), timeout=120)
    assert result.status == 1, result.stderr
    assert result.stderr_lines == [
        f"tiswatch serve: cannot listen on 127.0.0.1:{port}: address already in use "
        "(another server is using it? give another --port)"
    ]


def test_serve_refuses_a_database_that_does_not_exist(files: Files, tmp_path: Path) -> None:
    missing = tmp_path / "typo" / "tiswatch.sqlite"
    result = run_cli("serve", "--db", f"sqlite:///{missing}", "--port", "0", timeout=120)
    assert result.status == 1, result.stderr
    assert len(result.stderr_lines) == 1
    assert re.match(r"^tiswatch serve: no tiswatch database at sqlite:///.*typo", result.stderr_lines[0])
    assert not missing.parent.exists()


def test_options_before_the_command_in_a_real_process(world: World, tmp_path: Path) -> None:
    """The shell's view: `tiswatch --db URL runs` lists the runs, exactly as `tiswatch runs --db URL`."""
    before = run_cli("--db", world.db_url, "runs")
    after = run_cli("runs", "--db", world.db_url)
    assert before.status == after.status == 0, before.stderr
    assert before.stdout == after.stdout and "shopee" in before.stdout


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-q"]))


def test_a_database_from_a_newer_tiswatch_is_named_not_a_traceback(tmp_path: Path) -> None:
    """A database whose schema revision this code does not know (an older tiswatch opening a
    newer one's database): one line saying so, and the database is left as it was."""
    database = tmp_path / "newer.sqlite"
    from pipelines.store.schema import ensure_schema
    from standards_data.database import make_engine

    engine = make_engine(f"sqlite:///{database}")
    ensure_schema(engine)
    engine.dispose()
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    before = _dump(database)
    result = run_cli("runs", "--db", f"sqlite:///{database}")
    lines = result.stderr.strip().splitlines()
    assert result.status == 1 and len(lines) == 1, result.stderr
    assert "9999_from_the_future" in lines[0] and "newer tiswatch" in lines[0]
    assert _dump(database) == before


def _dump(database: Path) -> list[str]:
    with sqlite3.connect(database) as connection:
        return list(connection.iterdump())
