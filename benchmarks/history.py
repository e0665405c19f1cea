"""Benchmark of the history store and the export: how fast listings are stored (one transaction each,
as the store pipeline does), how long closing a run and writing the export take.

    python -m benchmarks.history --listings 5000 [--db URL] [--runs 2]

Listings are synthetic but shaped like the real ones (Thai titles, spec tables, ~60 % flagged); every
run re-sees 95 % of the previous run's listings with some price changes, so the marks have work to do.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from matchers.verdict import Verdict
from pipelines.exports import write_exports
from pipelines.store import HistoryStore, RegistryRef

PRODUCTS = ("ปลั๊กไฟ 4 ช่อง", "หมวกกันน็อค เต็มใบ", "พัดลมตั้งพื้น 16 นิ้ว", "เตารีดไอน้ำ", "หลอดไฟ LED 9W")
VERDICTS = ("certified", "not_regulated", "invalid_licence", "uncertified", "unverifiable")
WEIGHTS = (0.3, 0.1, 0.15, 0.25, 0.2)


def listing(number: int, price: float) -> dict:
    product = PRODUCTS[number % len(PRODUCTS)]
    shop = 28_000_000 + number % 400
    return {
        "platform": "shopee",
        "listing_id": f"{shop}.{21_000_000_000 + number}",
        "url": f"https://shopee.co.th/product/{shop}/{21_000_000_000 + number}",
        "title": f"{product} รุ่น X-{number} มอก. ส่งไว ราคาถูก",
        "description": "สินค้าพร้อมส่ง\nรับประกัน 1 ปี",
        "brand": "",
        "price": price,
        "currency": "THB",
        "seller_id": str(shop),
        "seller_name": f"ร้านที่ {shop % 400}",
        "attributes": {"รุ่น": f"X-{number}", "กำลังไฟ": "2300 วัตต์"},
        "crawled_at": "2026-01-05T03:00:00Z",
        "sold": number % 977,
        "source_url": f"https://shopee.co.th/api/v4/search/search_items?keyword=x&newest={number // 60 * 60}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--listings", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--db", help="database URL (default: a new SQLite file in a temporary folder)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="tiswatch-bench-"))
    store = HistoryStore.from_url(args.db or f"sqlite:///{folder / 'bench.sqlite'}")
    registry = RegistryRef("csv-bench", None, "bench")
    rng = random.Random(2432)
    verdict_of = {n: rng.choices(VERDICTS, WEIGHTS)[0] for n in range(args.listings * 2)}
    numbers = list(range(args.listings))
    for run_number in range(1, args.runs + 1):
        run_id = store.start_run("shopee", {"bench": run_number}, registry)
        started = time.perf_counter()
        for n in numbers:
            price = round(99 + (n % 50) * 10 * (0.9 if rng.random() < 0.1 else 1.0), 2)
            verdict = Verdict(f"{n}", verdict_of[n], "2432-2555", None, 80.0, ["code", "A sentence."])
            store.record_observation(run_id, listing(n, price), verdict, registry)
        stored = time.perf_counter() - started
        started = time.perf_counter()
        summary = store.finish_run(run_id, {})
        closed = time.perf_counter() - started
        started = time.perf_counter()
        result = write_exports(store, folder / f"export-{run_number}", run_ids=[run_id])
        exported = time.perf_counter() - started
        print(
            f"run {run_number}: stored {len(numbers)} listings in {stored:.1f} s "
            f"({len(numbers) / stored:.0f}/s); close+summary {closed:.2f} s; export of "
            f"{len(result.report.flagged_rows)} flagged + {result.listings_written} listings "
            f"{exported:.2f} s; "
            f"new {summary['new']}, still {summary['still_flagged']}, gone {summary['gone']}"
        )
        # Next run: 5 % of listings gone, as many new ones.
        keep = numbers[len(numbers) // 20 :]
        numbers = keep + list(range(max(numbers) + 1, max(numbers) + 1 + len(numbers) - len(keep)))


if __name__ == "__main__":
    main()
