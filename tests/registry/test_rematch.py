"""`tiswatch rematch` after a registry change: stored listings are re-judged and the changes stored."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from matchers.matcher import Matcher
from pipelines.registry_source import load_registry
from pipelines.rematch import CLEARED, NEWLY_FLAGGED, NoRegistryError, RematchRun, rematch, stored_changes
from pipelines.store.history import HistoryStore
from pipelines.store.models import Verdict
from standards_data.registry_import import import_registry

HEADER = "licence_no,licence_type,tis_number,licensee,brand,models,issued,status"
REPO = Path(__file__).resolve().parents[2]


def listing(listing_id: str, title: str, brand: str) -> dict[str, Any]:
    return {
        "platform": "shopee",
        "listing_id": f"28841377.{listing_id}",
        "url": f"https://shopee.co.th/product/28841377/{listing_id}",
        "title": title,
        "description": "สินค้าพร้อมส่ง รับประกัน 1 ปี",
        "brand": brand,
        "price": 459.0,
        "currency": "THB",
        "seller_id": "28841377",
        "seller_name": "ร้านแกดเจ็ตบางนา",
        "attributes": {},
        "crawled_at": "2026-01-05T03:00:00Z",
    }


LISTINGS = [
    listing("1001", "พาวเวอร์แบงค์ Xiaomi PB1022ZM 10000mAh มอก.2879-2560 ของแท้", "Xiaomi"),
    listing("1002", "ปลั๊กพ่วง Toshino P-404 4 ช่อง 3 เมตร มอก.", "Toshino"),
    listing("1003", "ปลั๊กพ่วง Nanotech NT-405 4 ช่อง 3 เมตร", "Nanotech"),
    listing("1004", "เคสซิลิโคน Xiaomi PB1022ZM", "Xiaomi"),
]


def crawl_into_store(engine: Engine) -> dict[str, str]:
    """What a crawl does: judge with the current registry and record each listing; returns verdicts."""
    store = HistoryStore(engine)
    store.ensure_schema()
    registry = load_registry(engine)
    matcher = Matcher(registry.licences)
    run_id = store.start_run("shopee", {"keyword": "ปลั๊กพ่วง"}, registry.ref)
    verdicts = {}
    for record in LISTINGS:
        verdict = matcher.judge(record)
        verdicts[record["listing_id"]] = verdict.verdict
        store.record_observation(run_id, record, verdict, registry.ref)
    store.finish_run(run_id, {"item_scraped_count": len(LISTINGS)})
    return verdicts


def revoke(write_csv, registry_lines: list[str], licence_no: str, name: str) -> Path:
    return write_csv(
        name, [HEADER, *(line for line in registry_lines if line.startswith(licence_no))], newline="\n"
    )


def test_rematch_after_revocation_flags_and_stores(
    engine: Engine, write_csv, registry_lines: list[str]
) -> None:
    import_registry(engine, write_csv("v1.csv", registry_lines), mode="replace", imported_by="officer")
    before = crawl_into_store(engine)
    assert before["28841377.1001"] == "certified"  # the power bank's licence is active in version 1

    revoked = [
        line.replace(",active", ",revoked") for line in registry_lines if line.startswith("น3310-60/2879")
    ]
    outcome = import_registry(
        engine, write_csv("v2.csv", [HEADER, *revoked]), mode="update", imported_by="officer"
    )
    assert (outcome.version_id, outcome.changed) == (2, 1)

    result = rematch(engine, run_by="officer")
    assert result.listings == len(LISTINGS)
    assert result.registry.ref.version == 2
    (change,) = result.changes
    assert (change.listing_id, change.kind) == ("28841377.1001", NEWLY_FLAGGED)
    assert change.old is not None and change.old.verdict == "certified"
    # The matcher decides which flag (no active licence covers the brand any more); it must say why.
    assert change.new.flagged and change.new.verdict in ("uncertified", "invalid_licence")
    assert "revoked" in change.explanation

    # Stored, not only printed: the re-match run, its change, and the new verdict against version 2.
    with engine.connect() as connection:
        run = connection.execute(select(RematchRun.__table__)).mappings().one()
        verdict = (
            connection.execute(select(Verdict.__table__).where(Verdict.__table__.c.registry_ref == "db-v2"))
            .mappings()
            .all()
        )
    assert (run["registry_version"], run["listings"], run["newly_flagged"], run["cleared"]) == (2, 4, 1, 0)
    assert run["finished_at"] is not None
    assert len(verdict) == len(LISTINGS)
    (stored,) = stored_changes(engine, result.rematch_id)
    assert (stored.listing_id, stored.old_verdict, stored.new_verdict) == (
        "28841377.1001",
        "certified",
        change.new.verdict,
    )
    assert stored.new_flagged is True

    # Nothing changed since: a second re-match finds no change.
    assert rematch(engine, run_by="officer").changes == []


def test_rematch_after_reinstatement_clears(engine: Engine, write_csv, registry_lines: list[str]) -> None:
    revoked = [
        line.replace(",active", ",revoked") if line.startswith("น3310") else line for line in registry_lines
    ]
    import_registry(engine, write_csv("v1.csv", revoked), mode="replace", imported_by="officer")
    assert crawl_into_store(engine)["28841377.1001"] != "certified"
    import_registry(engine, write_csv("v2.csv", registry_lines), mode="replace", imported_by="officer")
    result = rematch(engine, run_by="officer")
    assert [(change.listing_id, change.kind, change.new.verdict) for change in result.changes] == [
        ("28841377.1001", CLEARED, "certified")
    ]


def test_rematch_without_registry_refuses(engine: Engine) -> None:
    HistoryStore(engine).ensure_schema()
    with pytest.raises(NoRegistryError):
        rematch(engine, run_by="officer")


@pytest.mark.slow  # the CLI in subprocesses
def test_registry_and_rematch_cli_end_to_end(
    db_url: str, engine: Engine, write_csv, registry_lines: list[str], tmp_path: Path
) -> None:
    def tiswatch(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "tiswatch.cli", *args, "--db", db_url],
            capture_output=True,
            text=True,
            cwd=REPO,
            timeout=300,
        )

    imported = tiswatch(
        "registry", "import", str(write_csv("v1.csv", registry_lines)), "--replace", "--by", "วิภา"
    )
    assert imported.returncode == 0, imported.stderr
    assert "registry version 1: 7 rows" in imported.stdout
    crawl_into_store(engine)

    bad_lines = [
        *registry_lines,
        "น9001-67/2432,import,2432-2555,บริษัท พีเอ็นซี จำกัด,PNC,PN-33,2024-02-30,active",
    ]
    rejected = tiswatch("registry", "import", str(write_csv("bad.csv", bad_lines)), "--update")
    assert rejected.returncode == 1
    assert "row 9, column issued" in rejected.stderr and "nothing was imported" in rejected.stderr

    revoked = [
        line.replace(",active", ",revoked") if line.startswith("น3310") else line for line in registry_lines
    ]
    assert tiswatch("registry", "import", str(write_csv("v2.csv", revoked)), "--replace").returncode == 0
    diff = tiswatch("registry", "diff")
    assert "น3310-60/2879  2879-2560  Xiaomi (เสียวหมี่): active -> revoked" in diff.stdout

    rematched = tiswatch("rematch")
    assert rematched.returncode == 0, rematched.stderr
    assert "1 newly flagged" in rematched.stdout
    assert "28841377.1001" in rematched.stdout and "certified [น3310-60/2879] ->" in rematched.stdout

    exported = tiswatch("registry", "export", "--out", str(tmp_path / "registry.csv"))
    assert "wrote 7 licences of registry version 2" in exported.stdout
    shown = tiswatch("registry", "show", "น3310-60/2879")
    assert "status    revoked" in shown.stdout and "versions 1–until version 2" in shown.stdout


def test_rematch_uses_the_newest_stored_vocabulary(
    engine: Engine, data_dir: Path, write_csv, registry_lines: list[str]
) -> None:
    from standards_data.registry_import.vocabulary import import_vocabulary

    import_registry(engine, write_csv("v1.csv", registry_lines), mode="replace", imported_by="officer")
    before = crawl_into_store(engine)
    assert before["28841377.1003"] == "uncertified"  # ปลั๊กพ่วง of a brand with no licence
    # An officer's vocabulary without the cord-extension-set words: that listing names no regulated product.
    lines = (data_dir / "vocabulary_small.csv").read_text(encoding="utf-8").splitlines()
    without_plugs = [line for line in lines if not line.startswith("2432-2555,")]
    assert import_vocabulary(engine, write_csv("vocabulary.csv", without_plugs), imported_by="officer").ok

    result = rematch(engine, run_by="officer")
    assert result.vocabulary_version == 1
    changes = {change.listing_id: change for change in result.changes}
    assert changes["28841377.1003"].kind == CLEARED
    assert changes["28841377.1003"].new.verdict == "not_regulated"
    assert "28841377.1001" not in changes  # the power bank words are still there


@pytest.mark.slow  # starts three processes, each loading the matcher
def test_rematch_over_several_processes_finds_the_same_changes(
    engine: Engine, write_csv, registry_lines: list[str]
) -> None:
    """`--workers 3`: each process judges its share of the listings and writes its verdicts in batches;
    the re-match stores and reports exactly what one process would."""
    import_registry(engine, write_csv("v1.csv", registry_lines), mode="replace", imported_by="officer")
    crawl_into_store(engine)
    revoked = [
        line.replace(",active", ",revoked") for line in registry_lines if line.startswith("น3310-60/2879")
    ]
    import_registry(engine, write_csv("v2.csv", [HEADER, *revoked]), mode="update", imported_by="officer")

    result = rematch(engine, run_by="officer", workers=3, batch_size=2)
    assert result.listings == len(LISTINGS) and result.errors == []
    (change,) = result.changes
    assert (change.listing_id, change.kind) == ("28841377.1001", NEWLY_FLAGGED)
    with engine.connect() as connection:
        verdicts = connection.execute(
            select(Verdict.__table__).where(Verdict.__table__.c.registry_ref == "db-v2")
        ).all()
    assert len(verdicts) == len(LISTINGS)  # every listing judged once, by one of the processes
    ((stored),) = stored_changes(engine, result.rematch_id)
    assert stored.listing_id == "28841377.1001" and stored.new_flagged is True
    # And one process, after it, agrees that nothing is left to change.
    assert rematch(engine, run_by="officer").changes == []
