"""Coverage truth: run statuses from coverage, per-scope coverage, the scope of each observation, the
process of a run (to find dead ones), and ids/SKUs as text.

Revision ID: 0004_coverage
Revises: 0003_rematch
Create Date: 2026-12-03
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0004_coverage"
down_revision = "0003_rematch"
branch_labels = None
depends_on = None

# Counters of the old stats that meant a run missed pages (same as crawler.coverage's statuses).
_GAP_COUNTS = (
    "tiswatch/blocked",
    "tiswatch/failed",
    "tiswatch/result_pages_unreadable",
    "tiswatch/links_not_followed",
    "tiswatch/store/errors",
)


def _status_of_old_run(status: str, stats: dict[str, Any]) -> str:
    """What an old run's `finished` (or close reason) means in the new vocabulary."""
    if status == "running":
        return "running"  # the next start decides (`abandoned` when no live process holds it)
    if status != "finished":
        return "interrupted"
    if stats.get("tiswatch/blocked"):
        return "blocked"
    if stats.get("tiswatch/failed"):
        return "failed"
    if any(stats.get(key) for key in _GAP_COUNTS):
        return "incomplete"
    return "complete"


def upgrade() -> None:
    bind = op.get_bind()
    with op.batch_alter_table("runs") as batch:
        batch.add_column(sa.Column("finish_reason", sa.String(64), nullable=True))
        batch.add_column(sa.Column("pid", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("host", sa.String(255), nullable=False, server_default=""))
        batch.add_column(sa.Column("batch", sa.String(64), nullable=False, server_default=""))
    runs = sa.table(
        "runs",
        sa.column("id", sa.Integer()),
        sa.column("status", sa.String()),
        sa.column("stats", sa.JSON()),
        sa.column("finish_reason", sa.String()),
    )
    op.create_table(
        "run_scopes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("run_id", sa.Integer(), sa.ForeignKey("runs.id"), nullable=False),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.UniqueConstraint("run_id", "scope", name="uq_run_scopes_run_scope"),
    )
    op.create_index("ix_run_scopes_run_id", "run_scopes", ["run_id"])
    scopes = sa.table(
        "run_scopes",
        sa.column("run_id", sa.Integer()),
        sa.column("scope", sa.Text()),
        sa.column("status", sa.String()),
        sa.column("counts", sa.JSON()),
    )
    for run_id, status, stats in bind.execute(sa.select(runs.c.id, runs.c.status, runs.c.stats)).all():
        old_stats = stats if isinstance(stats, dict) else {}
        new_status = _status_of_old_run(status, old_stats)
        if new_status != "running":
            # An old run was one scope, the whole run (its observations have the empty scope).
            scope_status = "incomplete" if new_status == "interrupted" else new_status
            bind.execute(scopes.insert().values(run_id=run_id, scope="", status=scope_status, counts={}))
        bind.execute(
            runs.update()
            .where(runs.c.id == run_id)
            .values(
                status=new_status,
                finish_reason=old_stats.get("finish_reason") or (None if status == "running" else status),
            )
        )

    with op.batch_alter_table("observations") as batch:
        batch.add_column(sa.Column("scope", sa.Text(), nullable=False, server_default=""))
        # The currency comes from the site now (`priceCurrency`, the catalog's venture), not always ISO.
        batch.alter_column("currency", type_=sa.Text(), existing_type=sa.String(8))
    # Ids and SKUs as marketplaces send them: a schema.org SKU may be longer than 255 characters.
    with op.batch_alter_table("listings") as batch:
        batch.alter_column("listing_id", type_=sa.Text(), existing_type=sa.String(255))
        batch.alter_column("seller_id", type_=sa.Text(), existing_type=sa.String(255))
    if sa.inspect(bind).has_table("rematch_changes"):
        with op.batch_alter_table("rematch_changes") as batch:
            batch.alter_column("listing_id", type_=sa.Text(), existing_type=sa.String(255))


def downgrade() -> None:
    with op.batch_alter_table("observations") as batch:
        batch.drop_column("scope")
    op.drop_index("ix_run_scopes_run_id", table_name="run_scopes")
    op.drop_table("run_scopes")
    with op.batch_alter_table("runs") as batch:
        for column in ("batch", "host", "pid", "finish_reason"):
            batch.drop_column(column)
