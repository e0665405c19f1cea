"""The review desk's own tables (migration 0005_desk). Decisions are not here: they are the history's
`review_decisions`, the same records `tiswatch review import` writes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from pipelines.store.types import UTCDateTime
from standards_data.database import Base

INVESTIGATOR = "investigator"
OFFICER = "officer"
ADMIN = "admin"
ROLES = (INVESTIGATOR, OFFICER, ADMIN)
# A role may do what every role before it in ROLES may do.
ROLE_RANK = {role: rank for rank, role in enumerate(ROLES)}
SEARCH_TEXT_MAX = 500
# The queue's indexes (migration 0005_desk): one walked in priority order with the usual filters and the
# search text on its entries, and one per selective filter.
SCAN_INDEX_COLUMNS = (
    "sort_rank",
    "mark",
    "decision",
    "verdict",
    "platform",
    "tis_number",
    "run_id",
    "seller_id",
    "search_text",
    "listing_key",
)
SELECTIVE_COLUMNS = ("tis_number", "seller_id", "seller_name", "run_id")


class DeskUser(Base):
    __tablename__ = "desk_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class DeskSetting(Base):
    __tablename__ = "desk_settings"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class DeskClaim(Base):
    """Who works on a listing; kept apart from the queue so a queue rebuild keeps it."""

    __tablename__ = "desk_claims"

    listing_key: Mapped[int] = mapped_column(ForeignKey("listings.id"), primary_key=True)
    assignee: Mapped[str] = mapped_column(String(100), index=True)
    assigned_by: Mapped[str] = mapped_column(String(100))
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime)


class QueueRow(Base):
    """One flagged listing of the latest runs, as the export shows it, with a precomputed priority rank."""

    __tablename__ = "desk_queue"
    # As migration 0005_desk builds them (see there why); the search index is a trigram index on
    # PostgreSQL, a plain one elsewhere.
    __table_args__ = (
        Index("ix_desk_queue_scan", *SCAN_INDEX_COLUMNS),
        *(Index(f"ix_desk_queue_{column}_rank", column, "sort_rank") for column in SELECTIVE_COLUMNS),
        Index(
            "ix_desk_queue_search",
            "search_text",
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
        ),
        Index("ix_desk_queue_case_id_rank", "case_id", "sort_rank"),
    )

    listing_key: Mapped[int] = mapped_column(ForeignKey("listings.id"), primary_key=True)
    sort_rank: Mapped[int] = mapped_column(Integer)
    run_id: Mapped[int] = mapped_column(Integer)
    spider: Mapped[str] = mapped_column(String(100))
    platform: Mapped[str] = mapped_column(String(100))
    listing_id: Mapped[str] = mapped_column(String(255))
    url: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    seller_id: Mapped[str] = mapped_column(String(255))
    seller_name: Mapped[str] = mapped_column(Text)
    brand: Mapped[str] = mapped_column(Text)
    price: Mapped[float | None] = mapped_column(Float)
    sold: Mapped[int | None] = mapped_column(Integer)
    exposure: Mapped[float] = mapped_column(Float)
    verdict: Mapped[str] = mapped_column(String(32))
    tis_number: Mapped[str | None] = mapped_column(String(100))
    licence_no: Mapped[str | None] = mapped_column(String(100))
    mark: Mapped[str] = mapped_column(String(20))
    relisted_from: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    evidence_sha256: Mapped[str] = mapped_column(String(64))
    search_text: Mapped[str] = mapped_column(Text)
    """Title, seller, listing id, brand and licence, case-folded with Thai digits as Arabic ones; at most
    `SEARCH_TEXT_MAX` characters (it is in a B-tree index, whose entries PostgreSQL limits to ~2.7 kB)."""
    decision: Mapped[str] = mapped_column(String(32))
    """The listing's current decision (`` when none), kept in step with `review_decisions`."""
    decision_id: Mapped[int | None] = mapped_column(Integer)
    """Id of that decision: the version a decision form was opened on."""
    case_id: Mapped[str] = mapped_column(String(16), default="", server_default="")
    """The listing's case (`C-000123`, migration 0008_cases): its listings on other platforms share it."""
