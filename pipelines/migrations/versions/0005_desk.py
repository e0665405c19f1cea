"""Review desk tables (issue 15): users, the materialised queue, claims, desk settings, screenshots.

- `desk_users`: people who log in to the desk, with an argon2 password hash and a role.
- `desk_queue`: one row per flagged listing of the latest runs, in priority order (`sort_rank`), rebuilt
  from the history whenever a crawl has written something new; decisions stay in `review_decisions`.
- `desk_claims`: who works on which listing (survives queue rebuilds).
- `desk_settings`: the session-signing secret and the queue's freshness mark.
- `screenshots`: full-page screenshots of listing pages, content-addressed (SHA-256) with UTC time.

Revision ID: 0005_desk
Revises: 0004_coverage
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_desk"
down_revision = "0004_coverage"
branch_labels = None
depends_on = None

# Spelled out here (a migration does not import the application): tiswatch/web/models.py declares the same.
SCAN_INDEX_COLUMNS = [
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
]
SELECTIVE_COLUMNS = ("tis_number", "seller_id", "seller_name", "run_id")


def upgrade() -> None:
    op.create_table(
        "desk_users",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("username", sa.String(100), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "desk_settings",
        sa.Column("name", sa.String(100), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )
    op.create_table(
        "desk_claims",
        sa.Column("listing_key", sa.Integer(), sa.ForeignKey("listings.id"), primary_key=True),
        sa.Column("assignee", sa.String(100), nullable=False),
        sa.Column("assigned_by", sa.String(100), nullable=False),
        sa.Column("assigned_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_desk_claims_assignee", "desk_claims", ["assignee"])
    op.create_table(
        "desk_queue",
        sa.Column("listing_key", sa.Integer(), sa.ForeignKey("listings.id"), primary_key=True),
        sa.Column("sort_rank", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("spider", sa.String(100), nullable=False),
        sa.Column("platform", sa.String(100), nullable=False),
        sa.Column("listing_id", sa.String(255), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("seller_id", sa.String(255), nullable=False),
        sa.Column("seller_name", sa.Text(), nullable=False),
        sa.Column("brand", sa.Text(), nullable=False),
        sa.Column("price", sa.Float(), nullable=True),
        sa.Column("sold", sa.Integer(), nullable=True),
        sa.Column("exposure", sa.Float(), nullable=False),
        sa.Column("verdict", sa.String(32), nullable=False),
        sa.Column("tis_number", sa.String(100), nullable=True),
        sa.Column("licence_no", sa.String(100), nullable=True),
        sa.Column("mark", sa.String(20), nullable=False),
        sa.Column("relisted_from", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("evidence_sha256", sa.String(64), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("decision", sa.String(32), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=True),
    )
    # The queue page walks this index in priority order and checks the usual filters (and the search text)
    # on the index entries: the page's keys and the count come from the index alone (an index-only scan),
    # table rows are read for the 50 listings shown.
    op.create_index("ix_desk_queue_scan", "desk_queue", SCAN_INDEX_COLUMNS)
    # Selective filters go straight to their rows.
    for column in SELECTIVE_COLUMNS:
        op.create_index(f"ix_desk_queue_{column}_rank", "desk_queue", [column, "sort_rank"])
    _trigram_search_index()
    op.create_table(
        "screenshots",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("listing_key", sa.Integer(), sa.ForeignKey("listings.id"), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("taken_at", sa.DateTime(), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("browser", sa.String(200), nullable=False),
    )
    op.create_index("ix_screenshots_listing_time", "screenshots", ["listing_key", "taken_at"])


def _trigram_search_index() -> None:
    """On PostgreSQL, a trigram index serves the queue's substring search (`LIKE '%…%'`, Thai included)
    without reading every row. pg_trgm ships with PostgreSQL (contrib); where it cannot be created (no
    rights, no contrib) the index is a plain one and the search scans. Elsewhere (SQLite) a plain index:
    a narrow one that a count over the search text reads instead of the table."""
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        savepoint = bind.begin_nested()
        try:
            bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            bind.exec_driver_sql(
                "CREATE INDEX ix_desk_queue_search ON desk_queue USING gin (search_text gin_trgm_ops)"
            )
        except sa.exc.DBAPIError:
            savepoint.rollback()
        else:
            savepoint.commit()
            return
    op.create_index("ix_desk_queue_search", "desk_queue", ["search_text"])


def downgrade() -> None:
    op.drop_table("screenshots")
    op.drop_index("ix_desk_queue_search", "desk_queue")
    for column in SELECTIVE_COLUMNS:
        op.drop_index(f"ix_desk_queue_{column}_rank", "desk_queue")
    op.drop_index("ix_desk_queue_scan", "desk_queue")
    for table in ("desk_queue", "desk_claims", "desk_settings", "desk_users"):
        op.drop_table(table)
