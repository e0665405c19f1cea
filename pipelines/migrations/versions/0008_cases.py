"""Cases in the history (issue 13): one product sold by one shop on several platforms is one case.

- `cases`: one row per case ever made; its id is the number people read (`C-000123`). Rows are never
  deleted, so a number is never given to another product (a case emptied by a merge keeps its row).
- `listings.case_key`: the listing's case; `listings.case_hash`: the content hash the case was assigned
  on, so the next assignment re-examines only listings whose content changed (or that have no case).
- `desk_queue.case_id`: the case label of a queue row, indexed with the rank for the queue's case filter.

Revision ID: 0008_cases
Revises: 0007_shared_store
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_cases"
down_revision = "0007_shared_store"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    with op.batch_alter_table("listings") as batch:
        batch.add_column(sa.Column("case_key", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("case_hash", sa.String(64), nullable=False, server_default=""))
        batch.create_foreign_key("fk_listings_case_key_cases", "cases", ["case_key"], ["id"])
        batch.create_index("ix_listings_case_key", ["case_key"])
    with op.batch_alter_table("desk_queue") as batch:
        batch.add_column(sa.Column("case_id", sa.String(16), nullable=False, server_default=""))
        batch.create_index("ix_desk_queue_case_id_rank", ["case_id", "sort_rank"])


def downgrade() -> None:
    with op.batch_alter_table("desk_queue") as batch:
        batch.drop_index("ix_desk_queue_case_id_rank")
        batch.drop_column("case_id")
    with op.batch_alter_table("listings") as batch:
        batch.drop_index("ix_listings_case_key")
        batch.drop_constraint("fk_listings_case_key_cases", type_="foreignkey")
        batch.drop_column("case_hash")
        batch.drop_column("case_key")
    op.drop_table("cases")
