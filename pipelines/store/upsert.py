"""`INSERT … ON CONFLICT` for the natural keys of the history tables, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import Executable, Table, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


@lru_cache(maxsize=64)
def _statement(dialect: str, table: Table, keys: tuple[str, ...], update: tuple[str, ...]) -> Executable:
    # Built once per shape and executed with parameters: constructing an ON CONFLICT statement (its
    # `excluded` columns) costs more than running it, and the store writes one listing at a time.
    insert = sqlite.insert if dialect == "sqlite" else postgresql.insert
    statement = insert(table)
    # DO NOTHING would return no row; a no-op update of the key returns the existing id.
    set_ = {name: statement.excluded[name] for name in (update or keys[:1])}
    return statement.on_conflict_do_update(index_elements=list(keys), set_=set_).returning(table.c.id)


def upsert(
    session: Session,
    table: Table,
    values: Mapping[str, Any],
    keys: Sequence[str],
    update: Sequence[str] = (),
) -> int:
    """Insert a row or, when its natural key exists, update the `update` columns; return its id.

    One statement, so two writers racing on the same key (two crawls, a retried item) cannot both
    insert: the database's unique constraint decides, and the loser updates.
    """
    dialect = session.get_bind().dialect.name
    if dialect in ("sqlite", "postgresql"):
        statement = _statement(dialect, table, tuple(keys), tuple(update))
        return int(session.execute(statement, dict(values)).scalar_one())
    # Other databases: look up, then insert or update (single writer assumed).
    where = [table.c[name] == values[name] for name in keys]
    existing = session.execute(select(table.c.id).where(*where)).scalar_one_or_none()
    if existing is None:
        return int(session.execute(table.insert().values(**values).returning(table.c.id)).scalar_one())
    if update:
        session.execute(table.update().where(table.c.id == existing).values({n: values[n] for n in update}))
    return int(existing)
