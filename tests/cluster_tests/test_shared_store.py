"""Evidence in the shared database: a campaign whose two workers run on two "machines" (separate
working folders, no shared disk) keeps every response body as a row of the history (`campaign start
--evidence-store database`), and the export and the review desk open every evidence item through the
one lookup (`pipelines.evidence.stored_evidence`). Real redis-server, PostgreSQL, demo marketplace."""

from __future__ import annotations

import csv
import gzip
import hashlib
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select

from crawler.demo_market import DemoMarket
from pipelines.evidence import DATABASE_REFERENCE
from pipelines.store.history import HistoryStore
from pipelines.store.models import Evidence, EvidenceBlob
from standards_data.database import normalise_db_url
from tests.cluster_tests.test_campaign import run_rows, start_campaign, start_worker, stop, write_plans
from tests.desk_tests.conftest import PASSWORD, log_in
from tiswatch.server import ServerConfig, create_app
from tiswatch.web.auth import add_user

pytestmark = pytest.mark.slow


def test_two_machines_keep_evidence_in_the_database_and_the_desk_opens_all_of_it(
    redis_url: str, pg_url: str, tmp_path: Path
) -> None:
    machines = {name: tmp_path / name for name in ("machine-a", "machine-b")}
    for folder in machines.values():
        folder.mkdir()
    out = tmp_path / "exports"
    with DemoMarket(port=0) as market:
        plans = write_plans(tmp_path / "plans.toml", market.base_url)
        campaign_id = start_campaign(
            tmp_path,
            plans,
            redis_url,
            pg_url,
            "--evidence-store",
            "database",
            "-s",
            "TISWATCH_FLEET_DELAY=0.02",
        )
        workers = [
            start_worker(
                machines["machine-a"], redis_url, pg_url, "worker-a", "--until-idle", "--out", str(out)
            ),
            start_worker(machines["machine-b"], redis_url, pg_url, "worker-b", "--until-idle"),
        ]
        try:
            exits = [worker.wait(timeout=300) for worker in workers]
            outputs = [worker.communicate()[0] for worker in workers]
        finally:
            stop(workers)
    assert exits == [0, 0], outputs
    assert [state for _, _, state in run_rows(pg_url)] == ["complete"]
    # Nothing on either machine's disk: the default files store would have written data/evidence there.
    assert [path for folder in machines.values() for path in folder.rglob("*.gz")] == []

    engine = create_engine(normalise_db_url(pg_url))
    with engine.connect() as connection:
        evidence = connection.execute(select(Evidence.sha256, Evidence.path)).all()
        blobs = dict(connection.execute(select(EvidenceBlob.sha256, EvidenceBlob.gzip)).all())
    engine.dispose()
    assert evidence and {path for _, path in evidence} == {DATABASE_REFERENCE}
    assert {sha for sha, _ in evidence} <= set(blobs)
    for sha, compressed in blobs.items():  # content-addressed: each row is the body its key names
        assert hashlib.sha256(gzip.decompress(compressed)).hexdigest() == sha

    # The export (written by worker-a on finishing) carries every flagged listing's evidence file.
    with open(out / campaign_id / "evidence" / "manifest.csv", encoding="utf-8") as handle:
        manifest = list(csv.DictReader(handle))
    with_evidence = [row for row in manifest if row["sha256"]]
    assert with_evidence and all(row["status"] == "ok" for row in with_evidence)
    for row in with_evidence:
        body = gzip.decompress((out / campaign_id / row["file"]).read_bytes())
        assert hashlib.sha256(body).hexdigest() == row["sha256"]

    # The review desk opens every evidence item of the history.
    store = HistoryStore.from_url(pg_url)
    with store.session() as session, session.begin():
        add_user(session, "ann", "investigator", PASSWORD)
    store.engine.dispose()
    app = create_app(ServerConfig(db_url=pg_url))
    with TestClient(app) as client:
        assert log_in(client, "ann").status_code == 303
        for sha in sorted({sha for sha, _ in evidence}):
            page = client.get(f"/evidence/{sha}")
            assert page.status_code == 200, sha
            assert sha in page.text
    app.state.desk.store.engine.dispose()
