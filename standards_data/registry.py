"""Registry of certified products (TISI licences) in the canonical CSV shape (standards_data/REGISTRY.md)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

CANONICAL_COLUMNS = (
    "licence_no",
    "licence_type",
    "tis_number",
    "licensee",
    "brand",
    "models",
    "issued",
    "status",
)
STATUSES = ("active", "suspended", "revoked")


@dataclass(frozen=True)
class Licence:
    """One TISI licence: who may make/import/display which brand (and models) under which standard."""

    licence_no: str
    """As TISI prints it: `[(n)]<letter><run>-<seq>/<tis base>`, e.g. `ท4080-51/2432`."""
    licence_type: str
    """`make`, `import`, `display` or `one_off_import`."""
    tis_number: str
    """Canonical standard number, `<base>[ เล่ม <part>[(<sub>)]]-<BE year>`."""
    licensee: str
    brand: str
    """Brand, possibly with a Thai form in brackets: `Toshiba (โตชิบา)`."""
    models: tuple[str, ...] = field(default_factory=tuple)
    """Models covered; empty means the licence covers the brand for that standard."""
    issued: str = ""
    """Issue date, ISO `YYYY-MM-DD`."""
    status: str = "active"
    """`active`, `suspended` or `revoked`."""

    @property
    def is_active(self) -> bool:
        return self.status == "active"

    def to_row(self) -> dict[str, str]:
        return {
            "licence_no": self.licence_no,
            "licence_type": self.licence_type,
            "tis_number": self.tis_number,
            "licensee": self.licensee,
            "brand": self.brand,
            "models": ";".join(self.models),
            "issued": self.issued,
            "status": self.status,
        }

    @classmethod
    def from_row(cls, row: dict[str, str]) -> Licence:
        models = tuple(m.strip() for m in (row.get("models") or "").split(";") if m.strip())
        return cls(
            licence_no=(row.get("licence_no") or "").strip(),
            licence_type=(row.get("licence_type") or "").strip(),
            tis_number=(row.get("tis_number") or "").strip(),
            licensee=(row.get("licensee") or "").strip(),
            brand=(row.get("brand") or "").strip(),
            models=models,
            issued=(row.get("issued") or "").strip(),
            status=(row.get("status") or "active").strip() or "active",
        )


def read_registry_csv(path: str | Path) -> list[Licence]:
    """Read a canonical registry CSV (UTF-8, with or without BOM). Validation lives in the importer."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return [Licence.from_row(row) for row in csv.DictReader(handle)]


def write_registry_csv(licences: Iterable[Licence], path: str | Path) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=CANONICAL_COLUMNS)
        writer.writeheader()
        for licence in licences:
            writer.writerow(licence.to_row())


def iter_rows(licences: Iterable[Licence]) -> Iterator[dict[str, str]]:
    for licence in licences:
        yield licence.to_row()
