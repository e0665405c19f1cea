"""Pairs of names at least `cutoff` similar by rapidfuzz's token-sort ratio, fast enough for every shop
name of a national crawl: comparing each name with the rest by `process.extract` and `token_sort_ratio`
re-sorted the words of both names at every one of the n²/2 comparisons (`python -m benchmarks.shop_names
--compare`: 8,525 names 15.3 s, 33,955 names 210.7 s; this function 0.6 s and 6.9 s, the same pairs).

Here each name's words are sorted once (token-sort ratio is `ratio` on the word-sorted names), and
`process.cdist` scores block after block of names against the names after them with `ratio` — in C,
on every core, a block at a time so that memory stays at block × n bytes. Its scores are rounded to
whole numbers, so it keeps pairs a little below the cutoff, and every kept pair is then scored again
by `token_sort_ratio` itself: the pairs are exactly those the pair-by-pair comparison found
(a property test checks it against that brute force).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
from rapidfuzz import fuzz, process

# Names per block scored against the rest: 2,048 × 100,000 names is 200 MB of uint8 scores at most.
BLOCK = 2048
# Below the cutoff by this much, cdist's rounded scores (and word splitting) cannot drop a pair.
SLACK = 2


def _sorted_words(name: str) -> str:
    return " ".join(sorted(name.split()))


def near_name_pairs(
    names: Sequence[str], cutoff: float, workers: int = -1, block: int = BLOCK
) -> Iterator[tuple[int, int]]:
    """(i, j), i < j, for every pair of `names` whose token-sort ratio is at least `cutoff`."""
    texts = [_sorted_words(name) for name in names]
    for start in range(0, len(texts), block):
        scores = process.cdist(
            texts[start : start + block],
            texts[start:],
            scorer=fuzz.ratio,
            score_cutoff=max(0, cutoff - SLACK),
            dtype=np.uint8,
            workers=workers,
        )
        rows, columns = np.nonzero(scores)
        for row, column in zip(rows.tolist(), columns.tolist(), strict=True):
            i, j = start + row, start + column
            if j > i and fuzz.token_sort_ratio(names[i], names[j], score_cutoff=cutoff):
                yield i, j
