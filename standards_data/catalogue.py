"""TISI's mandatory-standards catalogue.

Source: data.go.th dataset `tis_hav_lic_total` (TISI, CC BY), monthly file of 2025-11, filtered to the
149 mandatory (บังคับ) standards: `tisi_mandatory_standards_2025_11.csv` next to this module.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache

from standards_data import DATA_DIR

CATALOGUE_FILE = DATA_DIR / "tisi_mandatory_standards_2025_11.csv"


@dataclass(frozen=True)
class Standard:
    tis_number: str
    """Canonical number, e.g. `2432-2555`, `685 เล่ม 1-2562`, `60335 เล่ม 2(23)-2564`."""
    name_th: str
    name_en: str
    total_licences: int


@lru_cache(maxsize=1)
def mandatory_standards() -> dict[str, Standard]:
    """Every mandatory standard keyed by its canonical TIS number."""
    with open(CATALOGUE_FILE, encoding="utf-8", newline="") as handle:
        return {
            row["tis_number"]: Standard(
                tis_number=row["tis_number"],
                name_th=row["name_th"],
                name_en=row["name_en"],
                total_licences=int(row["total_licences"] or 0),
            )
            for row in csv.DictReader(handle)
        }
