"""The review loop through the CLI: export, fill in decisions in the workbook, `tiswatch review import`,
next run. Bad files are rejected whole, with the row named."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from pipelines.store import HistoryStore, RegistryRef
from pipelines.store.models import ReviewDecision
from tiswatch.cli import main

REGISTRY = RegistryRef(ref="csv-aaaa", version=None, source="sample_registry.csv")


def _run(store: HistoryStore, items: list[tuple[dict, Any]]) -> int:
    run_id = store.start_run("shopee", {}, REGISTRY)
    for listing, verdict in items:
        store.record_observation(run_id, listing, verdict, REGISTRY)
    store.finish_run(run_id, {})
    return run_id


def _fill(path: Path, decisions: dict[str, tuple[str, str]], out: Path) -> Path:
    """Write decisions into the `decision`/`note` columns, keyed by listing_id, like an investigator."""
    workbook = load_workbook(path)
    sheet = workbook["flagged"]
    header = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        listing_id = row[header.index("listing_id")].value
        if listing_id in decisions:
            row[header.index("decision")].value, row[header.index("note")].value = decisions[listing_id]
    workbook.save(out)
    return out


def _decisions(store: HistoryStore) -> int:
    with store.session() as session:
        return int(session.execute(select(func.count()).select_from(ReviewDecision)).scalar_one())


@pytest.fixture
def history(db_url: str, tmp_path: Path, make_listing: Any, make_verdict: Any) -> dict[str, Any]:
    store = HistoryStore.from_url(db_url)
    listings = {
        "a": make_listing("4001", "ปลั๊กไฟ 4 ช่อง ไม่มีมอก. ราคาส่ง"),
        "b": make_listing("4002", "รางปลั๊ก 6 ช่อง 10 เมตร"),
        "c": make_listing("4003", "หมวกกันน๊อค ครึ่งใบ วินเทจ", price=450.0),
    }
    verdicts = {key: make_verdict(listing["listing_id"], "uncertified") for key, listing in listings.items()}
    _run(store, [(listings[k], verdicts[k]) for k in "abc"])
    out = tmp_path / "review-1"
    assert main(["export", "--out", str(out), "--db", db_url]) == 0
    return {
        "store": store,
        "db": db_url,
        "listings": listings,
        "verdicts": verdicts,
        "xlsx": out / "flagged.xlsx",
    }


def test_review_import_then_next_run(history: dict[str, Any], tmp_path: Path, capsys: Any) -> None:
    store, listings, verdicts = history["store"], history["listings"], history["verdicts"]
    a, b, c = (listings[k]["listing_id"] for k in "abc")
    filled = _fill(
        history["xlsx"],
        {a: ("Dismissed", "ผู้ขายส่งใบอนุญาตมาแล้ว"), b: ("dismissed", "ไม่ใช่สินค้าควบคุม"), c: ("confirmed", "")},
        tmp_path / "reviewed.xlsx",
    )
    assert main(["review", "import", str(filled), "--by", "สมชาย ใจดี", "--db", history["db"]]) == 0
    assert "recorded 3 decision(s) (1 confirmed, 2 dismissed)" in capsys.readouterr().out
    # Importing the same file again records nothing new.
    assert main(["review", "import", str(filled), "--by", "สมชาย ใจดี", "--db", history["db"]]) == 0
    assert "recorded 0 decision(s)" in capsys.readouterr().out
    assert _decisions(store) == 3
    history_of_a = store.decision_history(store.listing_keys([("shopee", a)])[("shopee", a)])
    assert [(d.decision, d.reviewer, d.note) for d in history_of_a] == [
        ("dismissed", "สมชาย ใจดี", "ผู้ขายส่งใบอนุญาตมาแล้ว")
    ]

    # Third run: `a` unchanged (stays dismissed), `b` changed its title (flagged again), `c` confirmed.
    changed_b = listings["b"] | {"title": "รางปลั๊ก 6 ช่อง 10 เมตร สายทองแดงแท้ รุ่นใหม่"}
    run_3 = _run(
        store, [(listings["a"], verdicts["a"]), (changed_b, verdicts["b"]), (listings["c"], verdicts["c"])]
    )
    out = tmp_path / "review-2"
    assert main(["export", "--run", str(run_3), "--out", str(out), "--db", history["db"]]) == 0
    workbook = load_workbook(out / "flagged.xlsx")
    rows = list(workbook["flagged"].iter_rows(values_only=True))
    header = rows[0]
    flagged = {row[header.index("listing_id")]: row for row in rows[1:]}
    assert set(flagged) == {b, c}
    assert flagged[b][header.index("mark")] == "new"  # re-flagged because its content changed
    # The old dismissal is shown, not pre-filled: re-importing this sheet must not re-dismiss it.
    assert flagged[b][header.index("decision")] is None
    assert re.fullmatch(
        r"dismissed \d{4}-\d\d-\d\d by สมชาย ใจดี: ไม่ใช่สินค้าควบคุม \(listing changed since\)",
        flagged[b][header.index("previous_decision")],
    )
    assert flagged[c][header.index("decision")] == "confirmed"  # same content: pre-filled
    assert flagged[c][header.index("mark")] == "still flagged"  # confirmed listings stay flagged
    confirmed = list(workbook["confirmed"].iter_rows(values_only=True))
    assert [row[1] for row in confirmed[1:]] == [c]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            {"decision": "maybe"},
            "row 2: unknown decision 'maybe' (use one of: confirmed, dismissed, needs-info)",
        ),
        (
            {"listing_id": "28841377.9999999"},
            "row 2: unknown listing shopee 28841377.9999999 (not in this database)",
        ),
        ({"content_hash": "abc"}, "row 2: content_hash 'abc' is not a SHA-256"),
    ],
)
def test_bad_rows_reject_the_whole_file(
    history: dict[str, Any], tmp_path: Path, capsys: Any, edit: dict[str, str], message: str
) -> None:
    workbook = load_workbook(history["xlsx"])
    sheet = workbook["flagged"]
    header = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        row[header.index("decision")].value = "confirmed"  # every other row is fine
    for name, value in edit.items():
        sheet.cell(row=2, column=header.index(name) + 1, value=value)
    bad = tmp_path / "bad.xlsx"
    workbook.save(bad)
    assert main(["review", "import", str(bad), "--by", "somchai", "--db", history["db"]]) == 1
    err = capsys.readouterr().err
    assert f"bad.xlsx, sheet 'flagged', {message}" in err
    assert "nothing was recorded" in err
    assert _decisions(history["store"]) == 0


def test_a_file_that_is_not_a_workbook_is_rejected(
    history: dict[str, Any], tmp_path: Path, capsys: Any
) -> None:
    not_xlsx = tmp_path / "flagged.xlsx"
    not_xlsx.write_text("platform,listing_id,decision\nshopee,1,confirmed\n", encoding="utf-8")
    assert main(["review", "import", str(not_xlsx), "--db", history["db"]]) == 1
    assert "not a readable .xlsx workbook" in capsys.readouterr().err


def test_export_command_scopes(history: dict[str, Any], tmp_path: Path, capsys: Any) -> None:
    db = history["db"]
    assert main(["export", "--since", "2999-01-01", "--out", str(tmp_path / "none"), "--db", db]) == 1
    assert "no closed run since 2999-01-01 00:00 UTC" in capsys.readouterr().err
    assert main(["export", "--run", "999", "--out", str(tmp_path / "none"), "--db", db]) == 1
    assert "no run 999 in the database" in capsys.readouterr().err
    assert main(["export", "--since", "2000-01-01T00:00", "--out", str(tmp_path / "all"), "--db", db]) == 0
    assert "3 flagged listings" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["export", "--since", "last tuesday", "--out", str(tmp_path / "x"), "--db", db])
    assert main(["runs", "--db", db]) == 0
    assert "shopee" in capsys.readouterr().out
