"""Which registry a crawl matches against: the newest version imported into the database, else the CSV
of `TISWATCH_REGISTRY_CSV`, else the sample registry bundled in standards_data/."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from pipelines.store.history import RegistryRef
from standards_data import DATA_DIR
from standards_data.registry import Licence, read_registry_csv

SAMPLE_REGISTRY_CSV = DATA_DIR / "sample_registry.csv"


@dataclass(frozen=True)
class LoadedRegistry:
    licences: list[Licence]
    ref: RegistryRef


def _database_registry(engine: Engine) -> LoadedRegistry | None:
    from standards_data.registry_store import current_licences, current_version_id

    version = current_version_id(engine)
    if version is None:
        return None
    licences = current_licences(engine, version)
    if licences is None:
        return None
    return LoadedRegistry(
        licences=licences,
        ref=RegistryRef(ref=f"db-v{version}", version=version, source=f"database registry version {version}"),
    )


def load_registry(engine: Engine | None, csv_path: str | Path | None = None) -> LoadedRegistry:
    """The registry to match against (see module docstring for the order)."""
    if engine is not None:
        loaded = _database_registry(engine)
        if loaded is not None:
            return loaded
    path = Path(csv_path) if csv_path else SAMPLE_REGISTRY_CSV
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return LoadedRegistry(
        licences=read_registry_csv(path),
        ref=RegistryRef(ref=f"csv-{digest[:16]}", version=None, source=str(path)),
    )
