"""Write a validated registry file as a new registry version, all or nothing.

The file is validated completely first (`validate_registry_file`); a file with any error writes
nothing, not even the schema. A valid file is written in one transaction: a new `registry_versions`
row, new licence rows for added and changed licences, and closed rows for changed and (with
`replace`) ended ones; licences whose content did not change are not touched (see
`standards_data.registry_store` for the interval representation).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, bindparam, insert, select, text, update

from standards_data.registry_import.shapes import TISI_SEARCH
from standards_data.registry_import.validate import ValidatedFile, validate_registry_file
from standards_data.registry_store import (
    CONTENT_COLUMNS,
    REGISTRY_LICENCES,
    REGISTRY_VERSIONS,
    inserted_id,
    utc_now_iso,
)

REPLACE = "replace"
UPDATE = "update"
MODES = (REPLACE, UPDATE)
BATCH = 20_000

LICENCES = REGISTRY_LICENCES
VERSIONS = REGISTRY_VERSIONS


def content_digest(record: Iterable[str]) -> bytes:
    """Fingerprint of a licence's content; equal digests mean an unchanged licence."""
    return hashlib.blake2b("\x1f".join(record).encode("utf-8"), digest_size=16).digest()


@dataclass
class ImportOutcome:
    """What an import did; `version_id` is None when the file was rejected."""

    validated: ValidatedFile
    mode: str
    imported_by: str
    version_id: int | None = None
    added: int = 0
    changed: int = 0
    ended: int = 0
    unchanged: int = 0
    total_licences: int = 0

    @property
    def ok(self) -> bool:
        return self.version_id is not None


def _lock_registry(connection: Connection) -> None:
    """Serialise imports: two at once would both close the same current rows."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("LOCK TABLE registry_licences IN SHARE ROW EXCLUSIVE MODE"))
    # SQLite: the version INSERT that follows takes the database's write lock for the transaction.


def _current_rows(connection: Connection, keep_brand_models: bool) -> dict[str, tuple[int, bytes, str, str]]:
    """licence_no -> (row id, content digest, brand, models) of the current registry.

    Brand and models are only kept when the import needs them (`keep_brand_models`), to hold a
    500,000-licence registry in about 100 MB.
    """
    columns = [LICENCES.c[name] for name in CONTENT_COLUMNS]
    query = select(LICENCES.c.id, *columns).where(LICENCES.c.valid_to.is_(None))
    current: dict[str, tuple[int, bytes, str, str]] = {}
    for row in connection.execute(query.execution_options(yield_per=BATCH)):
        brand, models = (row[5], row[6]) if keep_brand_models else ("", "")
        current[row[1]] = (row[0], content_digest(row[1:]), brand, models)
    return current


def _placeholder(connection: Connection) -> str:
    """The DB-API driver's positional placeholder (sqlite3: `?`, psycopg: `%s`)."""
    style = connection.dialect.paramstyle
    if style == "qmark":
        return "?"
    if style in ("format", "pyformat"):
        return "%s"
    raise NotImplementedError(f"bulk registry insert: unsupported DB-API paramstyle {style!r}")


class _Writer:
    """Buffers licence inserts and row closings and sends them in batches.

    Inserts go to the driver's `executemany` as tuples: for 500,000 rows, building a dict per row
    and letting SQLAlchemy process each one cost about as much as SQLite's own work.
    """

    def __init__(self, connection: Connection, version_id: int) -> None:
        self.connection = connection
        self.version_id = version_id
        self.inserts: list[tuple[object, ...]] = []
        self.closings: list[dict[str, int]] = []
        self.close_statement = (
            update(LICENCES).where(LICENCES.c.id == bindparam("row_id")).values(valid_to=version_id)
        )
        columns = (*CONTENT_COLUMNS, "valid_from")
        marks = ", ".join([_placeholder(connection)] * len(columns))
        self.insert_sql = f"INSERT INTO {LICENCES.name} ({', '.join(columns)}) VALUES ({marks})"

    def add(self, record: tuple[str, ...]) -> None:
        self.inserts.append((*record, self.version_id))
        if len(self.inserts) >= BATCH:
            self.flush()

    def close(self, row_id: int) -> None:
        self.closings.append({"row_id": row_id})
        if len(self.closings) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self.closings:
            self.connection.execute(self.close_statement, self.closings)
            self.closings = []
        if self.inserts:
            self.connection.exec_driver_sql(self.insert_sql, self.inserts)
            self.inserts = []


def import_registry(
    engine: Engine,
    path: str | Path,
    *,
    mode: str,
    imported_by: str,
    validated: ValidatedFile | None = None,
) -> ImportOutcome:
    """Validate `path` and, if it has no errors, store it as a new registry version.

    `mode` is `replace` (the file is the whole registry; licences missing from it are ended) or
    `update` (the file adds and changes licences; the others stay as they are).
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    validated = validated or validate_registry_file(path)
    outcome = ImportOutcome(validated=validated, mode=mode, imported_by=imported_by)
    if not validated.ok:
        return outcome
    try:
        _write_version(engine, validated, outcome)
    finally:
        validated.close()
    return outcome


def _write_version(engine: Engine, validated: ValidatedFile, outcome: ImportOutcome) -> None:
    mode = outcome.mode
    with engine.begin() as connection:
        _lock_registry(connection)
        version_id = inserted_id(
            connection.execute(
                insert(VERSIONS).values(
                    imported_at=utc_now_iso(),
                    imported_by=outcome.imported_by,
                    source_file=str(validated.path.resolve()),
                    source_sha256=validated.sha256,
                    source_format=validated.source_format,
                    mode=mode,
                    rows_in_file=validated.rows,
                    added=0,
                    changed=0,
                    ended=0,
                    unchanged=0,
                    total_licences=0,
                    warnings=validated.problems.warning_count,
                )
            )
        )
        # TISI's licence search carries no brand or models: a licence it lists keeps the brand and
        # models the registry already holds for it, instead of being blanked.
        carry_brand_models = validated.shape is not None and validated.shape.name == TISI_SEARCH
        current = _current_rows(connection, carry_brand_models)
        before = len(current)
        writer = _Writer(connection, version_id)
        for _row, record in validated.records():
            known = current.pop(record[0], None)
            if known is not None and carry_brand_models:
                record = (*record[:4], known[2], known[3], *record[6:])
            if known is None:
                writer.add(record)
                outcome.added += 1
            elif known[1] != content_digest(record):
                writer.close(known[0])
                writer.add(record)
                outcome.changed += 1
            else:
                outcome.unchanged += 1
        if mode == REPLACE:
            for row_id, *_rest in current.values():
                writer.close(row_id)
            outcome.ended = len(current)
        writer.flush()
        outcome.total_licences = before + outcome.added - outcome.ended
        connection.execute(
            update(VERSIONS)
            .where(VERSIONS.c.id == version_id)
            .values(
                added=outcome.added,
                changed=outcome.changed,
                ended=outcome.ended,
                unchanged=outcome.unchanged,
                total_licences=outcome.total_licences,
            )
        )
    outcome.version_id = version_id
