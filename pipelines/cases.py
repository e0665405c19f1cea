"""One case per product: the same product sold by the same seller on several platforms is one case.

`group_cases(listings)` takes Listing-contract records (dicts) and puts every listing in one case. Two
listings are put in one case when
- they are on different platforms (one platform's own listings are its own identities; a seller who lists
  one product twice on one platform is two listings there, as the platform shows it),
- their sellers are the same shop (`same_seller`: the shop name, written the same once case, spacing,
  punctuation and Thai digits are set aside, or nearly the same with the same numbers — `Lucky Store 2` and
  `Lucky Store 5` are two shops), and
- the product pair matcher (`matchers.product_pairs`, the `general` model: fitted on the public
  benchmarks' train splits, on the pair's own features — a shop has too few listings for "nearest
  neighbour" features to mean what they mean in a whole catalogue) says they are the same product: at
  least its threshold, and each the other's best candidate among the shop's listings on that platform.
Matches are joined transitively (Shopee ↔ Lazada ↔ own shop).

This module only groups. The numbers people read (`C-000123`) are the history's: `stable_cases` keeps
them across runs (a case keeps its number while it keeps most of its listings; a listing that joins gets
the case's number; one that leaves gets a new one), and `pipelines/store/case_store.py` stores them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz, process

from pipelines.near_names import near_name_pairs

if TYPE_CHECKING:
    from matchers.product_pairs import Corpus, PairModel, Product


def _pair_matcher() -> ModuleType:
    """The product-pair matcher, imported when there is something to pair: it brings LightGBM, numpy and
    SciPy (about 40 MB), which a crawl that found no shop on two platforms never needs."""
    from matchers import product_pairs

    return product_pairs


# How many of the most similar titles on the other platform each listing is scored against (_twins).
SHORTLIST = 3
# Shop names this close (token-sort ratio, 0–100) and with the same numbers are one shop.
SELLER_NAME_SIMILARITY = 92
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_NOT_ALNUM = re.compile(r"[\W_]+")
_DIGITS = re.compile(r"\d+")
# Spec-table keys that hold the model (Lazada/Shopee/own-shop spellings).
_MODEL_KEYS = ("model", "รุ่น", "model no", "model number", "รหัสรุ่น")

ListingKey = tuple[str, str]
"""(platform, listing_id): a listing's identity across runs."""


def listing_key(listing: Mapping[str, Any]) -> ListingKey:
    return (str(listing.get("platform") or ""), str(listing.get("listing_id") or ""))


def seller_name_key(name: str) -> str:
    """The shop name with case, spacing, punctuation and Thai digits set aside."""
    return _NOT_ALNUM.sub("", name.translate(_THAI_DIGITS).casefold())


def _comparable(name: str) -> str:
    return name.translate(_THAI_DIGITS).casefold()


def same_seller(name_a: str, name_b: str) -> bool:
    key_a, key_b = seller_name_key(name_a), seller_name_key(name_b)
    if not key_a or not key_b:
        return False
    if key_a == key_b:
        return True
    a, b = _comparable(name_a), _comparable(name_b)
    # Numbers tell branch shops apart (`Lucky Store 2`, `Lucky Store 5`): they must agree exactly.
    if _DIGITS.findall(a) != _DIGITS.findall(b):
        return False
    return fuzz.token_sort_ratio(a, b) >= SELLER_NAME_SIMILARITY


def listing_product(listing: Mapping[str, Any]) -> Product:
    """The pair matcher's view of a listing: title, brand, model (from the spec table), description, price."""
    attributes = listing.get("attributes") or {}
    model = ""
    if isinstance(attributes, Mapping):
        for key, value in attributes.items():
            if str(key).strip().casefold() in _MODEL_KEYS and value:
                model = str(value)
                break
    return _pair_matcher().make_product(
        {
            "title": listing.get("title") or "",
            "brand": listing.get("brand") or "",
            "model": model,
            "description": listing.get("description") or "",
            "price": listing.get("price"),
        }
    )


def _pool_id(key: ListingKey) -> str:
    return f"{key[0]}:{key[1]}"


Case = tuple[ListingKey, ...]
"""A case's listings in (platform, listing_id) order; the first is its anchor."""


class _Groups:
    """Union-find over listing keys."""

    def __init__(self, keys: Iterable[ListingKey]) -> None:
        self.parent = {key: key for key in keys}

    def find(self, key: ListingKey) -> ListingKey:
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def join(self, a: ListingKey, b: ListingKey) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            self.parent[max(root_a, root_b)] = min(root_a, root_b)


def seller_groups(seller_names: Mapping[ListingKey, str]) -> list[list[ListingKey]]:
    """Listings (key → the shop's name as its platform shows it) grouped by shop, the shops that sell on
    more than one platform only."""
    names = sorted(set(seller_names.values()) - {""})
    shops = _Groups((name, "") for name in names)
    by_key: dict[str, list[str]] = defaultdict(list)
    for name in names:
        by_key[seller_name_key(name)].append(name)
    for same_key in by_key.values():
        for name in same_key[1:]:
            shops.join((same_key[0], ""), (name, ""))
    # Near-identical names: only names with the same numbers can be one shop, so they are compared
    # within those blocks (`near_name_pairs`: every pair, scored in C a block of names at a time).
    blocks: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for same_key in by_key.values():
        blocks[tuple(_DIGITS.findall(_comparable(same_key[0])))].append(same_key[0])
    for block in blocks.values():
        comparable = [_comparable(name) for name in block]
        for i, j in near_name_pairs(comparable, SELLER_NAME_SIMILARITY):
            shops.join((block[i], ""), (block[j], ""))
    groups: dict[ListingKey, list[ListingKey]] = defaultdict(list)
    for key, name in seller_names.items():
        if name:
            groups[shops.find((name, ""))].append(key)
    return [members for members in groups.values() if len({platform for platform, _ in members}) > 1]


def _platform_pairs(members: list[ListingKey]) -> list[tuple[list[ListingKey], list[ListingKey]]]:
    """A shop's listings split by platform, each pair of platforms once (Shopee/Lazada, Lazada/own shop…)."""
    by_platform: dict[str, list[ListingKey]] = defaultdict(list)
    for key in sorted(members):
        by_platform[key[0]].append(key)
    platforms = sorted(by_platform)
    return [(by_platform[p], by_platform[q]) for i, p in enumerate(platforms) for q in platforms[i + 1 :]]


def _candidates(
    left: list[ListingKey], right: list[ListingKey], products: Mapping[ListingKey, Product]
) -> list[tuple[ListingKey, ListingKey]]:
    """The pairs of one shop's listings on two platforms worth scoring: each listing's few most similar
    titles on the other platform (rapidfuzz, in C). A twin is among them, and a shop with hundreds of
    listings would otherwise cost hundreds squared pair-matcher calls."""
    similarity = process.cdist(
        [products[key].title for key in left],
        [products[key].title for key in right],
        scorer=fuzz.token_set_ratio,
        workers=1,
    )
    shortlist = min(SHORTLIST, len(right), len(left))
    chosen: set[tuple[int, int]] = set()
    for i, row in enumerate(similarity):
        chosen.update((i, int(j)) for j in row.argsort()[::-1][:shortlist])
    for j, column in enumerate(similarity.T):
        chosen.update((int(i), j) for i in column.argsort()[::-1][:shortlist])
    return [(left[i], right[j]) for i, j in sorted(chosen)]


def _twins(
    jobs: list[list[tuple[ListingKey, ListingKey]]],
    products: Mapping[ListingKey, Product],
    corpus: Corpus,
    model: PairModel,
) -> list[tuple[ListingKey, ListingKey]]:
    """The candidate pairs the pair matcher calls one product. All candidates are scored in one call
    (the booster's per-call cost is milliseconds); each job — one shop, two platforms — is decided on
    its own (best candidate of both its listings, at least the threshold)."""
    pairs = _pair_matcher()
    rows = [pairs.features(products[a], products[b], corpus) for job in jobs for a, b in job]
    scores = model.scores(rows) if rows else []
    matched: list[tuple[ListingKey, ListingKey]] = []
    offset = 0
    for job in jobs:
        job_scores = scores[offset : offset + len(job)]
        offset += len(job)
        decisions = pairs.decide([(_pool_id(a), _pool_id(b)) for a, b in job], job_scores, model.threshold)
        matched.extend(pair for pair, same in zip(job, decisions, strict=True) if same)
    return matched


def group_cases(listings: Sequence[Mapping[str, Any]], model: PairModel | None = None) -> list[Case]:
    """Every listing's case, each listing in exactly one (a listing with no twin is a case of its own);
    cases in order of their anchors."""
    by_key = {listing_key(listing): listing for listing in listings}
    groups = _Groups(by_key)
    shops = seller_groups({key: str(listing.get("seller_name") or "") for key, listing in by_key.items()})
    if shops:
        pairs = _pair_matcher()
        products = {key: listing_product(listing) for key, listing in by_key.items()}
        model = model or pairs.load_model()
        if model.uses_neighbours:
            raise ValueError("cases need a pair model without neighbour features (fit with --no-neighbours)")
        corpus = pairs.Corpus.of(products.values())
        jobs = [_candidates(left, right, products) for shop in shops for left, right in _platform_pairs(shop)]
        for a, b in _twins(jobs, products, corpus, model):
            groups.join(a, b)
    members: dict[ListingKey, list[ListingKey]] = defaultdict(list)
    for key in by_key:
        members[groups.find(key)].append(key)
    return sorted(tuple(sorted(keys)) for keys in members.values())


def case_anchors(
    listings: Sequence[Mapping[str, Any]], model: PairModel | None = None
) -> dict[ListingKey, ListingKey]:
    """(platform, listing_id) → its case's anchor, for every listing: two listings are one case when
    their anchors are equal."""
    return {key: case[0] for case in group_cases(listings, model) for key in case}


def stable_cases(
    groups: Iterable[Sequence[int]], current: Mapping[int, int | None], next_case: int
) -> tuple[dict[int, int], list[int]]:
    """Case numbers for freshly grouped listings that keep the numbers people already use.

    `groups` are the new cases (listing keys), `current` each listing's case number now (None: none yet,
    and every member of a current case that touches the groups must be in them), `next_case` the first
    unused number. A new case takes the current number it shares most listings with (ties: the older
    number, then the group of the oldest listing); each number goes to one case only; a case that takes
    none gets a new number. So a case seen again keeps its number, a listing that joins gets the case's
    number, and a listing that leaves (a smaller share) gets its own. Returns the number of every listing
    and the new numbers made, in order."""
    ordered = sorted(tuple(sorted(group)) for group in groups if group)
    candidates: list[tuple[int, int, int, int]] = []  # (-shared, number, oldest listing, group index)
    for index, group in enumerate(ordered):
        shared: dict[int, int] = defaultdict(int)
        for key in group:
            number = current.get(key)
            if number is not None:
                shared[number] += 1
        candidates.extend((-count, number, group[0], index) for number, count in shared.items())
    chosen: dict[int, int] = {}
    taken: set[int] = set()
    for _, number, _, index in sorted(candidates):
        if index not in chosen and number not in taken:
            chosen[index] = number
            taken.add(number)
    made: list[int] = []
    for index in range(len(ordered)):
        if index not in chosen:
            chosen[index] = next_case + len(made)
            made.append(chosen[index])
    return {key: chosen[index] for index, group in enumerate(ordered) for key in group}, made
