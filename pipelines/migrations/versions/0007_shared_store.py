"""Shared storage for many crawl workers: the fetch log as a table, evidence bodies as blobs.

Revision ID: 0007_shared_store
Revises: 0006_api
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_shared_store"
down_revision = "0006_api"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fetch_log",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("campaign", sa.String(64), nullable=True),
        sa.Column("worker", sa.String(200), nullable=True),
        sa.Column("fetched_at", sa.DateTime(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=True),
        sa.Column("sha256", sa.String(64), nullable=True),
        sa.Column("outcome", sa.String(100), nullable=False),
    )
    op.create_index("ix_fetch_log_run_id", "fetch_log", ["run_id"])
    op.create_index("ix_fetch_log_campaign", "fetch_log", ["campaign"])
    op.create_table(
        "evidence_blobs",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("gzip", sa.LargeBinary(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("evidence_blobs")
    op.drop_index("ix_fetch_log_campaign", table_name="fetch_log")
    op.drop_index("ix_fetch_log_run_id", table_name="fetch_log")
    op.drop_table("fetch_log")
