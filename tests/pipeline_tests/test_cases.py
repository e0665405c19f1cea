"""One case per product across platforms (`pipelines/cases.py`), on the demo market's listings as the
spiders yield them and on the variations real sellers make when they list a product twice."""

from __future__ import annotations

import random
from collections import defaultdict
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crawler.demo_market.catalogue import build_catalogue
from pipelines.cases import case_anchors, group_cases, listing_key, same_seller, stable_cases


def _listing(platform: str, listing_id: str, title: str, seller: str, price: float, **extra: Any) -> dict:
    return {
        "platform": platform,
        "listing_id": listing_id,
        "url": f"https://{platform}.example/{listing_id}",
        "title": title,
        "description": extra.get("description", ""),
        "brand": extra.get("brand", ""),
        "price": price,
        "currency": "THB",
        "seller_id": extra.get("seller_id", listing_id[:6]),
        "seller_name": seller,
        "attributes": extra.get("attributes", {}),
        "crawled_at": "2026-12-03T10:00:00Z",
    }


@pytest.fixture(scope="module")
def demo_listings() -> tuple[list[dict], dict[tuple[str, str], int]]:
    """Every demo-market listing on every platform that carries it, with the catalogue entry it comes from."""
    listings, entry_of = [], {}
    for entry in build_catalogue():
        for platform in sorted(entry.platforms):
            listing = entry.to_listing(platform)
            listings.append(listing)
            entry_of[listing_key(listing)] = entry.index
    return listings, entry_of


def test_demo_market_one_case_per_product(demo_listings: tuple[list[dict], dict]) -> None:
    listings, entry_of = demo_listings
    ids = case_anchors(listings)
    members_by_entry: dict[int, set[str]] = defaultdict(set)
    for key, entry in entry_of.items():
        members_by_entry[entry].add(ids[key])
    # A product listed on Shopee and Lazada (and its own shop) is one case ...
    cross_listed = [entry for entry, cases in members_by_entry.items() if len(cases) == 1]
    assert all(len(cases) == 1 for cases in members_by_entry.values())
    assert any(sum(1 for e in entry_of.values() if e == entry) > 1 for entry in cross_listed)
    # ... and two products are never one case, even where two shops sell the same title.
    entries_by_case: dict[str, set[int]] = defaultdict(set)
    for key, entry in entry_of.items():
        entries_by_case[ids[key]].add(entry)
    assert all(len(entries) == 1 for entries in entries_by_case.values())


def test_twin_written_differently_is_one_case() -> None:
    listings = [
        _listing(
            "shopee", "31984.2100", "เพาเวอร์แบงค์ kingpow รุ่นZ 466X 10000mAh QC3.0", "Lucky Store 5", 1739
        ),
        _listing(
            "lazada",
            "4100017",
            "🔥ลดราคา🔥 Power Bank KINGPOW รุ่น Z-466X 10000mAh QC 3.0 ของแท้",
            "LUCKY STORE 5",
            1690,
        ),
        _listing("shopee", "31984.2101", "พัดลมตั้งพื้น 16 นิ้ว Hatari HT-S16M7 สีขาว", "Lucky Store 5", 1090),
    ]
    ids = case_anchors(listings)
    assert ids[("shopee", "31984.2100")] == ids[("lazada", "4100017")]
    assert ids[("shopee", "31984.2101")] != ids[("shopee", "31984.2100")]


def test_other_shop_or_other_model_is_another_case() -> None:
    title = "ปลั๊กไฟ มอก. 4 ช่อง 4 สวิตช์ สาย 3 เมตร Toshino ET-914 รับประกัน 1 ปี"
    listings = [
        _listing("shopee", "3000.1", title, "Lucky Store 2", 399),
        _listing("lazada", "500001", title, "Lucky Store 5", 399),
        # One shop, two models on both platforms: each pairs with its own twin.
        _listing("shopee", "3001.1", "ปลั๊กไฟ Toshino ET-914 4 ช่อง 3 เมตร", "ร้านเฮงเฮงช็อป89", 399),
        _listing("shopee", "3001.2", "ปลั๊กไฟ Toshino ET-916 6 ช่อง 3 เมตร", "ร้านเฮงเฮงช็อป89", 459),
        _listing("lazada", "500002", "ปลั๊กไฟ Toshino ET-916 6 ช่อง 3 เมตร", "ร้านเฮงเฮงช็อป89", 459),
        _listing("lazada", "500003", "ปลั๊กไฟ Toshino ET-914 4 ช่อง 3 เมตร", "ร้านเฮงเฮงช็อป89", 399),
    ]
    ids = case_anchors(listings)
    assert ids[("shopee", "3000.1")] != ids[("lazada", "500001")]
    assert ids[("shopee", "3001.1")] == ids[("lazada", "500003")]
    assert ids[("shopee", "3001.2")] == ids[("lazada", "500002")]
    assert ids[("shopee", "3001.1")] != ids[("shopee", "3001.2")]


def test_grouping_does_not_depend_on_order(demo_listings: tuple[list[dict], dict]) -> None:
    listings, _ = demo_listings
    shuffled = list(listings)
    random.Random(3).shuffle(shuffled)
    assert group_cases(shuffled) == group_cases(listings)
    for case in group_cases(listings):
        assert case == tuple(sorted(case))


def test_no_listings_no_cases() -> None:
    assert group_cases([]) == []


@given(st.text(min_size=1, max_size=20), st.integers(0, 99), st.integers(0, 99))
def test_shops_with_other_numbers_are_never_one(name: str, a: int, b: int) -> None:
    if a != b:
        assert not same_seller(f"{name} {a}", f"{name} {b}")


@given(st.text(min_size=1, max_size=30))
def test_case_and_spacing_do_not_make_another_shop(name: str) -> None:
    if any(ch.isalnum() for ch in name):
        assert same_seller(name, f"  {name.upper()} ") or name.upper().casefold() != name.casefold()


def test_a_catalogue_model_is_refused_for_cases() -> None:
    """The benchmark models use whole-catalogue neighbour features, which a shop's few listings lack."""
    from matchers.product_pairs import load_model

    listings = [
        _listing("shopee", "1.1", "พัดลม Hatari HT-S16M7", "Lucky Store", 990),
        _listing("lazada", "2", "พัดลม Hatari HT-S16M7", "Lucky Store", 990),
    ]
    with pytest.raises(ValueError, match="no-neighbours"):
        group_cases(listings, load_model("abt_buy"))


def test_shop_name_with_a_slip_is_the_same_shop() -> None:
    title = "หม้อหุงข้าว Sharp KS-11ET 1 ลิตร เคลือบเทฟล่อน"
    listings = [
        _listing("shopee", "7000.1", title, "Gadget Hub Thailand", 890),
        _listing("lazada", "700001", title, "Gadget Hub Thailnd", 890),
        _listing("lazada", "700002", title, "Gadget Hub Vietnam", 890),
    ]
    ids = case_anchors(listings)
    assert ids[("shopee", "7000.1")] == ids[("lazada", "700001")]
    assert ids[("lazada", "700002")] != ids[("lazada", "700001")]


def test_a_case_keeps_its_number_a_joining_listing_takes_it_a_leaving_one_gets_its_own() -> None:
    # Case 7 was listings 1, 2, 3; case 9 was listing 4. Now 3 left, 5 (new) joined case 7's product,
    # and 4 is unchanged.
    numbers, made = stable_cases([[1, 2, 5], [3], [4]], {1: 7, 2: 7, 3: 7, 4: 9, 5: None}, next_case=12)
    assert numbers == {1: 7, 2: 7, 5: 7, 3: 12, 4: 9}
    assert made == [12]


def test_merged_cases_keep_the_older_number_and_a_split_pair_keeps_it_with_the_older_listing() -> None:
    numbers, made = stable_cases([[1, 2]], {1: 8, 2: 3}, next_case=10)
    assert numbers == {1: 3, 2: 3} and made == []
    numbers, made = stable_cases([[2], [1]], {1: 3, 2: 3}, next_case=10)
    assert numbers == {1: 3, 2: 10} and made == [10]


@given(
    st.lists(st.integers(0, 30), min_size=1, max_size=30, unique=True),
    st.randoms(use_true_random=False),
    st.integers(1, 5),
)
def test_same_groups_seen_again_keep_every_number(keys: list[int], rng: random.Random, parts: int) -> None:
    groups: list[list[int]] = [[] for _ in range(parts)]
    for key in keys:
        groups[rng.randrange(parts)].append(key)
    first, made = stable_cases(groups, {}, next_case=1)
    assert len(made) == len([group for group in groups if group])
    assert len({first[group[0]] for group in groups if group}) == len(made)  # one number per case
    rng.shuffle(groups)
    again, made_again = stable_cases(groups, first, next_case=len(made) + 1)
    assert again == first and made_again == []
