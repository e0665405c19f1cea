"""The API on each database the project supports (SQLite file, PostgreSQL): migrations, keys, a check,
its audit row."""

from __future__ import annotations

import time

import httpx
import pytest
from sqlalchemy import text

from standards_data.database import make_engine
from tests.api_tests.conftest import DEV, import_registry
from tests.api_tests.server import add_key, running_server


@pytest.mark.slow  # starts the server process
def test_serves_checks_and_audits_them(db_url: str) -> None:
    import_registry(db_url, DEV / "registry.csv")
    key = add_key(db_url, "db-platform")
    with running_server(db_url) as server:
        answer = httpx.post(
            f"{server.api}/check",
            json={"title": "พาวเวอร์แบงค์ Samsung SA-331", "licence_no": "น6387-55/2879"},
            headers={"X-API-Key": key},
        ).json()
        assert (answer["verdict"], answer["registry_version"]) == ("invalid_licence", "db-v1")
        engine = make_engine(db_url)
        try:
            deadline = time.monotonic() + 10
            rows: list[tuple[object, ...]] = []
            while not rows and time.monotonic() < deadline:
                time.sleep(0.2)
                with engine.connect() as connection:
                    rows = [
                        tuple(row)
                        for row in connection.execute(text("SELECT verdict, registry_version FROM api_audit"))
                    ]
        finally:
            engine.dispose()
    assert rows == [("invalid_licence", "db-v1")]
