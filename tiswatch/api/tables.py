"""The check API's tables: platforms' API keys and the audit log of every check.

Created by the Alembic revision `0006_api` (pipelines/migrations/versions), never by `create_all`.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column

from standards_data.database import Base


class ApiKey(Base):
    """One platform's key. Only a SHA-256 of the key is kept: the key itself is shown once, at creation."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    """The platform's name as the operator gave it (`tiswatch api-keys add NAME`)."""
    key_prefix: Mapped[str] = mapped_column(String(16))
    """The key's first characters, to tell keys apart in listings and logs without revealing them."""
    key_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    rate_per_second: Mapped[float] = mapped_column(Float)
    """Checks per second this key may make on average (a batch of n counts n)."""
    created_at: Mapped[str] = mapped_column(String(32))
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class ApiAudit(Base):
    """One check answered: which key, when, what verdict, against which registry — and a hash of the
    draft instead of the draft, so no seller's personal data is kept."""

    __tablename__ = "api_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key_id: Mapped[int] = mapped_column(ForeignKey("api_keys.id"))
    checked_at: Mapped[str] = mapped_column(String(32))
    """UTC, ISO 8601 with milliseconds."""
    endpoint: Mapped[str] = mapped_column(String(20))
    """`check` or `batch`."""
    verdict: Mapped[str] = mapped_column(String(32))
    tis_number: Mapped[str | None] = mapped_column(String(100), nullable=True)
    registry_version: Mapped[str] = mapped_column(String(100))
    vocabulary_version: Mapped[str] = mapped_column(String(100))
    draft_sha256: Mapped[str] = mapped_column(String(64))

    __table_args__ = (Index("ix_api_audit_key_time", "key_id", "checked_at"),)


API_KEYS = cast(Table, ApiKey.__table__)
API_AUDIT = cast(Table, ApiAudit.__table__)
