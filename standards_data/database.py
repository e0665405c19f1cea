"""The project's database: one SQLAlchemy metadata for every table, and engines for `--db URL`.

Registry tables (standards_data) and history tables (pipelines) share this `Base`, and one file (or one
PostgreSQL database) holds a project. The tables are made only by the Alembic migrations
(`pipelines/migrations`), which entry points run before use (`pipelines.store.schema.migrated_engine`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """Declarative base of every tiswatch table."""


def normalise_db_url(url: str) -> str:
    """Accept `postgresql://…` as given by users and route it to the psycopg 3 driver."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def make_engine(url: str) -> Engine:
    """Engine for a database URL; creates the folder of a SQLite file and sets SQLite up for safety."""
    url = normalise_db_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            # WAL + synchronous=NORMAL: committed rows survive kill -9; foreign keys on.
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)
