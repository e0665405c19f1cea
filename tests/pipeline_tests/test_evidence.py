"""EvidenceStore: content-addressed gzip bodies, written once, checkable against their hash."""

from __future__ import annotations

import gzip
import hashlib
import os
from pathlib import Path

import pytest
from sqlalchemy import select

from pipelines.evidence import (
    DATABASE_REFERENCE,
    DatabaseEvidenceStore,
    EvidenceStore,
    evidence_dir_from_settings,
    evidence_store_kind,
    stored_evidence,
)
from pipelines.store.history import HistoryStore
from pipelines.store.models import EvidenceBlob

BODY = '{"items":[{"item_basic":{"itemid":21000000829,"name":"ปลั๊กไฟ 4 ช่อง มอก.2432-2555"}}]}'.encode()
URL = "https://shopee.co.th/api/v4/search/search_items?keyword=ปลั๊กไฟ&newest=0"


def test_record_writes_gzip_named_by_the_body_hash(tmp_path: Path) -> None:
    store = EvidenceStore(tmp_path / "evidence")
    sha256 = store.record(URL, BODY, "2026-01-05T03:00:01Z")
    assert sha256 == hashlib.sha256(BODY).hexdigest()
    assert gzip.decompress((tmp_path / "evidence" / f"{sha256}.gz").read_bytes()) == BODY
    assert store.lookup(URL) == (sha256, "2026-01-05T03:00:01Z")
    assert store.read(sha256) == BODY
    assert store.lookup("https://shopee.co.th/other") is None
    assert not list((tmp_path / "evidence").glob(".partial-*"))


def test_evidence_is_never_rewritten(tmp_path: Path) -> None:
    store = EvidenceStore(tmp_path)
    sha256 = store.record(URL, BODY, "2026-01-05T03:00:01Z")
    path = store.path_for(sha256)
    stamp = path.stat().st_mtime_ns
    again = EvidenceStore(tmp_path).record(URL, BODY, "2026-01-12T03:00:01Z")  # next week, same body
    assert again == sha256 and path.stat().st_mtime_ns == stamp
    assert [file.name for file in tmp_path.iterdir()] == [path.name]  # one file per body, nothing else


def test_tampered_file_is_detected(tmp_path: Path) -> None:
    store = EvidenceStore(tmp_path)
    sha256 = store.record(URL, BODY)
    store.path_for(sha256).write_bytes(gzip.compress(b"edited"))
    with pytest.raises(ValueError, match="does not match its hash"):
        store.read(sha256)


def test_evidence_folder_follows_the_database() -> None:
    assert evidence_dir_from_settings({"TISWATCH_EVIDENCE_DIR": "/srv/evidence"}) == Path("/srv/evidence")
    assert evidence_dir_from_settings({"TISWATCH_DB_URL": "sqlite:///out/tiswatch.sqlite"}) == Path(
        "out/evidence"
    )
    assert evidence_dir_from_settings({"TISWATCH_DB_URL": "postgresql://db/tiswatch"}) == Path(
        "data/evidence"
    )


def test_evidence_files_are_readable_like_any_crawl_output(tmp_path: Path) -> None:
    store = EvidenceStore(tmp_path)
    mode = store.path_for(store.record(URL, BODY)).stat().st_mode & 0o777
    umask = os.umask(0o022)
    os.umask(umask)
    assert mode == 0o666 & ~umask


def test_the_database_store_keeps_one_row_per_distinct_body(db_url: str) -> None:
    engine = HistoryStore.from_url(db_url).engine
    store = DatabaseEvidenceStore(engine)
    sha256 = store.record(URL, BODY, "2026-01-05T03:00:01Z")
    assert sha256 == hashlib.sha256(BODY).hexdigest()
    # The same body again, from another worker's store (its own memory of what it wrote): no new row.
    assert DatabaseEvidenceStore(engine).record(URL + "&page=2", BODY) == sha256
    other = store.record(URL, b"<html>blocked</html>")
    with engine.connect() as connection:
        rows = connection.execute(select(EvidenceBlob.sha256, EvidenceBlob.size)).all()
    assert sorted(rows) == sorted([(sha256, len(BODY)), (other, 20)])
    assert store.lookup(URL) == (other, store.lookup(URL)[1])  # type: ignore[index]  # the latest fetch
    assert store.read(sha256) == BODY
    assert store.reference(sha256) == DATABASE_REFERENCE


def test_one_lookup_finds_a_body_in_either_store(db_url: str, tmp_path: Path) -> None:
    engine = HistoryStore.from_url(db_url).engine
    on_disk = EvidenceStore(tmp_path / "evidence")
    in_db = DatabaseEvidenceStore(engine)
    file_sha = on_disk.record(URL, BODY)
    row_sha = in_db.record(URL, b"<html>another page</html>")
    file_gzip = stored_evidence(engine, file_sha, on_disk.reference(file_sha))
    row_gzip = stored_evidence(engine, row_sha, in_db.reference(row_sha))
    assert file_gzip is not None and gzip.decompress(file_gzip) == BODY
    assert row_gzip is not None and gzip.decompress(row_gzip) == b"<html>another page</html>"
    # A file on another machine's disk (a folder not shared) is not found, and says so with None.
    assert stored_evidence(engine, file_sha, "/elsewhere/" + file_sha + ".gz") is None


def test_an_unknown_store_is_named() -> None:
    assert evidence_store_kind({}) == "files"
    assert evidence_store_kind({"TISWATCH_EVIDENCE_STORE": "Database"}) == "database"
    with pytest.raises(ValueError, match="TISWATCH_EVIDENCE_STORE='s3'"):
        evidence_store_kind({"TISWATCH_EVIDENCE_STORE": "s3"})
