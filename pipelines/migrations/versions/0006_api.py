"""Check API tables of tiswatch/api/tables.py: platforms' API keys and the audit log of checks.

Revision ID: 0006_api
Revises: 0005_desk
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_api"
down_revision = "0005_desk"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "api_keys",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("key_prefix", sa.String(16), nullable=False),
        sa.Column("key_sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("rate_per_second", sa.Float(), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("revoked", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "api_audit",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("key_id", sa.Integer(), sa.ForeignKey("api_keys.id"), nullable=False),
        sa.Column("checked_at", sa.String(32), nullable=False),
        sa.Column("endpoint", sa.String(20), nullable=False),
        sa.Column("verdict", sa.String(32), nullable=False),
        sa.Column("tis_number", sa.String(100), nullable=True),
        sa.Column("registry_version", sa.String(100), nullable=False),
        sa.Column("vocabulary_version", sa.String(100), nullable=False),
        sa.Column("draft_sha256", sa.String(64), nullable=False),
    )
    op.create_index("ix_api_audit_key_time", "api_audit", ["key_id", "checked_at"])


def downgrade() -> None:
    op.drop_index("ix_api_audit_key_time", table_name="api_audit")
    op.drop_table("api_audit")
    op.drop_table("api_keys")
