"""A re-match reaches the investigators: the next export carries the new verdicts, marked with the
registry change behind them; `--dry-run` stores nothing; `--registry FILE` is validated like
`tiswatch registry import`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select

from pipelines.exports import write_exports
from pipelines.rematch import RematchRun
from pipelines.store.history import HistoryStore
from pipelines.store.models import Verdict
from standards_data.registry_import import import_registry
from tests.registry.test_rematch import HEADER, crawl_into_store
from tiswatch.cli import main

POWER_BANK = "28841377.1001"


def _count(engine: Engine, query: Any) -> int:
    with engine.connect() as connection:
        return int(connection.execute(query).scalar_one())


def _revoke_power_bank(engine: Engine, write_csv: Any, registry_lines: list[str]) -> list[str]:
    import_registry(engine, write_csv("v1.csv", registry_lines), mode="replace", imported_by="officer")
    assert crawl_into_store(engine)[POWER_BANK] == "certified"
    revoked = [
        line.replace(",active", ",revoked") if line.startswith("น3310") else line for line in registry_lines
    ]
    import_registry(engine, write_csv("v2.csv", revoked), mode="replace", imported_by="officer")
    return revoked


def test_dry_run_lists_the_changes_and_stores_nothing(
    db_url: str, engine: Engine, write_csv: Any, registry_lines: list[str], capsys: Any
) -> None:
    _revoke_power_bank(engine, write_csv, registry_lines)
    verdicts_before = _count(engine, select(func.count()).select_from(Verdict))
    assert main(["rematch", "--dry-run", "--db", db_url]) == 0
    printed = capsys.readouterr().out
    assert "dry run, nothing stored" in printed and "1 newly flagged" in printed and POWER_BANK in printed
    assert _count(engine, select(func.count()).select_from(Verdict)) == verdicts_before
    assert _count(engine, select(func.count()).select_from(RematchRun)) == 0


def test_rematch_results_reach_the_next_export_marked_with_the_change(
    db_url: str, engine: Engine, write_csv: Any, registry_lines: list[str], tmp_path: Path
) -> None:
    _revoke_power_bank(engine, write_csv, registry_lines)
    before = write_exports(HistoryStore(engine), tmp_path / "before")
    assert POWER_BANK not in {row.listing_id for row in before.report.rows}
    assert main(["rematch", "--db", db_url]) == 0
    after = write_exports(HistoryStore(engine), tmp_path / "after")
    row = {row.listing_id: row for row in after.report.rows}[POWER_BANK]
    assert row.verdict in ("uncertified", "invalid_licence")
    assert row.registry_change.startswith("rematch 1 (") and "registry db-v2" in row.registry_change
    assert "certified ->" in row.registry_change
    csv_text = (tmp_path / "after" / "flagged.csv").read_text(encoding="utf-8")
    assert "registry_change" in csv_text.splitlines()[0] and "rematch 1 (" in csv_text


def test_rematch_registry_file_goes_through_the_import_validation(
    db_url: str, engine: Engine, write_csv: Any, registry_lines: list[str], capsys: Any
) -> None:
    revoked = _revoke_power_bank(engine, write_csv, registry_lines)
    bad = write_csv(
        "bad.csv", [*revoked, "น9001-67/2432,import,2432-2555,บริษัท พีเอ็นซี จำกัด,PNC,PN-33,2024-02-30,active"]
    )
    verdicts_before = _count(engine, select(func.count()).select_from(Verdict))
    assert main(["rematch", "--registry", str(bad), "--db", db_url]) == 1
    err = capsys.readouterr().err
    assert "row 9, column issued" in err and "nothing was judged" in err
    assert _count(engine, select(func.count()).select_from(Verdict)) == verdicts_before
    # The same file without the bad row is judged.
    good = write_csv("good.csv", [HEADER, *revoked[1:]])
    assert main(["rematch", "--registry", str(good), "--db", db_url]) == 0
    assert "1 newly flagged" in capsys.readouterr().out
