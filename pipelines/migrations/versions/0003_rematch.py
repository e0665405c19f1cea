"""Re-match tables of pipelines/rematch.py: each re-match and the verdict changes it found.

Revision ID: 0003_rematch
Revises: 0002_registry
Create Date: 2026-01-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_rematch"
down_revision = "0002_registry"
branch_labels = None
depends_on = None


def _absent(name: str) -> bool:
    # Databases made by older tools with `create_all` (before Alembic was the only way) have them already.
    return not sa.inspect(op.get_bind()).has_table(name)


def upgrade() -> None:
    if _absent("rematch_runs"):
        op.create_table(
            "rematch_runs",
            sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
            sa.Column("started_at", sa.String(32), nullable=False),
            sa.Column("finished_at", sa.String(32), nullable=True),
            sa.Column("run_by", sa.String(200), nullable=False),
            sa.Column("registry_ref", sa.String(100), nullable=False),
            sa.Column("registry_version", sa.Integer(), nullable=True),
            sa.Column("vocabulary_version", sa.Integer(), nullable=True),
            sa.Column("listings", sa.Integer(), nullable=False),
            sa.Column("changed", sa.Integer(), nullable=False),
            sa.Column("newly_flagged", sa.Integer(), nullable=False),
            sa.Column("cleared", sa.Integer(), nullable=False),
            sa.Column("errors", sa.Integer(), nullable=False),
        )
    if _absent("rematch_changes"):
        op.create_table(
            "rematch_changes",
            sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
            sa.Column("rematch_id", sa.Integer(), sa.ForeignKey("rematch_runs.id"), nullable=False),
            sa.Column("listing_key", sa.Integer(), sa.ForeignKey("listings.id"), nullable=False),
            sa.Column("platform", sa.String(100), nullable=False),
            sa.Column("listing_id", sa.String(255), nullable=False),
            sa.Column("content_hash", sa.String(64), nullable=False),
            sa.Column("kind", sa.String(20), nullable=False),
            sa.Column("old_verdict", sa.String(32), nullable=True),
            sa.Column("old_flagged", sa.Boolean(), nullable=True),
            sa.Column("old_licence_no", sa.String(100), nullable=True),
            sa.Column("old_tis_number", sa.String(100), nullable=True),
            sa.Column("new_verdict", sa.String(32), nullable=False),
            sa.Column("new_flagged", sa.Boolean(), nullable=False),
            sa.Column("new_licence_no", sa.String(100), nullable=True),
            sa.Column("new_tis_number", sa.String(100), nullable=True),
            sa.Column("new_verdict_id", sa.Integer(), sa.ForeignKey("verdicts.id"), nullable=False),
            sa.Column("explanation", sa.Text(), nullable=False),
        )
        op.create_index("ix_rematch_changes_rematch_id", "rematch_changes", ["rematch_id"])
        op.create_index("ix_rematch_changes_listing_key", "rematch_changes", ["listing_key"])


def downgrade() -> None:
    for table in ("rematch_changes", "rematch_runs"):
        op.drop_table(table)
