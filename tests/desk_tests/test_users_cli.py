"""`tiswatch users add|list` through the CLI's entry point: password on standard input, argon2 hash stored."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from pipelines.store import HistoryStore
from tiswatch.cli import main
from tiswatch.web.models import DeskUser


def _run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], stdin: str, *args: str
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    try:
        code = main(list(args))
    except SystemExit as error:  # argparse usage errors
        code = int(error.code or 0)
    out, err = capsys.readouterr()
    return code, out.strip(), err.strip()


def test_users_add_and_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", f"sqlite:///{tmp_path}/desk.sqlite"]
    add = ["users", "add"]
    assert _run(
        monkeypatch,
        capsys,
        "รหัสผ่านยาวพอ 2569\n",
        *add,
        "somchai",
        "--role",
        "officer",
        "--password-stdin",
        *db,
    ) == (0, "added officer somchai", "")
    code, _, err = _run(
        monkeypatch, capsys, "another password\n", *add, "somchai", "--role", "admin", "--password-stdin", *db
    )
    assert (code, err) == (1, "tiswatch users add: user 'somchai' exists already")
    code, _, err = _run(
        monkeypatch, capsys, "short\n", *add, "nid", "--role", "investigator", "--password-stdin", *db
    )
    assert code == 1 and "at least 8 characters" in err
    code, _, err = _run(monkeypatch, capsys, "", *add, "nid", "--role", "investigator", *db)
    assert code == 1 and "--password-stdin" in err
    code, _, _ = _run(monkeypatch, capsys, "x" * 9, *add, "nid", "--role", "root", "--password-stdin", *db)
    assert code == 2
    code, out, _ = _run(monkeypatch, capsys, "", "users", "list", *db)
    assert code == 0 and out.startswith("somchai\tofficer")
    store = HistoryStore.from_url(db[1])
    with store.session() as session:
        user = session.execute(select(DeskUser)).scalar_one()
    assert user.password_hash.startswith("$argon2id$") and "รหัสผ่าน" not in user.password_hash
