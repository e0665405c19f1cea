"""How well the stored cases of a demo crawl group the demo market's products (what `make demo` made).

    python -m benchmarks.demo_cases --out out [--db URL] [--size 400 --seed 2432]

The demo catalogue (`crawler/demo_market/`, families in `crawler/demo_market/data/families.json`) knows
which listings are one product: a catalogue entry is one product of one shop, listed on one or more
platforms. Printed, for the export (`OUT/flagged.csv`, flagged listings) and for every stored listing:
- cases with more than one listing;
- wrong merges: cases holding listings of two catalogue entries (and how many of those join two
  product families);
- missed twins: catalogue entries whose listings were split over two or more cases.
"""

from __future__ import annotations

import argparse
import csv
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import select

from crawler.demo_market.catalogue import DEFAULT_SEED, DEFAULT_SIZE, CatalogueEntry, build_catalogue
from pipelines.store import HistoryStore
from pipelines.store.models import ListingRecord, case_label


def measure(
    label: str, cases: Iterable[tuple[tuple[str, str], str]], entries: dict[tuple[str, str], CatalogueEntry]
) -> str:
    members: dict[str, list[CatalogueEntry]] = defaultdict(list)
    cases_of_entry: dict[int, set[str]] = defaultdict(set)
    unknown = 0
    for key, case in cases:
        entry = entries.get(key)
        if entry is None:
            unknown += 1
            continue
        members[case].append(entry)
        cases_of_entry[entry.index].add(case)
    multi = [listed for listed in members.values() if len(listed) > 1]
    wrong = [listed for listed in multi if len({entry.index for entry in listed}) > 1]
    wrong_family = [listed for listed in wrong if len({entry.family for entry in listed}) > 1]
    split = [index for index, found in cases_of_entry.items() if len(found) > 1]
    listed = sum(len(listed) for listed in members.values())
    return (
        f"{label}: {listed} listings in {len(members)} cases; {len(multi)} cases with more than one listing "
        f"({sum(len(listed) for listed in multi)} listings); wrong merges {len(wrong)} "
        f"({len(wrong_family)} across families); missed twins {len(split)} entries split over cases"
        + (f"; {unknown} listings not in the catalogue" if unknown else "")
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", default="out", help="the demo's output folder (default: out)")
    parser.add_argument("--db", help="database URL (default: sqlite:///OUT/tiswatch.sqlite)")
    parser.add_argument("--size", type=int, default=DEFAULT_SIZE)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args()
    out = Path(args.out)
    entries = {
        (platform, entry.listing_id(platform)): entry
        for entry in build_catalogue(args.size, args.seed)
        for platform in entry.platforms
    }
    twins = sum(1 for entry in {e.index: e for e in entries.values()}.values() if len(entry.platforms) > 1)
    print(
        f"demo catalogue: {len(entries)} listings of {args.size} products, "
        f"{twins} listed on several platforms"
    )
    with (out / "flagged.csv").open(encoding="utf-8-sig", newline="") as handle:
        exported = [((row["platform"], row["listing_id"]), row["case_id"]) for row in csv.DictReader(handle)]
    print(measure("export (flagged.csv)", exported, entries))
    store = HistoryStore.from_url(args.db or f"sqlite:///{out / 'tiswatch.sqlite'}")
    with store.session() as session:
        query = select(ListingRecord.platform, ListingRecord.listing_id, ListingRecord.case_key)
        stored = [
            ((platform, listing_id), case_label(case))
            for platform, listing_id, case in session.execute(query)
        ]
    store.engine.dispose()
    print(measure("history (every stored listing)", stored, entries))


if __name__ == "__main__":
    main()
