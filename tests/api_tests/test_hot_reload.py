"""A registry or vocabulary imported while the server answers checks is picked up without a restart and
without a failed request."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from standards_data import DATA_DIR
from tests.api_tests.conftest import import_registry
from tests.api_tests.server import LoadThread, ServerProcess, tiswatch_output

REINSTATED = "น6387-55/2879"
POWER_BANK = {"title": "พาวเวอร์แบงค์ Samsung SA-331 10000mAh", "licence_no": REINSTATED}
NEW_WORD = {"title": "ปลั๊กวิเศษ Haco รุ่น HA-4980", "listing_id": "new-word"}
LOAD = [
    POWER_BANK,
    {"title": "ปลั๊กพ่วง Haco 4 ช่อง รุ่น HA-4980 มอก.2432-2555"},
    {"title": "หมวกกันน็อค SPEEDY มอก.369 Model MG 881"},
    {"title": "เสื้อยืด cotton 100%"},
    NEW_WORD,
]


def _wait_for(client: httpx.Client, field: str, value: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if client.get("/health").json()[field] == value:
            return
        time.sleep(0.1)
    pytest.fail(f"the server did not pick up {field} {value} within {timeout} s")


@pytest.mark.slow
def test_new_registry_and_vocabulary_versions_swap_in_under_load(
    server: ServerProcess, client: httpx.Client, key: str, dev_db: str, tmp_path: Path
) -> None:
    assert client.post("/check", json=POWER_BANK).json()["verdict"] == "invalid_licence"
    assert client.post("/check", json=NEW_WORD).json()["verdict"] == "not_regulated"
    load = [LoadThread(server.api, key, LOAD) for _ in range(3)]
    for thread in load:
        thread.start()
    try:
        time.sleep(1.0)
        # Version 2: the revoked licence is active again.
        update = tmp_path / "reinstated.csv"
        update.write_text(
            "licence_no,licence_type,tis_number,licensee,brand,models,issued,status\n"
            f"{REINSTATED},import,2879-2560,บริษัท ซัมซุง อินเตอร์เนชั่นแนล จำกัด (มหาชน),Samsung,SA-331,"
            "2022-10-04,active\n",
            encoding="utf-8",
        )
        import_registry(dev_db, update, "--update")
        _wait_for(client, "registry_version", "db-v2")
        # A vocabulary version with a product word the bundled file does not have.
        vocabulary = tmp_path / "vocabulary.csv"
        vocabulary.write_text(
            (DATA_DIR / "vocabulary.csv").read_text(encoding="utf-8")
            + "2432-2555,cord_extension_set,product,ปลั๊กวิเศษ,0\n",
            encoding="utf-8",
        )
        status, printed = tiswatch_output("registry", "vocabulary", "import", str(vocabulary), "--db", dev_db)
        assert status == 0, printed
        _wait_for(client, "vocabulary_version", "db-v1")
        time.sleep(1.0)
    finally:
        for thread in load:
            thread.stop()

    statuses = [status for thread in load for status in thread.statuses]
    assert len(statuses) > 50
    assert set(statuses) == {200}, f"non-200 answers during the swaps: {sorted(set(statuses))}"
    versions = {(a["registry_version"], a["vocabulary_version"]) for t in load for a in t.answers}
    assert {("db-v1", "bundled"), ("db-v2", "bundled"), ("db-v2", "db-v1")} <= versions
    after = client.post("/check", json=POWER_BANK).json()
    assert (after["verdict"], after["licence"]["status"], after["registry_version"]) == (
        "certified",
        "active",
        "db-v2",
    )
    assert client.post("/check", json=NEW_WORD).json()["verdict"] == "certified"
    assert client.get(f"/licences/{REINSTATED}").json()["status"] == "active"
