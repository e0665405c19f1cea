"""Benchmark of the history store and the export: how fast listings are stored (one transaction each,
as the store pipeline does), how long closing a run and writing the export take.

    python -m benchmarks.history --listings 5000 [--db URL] [--runs 2] [--shops 400] [--twins 0.25]

Listings are synthetic but shaped like the real ones (Thai titles, spec tables, ~60 % flagged); every
run re-sees 95 % of the previous run's listings with some price changes, so the marks have work to do.
With `--twins F`, a fraction F of the Shopee listings is also sold by the same shop on Lazada, written
differently (a second spider's run each time): closing a run then groups them into cases
(`pipelines/store/case_store.py`), and the time that takes is printed on its own.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

from matchers.verdict import Verdict
from pipelines.exports import write_exports
from pipelines.store import HistoryStore, RegistryRef
from pipelines.store.models import ListingRecord

PRODUCTS = ("ปลั๊กไฟ 4 ช่อง", "หมวกกันน็อค เต็มใบ", "พัดลมตั้งพื้น 16 นิ้ว", "เตารีดไอน้ำ", "หลอดไฟ LED 9W")
VERDICTS = ("certified", "not_regulated", "invalid_licence", "uncertified", "unverifiable")
WEIGHTS = (0.3, 0.1, 0.15, 0.25, 0.2)


def listing(number: int, price: float, shops: int = 400) -> dict:
    product = PRODUCTS[number % len(PRODUCTS)]
    shop = 28_000_000 + number % shops
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
        "seller_name": f"ร้านที่ {shop % shops}",
        "attributes": {"รุ่น": f"X-{number}", "กำลังไฟ": "2300 วัตต์"},
        "crawled_at": "2026-01-05T03:00:00Z",
        "sold": number % 977,
        "source_url": f"https://shopee.co.th/api/v4/search/search_items?keyword=x&newest={number // 60 * 60}",
    }


def twin(number: int, price: float, shops: int = 400) -> dict:
    """The same product from the same shop on Lazada, as Lazada sellers write it."""
    shopee = listing(number, price, shops)
    product = PRODUCTS[number % len(PRODUCTS)]
    return shopee | {
        "platform": "lazada",
        "listing_id": str(4_100_000_000 + number),
        "url": f"https://www.lazada.co.th/products/i{4_100_000_000 + number}.html",
        "title": f"🔥 {product} X-{number} ของแท้ มีมอก. ประกันศูนย์",
        "price": round(price * 1.05, 2),
        "seller_id": str(900_000 + number % shops),
        "source_url": "https://www.lazada.co.th/catalog/?q=x",
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--listings", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--db", help="database URL (default: a new SQLite file in a temporary folder)")
    parser.add_argument("--shops", type=int, default=400, help="shops the listings are spread over")
    parser.add_argument(
        "--twins", type=float, default=0.0, help="fraction of listings also sold on Lazada (cases)"
    )
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
            store.record_observation(run_id, listing(n, price, args.shops), verdict, registry)
        stored = time.perf_counter() - started
        started = time.perf_counter()
        summary = store.finish_run(run_id, {})
        closed = time.perf_counter() - started
        twinned = [n for n in numbers if n % 1000 < args.twins * 1000]
        if twinned:
            lazada_run = store.start_run("lazada", {"bench": run_number}, registry)
            for n in twinned:
                verdict = Verdict(f"l{n}", verdict_of[n], "2432-2555", None, 80.0, ["code", "A sentence."])
                store.record_observation(
                    lazada_run, twin(n, 99 + (n % 50) * 10, args.shops), verdict, registry
                )
            started = time.perf_counter()
            lazada_summary = store.finish_run(lazada_run, {})
            closed += time.perf_counter() - started
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
        if twinned:
            with store.session() as session:
                total = session.execute(select(func.count()).select_from(ListingRecord)).scalar()
                multi = session.execute(
                    select(func.count()).select_from(
                        select(ListingRecord.case_key)
                        .group_by(ListingRecord.case_key)
                        .having(func.count() > 1)
                        .subquery()
                    )
                ).scalar()
            for platform, closed_summary in (("shopee", summary), ("lazada", lazada_summary)):
                cases = closed_summary.get("cases", {})
                print(
                    f"  cases at the close of the {platform} run ({total} stored listings, {len(twinned)} "
                    f"on Lazada too): {cases.get('seconds', 0):.2f} s, {cases.get('examined', 0)} listings "
                    f"regrouped, {cases.get('changed', 0)} given a case number, {cases.get('new_cases', 0)} "
                    f"new cases; {multi} cases with more than one listing"
                )
        # Next run: 5 % of listings gone, as many new ones.
        keep = numbers[len(numbers) // 20 :]
        numbers = keep + list(range(max(numbers) + 1, max(numbers) + 1 + len(numbers) - len(keep)))


if __name__ == "__main__":
    main()
