"""Alembic environment of tiswatch: every table on the shared `standards_data.database.Base`.

Used programmatically by `pipelines.store.schema.ensure_schema(engine)` (the engine arrives in
`config.attributes["engine"]`), or from the command line for new revisions:

    alembic -c pipelines/migrations/alembic.ini -x db=sqlite:///data/new.sqlite \\
        revision --autogenerate -m "..."
"""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import Engine

from standards_data.database import Base, make_engine

if "engine" not in context.config.attributes:
    # From the command line (`revision --autogenerate`), compare against every table on Base. An
    # application upgrade (`ensure_schema`) runs the revisions' explicit DDL and needs none of these,
    # so it does not depend on the registry and re-match modules importing.
    import standards_data.registry_store  # noqa: F401

target_metadata = Base.metadata


def _engine() -> Engine:
    engine = context.config.attributes.get("engine")
    if engine is not None:
        return engine
    url = context.get_x_argument(as_dictionary=True).get("db") or os.environ.get(
        "TISWATCH_DB_URL", "sqlite:///data/tiswatch.sqlite"
    )
    return make_engine(url)


def run_migrations_online() -> None:
    engine = _engine()
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            # SQLite cannot ALTER most things in place: batch mode rebuilds tables instead.
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():  # pragma: no cover
    raise SystemExit("tiswatch migrations run online only (give -x db=URL)")
run_migrations_online()
