"""Exports that run at once, exports that were killed, and crawls that start together on a new
database: nothing collides, nothing is left behind, nothing is overwritten without --force."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import create_engine, text

from pipelines.exports.staging import (
    LOCK_NAME,
    STAGING_PREFIX,
    STARTING_PREFIX,
    remove_leftovers,
    staging_folder,
)
from standards_data.database import normalise_db_url
from tests.hostile_input.hostile import REPO, run_cli
from tests.hostile_input.world import World, build_world


@pytest.fixture
def world(tmp_path: Path) -> World:
    return build_world(tmp_path / "world")


def _staging_folders(folder: Path) -> list[Path]:
    return sorted(folder.glob(STAGING_PREFIX + "*"))


def _spawn(*args: str) -> subprocess.Popen[str]:
    environment = {key: value for key, value in os.environ.items() if key != "TISWATCH_DB_URL"}
    return subprocess.Popen(
        [sys.executable, *args],
        cwd=REPO,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_four_exports_into_one_folder_at_once(world: World, tmp_path: Path) -> None:
    out = tmp_path / "shared-out"
    exports = [
        _spawn("-m", "tiswatch.cli", "export", "--out", str(out), "--db", world.db_url) for _ in range(4)
    ]
    results = [(process.wait(timeout=240), *process.communicate()) for process in exports]
    assert [status for status, _, _ in results] == [0, 0, 0, 0], [err for _, _, err in results]
    assert _staging_folders(out) == []
    rows = list(load_workbook(out / "flagged.xlsx")["flagged"].values)
    assert len(rows) == 3  # header + the world's two flagged listings
    manifest = (out / "evidence" / "manifest.csv").read_text(encoding="utf-8").splitlines()
    # Each row's evidence status is "ok" (the screenshot columns after it are empty: none were taken).
    status = list(csv.DictReader(manifest))
    assert len(status) == 2 and all(row["status"] == "ok" for row in status)


def test_a_killed_export_is_cleaned_up_by_the_next(world: World) -> None:
    """kill -9 while an export holds its staging folder: the old files stay whole, the next export
    removes the leftover folder (its lock died with the process) and finishes."""
    holder = _spawn(
        "-c",
        "import sys, time\n"
        "from pathlib import Path\n"
        "from pipelines.exports.staging import staging_folder\n"
        "with staging_folder(Path(sys.argv[1])) as folder:\n"
        "    (folder / 'flagged.xlsx').write_bytes(b'half a workbook')\n"
        "    print(folder, flush=True)\n"
        "    time.sleep(600)\n",
        str(world.out),
    )
    assert holder.stdout is not None
    leftover = Path(holder.stdout.readline().strip())
    assert leftover.is_dir()
    # While it runs, another export leaves its folder alone (it might be a live export).
    result = run_cli("export", "--out", str(world.out), "--db", world.db_url)
    assert result.status == 0, result.stderr
    assert leftover.is_dir()
    before = world.snapshot()
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=30)
    assert world.snapshot() == before  # the killed export's half workbook never reached the folder
    result = run_cli("export", "--out", str(world.out), "--db", world.db_url)
    assert result.status == 0, result.stderr
    assert not leftover.exists() and _staging_folders(world.out) == []


def test_decisions_not_imported_need_force_and_imported_ones_do_not(world: World, tmp_path: Path) -> None:
    workbook = load_workbook(world.out / "flagged.xlsx")
    sheet = workbook["flagged"]
    header = [cell.value for cell in sheet[1]]
    sheet.cell(row=2, column=header.index("decision") + 1, value="confirmed")
    sheet.cell(row=2, column=header.index("note") + 1, value="ส่งเรื่องแล้ว")
    workbook.save(world.out / "flagged.xlsx")

    refused = run_cli("export", "--out", str(world.out), "--db", world.db_url)
    assert refused.status == 1 and "tiswatch review import" in refused.stderr
    imported = run_cli("review", "import", str(world.out / "flagged.xlsx"), "--db", world.db_url, "--by", "t")
    assert imported.status == 0, imported.stderr
    again = run_cli("export", "--out", str(world.out), "--db", world.db_url)
    assert again.status == 0, again.stderr  # the decisions are in the database now
    rows = list(load_workbook(world.out / "flagged.xlsx")["flagged"].values)
    assert any("confirmed" in row and "ส่งเรื่องแล้ว" in row for row in rows[1:])

    sheet_path = world.out / "flagged.xlsx"
    workbook = load_workbook(sheet_path)
    workbook["flagged"].cell(row=2, column=header.index("note") + 1, value="changed my mind")
    workbook.save(sheet_path)
    assert run_cli("export", "--out", str(world.out), "--db", world.db_url).status == 1
    forced = run_cli("export", "--out", str(world.out), "--db", world.db_url, "--force")
    assert forced.status == 0, forced.stderr


@pytest.mark.slow
def test_three_crawls_starting_together_on_a_new_database(db_url: str, tmp_path: Path) -> None:
    """Each crawl migrates the new database before Scrapy starts; the migration lock lets one run
    it and the others find it done (no `table alembic_version already exists`)."""
    crawls = [
        _spawn(
            "-m",
            "tiswatch.cli",
            "crawl",
            "lazada",
            "-a",
            "base_url=http://127.0.0.1:9",
            "-a",
            "standards=2432-2555",
            "-s",
            "RETRY_ENABLED=0",
            "--out",
            str(tmp_path / f"out{number}"),
            "--db",
            db_url,
        )
        for number in range(3)
    ]
    results = [(process.wait(timeout=300), *process.communicate()) for process in crawls]
    for status, stdout, stderr in results:
        # The crawl itself fails (nothing listens on port 9); it got past the migration, where the
        # three would have raced, and recorded its run.
        assert status == 1 and "failed" in stdout and "summary.json" in stdout, stderr[-2000:]
        assert "already exists" not in stderr and "UniqueViolation" not in stderr
        assert "Can't locate revision" not in stderr and "OperationalError" not in stderr
    engine = create_engine(normalise_db_url(db_url))
    with engine.connect() as connection:
        revisions = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    engine.dispose()
    assert len(revisions) == 1
    time.sleep(0)  # keep the fixture's database until every process has exited (they have)


def test_processes_migrating_one_new_database_at_the_same_instant(db_url: str, tmp_path: Path) -> None:
    """Five processes released at one instant (after their imports) open the same new database the
    way `tiswatch crawl` does before Scrapy starts: the lock makes one migrate and the others wait."""
    go = tmp_path / "go"
    starters = [
        _spawn(
            "-c",
            "import sys, time\n"
            "from pathlib import Path\n"
            "from tiswatch.cli.crawl import prepare_database\n"
            "go = Path(sys.argv[1])\n"
            "while not go.exists():\n"
            "    time.sleep(0.005)\n"
            "prepare_database(sys.argv[2])\n",
            str(go),
            db_url,
        )
        for _ in range(5)
    ]
    time.sleep(8)  # every process has imported by now (2 cores shared with other jobs)
    go.touch()
    results = [(process.wait(timeout=120), *process.communicate()) for process in starters]
    assert [status for status, _, _ in results] == [0] * 5, [err[-1500:] for _, _, err in results]


def test_an_export_setting_up_its_folder_is_never_cleaned_by_another(tmp_path: Path) -> None:
    """The race four exports at once once hit: export A has made its folder but not yet locked it;
    export B's clean-up must not take that folder for a killed export's (nor create a lock in it).
    A folder under the staging name with its lock free is a dead export's; a starting folder is
    only removed once it is old."""
    out = tmp_path / "out"
    out.mkdir()
    setting_up = out / (STARTING_PREFIX + "a")
    setting_up.mkdir()
    dead = out / (STAGING_PREFIX + "b")
    dead.mkdir()
    (dead / LOCK_NAME).write_text("")
    assert remove_leftovers(out) == 1
    assert setting_up.is_dir() and not dead.exists()
    assert not (setting_up / LOCK_NAME).exists()
    an_hour_ago = time.time() - 3600
    os.utime(setting_up, (an_hour_ago, an_hour_ago))
    assert remove_leftovers(out) == 1 and not setting_up.exists()


def test_a_live_export_keeps_its_folder_while_others_clean(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with staging_folder(out) as folder:
        assert folder.name.startswith(STAGING_PREFIX) and (folder / LOCK_NAME).exists()
        assert remove_leftovers(out) == 0 and folder.is_dir()
    assert list(out.iterdir()) == []
