"""History tables: runs, listings, observations, verdicts, review decisions, evidence.

Natural keys carry unique constraints so a rerun (or a retried write after a crash) updates rows
instead of duplicating them:

- `listings`: `(platform, listing_id)`, the identity of a listing across runs (ARCHITECTURE.md).
- `observations`: `(run_id, listing_key)`, what one run saw of one listing.
- `verdicts`: `(listing_key, content_hash, registry_ref)`, one judgement per content per registry version.
- `evidence`: `(url, sha256, fetched_at)`, one row per fetch of a response body.

`review_decisions` is append-only: the latest decision of a listing is its current one, the rest is
its history.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from pipelines.store.types import UTCDateTime
from standards_data.database import Base

# Review decisions an investigator may record (issue 6).
CONFIRMED = "confirmed"
DISMISSED = "dismissed"
NEEDS_INFO = "needs-info"
DECISIONS = (CONFIRMED, DISMISSED, NEEDS_INFO)

# Run statuses (`Run.status`). A run is `running` until its crawl closes; then its coverage decides:
# `complete` (every planned scope covered to its last page, nothing lost), `incomplete` (a scope cut by
# max_pages/max_depth, an unreadable page, a dropped or unstored listing), `blocked`, `failed`,
# `interrupted` (Scrapy's finish reason was not `finished`: Ctrl-C, SIGTERM, CLOSESPIDER_*), or
# `abandoned` (its process died without closing it; found by the next run's start).
RUNNING = "running"
COMPLETE = "complete"
INCOMPLETE = "incomplete"
BLOCKED = "blocked"
FAILED = "failed"
INTERRUPTED = "interrupted"
ABANDONED = "abandoned"
RUN_STATUSES = (RUNNING, COMPLETE, INCOMPLETE, BLOCKED, FAILED, INTERRUPTED, ABANDONED)
# Scope statuses (`RunScope.status`): a scope is a keyword (marketplace spiders) or a shop start URL.
NOT_CRAWLED = "not_crawled"
SCOPE_STATUSES = (COMPLETE, INCOMPLETE, BLOCKED, FAILED, NOT_CRAWLED)


class Run(Base):
    """One crawl of one spider: when, with what arguments, against which registry, and what it found."""

    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    spider: Mapped[str] = mapped_column(String(100), index=True)
    arguments: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    job_dir: Mapped[str | None] = mapped_column(Text, default=None)
    """Scrapy JOBDIR of a resumable crawl: a resumed crawl continues the same run."""
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    status: Mapped[str] = mapped_column(String(64), default=RUNNING)
    """One of `RUN_STATUSES`, recorded from the finish reason and the coverage before any judging."""
    finish_reason: Mapped[str | None] = mapped_column(String(64), default=None)
    """Scrapy's finish reason (`finished`, `shutdown`, `closespider_pagecount`, ...)."""
    pid: Mapped[int | None] = mapped_column(Integer, default=None)
    host: Mapped[str] = mapped_column(String(255), default="")
    """Process id and host name of the crawl, so the next start can tell a dead run (`abandoned`)."""
    batch: Mapped[str] = mapped_column(String(64), default="")
    """Runs started together by one `tiswatch crawl --all` / `demo`: their export covers all of them."""
    registry_version: Mapped[int | None] = mapped_column(Integer, default=None)
    """Imported registry version matched against (None when the registry came from a CSV file)."""
    registry_ref: Mapped[str] = mapped_column(String(100), default="")
    """Identity of the registry used: `db-v<N>` or `csv-<sha256 prefix>`; verdicts are keyed by it."""
    registry_source: Mapped[str] = mapped_column(Text, default="")
    """Human description of the registry (database version or CSV path)."""
    stats: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """Scrapy's crawl stats at close (pages fetched, blocked, failed, dropped, ...)."""
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """Counts computed at close: listings, verdicts, new / still flagged / gone, ..."""


class RunScope(Base):
    """How completely one run covered one scope (a keyword, or a shop's start URL)."""

    __tablename__ = "run_scopes"
    __table_args__ = (UniqueConstraint("run_id", "scope", name="uq_run_scopes_run_scope"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"), index=True)
    scope: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(32))
    """One of `SCOPE_STATUSES`; `complete` only when the run was not interrupted either."""
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """The scope's coverage counts (pages fetched, listings, blocked, failed, ...)."""


class Case(Base):
    """One product sold by one shop, however many platforms list it (pipelines/store/case_store.py).

    Its id is the number people read and quote (`case_label`: `C-000123`); rows are never deleted, so a
    number always meant one product."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


def case_label(case_key: int | None) -> str:
    """The case id as exports and the desk show it (`C-000123`); "" when the listing has no case yet."""
    return f"C-{case_key:06d}" if case_key is not None else ""


def case_key_of(label: str) -> int | None:
    """The case key of a label as people type it (`C-000123`, `c123`, `123`); None when it is not one."""
    digits = label.strip().upper().removeprefix("C").lstrip("-").strip()
    return int(digits) if digits.isdigit() and len(digits) < 10 else None


class ListingRecord(Base):
    """A listing across runs, identified by `(platform, listing_id)`; the latest values seen."""

    __tablename__ = "listings"
    __table_args__ = (
        UniqueConstraint("platform", "listing_id", name="uq_listings_platform_listing_id"),
        Index("ix_listings_platform_seller", "platform", "seller_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(100))
    # Text: marketplaces send ids and SKUs of any length (a schema.org SKU over 255 characters).
    listing_id: Mapped[str] = mapped_column(Text)
    url: Mapped[str] = mapped_column(Text, default="")
    title: Mapped[str] = mapped_column(Text, default="")
    seller_id: Mapped[str] = mapped_column(Text, default="")
    seller_name: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    """Content hash of the latest observation."""
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    first_run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"))
    last_run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"))
    case_key: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", name="fk_listings_case_key_cases"), index=True, default=None
    )
    """The listing's case (None until the first case assignment after the run that stored it)."""
    case_hash: Mapped[str] = mapped_column(String(64), default="", server_default="")
    """The content hash the case was assigned on: a listing whose content changed is re-examined."""


class Evidence(Base):
    """A response body as fetched: gzip file named by its SHA-256, written once, never rewritten."""

    __tablename__ = "evidence"
    __table_args__ = (
        UniqueConstraint("url", "sha256", "fetched_at", name="uq_evidence_url_sha256_fetched_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    url: Mapped[str] = mapped_column(Text)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime)
    path: Mapped[str] = mapped_column(Text)
    """Where the gzip file was written (absolute path)."""


class FetchLogEntry(Base):
    """One fetch a crawler made (any status, or a download error): what was asked, what came back.

    The fetch log of every crawl, single-machine or campaign (`pipelines.fetch_log`): no file on a
    worker's disk. `run_id` is the run the crawl recorded into (a campaign's one run); `campaign` and
    `worker` are set for campaign crawls."""

    __tablename__ = "fetch_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int | None] = mapped_column(Integer, index=True, default=None)
    campaign: Mapped[str | None] = mapped_column(String(64), index=True, default=None)
    worker: Mapped[str | None] = mapped_column(String(200), default=None)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime)
    url: Mapped[str] = mapped_column(Text)
    status: Mapped[int | None] = mapped_column(Integer, default=None)
    """HTTP status; None when no answer came (a download error, named in `outcome`)."""
    size: Mapped[int] = mapped_column(Integer)
    """Response body bytes."""
    duration_ms: Mapped[int | None] = mapped_column(Integer, default=None)
    sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    """SHA-256 of the body: the evidence key when the body was kept as evidence."""
    outcome: Mapped[str] = mapped_column(String(100))
    """`ok`, `http_<status>`, or the download error's name."""


class EvidenceBlob(Base):
    """A response body kept in the database (`TISWATCH_EVIDENCE_STORE=database`): one row per distinct
    body, keyed by the SHA-256 of the uncompressed body, stored gzip-compressed."""

    __tablename__ = "evidence_blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    gzip: Mapped[bytes] = mapped_column(LargeBinary)


class Verdict(Base):
    """The matcher's verdict on one content of a listing against one registry version."""

    __tablename__ = "verdicts"
    __table_args__ = (
        UniqueConstraint(
            "listing_key", "content_hash", "registry_ref", name="uq_verdicts_listing_content_registry"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    listing_key: Mapped[int] = mapped_column(ForeignKey("listings.id"), index=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    registry_ref: Mapped[str] = mapped_column(String(100))
    registry_version: Mapped[int | None] = mapped_column(Integer, default=None)
    verdict: Mapped[str] = mapped_column(String(32))
    flagged: Mapped[bool] = mapped_column(Boolean)
    tis_number: Mapped[str | None] = mapped_column(String(100), default=None)
    licence_no: Mapped[str | None] = mapped_column(String(100), default=None)
    score: Mapped[float] = mapped_column(Float, default=0.0)
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    judged_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Observation(Base):
    """What one run saw of one listing: price, title, sold, content hash, the full record."""

    __tablename__ = "observations"
    __table_args__ = (UniqueConstraint("run_id", "listing_key", name="uq_observations_run_listing"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id"), index=True)
    listing_key: Mapped[int] = mapped_column(ForeignKey("listings.id"), index=True)
    observed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    title: Mapped[str] = mapped_column(Text, default="")
    price: Mapped[float | None] = mapped_column(Float, default=None)
    # Text: the currency is read from the site (`priceCurrency` as a shop writes it), not always ISO.
    currency: Mapped[str] = mapped_column(Text, default="THB")
    sold: Mapped[int | None] = mapped_column(Integer, default=None)
    content_hash: Mapped[str] = mapped_column(String(64))
    scope: Mapped[str] = mapped_column(Text, default="")
    """The keyword (or shop start URL) the run found the listing under: the scope whose complete
    coverage alone may later mark the listing gone."""
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    """The listing as crawled (Listing contract), so exports and re-matches need no re-crawl."""
    verdict_id: Mapped[int | None] = mapped_column(ForeignKey("verdicts.id"), default=None)
    """The verdict this run gave (None when matching failed for this listing)."""
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id"), default=None)


class ReviewDecision(Base):
    """An investigator's decision on a listing; append-only, the latest one counts."""

    __tablename__ = "review_decisions"
    __table_args__ = (Index("ix_review_decisions_listing_time", "listing_key", "decided_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    listing_key: Mapped[int] = mapped_column(ForeignKey("listings.id"))
    decision: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text, default="")
    reviewer: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime)
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    """The content the decision was made on: a dismissal holds only while the content is unchanged."""
    source: Mapped[str] = mapped_column(Text, default="")
    """Where the decision came from (`flagged.xlsx row 7`)."""


class Screenshot(Base):
    """A full-page screenshot of a listing's page (`tiswatch evidence screenshots`): a PNG named by its
    SHA-256 in the evidence folder, taken at `taken_at` (UTC). Append-only: the latest one is shown."""

    __tablename__ = "screenshots"
    __table_args__ = (Index("ix_screenshots_listing_time", "listing_key", "taken_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    listing_key: Mapped[int] = mapped_column(ForeignKey("listings.id"))
    url: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime)
    path: Mapped[str] = mapped_column(Text)
    browser: Mapped[str] = mapped_column(String(200), default="")
