"""API keys (created, listed, revoked, stored only as a hash) and the per-key rate limit, on a real server."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.api_tests.server import ServerProcess, add_key, tiswatch_output

DRAFT = {"title": "ปลั๊กพ่วง 4 ช่อง"}


def _wait_for_status(api: str, key: str, status: int, timeout: float = 10.0) -> int:
    deadline = time.monotonic() + timeout
    got = 0
    while time.monotonic() < deadline:
        got = httpx.post(f"{api}/check", json=DRAFT, headers={"X-API-Key": key}).status_code
        if got == status:
            return got
        time.sleep(0.2)
    return got


def _bytes_of_database_files(database: Path) -> bytes:
    """Every byte of the database's files (main file, WAL, shared memory), read by a child process:
    closing a file descriptor drops all of this process's POSIX locks on that file, and this process
    holds SQLite connections to the database (the fixture imported the registry), so reading them
    here would break SQLite's locking for every process using the database."""
    reader = (
        "import sys; from pathlib import Path; d = Path(sys.argv[1]); "
        "files = [p for p in d.parent.glob(d.name + '*') if p.is_file()]; "
        "sys.stdout.buffer.write(b''.join(p.read_bytes() for p in files))"
    )
    child = subprocess.run([sys.executable, "-c", reader, str(database)], capture_output=True, check=True)
    return child.stdout


def test_add_prints_the_key_last_and_stores_only_its_hash(dev_db: str) -> None:
    status, printed = tiswatch_output("api-keys", "add", "lazada-th", "--db", dev_db)
    assert status == 0
    key = printed.strip().splitlines()[-1]
    assert key.startswith("tw_") and len(key) > 40
    database = Path(dev_db.removeprefix("sqlite:///"))
    assert key.encode() not in _bytes_of_database_files(database)
    status, listed = tiswatch_output("api-keys", "list", "--db", dev_db)
    assert "lazada-th" in listed and key not in listed and key[:10] in listed
    status, again = tiswatch_output("api-keys", "add", "lazada-th", "--db", dev_db)
    assert status == 1 and "already exists" in again


def test_a_key_added_or_revoked_while_serving_takes_effect(server: ServerProcess, dev_db: str) -> None:
    key = add_key(dev_db, "late-platform")
    assert _wait_for_status(server.api, key, 200) == 200
    status, printed = tiswatch_output("api-keys", "revoke", "late-platform", "--db", dev_db)
    assert status == 0, printed
    assert _wait_for_status(server.api, key, 401) == 401
    status, printed = tiswatch_output("api-keys", "revoke", "late-platform", "--db", dev_db)
    assert status == 1 and "no active key" in printed


def test_rate_limit_answers_429_with_retry_after(server: ServerProcess, dev_db: str) -> None:
    slow = add_key(dev_db, "slow-platform", rate=2)
    assert _wait_for_status(server.api, slow, 200) == 200
    with httpx.Client(base_url=server.api, headers={"X-API-Key": slow}) as client:
        statuses = [client.post("/check", json=DRAFT) for _ in range(6)]
        limited = [r for r in statuses if r.status_code == 429]
        assert limited, [r.status_code for r in statuses]
        assert {r.status_code for r in statuses} <= {200, 429}
        retry_after = int(limited[0].headers["Retry-After"])
        assert retry_after >= 1 and "slow-platform" in limited[0].json()["detail"]
        time.sleep(retry_after)
        assert client.post("/check", json=DRAFT).status_code == 200
        # A batch costs one token per draft: a full bucket lets a big batch through, then it is spent.
        time.sleep(1.1)
        assert client.post("/check/batch", json={"listings": [DRAFT] * 10}).status_code == 200
        after = client.post("/check", json=DRAFT)
        assert after.status_code == 429 and int(after.headers["Retry-After"]) >= 3


def test_keys_are_limited_separately(client: httpx.Client, server: ServerProcess, dev_db: str) -> None:
    other = add_key(dev_db, "tiny-platform", rate=1)
    assert _wait_for_status(server.api, other, 200) == 200
    assert httpx.post(f"{server.api}/check", json=DRAFT, headers={"X-API-Key": other}).status_code == 429
    assert client.post("/check", json=DRAFT).status_code == 200
