"""The registry index of a database's newest registry version, kept in a cache folder between processes.

A server that starts on a registry version whose index is in the folder loads the index (which holds
every licence) and never reads the version's rows; otherwise it reads the rows, builds the index and
stores it. `tiswatch registry import` stores it right after an import, so the server's next start (or
its hot swap) finds it.

A file is named by the version and a key computed from what identifies the version's content without
reading it: the database, the version's row in `registry_versions` (id, time, source file digest,
counts) and the matcher's code fingerprint (`matchers.index_store.code_fingerprint`). The file is
verified before use (`matchers.index_store.read_index`: checksum, key, and here the licence count); a
missing, stale or damaged file is rebuilt from the database with one log line, never trusted.

The folder: `--index-cache DIR`, by default beside a SQLite database file (`tiswatch.sqlite` →
`tiswatch.sqlite.index-cache/`), else `$XDG_CACHE_HOME/tiswatch/registry-index` (`~/.cache/…`).
"""

from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, make_url, select

from matchers.index_store import IndexCacheError, code_fingerprint, read_index, write_index
from matchers.registry_index import RegistryIndex
from pipelines.registry_source import LoadedRegistry
from pipelines.store.history import RegistryRef
from standards_data.registry_store import REGISTRY_VERSIONS, current_licences, current_version_id

log = logging.getLogger("tiswatch.index_cache")

# Files of other versions kept in the folder (the newest first): a hot swap back or a second server
# on the previous version still finds its file; older ones are removed.
KEEP_FILES = 3
_SUFFIX = ".index"


def default_cache_dir(db_url: str) -> Path:
    """Beside a SQLite database file; else the user's cache folder."""
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        database = Path(url.database)
        return database.with_name(f"{database.name}.index-cache")
    cache_home = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache_home) / "tiswatch" / "registry-index"


@dataclass(frozen=True)
class IndexedRegistry:
    """A registry version with its built index; `from_cache` when the index was read from the folder."""

    registry: LoadedRegistry
    index: RegistryIndex
    from_cache: bool


def _version_key(engine: Engine, version: int) -> tuple[str, int]:
    """The key of a version's index file and the version's licence count."""
    with engine.connect() as connection:
        query = select(REGISTRY_VERSIONS).where(REGISTRY_VERSIONS.c.id == version)
        row = connection.execute(query).mappings().one()
    digest = hashlib.sha256(code_fingerprint())
    digest.update(engine.url.render_as_string(hide_password=True).encode())
    for column in sorted(row.keys()):
        digest.update(f"\x1f{column}={row[column]}".encode())
    return digest.hexdigest()[:32], int(row["total_licences"])


def _ref(version: int) -> RegistryRef:
    return RegistryRef(ref=f"db-v{version}", version=version, source=f"database registry version {version}")


def newest_registry_index(engine: Engine, cache_dir: Path | None) -> IndexedRegistry | None:
    """The newest imported registry version with its index (read from `cache_dir`, else built from the
    database and stored there); None when no registry was imported. `cache_dir` None: no cache."""
    version = current_version_id(engine)
    if version is None:
        return None
    key, total = _version_key(engine, version)
    path = cache_dir / f"registry-v{version}-{key}{_SUFFIX}" if cache_dir is not None else None
    if path is not None:
        try:
            index = read_index(path, key)
            if len(index) != total:
                raise IndexCacheError(f"index cache {path}: {len(index)} licences, the version has {total}")
            licences = [entry.licence for entry in index.licences]
            return IndexedRegistry(LoadedRegistry(licences, _ref(version)), index, from_cache=True)
        except FileNotFoundError:
            pass
        except (IndexCacheError, OSError) as error:
            log.warning("%s; rebuilding it from the database", error)
    licences = current_licences(engine, version) or []
    index = RegistryIndex(licences)
    if path is not None:
        _store(path, key, index)
    return IndexedRegistry(LoadedRegistry(licences, _ref(version)), index, from_cache=False)


def _store(path: Path, key: str, index: RegistryIndex) -> None:
    try:
        write_index(path, key, index)
    except OSError as error:
        log.warning("cannot write the index cache %s (%s); continuing without it", path, error)
        return
    older = sorted((p for p in path.parent.glob(f"registry-v*{_SUFFIX}") if p != path), key=_age)
    for stale in older[KEEP_FILES - 1 :]:
        stale.unlink(missing_ok=True)


def _age(path: Path) -> float:
    """Seconds since the file was written (a file another process just removed counts as oldest)."""
    try:
        return -path.stat().st_mtime
    except OSError:
        return float("inf")
