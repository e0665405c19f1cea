"""`pipelines.near_names.near_name_pairs`, the seller-name step of case grouping: exactly the pairs
that comparing every pair by rapidfuzz's token-sort ratio finds, on shop names written the way shops
name themselves on two platforms (Thai and Latin words, branch numbers, reordered words, one letter
more or less), across its block boundaries."""

from __future__ import annotations

from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from pipelines.cases import SELLER_NAME_SIMILARITY
from pipelines.near_names import near_name_pairs

WORDS = ["shop", "store", "official", "ร้าน", "ไฟฟ้า", "บ้าน", "ช่าง", "home", "power", "mall", "โตชิบา"]
LETTERS = "abcdeอกขงรนม0123456789 "


def _brute_force(names: list[str], cutoff: float) -> set[tuple[int, int]]:
    return {
        (i, j)
        for i, j in combinations(range(len(names)), 2)
        if fuzz.token_sort_ratio(names[i], names[j]) >= cutoff
    }


@st.composite
def shop_names(draw: st.DrawFn) -> list[str]:
    """Shop names, many of them another name of the list changed a little: words swapped, a letter
    added or dropped, a branch number changed."""
    base = draw(
        st.lists(
            st.builds(
                lambda words, tail: " ".join([*words, tail]).strip(),
                st.lists(st.sampled_from(WORDS), min_size=0, max_size=3),
                st.text(LETTERS, min_size=0, max_size=12),
            ),
            min_size=1,
            max_size=25,
        )
    )
    names = list(base)
    for name in base:
        change = draw(st.sampled_from(["swap", "add", "drop", "digit", "same"]))
        words = name.split()
        if change == "swap" and len(words) > 1:
            names.append(" ".join(reversed(words)))
        elif change == "add":
            at = draw(st.integers(0, len(name)))
            names.append(name[:at] + draw(st.sampled_from(LETTERS.strip())) + name[at:])
        elif change == "drop" and name:
            at = draw(st.integers(0, len(name) - 1))
            names.append(name[:at] + name[at + 1 :])
        elif change == "digit":
            names.append(name + " " + str(draw(st.integers(1, 9))))
        else:
            names.append(name)
    return names


@settings(max_examples=150, deadline=None)
@given(names=shop_names(), block=st.sampled_from([1, 3, 7, 2048]), cutoff=st.sampled_from([80, 92, 97]))
def test_the_same_pairs_as_comparing_every_pair(names: list[str], block: int, cutoff: int) -> None:
    found = list(near_name_pairs(names, cutoff, block=block))
    assert len(found) == len(set(found)), "a pair was given twice"
    assert set(found) == _brute_force(names, cutoff)


def test_near_names_of_real_shapes_are_paired_and_branches_and_strangers_are_not() -> None:
    names = [
        "Toshiba Official Store",
        "official store toshiba",  # the same words, another order, other case
        "Toshiba Official Stor",  # a letter fewer
        "ร้านไฟฟ้า ช่างหนึ่ง",
        "ร้านไฟฟ้า  ช่างหนึ่ง",  # another space
        "Lucky Store 2",
        "Lucky Store 5",
        "Happy Home Mall",
    ]
    pairs = set(near_name_pairs([name.casefold() for name in names], SELLER_NAME_SIMILARITY))
    assert {(0, 1), (0, 2), (1, 2), (3, 4)} <= pairs
    assert (5, 6) in pairs  # near by spelling; `seller_groups` keeps numbered branches apart
    assert not any(7 in pair for pair in pairs)
