"""Benchmark of the seller-name step of case grouping (`pipelines.cases.seller_groups`): shops selling
on two platforms, their names written the way shops name themselves (common shop words in Thai and
English and a name of their own; 30% of shops use the same name on both platforms).

    python -m benchmarks.shop_names                      # 5,000 and 20,000 shops
    python -m benchmarks.shop_names --shops 50000 --compare

Prints the distinct names, the seconds, and the shops found on both platforms. `--compare` also times
the pair-by-pair comparison the step used before (`process.extract` with `token_sort_ratio`, each name
against the rest) and checks both find the same pairs.
"""

from __future__ import annotations

import argparse
import random
import string
import sys
import time

from rapidfuzz import fuzz, process

from pipelines.cases import SELLER_NAME_SIMILARITY, seller_groups
from pipelines.near_names import near_name_pairs

SHOP_WORDS = [
    "shop", "store", "official", "mall", "thailand", "ร้าน", "ไฟฟ้า", "plus", "home", "smart",
    "power", "led", "บ้าน", "ช่าง", "electric", "tools", "mart", "house", "center", "express",
]  # fmt: skip


def _shop_name(rng: random.Random) -> str:
    words = " ".join(rng.choice(SHOP_WORDS) for _ in range(rng.randint(1, 3)))
    own = "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(3, 8)))
    return f"{words} {own}"


def _listings(shops: int, seed: int) -> dict[tuple[str, str], str]:
    rng = random.Random(seed)
    names: dict[tuple[str, str], str] = {}
    for number in range(shops):
        name = _shop_name(rng)
        names[("shopee", f"s{number}")] = name
        names[("lazada", f"l{number}")] = name if rng.random() < 0.3 else _shop_name(rng)
    return names


def _pairwise(names: list[str]) -> set[tuple[int, int]]:
    pairs = set()
    for i in range(len(names) - 1):
        for _, _, offset in process.extract(
            names[i],
            names[i + 1 :],
            scorer=fuzz.token_sort_ratio,
            score_cutoff=SELLER_NAME_SIMILARITY,
            limit=None,
        ):
            pairs.add((i, i + 1 + offset))
    return pairs


def run(shops: int, seed: int, compare: bool) -> None:
    names = _listings(shops, seed)
    distinct = len(set(names.values()))
    started = time.perf_counter()
    groups = seller_groups(names)
    seconds = time.perf_counter() - started
    print(
        f"{shops:,} shops on two platforms, {distinct:,} distinct names: seller_groups {seconds:.1f} s; "
        f"{len(groups):,} shops found on both platforms"
    )
    if compare:
        unique = sorted({name.casefold() for name in names.values()})
        started = time.perf_counter()
        before = _pairwise(unique)
        pairwise_seconds = time.perf_counter() - started
        started = time.perf_counter()
        now = set(near_name_pairs(unique, SELLER_NAME_SIMILARITY))
        now_seconds = time.perf_counter() - started
        print(
            f"  near-name pairs of {len(unique):,} names: pair by pair {pairwise_seconds:.1f} s, "
            f"near_name_pairs {now_seconds:.1f} s; same pairs: {before == now} ({len(now):,})"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.shop_names", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--shops", default="5000,20000", help="shop counts, comma-separated")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--compare", action="store_true", help="also time the pair-by-pair comparison")
    args = parser.parse_args(argv)
    for shops in (int(part) for part in args.shops.split(",")):
        run(shops, args.seed, args.compare)
    return 0


if __name__ == "__main__":
    sys.exit(main())
