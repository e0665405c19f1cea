"""Evidence: raw response bodies as fetched, content-addressed, written once and never rewritten.

Each body is stored gzip-compressed as `<dir>/<sha256>.gz`, where the SHA-256 is of the *uncompressed*
body, so anyone can check a file against the hash in an export (`gunzip -c F | sha256sum`). The
downloader middleware (`crawler.middlewares.EvidenceMiddleware`) calls `record()` for every 200
response; the store pipeline calls `lookup()` with a listing's `source_url` to attach the evidence to
the listing's observation. The log of every fetch is a table of the history (`pipelines.fetch_log`).

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

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

_CRAWLER_ATTRIBUTE = "_tiswatch_evidence_store"
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


class EvidenceStore:
    """Content-addressed gzip files of response bodies plus the latest fetch of every URL."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self._latest: dict[str, tuple[str, str]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> EvidenceStore:
        store = getattr(crawler, _CRAWLER_ATTRIBUTE, None)
        if store is None:
            store = cls(evidence_dir_from_settings(crawler.settings))
            setattr(crawler, _CRAWLER_ATTRIBUTE, store)
        return store

    def path_for(self, sha256: str) -> Path:
        return self.directory / f"{sha256}.gz"

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
        body = gzip.decompress(self.path_for(sha256).read_bytes())
        if hashlib.sha256(body).hexdigest() != sha256:
            raise ValueError(f"evidence file {self.path_for(sha256)} does not match its hash")
        return body

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
