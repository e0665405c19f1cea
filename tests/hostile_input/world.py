"""A project that already holds work: a SQLite history with two listings from hostile sellers, a
registry version with hostile cells, and an export folder. The careless commands run against it, and
`snapshot()` proves that nothing stored or exported changed."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from matchers.verdict import Verdict
from pipelines.evidence import EvidenceStore
from pipelines.exports import write_exports
from pipelines.store import EvidenceRef, HistoryStore, RegistryRef
from pipelines.store.types import parse_utc
from standards_data.database import make_engine
from standards_data.registry_import import import_registry
from tests.hostile_input.hostile import registry_rows, write_registry_csv

REGISTRY = RegistryRef(ref="csv-aaaa", version=None, source="sample_registry.csv")
# What hostile sellers put where the export shows it.
FORMULA_SKU = '=HYPERLINK("http://evil.example/x","click")'
DDE_SELLER = "=cmd|' /C calc'!A0"
ESCAPES = "\x1b]0;pwned\x07\x1b[2J"
LONG_TITLE = "ปลั๊กพ่วง 4 ช่อง " + "ก" * 1_000_000


@dataclass(frozen=True)
class World:
    root: Path
    db_url: str
    db_file: Path
    out: Path
    registry_licence: str

    def snapshot(self) -> dict[str, str]:
        """Digest of every row of the database and every file of the export folder."""
        digests: dict[str, str] = {}
        connection = sqlite3.connect(f"file:{self.db_file}?mode=ro", uri=True)
        try:
            dump = "\n".join(connection.iterdump())
        finally:
            connection.close()
        digests["database"] = hashlib.sha256(dump.encode("utf-8")).hexdigest()
        for path in sorted(self.out.rglob("*")):
            if path.is_file():
                digests[str(path.relative_to(self.out))] = hashlib.sha256(path.read_bytes()).hexdigest()
        return digests


def _listing(listing_id: str, title: str, seller_name: str, seller_id: str) -> dict[str, object]:
    return {
        "platform": "shopee",
        "listing_id": listing_id,
        "url": f"https://shopee.co.th/product/28841377/{abs(hash(listing_id)) % 10**6}",
        "title": title,
        "description": "สินค้าพร้อมส่ง",
        "brand": "",
        "price": 259.0,
        "currency": "THB",
        "seller_id": seller_id,
        "seller_name": seller_name,
        "attributes": {},
        "crawled_at": "2026-01-05T03:00:00Z",
        "sold": 12,
        "source_url": f"https://shopee.co.th/api/v4/search/search_items?keyword=x#{listing_id}",
    }


def build_world(root: Path) -> World:
    db_file = root / "data" / "tiswatch.sqlite"
    db_url = f"sqlite:///{db_file}"
    store = HistoryStore.from_url(db_url)
    evidence = EvidenceStore(root / "data" / "evidence")
    run_id = store.start_run("shopee", {"keywords": "ปลั๊กพ่วง"}, REGISTRY)
    for listing_id, title, seller, seller_id in (
        (FORMULA_SKU, "ปลั๊กพ่วง ไม่มี มอก.", DDE_SELLER, "666"),
        ("28841377.42", LONG_TITLE, "ร้าน" + ESCAPES, "28841377"),
    ):
        listing = _listing(listing_id, title, seller, seller_id)
        body = json.dumps({"items": [{"name": title[:50]}]}, ensure_ascii=False).encode()
        sha256 = evidence.record(str(listing["source_url"]), body, "2026-01-05T03:00:01Z")
        ref = EvidenceRef(
            sha256,
            str(listing["source_url"]),
            parse_utc("2026-01-05T03:00:01Z"),
            str(evidence.path_for(sha256)),
        )
        verdict = Verdict(listing_id, "uncertified", "2432-2555", None, 70.0, ["no_licence", "Uncertified."])
        store.record_observation(run_id, listing, verdict, REGISTRY, ref)
    store.finish_run(run_id, {"tiswatch/pages_fetched": 1})

    rows = registry_rows(2)
    rows[0][3] = DDE_SELLER  # licensee
    rows[1][3] = "ACME" + ESCAPES
    registry_csv = write_registry_csv(root / "registry.csv", rows)
    outcome = import_registry(make_engine(db_url), registry_csv, mode="replace", imported_by="test")
    assert outcome.ok, outcome.validated.problems.lines()

    out = root / "export"
    write_exports(store, out)
    store.engine.dispose()
    return World(root=root, db_url=db_url, db_file=db_file, out=out, registry_licence=rows[1][0])
