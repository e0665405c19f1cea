"""Bring a database to the latest schema with the project's Alembic migrations (pipelines/migrations)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError as AlembicError
from sqlalchemy import Engine

from standards_data.database import DatabaseUnavailable, foreign_tables, make_engine, schema_lock
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


def _known_revision(revision: str) -> bool:
    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(revision) is not None
    except AlembicError:
        return False


def _refuse_foreign(engine: Engine) -> None:
    """A command given another program's database (`--db` naming the wrong file) must not add
    tiswatch's tables to it: one line, nothing written."""
    tables = foreign_tables(engine)
    if tables:
        shown = ", ".join(sorted(tables)[:5]) + (f" and {len(tables) - 5} more" if len(tables) > 5 else "")
        raise DatabaseUnavailable(
            f"database {engine.url.render_as_string(hide_password=True)} is not a tiswatch database "
            f"(it holds other tables: {shown}): nothing was written to it; give --db a new file or "
            "a tiswatch database"
        )


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def ensure_schema(engine: Engine) -> None:
    """Run every pending migration (a no-op on an up-to-date database), one process at a time: the
    others wait for the lock, then find the schema current."""
    _refuse_foreign(engine)  # before the first connection: SQLite's pragmas would change the file
    head = head_revision()
    current = current_revision(engine)
    if current == head:
        return
    if current is not None and not _known_revision(current):
        # Alembic's own words here are "Can't locate revision identified by …", with no hint.
        raise DatabaseUnavailable(
            f"database {engine.url.render_as_string(hide_password=True)} has schema revision "
            f"{current}, which this version of tiswatch does not know: it was made or upgraded by "
            "a newer tiswatch (upgrade this one, or give another --db)"
        )
    with schema_lock(engine):
        if current_revision(engine) == head:
            return
        command.upgrade(alembic_config(engine), "head")


def migrated_engine(url: str) -> Engine:
    """An engine for `--db URL` with every pending migration run: how entry points open a database.

    Alembic is the only way tables are made; the registry, vocabulary and re-match functions expect them.
    """
    engine = make_engine(url)
    ensure_schema(engine)
    return engine
