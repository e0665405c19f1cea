"""A real `tiswatch serve` over a database holding the dev set's registry, shared by a test module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.api_tests.server import ServerProcess, add_key, running_server, tiswatch_output
from tests.conftest import SHARED

DEV = SHARED / "dev" / "thai"
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # A test that uses the `tiswatch serve` process (directly or through a client) is a server test:
    # slow, left out of `make test-fast`. The hook sees the whole session's items: only this folder's.
    for item in items:
        if item.path.is_relative_to(HERE) and "server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)


def import_registry(db_url: str, path: Path, mode: str = "--replace") -> None:
    status, printed = tiswatch_output("registry", "import", str(path), mode, "--by", "test", "--db", db_url)
    assert status == 0, printed


@pytest.fixture(scope="module")
def dev_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('api')}/tiswatch.sqlite"
    import_registry(url, DEV / "registry.csv")
    return url


@pytest.fixture(scope="module")
def key(dev_db: str) -> str:
    return add_key(dev_db, "test-platform")


@pytest.fixture(scope="module")
def server(dev_db: str, key: str) -> Iterator[ServerProcess]:
    # After the key: a server loads its keys at start (and re-reads them every second).
    with running_server(dev_db) as process:
        yield process


@pytest.fixture(scope="module")
def client(server: ServerProcess, key: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.api, headers={"X-API-Key": key}, timeout=60) as http:
        yield http
