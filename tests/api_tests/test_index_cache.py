"""The registry index stored per registry version (`pipelines.index_cache`): `tiswatch registry import`
writes it, `tiswatch serve` loads it instead of reading the registry and building, and gives the same
answers; a damaged, truncated or foreign file is never trusted: one log line, rebuilt, same answers."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from matchers.index_store import write_index
from matchers.registry_index import RegistryIndex
from pipelines.index_cache import KEEP_FILES, newest_registry_index
from pipelines.store.schema import migrated_engine
from standards_data.registry import read_registry_csv
from tests.api_tests.conftest import DEV
from tests.api_tests.server import ServerProcess, add_key, tiswatch_output

LISTINGS = [json.loads(line) for line in (DEV / "listings.jsonl").read_text(encoding="utf-8").splitlines()]


def _import(db_url: str, path: Path, *extra: str) -> str:
    status, printed = tiswatch_output(
        "registry", "import", str(path), "--replace", "--by", "test", "--db", db_url, *extra
    )
    assert status == 0, printed
    return printed


def _answers(db_url: str, key: str, *args: str) -> tuple[list[dict[str, object]], dict[str, object], str]:
    """The dev set's answers from a fresh server, its /health and its log."""
    server = ServerProcess(db_url, args=args)
    try:
        health = httpx.get(f"{server.api}/health").json()
        with httpx.Client(base_url=server.api, headers={"X-API-Key": key}, timeout=120) as client:
            results = client.post("/check/batch", json={"listings": LISTINGS}).json()["results"]
            results.append(client.get("/standards/2432").json())
        log = server.output()
    finally:
        server.stop()
    return results, health, log


def _index_files(db_file: Path) -> list[Path]:
    return sorted(db_file.with_name(f"{db_file.name}.index-cache").glob("registry-v*.index"))


@pytest.fixture
def imported(tmp_path: Path) -> tuple[str, Path, str]:
    db_file = tmp_path / "tiswatch.sqlite"
    url = f"sqlite:///{db_file}"
    printed = _import(url, DEV / "registry.csv")
    assert f"registry index of db-v1 stored in {db_file}.index-cache" in printed
    return url, db_file, add_key(url, "cache-test")


@pytest.mark.slow
def test_the_server_loads_the_index_registry_import_stored_and_answers_the_same(
    imported: tuple[str, Path, str],
) -> None:
    url, db_file, key = imported
    (stored,) = _index_files(db_file)
    from_cache, health, _ = _answers(url, key)
    assert health["index_from_cache"] is True and health["licences"] == len(
        read_registry_csv(DEV / "registry.csv")
    )
    built, health, _ = _answers(url, key, "--index-cache", "")
    assert health["index_from_cache"] is False
    assert from_cache == built
    assert _index_files(db_file) == [stored]


def _flip_a_payload_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[-100] ^= 0x01
    path.write_bytes(bytes(data))


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _another_registrys_index(path: Path) -> None:
    """A well-formed file under this name holding another key's index (a stale copy, a wrong folder)."""
    licences = read_registry_csv(DEV / "registry.csv")[:5]
    write_index(path, "another-registry-version", RegistryIndex(licences))


@pytest.mark.slow
@pytest.mark.parametrize("damage", [_flip_a_payload_byte, _truncate, _another_registrys_index])
def test_a_damaged_or_foreign_index_file_is_rebuilt_never_trusted(
    imported: tuple[str, Path, str], damage: Callable[[Path], None]
) -> None:
    url, db_file, key = imported
    expected, _, _ = _answers(url, key, "--index-cache", "")
    (stored,) = _index_files(db_file)
    damage(stored)
    answers, health, log = _answers(url, key)
    assert health["index_from_cache"] is False
    assert answers == expected
    warnings = [line for line in log.splitlines() if "index cache" in line]
    assert len(warnings) == 1 and "rebuilding it from the database" in warnings[0], warnings
    assert "Traceback" not in log
    # Rebuilt and stored again: the next start loads it.
    assert newest_registry_index(migrated_engine(url), stored.parent).from_cache  # type: ignore[union-attr]


def test_each_registry_version_has_its_own_file_and_old_ones_are_pruned(
    imported: tuple[str, Path, str], tmp_path: Path
) -> None:
    url, db_file, _ = imported
    licences = (DEV / "registry.csv").read_text(encoding="utf-8").splitlines()
    engine = migrated_engine(url)
    first = newest_registry_index(engine, _index_files(db_file)[0].parent)
    assert first is not None and first.from_cache and first.registry.ref.ref == "db-v1"
    for version in range(2, KEEP_FILES + 3):
        smaller = tmp_path / f"registry-{version}.csv"
        smaller.write_text("\n".join(licences[: len(licences) - version]) + "\n", encoding="utf-8")
        _import(url, smaller)
        files = _index_files(db_file)
        assert len(files) == min(version, KEEP_FILES)
        assert any(path.name.startswith(f"registry-v{version}-") for path in files)
        loaded = newest_registry_index(engine, files[0].parent)
        assert loaded is not None and loaded.from_cache
        assert loaded.registry.ref.ref == f"db-v{version}"
        assert len(loaded.registry.licences) == len(licences) - version - 1
