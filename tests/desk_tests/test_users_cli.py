"""`tiswatch users add|list` through the real CLI: password on standard input, argon2 hash stored."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from pipelines.store import HistoryStore
from tests.desk_tests.servers import tiswatch
from tiswatch.web.models import DeskUser


def test_users_add_and_list(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path}/desk.sqlite"
    added = tiswatch(
        "users",
        "add",
        "somchai",
        "--role",
        "officer",
        "--password-stdin",
        "--db",
        db_url,
        stdin="รหัสผ่านยาวพอ 2569\n",
    )
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == "added officer somchai"
    again = tiswatch(
        "users",
        "add",
        "somchai",
        "--role",
        "admin",
        "--password-stdin",
        "--db",
        db_url,
        stdin="another password\n",
    )
    assert (
        again.returncode == 1 and again.stderr.strip() == "tiswatch users add: user 'somchai' exists already"
    )
    short = tiswatch(
        "users", "add", "nid", "--role", "investigator", "--password-stdin", "--db", db_url, stdin="short\n"
    )
    assert short.returncode == 1 and "at least 8 characters" in short.stderr
    no_stdin = tiswatch("users", "add", "nid", "--role", "investigator", "--db", db_url)
    assert no_stdin.returncode == 1 and "--password-stdin" in no_stdin.stderr
    bad_role = tiswatch(
        "users", "add", "nid", "--role", "root", "--password-stdin", "--db", db_url, stdin="x" * 9
    )
    assert bad_role.returncode == 2
    listed = tiswatch("users", "list", "--db", db_url)
    assert listed.stdout.startswith("somchai\tofficer")
    store = HistoryStore.from_url(db_url)
    with store.session() as session:
        user = session.execute(select(DeskUser)).scalar_one()
    assert user.password_hash.startswith("$argon2id$") and "รหัสผ่าน" not in user.password_hash
