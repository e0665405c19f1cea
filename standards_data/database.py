"""The project's database: one SQLAlchemy metadata for every table, and engines for `--db URL`.

Registry tables (standards_data) and history tables (pipelines) share this `Base`, and one file (or one
PostgreSQL database) holds a project. The tables are made only by the Alembic migrations
(`pipelines/migrations`), which entry points run before use (`pipelines.store.schema.migrated_engine`).
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase

# Seconds to wait for a database server to accept a connection (an unreachable host fails, not hangs).
CONNECT_TIMEOUT = int(os.environ.get("TISWATCH_DB_CONNECT_TIMEOUT", "10"))
# Seconds a SQLite writer waits for another writer (a review import during a registry import).
SQLITE_BUSY_TIMEOUT = float(os.environ.get("TISWATCH_SQLITE_BUSY_TIMEOUT", "60"))
# pg_advisory_lock key of the schema migrations (any constant shared by every tiswatch process).
_MIGRATION_LOCK_KEY = 0x7715_3A7C


class DatabaseUnavailable(Exception):
    """The database URL is unusable or the database cannot be reached; the message says what to do.

    `usage` is True when the URL itself is wrong (the CLI exits 2), False when the database is."""

    def __init__(self, message: str, *, usage: bool = False) -> None:
        super().__init__(message)
        self.usage = usage


class Base(DeclarativeBase):
    """Declarative base of every tiswatch table."""


def normalise_db_url(url: str) -> str:
    """Accept `postgresql://…` as given by users and route it to the psycopg 3 driver."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def parse_db_url(url: str) -> URL:
    """The parsed URL, or DatabaseUnavailable naming what is wrong with it."""
    try:
        parsed = make_url(normalise_db_url(url))
    except ArgumentError:
        raise DatabaseUnavailable(
            f"--db {url!r} is not a database URL (use sqlite:///FILE or postgresql://USER@HOST/NAME)",
            usage=True,
        ) from None
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise DatabaseUnavailable(
            f"--db {shown_url(url)}: {parsed.get_backend_name()} is not supported "
            "(use sqlite:///FILE or postgresql://USER@HOST/NAME)",
            usage=True,
        )
    return parsed


def shown_url(url: str) -> str:
    """The URL with any password hidden, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL (None for other databases and for `:memory:`)."""
    parsed = parse_db_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database).expanduser()


def database_exists(url: str) -> bool:
    """Whether `url` names a tiswatch database that exists (without creating anything).

    A SQLite file must exist and hold a tiswatch table (read without writing: an empty file, or another
    program's database, is not migrated into one by a command that only reads); a server database
    must answer and hold a tiswatch table."""
    parsed = parse_db_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = sqlite_path(url)
        if path is None or not path.is_file():
            return False
        return bool(_sqlite_tables(url, path) & _TISWATCH_TABLES)
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            names = set(inspect(connection).get_table_names())
    except SQLAlchemyError as error:
        raise DatabaseUnavailable(describe_database_error(url, error)) from None
    finally:
        engine.dispose()
    return bool(names & _TISWATCH_TABLES)


# Any of these tables makes a database a tiswatch one (older ones predate Alembic's table).
_TISWATCH_TABLES = frozenset({"alembic_version", "runs", "registry_versions"})


def foreign_tables(engine: Engine) -> set[str]:
    """Another program's tables, when `engine`'s database holds tables and none of tiswatch's; empty
    for a new database and for a tiswatch one. Read without writing: a SQLite file is opened read-only
    before any connection of `engine` (whose pragmas would switch the file to WAL)."""
    url = engine.url.render_as_string(hide_password=False)
    if engine.dialect.name == "sqlite":
        path = sqlite_path(url)
        if path is None or not path.is_file() or path.stat().st_size == 0:
            return set()
        names = _sqlite_tables(url, path)
    else:  # a server that cannot be reached raises as any first connection does (the CLI names it)
        with engine.connect() as connection:
            names = set(inspect(connection).get_table_names())
    names = {name for name in names if not name.startswith("sqlite_")}
    return names if not names & _TISWATCH_TABLES else set()


def _sqlite_tables(url: str, path: Path) -> set[str]:
    """The tables of a SQLite file, opened read-only (nothing is created or written)."""
    import sqlite3

    try:
        connection = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=SQLITE_BUSY_TIMEOUT
        )
        try:
            rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise DatabaseUnavailable(describe_database_error(url, error)) from None
    return {name for (name,) in rows}


def describe_database_error(url: str, error: BaseException) -> str:
    """One line saying which database failed and what to do, from a SQLAlchemy/driver error."""
    where = shown_url(url)
    if isinstance(error, NoSuchModuleError | ModuleNotFoundError):
        return (
            f"--db {where}: no driver for this database is installed "
            "(tiswatch supports sqlite and postgresql)"
        )
    original = getattr(error, "orig", None) or error
    detail = " ".join(str(original).split()) or type(original).__name__
    lowered = detail.casefold()
    if "database is locked" in lowered:
        return (
            f"database {where} is busy: another import or crawl is writing to it; "
            "try again when that finishes"
        )
    if "file is not a database" in lowered:
        return f"--db {where}: the file is not a SQLite database (give another file or a new name)"
    if "unable to open database file" in lowered:
        return f"--db {where}: cannot open the database file (is the path a folder, or not writable?)"
    if "timeout" in lowered or "could not connect" in lowered or "connection refused" in lowered:
        return f"--db {where}: cannot connect ({detail[:200]}); is the server running and reachable?"
    return f"database {where}: {detail[:300]}"


@contextmanager
def schema_lock(engine: Engine) -> Iterator[None]:
    """Held while the schema is brought up to date, so processes starting together on a new database
    do not run the same migration twice: a lock file beside a SQLite database, an advisory lock on
    PostgreSQL."""
    backend = engine.dialect.name
    identity = engine.url.render_as_string(hide_password=True)
    if identity in _HELD_SCHEMA_LOCKS:  # re-entered in this process (the lock is not re-entrant)
        yield
        return
    _HELD_SCHEMA_LOCKS.add(identity)
    try:
        with _schema_lock(engine, backend):
            yield
    finally:
        _HELD_SCHEMA_LOCKS.discard(identity)


_HELD_SCHEMA_LOCKS: set[str] = set()


@contextmanager
def _schema_lock(engine: Engine, backend: str) -> Iterator[None]:
    if backend == "postgresql":
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _MIGRATION_LOCK_KEY})
            connection.commit()
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _MIGRATION_LOCK_KEY})
                connection.commit()
        return
    database = engine.url.database if backend == "sqlite" else None
    if not database or database == ":memory:":
        yield
        return
    # Not the database file itself: SQLite's own POSIX locks would be dropped when we closed it.
    lock_path = Path(database).expanduser().with_name(Path(database).name + ".schema-lock")
    with open(lock_path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def make_engine(url: str) -> Engine:
    """Engine for a database URL; creates the folder of a SQLite file and sets SQLite up for safety."""
    parsed = parse_db_url(url)
    url = normalise_db_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            folder = Path(database).expanduser().resolve().parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                reason = (error.strerror or str(error)).lower()
                raise DatabaseUnavailable(
                    f"--db {shown_url(url)}: cannot create the folder {folder}: {reason}"
                ) from None
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            # WAL + synchronous=NORMAL: committed rows survive kill -9; foreign keys on.
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    try:
        return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": CONNECT_TIMEOUT})
    except (NoSuchModuleError, ModuleNotFoundError) as error:
        raise DatabaseUnavailable(describe_database_error(url, error), usage=True) from None


@contextmanager
def scratch_postgres_database(server_url: str, prefix: str = "tiswatch_scratch") -> Iterator[str]:
    """A new, empty database on a PostgreSQL server, dropped afterwards: what the tests and benchmarks
    measure against (`server_url` is any database URL of that server, e.g. TISWATCH_TEST_PG_URL)."""
    import uuid

    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(normalise_db_url(server_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(normalise_db_url(server_url)).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
