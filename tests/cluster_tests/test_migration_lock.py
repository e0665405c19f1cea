"""Workers starting together against a fresh PostgreSQL database migrate it once: the migration runs
under an advisory lock, so none of them crashes on `UniqueViolation … alembic_version`."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from sqlalchemy import create_engine, text

from standards_data.database import normalise_db_url

pytestmark = pytest.mark.postgres

STARTERS = 4
# What a worker does first with the database (`RunContext.store`, `campaign start`), all at one moment
# (after the imports, which take each process a different time).
START = (
    "import sys, time; from pipelines.store import HistoryStore; "
    "time.sleep(max(0.0, float(sys.argv[2]) - time.time())); HistoryStore.from_url(sys.argv[1])"
)


def test_processes_starting_together_migrate_once(pg_url: str) -> None:
    at = str(time.time() + 15)
    starters = [
        subprocess.Popen([sys.executable, "-c", START, pg_url, at], stderr=subprocess.PIPE, text=True)
        for _ in range(STARTERS)
    ]
    results = [(starter.wait(timeout=120), starter.communicate()[1]) for starter in starters]
    assert [code for code, _ in results] == [0] * STARTERS, [error[-2000:] for _, error in results]
    engine = create_engine(normalise_db_url(pg_url))
    with engine.connect() as connection:
        versions = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    engine.dispose()
    assert len(versions) == 1
