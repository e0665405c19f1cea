"""Bring a database to the latest schema with the project's Alembic migrations (pipelines/migrations)."""

from __future__ import annotations

import contextlib
import zlib
from collections.abc import Iterator

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

from standards_data.resources import package_folder

# Alembic reads its scripts from a folder: a real one also when running from a zipped egg (Scrapyd).
MIGRATIONS_DIR = package_folder("pipelines.migrations")


def alembic_config(engine: Engine | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


# The key of the PostgreSQL advisory lock that serialises migrations (any fixed 64-bit number works;
# derived from a name so it says what it is for).
MIGRATION_LOCK_KEY = zlib.crc32(b"tiswatch schema migration")


@contextlib.contextmanager
def migration_lock(engine: Engine) -> Iterator[None]:
    """Hold the migration lock: on PostgreSQL a session advisory lock, so that workers starting
    together migrate once (without it two of three crash on `UniqueViolation … alembic_version`).
    SQLite serialises writers itself. The one place a migration lock lives (issue 14)."""
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        connection.commit()
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY})
            connection.commit()


def ensure_schema(engine: Engine) -> None:
    """Run every pending migration (a no-op on an up-to-date database), once across processes."""
    if current_revision(engine) == head_revision():
        return
    with migration_lock(engine):
        # Another process may have migrated while this one waited for the lock.
        if current_revision(engine) != head_revision():
            command.upgrade(alembic_config(engine), "head")
