"""Benchmark of the review desk: queue and listing page server time over 100,000 flagged listings.

    python -m benchmarks.bench_desk [--flagged 100000] [--requests 200] [--pg URL]

Builds a history with one finished run of `--flagged` flagged listings (Thai titles, 2,000 sellers, three
platforms, a dozen standards) in a fresh SQLite file, and in a fresh PostgreSQL database when `--pg URL`
(or TISWATCH_BENCH_PG_URL) names a server; builds the desk's queue; then times `--requests` requests of
the queue page (a mix of filters, Thai search and deep pages) and of listing pages through the real app
(in-process ASGI client: server time, no network) and prints p50 / p95 per page and database.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
import uuid
from contextlib import AbstractContextManager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import insert, text

from pipelines.store import HistoryStore, RegistryRef
from pipelines.store.models import COMPLETE, ListingRecord, Observation, Verdict
from standards_data.database import scratch_postgres_database
from tiswatch.server import ServerConfig, create_app
from tiswatch.web.auth import add_user
from tiswatch.web.queue import rebuild_queue

PRODUCTS = (
    ("ปลั๊กพ่วง 4 ช่อง 3 เมตร", "2432-2555"),
    ("หมวกกันน็อค เต็มใบ", "369-2557"),
    ("พัดลมตั้งพื้น 16 นิ้ว", "934-2558"),
    ("เตารีดไอน้ำ 1600W", "366-2547"),
    ("หลอดไฟ LED 9W", "1955-2551"),
    ("กาต้มน้ำไฟฟ้า 1.8 ลิตร", "2062-2544"),
    ("สายไฟ VCT 2x1.5", "11-2553"),
    ("เบรกเกอร์ กันดูด 32A", "909-2548"),
    ("หม้อหุงข้าว 1 ลิตร", "1039-2547"),
    ("ที่ชาร์จ USB 20W", "62368 เล่ม 1-2564"),
    ("ไดร์เป่าผม 1200W", "1985-2549"),
    ("เครื่องทำน้ำอุ่น 3500W", "1693-2547"),
)
PLATFORMS = ("shopee", "lazada", "shop")
VERDICTS = ("invalid_licence", "uncertified", "unverifiable")
REGISTRY = RegistryRef(ref="csv-bench", version=None, source="bench")
PASSWORD = "bench password 2569"


def fill(db_url: str, flagged: int, seed: int = 15) -> float:
    """One finished run of `flagged` flagged listings, written in bulk; returns the seconds taken."""
    started = time.perf_counter()
    random.seed(seed)
    store = HistoryStore.from_url(db_url)
    run_id = store.start_run("bench", {"keywords": "bench"}, REGISTRY)
    now = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
    batch = 5000
    with store.engine.begin() as connection:
        for start in range(0, flagged, batch):
            numbers = range(start, min(start + batch, flagged))
            listings, verdicts, observations = [], [], []
            for number in numbers:
                # Drawn independently: product, platform, seller and verdict are not tied to each other
                # (a modulo pattern would put all of one product at one verdict, far down the queue).
                product, standard = random.choice(PRODUCTS)
                platform = random.choice(PLATFORMS)
                seller = random.randrange(2000)
                verdict = random.choice(VERDICTS)
                shop = f"{70_000_000 + seller}"
                title = f"{product} รุ่น X-{number} ส่งไว ราคาถูก ร้าน {seller}"
                digest = uuid.UUID(int=random.getrandbits(128)).hex + "0" * 32
                price = round(random.uniform(59, 4999), 2)
                sold = random.randint(0, 3000)
                key = number + 1
                listings.append(
                    {
                        "id": key,
                        "platform": platform,
                        "listing_id": f"{shop}.{21_000_000_000 + number}",
                        "url": f"https://{platform}.example/product/{shop}/{number}",
                        "title": title,
                        "seller_id": shop,
                        "seller_name": f"ร้านที่ {seller}",
                        "content_hash": digest,
                        "first_seen_at": now - timedelta(days=number % 30),
                        "last_seen_at": now,
                        "first_run_id": run_id,
                        "last_run_id": run_id,
                    }
                )
                verdicts.append(
                    {
                        "id": key,
                        "listing_key": key,
                        "content_hash": digest,
                        "registry_ref": REGISTRY.ref,
                        "registry_version": None,
                        "verdict": verdict,
                        "flagged": True,
                        "tis_number": standard,
                        "licence_no": None,
                        "score": 60.0,
                        "reasons": ["brand_field", f"Judged {verdict} (bench)."],
                        "judged_at": now,
                    }
                )
                observations.append(
                    {
                        "run_id": run_id,
                        "listing_key": key,
                        "observed_at": now,
                        "scope": "",
                        "title": title,
                        "price": price,
                        "currency": "THB",
                        "sold": sold,
                        "content_hash": digest,
                        "verdict_id": key,
                        "evidence_id": None,
                        "data": {
                            "platform": platform,
                            "title": title,
                            "price": price,
                            "sold": sold,
                            "brand": "",
                            "seller_id": shop,
                            "seller_name": f"ร้านที่ {seller}",
                            "description": "สินค้าพร้อมส่ง รับประกัน 1 ปี",
                            "attributes": {"วัสดุ": "พลาสติก"},
                        },
                    }
                )
            connection.execute(insert(ListingRecord.__table__), listings)  # type: ignore[arg-type]
            connection.execute(insert(Verdict.__table__), verdicts)  # type: ignore[arg-type]
            connection.execute(insert(Observation.__table__), observations)  # type: ignore[arg-type]
        if connection.dialect.name == "postgresql":
            # Rows were inserted with explicit ids: move the sequences past them.
            for table in ("listings", "verdicts"):
                connection.execute(text(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))"))
    # Closed like a crawl closes its run: status and coverage first, then the comparison.
    store.finish_run(run_id, {"finish_reason": "finished"}, status=COMPLETE, finish_reason="finished")
    with store.session() as session, session.begin():
        add_user(session, "bench", "investigator", PASSWORD)
    store.engine.dispose()
    return time.perf_counter() - started


def _queue_requests(count: int) -> list[dict[str, str]]:
    random.seed(7)
    mixes: list[dict[str, str]] = []
    for number in range(count):
        kind = number % 8
        if kind == 0:
            mixes.append({})
        elif kind == 1:
            mixes.append({"verdict": random.choice(VERDICTS)})
        elif kind == 2:
            mixes.append({"platform": random.choice(PLATFORMS), "standard": random.choice(PRODUCTS)[1]})
        elif kind == 3:
            mixes.append({"q": random.choice(("หมวกกันน็อค", "ปลั๊กพ่วง", "X-4242", "กาต้มน้ำ"))})
        elif kind == 4:
            mixes.append({"page": str(random.randint(2, 200))})  # 200 pages of 50: the pageable depth
        elif kind == 5:
            mixes.append({"seller": str(70_000_000 + random.randint(0, 1999))})
        elif kind == 6:
            mixes.append({"decision": "any", "mark": "new", "page": str(random.randint(1, 50))})
        else:
            mixes.append({"mine": "1"})
    return mixes


def _percentiles(times: list[float]) -> tuple[float, float]:
    # statistics.quantiles' 19th cut point of 20 is the 95th percentile.
    return statistics.median(times) * 1000, statistics.quantiles(times, n=20)[18] * 1000


def measure(db_url: str, label: str, flagged: int, requests: int) -> None:
    filled = fill(db_url, flagged)
    store = HistoryStore.from_url(db_url)
    started = time.perf_counter()
    rows = rebuild_queue(store)
    queue_build = time.perf_counter() - started
    store.engine.dispose()
    app = create_app(ServerConfig(db_url=db_url))
    with TestClient(app) as client:
        login = client.get("/login")
        token = login.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        client.post("/login", data={"username": "bench", "password": PASSWORD, "csrf_token": token})
        client.get("/queue")  # warm-up: connection pool, templates
        queue_times = []
        for params in _queue_requests(requests):
            started = time.perf_counter()
            response = client.get("/queue", params=params)
            queue_times.append(time.perf_counter() - started)
            assert response.status_code == 200, response.text[:200]
        random.seed(11)
        listing_times = []
        for _ in range(requests):
            key = random.randint(1, flagged)
            started = time.perf_counter()
            response = client.get(f"/listings/{key}")
            listing_times.append(time.perf_counter() - started)
            assert response.status_code == 200, response.text[:200]
    app.state.desk.store.engine.dispose()
    q50, q95 = _percentiles(queue_times)
    l50, l95 = _percentiles(listing_times)
    print(
        f"{label}: {flagged:,} flagged listings written in {filled:.1f} s; "
        f"queue built ({rows:,} rows) in {queue_build:.1f} s"
    )
    print(
        f"{label}: queue page   p50 {q50:.0f} ms, p95 {q95:.0f} ms over {requests} requests "
        "(target p95 < 300 ms)"
    )
    print(
        f"{label}: listing page p50 {l50:.0f} ms, p95 {l95:.0f} ms over {requests} requests "
        "(target p95 < 300 ms)"
    )


def postgres_database(server: str) -> AbstractContextManager[str]:
    return scratch_postgres_database(server, "tiswatch_bench")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.bench_desk", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--flagged", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument(
        "--pg",
        default=os.environ.get("TISWATCH_BENCH_PG_URL") or os.environ.get("TISWATCH_TEST_PG_URL"),
        help="PostgreSQL server URL (a database is created and dropped)",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        measure(f"sqlite:///{Path(folder) / 'bench.sqlite'}", "SQLite", args.flagged, args.requests)
    if args.pg:
        with postgres_database(args.pg) as url:
            measure(url, "PostgreSQL", args.flagged, args.requests)
    else:
        print("PostgreSQL: skipped (no --pg URL or TISWATCH_BENCH_PG_URL)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
