"""What changed in the registry between two versions: added, ended, and changed licences.

Only licences touched between the two versions are read (rows opened or closed in between), so a
diff of two 500,000-licence versions that differ by a few licences reads a few rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine, and_, select

from standards_data.registry import Licence
from standards_data.registry_store import (
    CONTENT_COLUMNS,
    RegistryLicence,
    licence_from_record,
    live_at,
    resolve_version,
)


@dataclass(frozen=True)
class LicenceChange:
    """One licence present in both versions with different content."""

    old: Licence
    new: Licence
    fields: tuple[str, ...]
    """Which canonical columns differ, e.g. (`status`,) or (`brand`, `models`)."""

    @property
    def status_changed(self) -> bool:
        return "status" in self.fields

    @property
    def brand_or_models_changed(self) -> bool:
        return "brand" in self.fields or "models" in self.fields


@dataclass
class RegistryDiff:
    old_version: int
    new_version: int
    added: list[Licence] = field(default_factory=list)
    ended: list[Licence] = field(default_factory=list)
    changed: list[LicenceChange] = field(default_factory=list)

    @property
    def status_changes(self) -> list[LicenceChange]:
        return [change for change in self.changed if change.status_changed]

    @property
    def brand_or_model_changes(self) -> list[LicenceChange]:
        return [change for change in self.changed if change.brand_or_models_changed]

    @property
    def other_changes(self) -> list[LicenceChange]:
        return [
            change
            for change in self.changed
            if not change.status_changed and not change.brand_or_models_changed
        ]

    @property
    def empty(self) -> bool:
        return not (self.added or self.ended or self.changed)


def _touched_rows(engine: Engine, at: int, low: int, high: int) -> dict[str, tuple[str, ...]]:
    """Rows live at version `at` that were opened or closed in versions (low, high]."""
    columns = [getattr(RegistryLicence, name) for name in CONTENT_COLUMNS]
    touched = and_(RegistryLicence.valid_from > low, RegistryLicence.valid_from <= high) | and_(
        RegistryLicence.valid_to > low, RegistryLicence.valid_to <= high
    )
    query = select(*columns).where(live_at(at), touched)
    with engine.connect() as connection:
        return {row[0]: tuple(row) for row in connection.execute(query)}


def diff_versions(engine: Engine, old: int | None = None, new: int | None = None) -> RegistryDiff:
    """Diff of registry versions `old` -> `new`; default new = newest, old = the one before `new`.

    Diffing a version with itself, or asking with no versions stored, gives an empty diff or a
    LookupError respectively.
    """
    new_version = resolve_version(engine, new)
    if new_version is None:
        raise LookupError("the database holds no registry version")
    old_resolved = resolve_version(engine, old) if old is not None else None
    old_version = old_resolved if old_resolved is not None else new_version - 1
    result = RegistryDiff(old_version=old_version, new_version=new_version)
    if old_version == new_version:
        return result
    low, high = sorted((old_version, new_version))
    before = _touched_rows(engine, old_version, low, high) if old_version > 0 else {}
    after = _touched_rows(engine, new_version, low, high)
    for licence_no in sorted(before.keys() | after.keys()):
        old_record, new_record = before.get(licence_no), after.get(licence_no)
        if old_record is None and new_record is not None:
            result.added.append(licence_from_record(new_record))
        elif new_record is None and old_record is not None:
            result.ended.append(licence_from_record(old_record))
        elif old_record != new_record and old_record is not None and new_record is not None:
            fields = tuple(
                name
                for name, old_value, new_value in zip(CONTENT_COLUMNS, old_record, new_record, strict=True)
                if old_value != new_value
            )
            result.changed.append(
                LicenceChange(licence_from_record(old_record), licence_from_record(new_record), fields)
            )
    return result
