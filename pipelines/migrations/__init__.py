"""Alembic migrations of the tiswatch database (history and registry tables)."""
