"""Evidence: raw response bodies as fetched, content-addressed, written once and never rewritten.

Each body is stored gzip-compressed as `<dir>/<sha256>.gz`, where the SHA-256 is of the *uncompressed*
body, so anyone can check a file against the hash in an export (`gunzip -c F | sha256sum`). The
downloader middleware (`crawler.middlewares.EvidenceMiddleware`) calls `record()` for every 200
response; the store pipeline calls `lookup()` with a listing's `source_url` to attach the evidence to
the listing's observation. The log of every fetch is a table of the history (`pipelines.fetch_log`).

Two stores, chosen by `TISWATCH_EVIDENCE_STORE` (`tiswatch crawl|worker --evidence-store`):
- `files` (the default): the gzip files in a folder (`TISWATCH_EVIDENCE_DIR`); many machines need that
  folder shared (NFS, a mounted volume);
- `database`: the same gzip bytes as rows of the history database (`evidence_blobs`, one row per
  distinct body, keyed by its SHA-256), which every worker already shares.
Either way the history refers to a body by its SHA-256 (`evidence.sha256`; `evidence.path` says where
it went), and every reader — the review desk, the exports — gets it through one function,
`stored_evidence(engine, sha256, path)`.

One store per crawl: `EvidenceStore.from_crawler(crawler)` returns the same instance to the middleware
and to the pipelines of a crawler.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert as insert_row
from sqlalchemy import select
from sqlalchemy.engine import Engine

from pipelines.store.models import EvidenceBlob

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

_CRAWLER_ATTRIBUTE = "_tiswatch_evidence_store"
FILES = "files"
DATABASE = "database"
STORE_KINDS = (FILES, DATABASE)
STORE_SETTING = "TISWATCH_EVIDENCE_STORE"
DATABASE_REFERENCE = "database:evidence_blobs"
"""`evidence.path` of a body kept in the database (the row is found by its SHA-256)."""
_UMASK = os.umask(0o022)
os.umask(_UMASK)


def evidence_dir_from_settings(settings: Any) -> Path:
    """`TISWATCH_EVIDENCE_DIR`; else `evidence/` next to the SQLite database, which outlives any out dir
    (exports copy the files they cite next to their manifest); else `data/evidence`."""
    configured = settings.get("TISWATCH_EVIDENCE_DIR")
    if configured:
        return Path(configured)
    db_url = str(settings.get("TISWATCH_DB_URL") or "")
    if db_url.startswith("sqlite:///") and not db_url.endswith(":memory:"):
        return Path(db_url[len("sqlite:///") :]).parent / "evidence"
    return Path("data") / "evidence"


def evidence_store_kind(settings: Any) -> str:
    """`TISWATCH_EVIDENCE_STORE`: `files` (default) or `database`; anything else is named and refused."""
    kind = str(settings.get(STORE_SETTING) or FILES).strip().lower()
    if kind not in STORE_KINDS:
        raise ValueError(f"{STORE_SETTING}={kind!r}: use one of {', '.join(STORE_KINDS)}")
    return kind


def _gzip(body: bytes) -> bytes:
    # mtime=0: the same body always compresses to the same bytes, in a file or in a row.
    return gzip.compress(body, mtime=0)


def _checked(compressed: bytes, sha256: str, where: str) -> bytes:
    body = gzip.decompress(compressed)
    if hashlib.sha256(body).hexdigest() != sha256:
        raise ValueError(f"evidence {where} does not match its hash")
    return body


def stored_evidence(engine: Engine, sha256: str, path: str = "") -> bytes | None:
    """The stored gzip bytes of the body with this SHA-256, wherever its store kept it: the file at
    `path` (the `files` store), else the `evidence_blobs` row (the `database` store); None when
    neither has it (a folder not shared with this machine, a file deleted)."""
    if path and path != DATABASE_REFERENCE:
        file = Path(path)
        if file.is_file():
            return file.read_bytes()
    with engine.connect() as connection:
        found = connection.execute(select(EvidenceBlob.gzip).where(EvidenceBlob.sha256 == sha256)).first()
    return bytes(found[0]) if found is not None else None


def store_for_crawler(crawler: Crawler) -> EvidenceStore | DatabaseEvidenceStore:
    """The crawler's one evidence store, of the kind its settings ask for."""
    store = getattr(crawler, _CRAWLER_ATTRIBUTE, None)
    if store is None:
        if evidence_store_kind(crawler.settings) == DATABASE:
            from pipelines.context import RunContext  # the run's database (context imports this module)

            store = DatabaseEvidenceStore(RunContext.from_crawler(crawler).store.engine)
        else:
            store = EvidenceStore(evidence_dir_from_settings(crawler.settings))
        setattr(crawler, _CRAWLER_ATTRIBUTE, store)
    return store


class EvidenceStore:
    """Content-addressed gzip files of response bodies plus the latest fetch of every URL."""

    kind = FILES

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self._latest: dict[str, tuple[str, str]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> EvidenceStore | DatabaseEvidenceStore:
        return store_for_crawler(crawler)

    def path_for(self, sha256: str) -> Path:
        return self.directory / f"{sha256}.gz"

    def reference(self, sha256: str) -> str:
        """What the history records as the body's `evidence.path`: the file's absolute path."""
        return str(self.path_for(sha256).resolve())

    def record(self, url: str, body: bytes, fetched_at: str | None = None) -> str:
        """Store a response body (once per distinct body) and remember it as `url`'s latest fetch.

        `fetched_at` is the UTC fetch time, ISO 8601 (`2026-11-22T06:46:00Z`); now when not given.
        Returns the body's SHA-256 (hex).
        """
        sha256 = hashlib.sha256(body).hexdigest()
        fetched_at = fetched_at or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        path = self.path_for(sha256)
        if not path.exists():
            self._write_once(path, body)
        self._latest[url] = (sha256, fetched_at)
        return sha256

    def lookup(self, url: str) -> tuple[str, str] | None:
        """`(sha256, fetched_at)` of the latest body recorded for `url` by this store, or None."""
        return self._latest.get(url)

    def read(self, sha256: str) -> bytes:
        """The stored body, checked against its hash."""
        return _checked(self.path_for(sha256).read_bytes(), sha256, f"file {self.path_for(sha256)}")

    def _write_once(self, path: Path, body: bytes) -> None:
        # Write to a temporary file, then hard-link it into place: the link fails if the file exists,
        # so a body is never rewritten, and a crash never leaves a half-written evidence file.
        handle, temporary = tempfile.mkstemp(dir=self.directory, prefix=".partial-", suffix=".gz")
        # mkstemp makes the file private (0600); evidence is shared like any file the crawl writes.
        os.fchmod(handle, 0o666 & ~_UMASK)
        try:
            with os.fdopen(handle, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as compressed:
                compressed.write(body)
            os.link(temporary, path)
        except FileExistsError:
            pass  # another writer stored the same body first
        finally:
            os.unlink(temporary)


class DatabaseEvidenceStore:
    """Response bodies as gzip rows of the history database (`evidence_blobs`), one per distinct body,
    plus the latest fetch of every URL. Written once: a body already there is not written again."""

    kind = DATABASE

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._latest: dict[str, tuple[str, str]] = {}
        self._stored: set[str] = set()

    def reference(self, sha256: str) -> str:
        return DATABASE_REFERENCE

    def record(self, url: str, body: bytes, fetched_at: str | None = None) -> str:
        """Like `EvidenceStore.record`: store the body once, remember it as `url`'s latest fetch."""
        sha256 = hashlib.sha256(body).hexdigest()
        fetched_at = fetched_at or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        if sha256 not in self._stored:
            self._write_once(sha256, body)
            self._stored.add(sha256)
        self._latest[url] = (sha256, fetched_at)
        return sha256

    def lookup(self, url: str) -> tuple[str, str] | None:
        return self._latest.get(url)

    def read(self, sha256: str) -> bytes:
        compressed = stored_evidence(self.engine, sha256, DATABASE_REFERENCE)
        if compressed is None:
            raise KeyError(f"no evidence {sha256} in the database")
        return _checked(compressed, sha256, f"row {sha256}")

    def _write_once(self, sha256: str, body: bytes) -> None:
        values = {"sha256": sha256, "size": len(body), "gzip": _gzip(body)}
        dialect = self.engine.dialect.name
        with self.engine.begin() as connection:
            if dialect in ("sqlite", "postgresql"):
                # Two workers storing the same body at once: the primary key decides, the other no-ops.
                if dialect == "sqlite":
                    from sqlalchemy.dialects.sqlite import insert
                else:
                    from sqlalchemy.dialects.postgresql import insert  # type: ignore[assignment]
                connection.execute(insert(EvidenceBlob).values(**values).on_conflict_do_nothing())
            elif (
                connection.execute(select(EvidenceBlob.sha256).where(EvidenceBlob.sha256 == sha256)).first()
                is None
            ):
                connection.execute(insert_row(EvidenceBlob).values(**values))
