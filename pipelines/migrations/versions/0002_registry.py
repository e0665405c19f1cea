"""Registry tables of standards_data/registry_store.py: versioned licences and product vocabularies.

Revision ID: 0002_registry
Revises: 0001_history
Create Date: 2026-01-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_registry"
down_revision = "0001_history"
branch_labels = None
depends_on = None


def _absent(name: str) -> bool:
    # Databases made by older tools with `create_all` (before Alembic was the only way) have them already.
    return not sa.inspect(op.get_bind()).has_table(name)


def upgrade() -> None:
    if _absent("registry_versions"):
        op.create_table(
            "registry_versions",
            sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
            sa.Column("imported_at", sa.String(32), nullable=False),
            sa.Column("imported_by", sa.String(200), nullable=False),
            sa.Column("source_file", sa.Text(), nullable=False),
            sa.Column("source_sha256", sa.String(64), nullable=False),
            sa.Column("source_format", sa.String(40), nullable=False),
            sa.Column("mode", sa.String(10), nullable=False),
            sa.Column("rows_in_file", sa.Integer(), nullable=False),
            sa.Column("added", sa.Integer(), nullable=False),
            sa.Column("changed", sa.Integer(), nullable=False),
            sa.Column("ended", sa.Integer(), nullable=False),
            sa.Column("unchanged", sa.Integer(), nullable=False),
            sa.Column("total_licences", sa.Integer(), nullable=False),
            sa.Column("warnings", sa.Integer(), nullable=False),
        )
    if _absent("registry_licences"):
        op.create_table(
            "registry_licences",
            sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
            sa.Column("licence_no", sa.String(64), nullable=False),
            sa.Column("licence_type", sa.String(20), nullable=False),
            sa.Column("tis_number", sa.String(64), nullable=False),
            sa.Column("licensee", sa.Text(), nullable=False),
            sa.Column("brand", sa.Text(), nullable=False),
            sa.Column("models", sa.Text(), nullable=False),
            sa.Column("issued", sa.String(10), nullable=False),
            sa.Column("status", sa.String(12), nullable=False),
            sa.Column("valid_from", sa.Integer(), sa.ForeignKey("registry_versions.id"), nullable=False),
            sa.Column("valid_to", sa.Integer(), sa.ForeignKey("registry_versions.id"), nullable=True),
        )
        op.create_index("ix_registry_licences_current", "registry_licences", ["valid_to", "licence_no"])
        op.create_index("ix_registry_licences_no", "registry_licences", ["licence_no", "valid_from"])
        op.create_index("ix_registry_licences_from", "registry_licences", ["valid_from"])
    if _absent("vocabulary_versions"):
        op.create_table(
            "vocabulary_versions",
            sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
            sa.Column("imported_at", sa.String(32), nullable=False),
            sa.Column("imported_by", sa.String(200), nullable=False),
            sa.Column("source_file", sa.Text(), nullable=False),
            sa.Column("source_sha256", sa.String(64), nullable=False),
            sa.Column("columns", sa.Text(), nullable=False),
            sa.Column("rows_in_file", sa.Integer(), nullable=False),
            sa.Column("warnings", sa.Integer(), nullable=False),
        )
    if _absent("vocabulary_terms"):
        op.create_table(
            "vocabulary_terms",
            sa.Column("version_id", sa.Integer(), sa.ForeignKey("vocabulary_versions.id"), primary_key=True),
            sa.Column("position", sa.Integer(), primary_key=True),
            sa.Column("tis_number", sa.String(64), nullable=False),
            sa.Column("term", sa.Text(), nullable=False),
            sa.Column("values", sa.Text(), nullable=False),
        )


def downgrade() -> None:
    for table in ("vocabulary_terms", "vocabulary_versions", "registry_licences", "registry_versions"):
        op.drop_table(table)
