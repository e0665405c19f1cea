"""History tables: runs, listings, evidence, verdicts, observations, review decisions.

Revision ID: 0001_history
Revises:
Create Date: 2026-01-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_history"
down_revision = None
branch_labels = None
depends_on = None


def _absent(name: str) -> bool:
    # A database made by `Base.metadata.create_all` (tests, older tools) already has the tables:
    # adopt them instead of failing.
    return not sa.inspect(op.get_bind()).has_table(name)


def upgrade() -> None:
    if _absent("runs"):
        op.create_table(
            "runs",
            sa.Column("id", sa.Integer(), primary_key=True),
            sa.Column("spider", sa.String(100), nullable=False),
            sa.Column("arguments", sa.JSON(), nullable=False),
            sa.Column("job_dir", sa.Text(), nullable=True),
            sa.Column("started_at", sa.DateTime(), nullable=False),
            sa.Column("finished_at", sa.DateTime(), nullable=True),
            sa.Column("status", sa.String(64), nullable=False),
            sa.Column("registry_version", sa.Integer(), nullable=True),
            sa.Column("registry_ref", sa.String(100), nullable=False),
            sa.Column("registry_source", sa.Text(), nullable=False),
            sa.Column("stats", sa.JSON(), nullable=False),
            sa.Column("summary", sa.JSON(), nullable=False),
        )
        op.create_index("ix_runs_spider", "runs", ["spider"])
        op.create_index("ix_runs_started_at", "runs", ["started_at"])
    if _absent("listings"):
        op.create_table(
            "listings",
            sa.Column("id", sa.Integer(), primary_key=True),
            sa.Column("platform", sa.String(100), nullable=False),
            sa.Column("listing_id", sa.String(255), nullable=False),
            sa.Column("url", sa.Text(), nullable=False),
            sa.Column("title", sa.Text(), nullable=False),
            sa.Column("seller_id", sa.String(255), nullable=False),
            sa.Column("seller_name", sa.Text(), nullable=False),
            sa.Column("content_hash", sa.String(64), nullable=False),
            sa.Column("first_seen_at", sa.DateTime(), nullable=False),
            sa.Column("last_seen_at", sa.DateTime(), nullable=False),
            sa.Column("first_run_id", sa.Integer(), sa.ForeignKey("runs.id"), nullable=False),
            sa.Column("last_run_id", sa.Integer(), sa.ForeignKey("runs.id"), nullable=False),
            sa.UniqueConstraint("platform", "listing_id", name="uq_listings_platform_listing_id"),
        )
        op.create_index("ix_listings_platform_seller", "listings", ["platform", "seller_id"])
    if _absent("evidence"):
        op.create_table(
            "evidence",
            sa.Column("id", sa.Integer(), primary_key=True),
            sa.Column("sha256", sa.String(64), nullable=False),
            sa.Column("url", sa.Text(), nullable=False),
            sa.Column("fetched_at", sa.DateTime(), nullable=False),
            sa.Column("path", sa.Text(), nullable=False),
            sa.UniqueConstraint("url", "sha256", "fetched_at", name="uq_evidence_url_sha256_fetched_at"),
        )
        op.create_index("ix_evidence_sha256", "evidence", ["sha256"])
    if _absent("verdicts"):
        op.create_table(
            "verdicts",
            sa.Column("id", sa.Integer(), primary_key=True),
            sa.Column("listing_key", sa.Integer(), sa.ForeignKey("listings.id"), nullable=False),
            sa.Column("content_hash", sa.String(64), nullable=False),
            sa.Column("registry_ref", sa.String(100), nullable=False),
            sa.Column("registry_version", sa.Integer(), nullable=True),
            sa.Column("verdict", sa.String(32), nullable=False),
            sa.Column("flagged", sa.Boolean(), nullable=False),
            sa.Column("tis_number", sa.String(100), nullable=True),
            sa.Column("licence_no", sa.String(100), nullable=True),
            sa.Column("score", sa.Float(), nullable=False),
            sa.Column("reasons", sa.JSON(), nullable=False),
            sa.Column("judged_at", sa.DateTime(), nullable=False),
            sa.UniqueConstraint(
                "listing_key", "content_hash", "registry_ref", name="uq_verdicts_listing_content_registry"
            ),
        )
        op.create_index("ix_verdicts_listing_key", "verdicts", ["listing_key"])
    if _absent("observations"):
        op.create_table(
            "observations",
            sa.Column("id", sa.Integer(), primary_key=True),
            sa.Column("run_id", sa.Integer(), sa.ForeignKey("runs.id"), nullable=False),
            sa.Column("listing_key", sa.Integer(), sa.ForeignKey("listings.id"), nullable=False),
            sa.Column("observed_at", sa.DateTime(), nullable=False),
            sa.Column("title", sa.Text(), nullable=False),
            sa.Column("price", sa.Float(), nullable=True),
            sa.Column("currency", sa.String(8), nullable=False),
            sa.Column("sold", sa.Integer(), nullable=True),
            sa.Column("content_hash", sa.String(64), nullable=False),
            sa.Column("data", sa.JSON(), nullable=False),
            sa.Column("verdict_id", sa.Integer(), sa.ForeignKey("verdicts.id"), nullable=True),
            sa.Column("evidence_id", sa.Integer(), sa.ForeignKey("evidence.id"), nullable=True),
            sa.UniqueConstraint("run_id", "listing_key", name="uq_observations_run_listing"),
        )
        op.create_index("ix_observations_run_id", "observations", ["run_id"])
        op.create_index("ix_observations_listing_key", "observations", ["listing_key"])
    if _absent("review_decisions"):
        op.create_table(
            "review_decisions",
            sa.Column("id", sa.Integer(), primary_key=True),
            sa.Column("listing_key", sa.Integer(), sa.ForeignKey("listings.id"), nullable=False),
            sa.Column("decision", sa.String(32), nullable=False),
            sa.Column("note", sa.Text(), nullable=False),
            sa.Column("reviewer", sa.String(200), nullable=False),
            sa.Column("decided_at", sa.DateTime(), nullable=False),
            sa.Column("content_hash", sa.String(64), nullable=False),
            sa.Column("source", sa.Text(), nullable=False),
        )
        op.create_index("ix_review_decisions_listing_time", "review_decisions", ["listing_key", "decided_at"])


def downgrade() -> None:
    for table in ("review_decisions", "observations", "verdicts", "evidence", "listings", "runs"):
        op.drop_table(table)
