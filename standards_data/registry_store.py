"""The registry in the project's database: versioned TISI licences and versioned product vocabularies.

Every successful import creates one *registry version* (who, when, which file, how many rows, and
what changed). Licences are stored as validity intervals rather than one full copy per version, so
a 500,000-licence registry re-imported with a handful of changes writes a handful of rows:

- a `registry_licences` row holds one licence's content as it was from version `valid_from`
  (inclusive) until version `valid_to` (exclusive; NULL while it is still current);
- a licence whose content changes gets its current row closed and a new row opened in the new
  version; a licence ended by a `--replace` import only has its row closed;
- the licences of version V are the rows with `valid_from <= V` and (`valid_to` NULL or `> V`).

Vocabulary files are small (hundreds of terms), so each vocabulary version keeps a full copy of its
rows, in file order, with the file's own header so an export gives back the file that was imported.

The tables are made by the project's Alembic migrations only (`pipelines/migrations`, revision
`0002_registry`): every entry point that opens a database migrates it first (`pipelines.store.schema.
migrated_engine`, `HistoryStore.from_url`); the functions here expect a migrated database.

Public API used by the pipelines and the matcher:
`current_version_id(engine)`, `current_licences(engine, version=None)`;
the importer (`standards_data.registry_import`) writes through `RegistryWriter`-style helpers here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import (
    CursorResult,
    Engine,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    and_,
    func,
    or_,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.elements import ColumnElement

from standards_data.database import Base
from standards_data.registry import CANONICAL_COLUMNS, Licence

# Column order of a licence's content, shared by the importer, the export and the diff.
CONTENT_COLUMNS = CANONICAL_COLUMNS


class RegistryVersion(Base):
    """One accepted registry import: who, when, from which file, and what it changed."""

    __tablename__ = "registry_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    imported_at: Mapped[str] = mapped_column(String(32))
    """UTC, ISO 8601 with seconds, e.g. `2025-11-30T08:15:02Z`."""
    imported_by: Mapped[str] = mapped_column(String(200))
    source_file: Mapped[str] = mapped_column(Text)
    source_sha256: Mapped[str] = mapped_column(String(64))
    source_format: Mapped[str] = mapped_column(String(40))
    """`canonical`, `tisi_search` (TISI's public licence search), each possibly from `.xlsx`."""
    mode: Mapped[str] = mapped_column(String(10))
    """`replace` (the file is the whole registry) or `update` (the file adds and changes licences)."""
    rows_in_file: Mapped[int] = mapped_column(Integer)
    added: Mapped[int] = mapped_column(Integer)
    changed: Mapped[int] = mapped_column(Integer)
    ended: Mapped[int] = mapped_column(Integer)
    unchanged: Mapped[int] = mapped_column(Integer)
    total_licences: Mapped[int] = mapped_column(Integer)
    """Licences in the registry at this version."""
    warnings: Mapped[int] = mapped_column(Integer, default=0)


class RegistryLicence(Base):
    """One licence's content during a range of registry versions (see the module docstring)."""

    __tablename__ = "registry_licences"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    licence_no: Mapped[str] = mapped_column(String(64))
    licence_type: Mapped[str] = mapped_column(String(20))
    tis_number: Mapped[str] = mapped_column(String(64))
    licensee: Mapped[str] = mapped_column(Text)
    brand: Mapped[str] = mapped_column(Text)
    models: Mapped[str] = mapped_column(Text)
    """`;`-separated, as in the canonical CSV; empty when the licence covers the whole brand."""
    issued: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(12))
    valid_from: Mapped[int] = mapped_column(ForeignKey("registry_versions.id"))
    valid_to: Mapped[int | None] = mapped_column(ForeignKey("registry_versions.id"), nullable=True)

    __table_args__ = (
        Index("ix_registry_licences_current", "valid_to", "licence_no"),
        Index("ix_registry_licences_no", "licence_no", "valid_from"),
        Index("ix_registry_licences_from", "valid_from"),
    )


class VocabularyVersion(Base):
    """One accepted product-vocabulary import."""

    __tablename__ = "vocabulary_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    imported_at: Mapped[str] = mapped_column(String(32))
    imported_by: Mapped[str] = mapped_column(String(200))
    source_file: Mapped[str] = mapped_column(Text)
    source_sha256: Mapped[str] = mapped_column(String(64))
    columns: Mapped[str] = mapped_column(Text)
    """The file's header as a JSON list, so an export writes the same columns back."""
    rows_in_file: Mapped[int] = mapped_column(Integer)
    warnings: Mapped[int] = mapped_column(Integer, default=0)


class VocabularyTerm(Base):
    """One row of a vocabulary version, in file order."""

    __tablename__ = "vocabulary_terms"

    version_id: Mapped[int] = mapped_column(ForeignKey("vocabulary_versions.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    tis_number: Mapped[str] = mapped_column(String(64))
    term: Mapped[str] = mapped_column(Text)
    values: Mapped[str] = mapped_column(Text)
    """Every column of the row as a JSON object (the vocabulary's columns belong to the matcher)."""


# The Core tables behind the models, typed as Tables for insert()/update() in bulk.
REGISTRY_VERSIONS = cast(Table, RegistryVersion.__table__)
REGISTRY_LICENCES = cast(Table, RegistryLicence.__table__)
VOCABULARY_VERSIONS = cast(Table, VocabularyVersion.__table__)
VOCABULARY_TERMS = cast(Table, VocabularyTerm.__table__)
REGISTRY_TABLES = (REGISTRY_VERSIONS, REGISTRY_LICENCES, VOCABULARY_VERSIONS, VOCABULARY_TERMS)


def inserted_id(result: CursorResult[Any]) -> int:
    """Primary key of the row an INSERT … VALUES just wrote."""
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


class UnknownVersionError(LookupError):
    """A registry or vocabulary version number that the database does not hold."""


def utc_now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def current_version_id(engine: Engine) -> int | None:
    """Newest registry version, or None when no registry was ever imported into this database."""
    with engine.connect() as connection:
        return connection.execute(select(func.max(RegistryVersion.id))).scalar()


def licence_from_record(record: Iterable[str]) -> Licence:
    licence_no, licence_type, tis_number, licensee, brand, models, issued, status = record
    return Licence(
        licence_no=licence_no,
        licence_type=licence_type,
        tis_number=tis_number,
        licensee=licensee,
        brand=brand,
        models=tuple(model for model in models.split(";") if model),
        issued=issued,
        status=status,
    )


def _content_columns() -> list[Any]:
    return [getattr(RegistryLicence, name) for name in CONTENT_COLUMNS]


def live_at(version: int) -> ColumnElement[bool]:
    """SQL condition: the licence row belongs to registry version `version`."""
    return and_(
        RegistryLicence.valid_from <= version,
        or_(RegistryLicence.valid_to.is_(None), RegistryLicence.valid_to > version),
    )


def resolve_version(engine: Engine, version: int | None) -> int | None:
    """`version` checked against the database, or the newest one when None (None if there is none)."""
    newest = current_version_id(engine)
    if version is None:
        return newest
    with engine.connect() as connection:
        found = connection.execute(select(RegistryVersion.id).where(RegistryVersion.id == version)).scalar()
    if found is None:
        raise UnknownVersionError(f"registry version {version} does not exist (newest: {newest})")
    return version


def iter_licence_records(engine: Engine, version: int) -> Iterator[tuple[str, ...]]:
    """Content tuples (CONTENT_COLUMNS order) of every licence of `version`, by licence number."""
    query = select(*_content_columns()).where(live_at(version)).order_by(RegistryLicence.licence_no)
    with engine.connect() as connection:
        for row in connection.execute(query).yield_per(10_000):
            yield tuple(row)


def current_licences(engine: Engine, version: int | None = None) -> list[Licence] | None:
    """Licences of registry `version` (default: the newest), or None when no registry was imported.

    Raises UnknownVersionError for a version number the database does not hold.
    """
    resolved = resolve_version(engine, version)
    if resolved is None:
        return None
    return [licence_from_record(record) for record in iter_licence_records(engine, resolved)]


@dataclass(frozen=True)
class VersionInfo:
    """A registry version as shown to an officer (`tiswatch registry versions`)."""

    id: int
    imported_at: str
    imported_by: str
    source_file: str
    source_sha256: str
    source_format: str
    mode: str
    rows_in_file: int
    added: int
    changed: int
    ended: int
    unchanged: int
    total_licences: int
    warnings: int


def registry_versions(engine: Engine) -> list[VersionInfo]:
    with engine.connect() as connection:
        table = REGISTRY_VERSIONS
        rows = connection.execute(select(table).order_by(table.c.id)).mappings()
        return [VersionInfo(**row) for row in rows]


@dataclass(frozen=True)
class LicenceHistoryEntry:
    """One stretch of a licence's life: its content from version `valid_from` until `valid_to`."""

    licence: Licence
    valid_from: int
    valid_to: int | None


def licence_history(engine: Engine, licence_no: str) -> list[LicenceHistoryEntry]:
    """Every stored content of one licence, oldest first (empty if the licence was never imported)."""
    query = (
        select(*_content_columns(), RegistryLicence.valid_from, RegistryLicence.valid_to)
        .where(RegistryLicence.licence_no == licence_no)
        .order_by(RegistryLicence.valid_from)
    )
    with engine.connect() as connection:
        return [
            LicenceHistoryEntry(licence_from_record(row[:8]), valid_from=row[8], valid_to=row[9])
            for row in connection.execute(query)
        ]


@dataclass(frozen=True)
class VocabularyVersionInfo:
    id: int
    imported_at: str
    imported_by: str
    source_file: str
    source_sha256: str
    columns: str
    rows_in_file: int
    warnings: int


def vocabulary_versions(engine: Engine) -> list[VocabularyVersionInfo]:
    with engine.connect() as connection:
        table = VOCABULARY_VERSIONS
        rows = connection.execute(select(table).order_by(table.c.id)).mappings()
        return [VocabularyVersionInfo(**row) for row in rows]


def current_vocabulary_version_id(engine: Engine) -> int | None:
    """Newest stored vocabulary version, or None when the bundled file was never imported."""
    with engine.connect() as connection:
        return connection.execute(select(func.max(VocabularyVersion.id))).scalar()


def vocabulary_rows(
    engine: Engine, version: int | None = None
) -> tuple[list[str], list[dict[str, str]]] | None:
    """Header and rows of a stored vocabulary version (default: newest), or None if none is stored."""
    with engine.connect() as connection:
        if version is None:
            version = connection.execute(select(func.max(VocabularyVersion.id))).scalar()
            if version is None:
                return None
        header = connection.execute(
            select(VocabularyVersion.columns).where(VocabularyVersion.id == version)
        ).scalar()
        if header is None:
            raise UnknownVersionError(f"vocabulary version {version} does not exist")
        rows = connection.execute(
            select(VocabularyTerm.values)
            .where(VocabularyTerm.version_id == version)
            .order_by(VocabularyTerm.position)
        ).scalars()
        return json.loads(header), [json.loads(values) for values in rows]
