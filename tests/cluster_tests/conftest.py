"""Services of the cluster suite: a clean Redis per test, a fresh PostgreSQL database, and helpers
to run `tiswatch` commands as the operator would (subprocesses, the demo market in this process).

Redis: `TISWATCH_TEST_REDIS_URL` (`.ci/redis.sh` starts a throwaway server on a unix socket), else a
`redis-server` on PATH is started for the session on a unix socket under the test's temporary folder;
else the tests skip — under CI=true they fail instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from standards_data.database import scratch_postgres_database
from tests.conftest import PG_ENV

REDIS_ENV = "TISWATCH_TEST_REDIS_URL"
REPO = Path(__file__).resolve().parents[2]


def _missing(what: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} under CI=true: the cluster suite needs it")
    pytest.skip(what)


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    configured = os.environ.get(REDIS_ENV)
    if configured:
        yield configured
        return
    binary = shutil.which("redis-server")
    if binary is None:
        _missing(f"{REDIS_ENV} is not set and no redis-server is installed (run .ci/redis.sh)")
    base = tmp_path_factory.mktemp("redis")
    socket = base / "redis.sock"
    process = subprocess.Popen(
        [str(binary), "--port", "0", "--unixsocket", str(socket), "--unixsocketperm", "700",
         "--save", "", "--appendonly", "no", "--dir", str(base)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 10
        while not socket.exists():
            if time.monotonic() > deadline or process.poll() is not None:
                _missing("redis-server did not start")
            time.sleep(0.05)
        yield f"unix://{socket}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def redis_url(redis_server: str) -> Iterator[str]:
    """A Redis with nothing in it (the test's database is flushed before and after)."""
    client = redis.Redis.from_url(redis_server)
    try:
        client.ping()
    except redis.RedisError as error:
        _missing(f"Redis at {redis_server} does not answer: {error}")
    client.flushdb()
    yield redis_server
    client.flushdb()
    client.close()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A new, empty PostgreSQL database on the test server (`TISWATCH_TEST_PG_URL`)."""
    server = os.environ.get(PG_ENV)
    if not server:
        _missing(f"{PG_ENV} is not set (run .ci/postgres.sh)")
    assert server is not None
    with scratch_postgres_database(server, "tiswatch_cluster") as url:
        yield url


def tiswatch_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "tiswatch.cli", *args]


def run_tiswatch(cwd: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        tiswatch_command(*args), cwd=cwd, capture_output=True, text=True, timeout=timeout, env=os.environ
    )
