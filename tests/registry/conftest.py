"""Fixtures of the registry suite: databases (SQLite, and PostgreSQL when TISWATCH_TEST_PG_URL is set),
the suite's own registry files, and a dump of the registry tables to compare databases row by row."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, inspect, select

from pipelines.store.schema import migrated_engine
from standards_data.registry_store import REGISTRY_TABLES

DATA = Path(__file__).resolve().parent / "data"
PG_ENV = "TISWATCH_TEST_PG_URL"
CANONICAL_HEADER = "licence_no,licence_type,tis_number,licensee,brand,models,issued,status"


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    # Migrated as every entry point migrates (Alembic is the only way tables are made).
    engine = migrated_engine(db_url)
    yield engine
    engine.dispose()


def dump_registry_tables(engine: Engine) -> dict[str, Any]:
    """Every row of every registry table (None for a table that does not exist), in primary-key order."""
    existing = set(inspect(engine).get_table_names())
    dump: dict[str, Any] = {}
    with engine.connect() as connection:
        for table in REGISTRY_TABLES:
            if table.name not in existing:
                dump[table.name] = None
                continue
            query = select(table).order_by(*table.primary_key.columns)
            dump[table.name] = [tuple(row) for row in connection.execute(query)]
    return dump


WriteCsv = Callable[..., Path]


@pytest.fixture
def write_csv(tmp_path: Path) -> WriteCsv:
    """Write lines of a CSV (header first) to a file in tmp_path with the given encoding."""

    def write(name: str, lines: list[str], encoding: str = "utf-8", newline: str = "\n") -> Path:
        path = tmp_path / name
        path.write_bytes((newline.join(lines) + newline).encode(encoding))
        return path

    return write


@pytest.fixture
def registry_lines() -> list[str]:
    """Lines of the suite's canonical registry file (header first): 7 licences of mandatory standards."""
    return (DATA / "registry_v1.csv").read_text(encoding="utf-8").splitlines()


@pytest.fixture
def dump_tables() -> Callable[[Engine], dict[str, Any]]:
    return dump_registry_tables
