"""Fixtures shared by every suite. Suite-specific fixtures live in each folder's own conftest.py.

Test folders are named so that none shadows a package (`tests/crawler_tests`, not `tests/crawler`), and
`tests/` is a package, so `pytest tests/<any file>` collects from a fresh clone with the repository root
on sys.path (see ARCHITECTURE.md, "Tests")."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from standards_data.database import scratch_postgres_database

PG_ENV = "TISWATCH_TEST_PG_URL"
SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(scope="session", autouse=True)
def _user_cache_in_tmp(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The user's cache folder (where a PostgreSQL database's registry index is stored,
    `pipelines.index_cache`) is a temporary one: tests and the servers they start never write in $HOME."""
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty database: a SQLite file, or a new database on the test PostgreSQL server
    (TISWATCH_TEST_PG_URL; .ci/postgres.sh starts a throwaway cluster). Under CI=true a missing server
    is a failure, not a skip."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/tiswatch.sqlite"
        return
    server = os.environ.get(PG_ENV)
    if not server:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{PG_ENV} is not set under CI=true: PostgreSQL did not start")
        pytest.skip(f"{PG_ENV} is not set (run .ci/postgres.sh to start a throwaway cluster)")
    with scratch_postgres_database(server, "tiswatch_test") as url:
        yield url
