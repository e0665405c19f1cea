"""The bundled product vocabulary and its reader."""

from __future__ import annotations

from pathlib import Path

import pytest

from matchers.vocabulary import (
    NOT_PRODUCT,
    PRODUCT,
    VocabularyError,
    load_vocabulary,
    read_vocabulary_rows,
)
from standards_data.catalogue import mandatory_standards

# The product families issue 3 names, by the mandatory standard each falls under.
ISSUE_FAMILIES = {
    "2432-2555": "cord extension sets",
    "166-2549": "plugs and sockets",
    "824-2551": "switches",
    "2879-2560": "power banks",
    "2217-2548": "portable lithium cells",
    "62368 เล่ม 1-2563": "chargers/adapters",
    "2780-2562": "LED lamps",
    "934-2558": "fans",
    "1039-2547": "rice cookers",
    "366-2547": "irons",
    "1773-2548": "microwaves",
    "2062-2558": "thermo pots",
    "60335 เล่ม 2(23)-2564": "hair/skin appliances",
    "60335 เล่ม 2(65)-2564": "air purifiers",
    "369-2557": "helmets",
    "685 เล่ม 1-2562": "toys",
    "1149-2548": "crayons",
    "969-2562": "feeding-bottle nipples",
    "1025-2562": "pacifiers",
    "27-2543": "LPG cylinders",
    "879-2553": "gas lighters",
    "909-2548": "RCBO breakers",
    "2425-2560": "RCCB breakers",
    "11 เล่ม 101-2559": "cables",
    "655 เล่ม 1-2553": "plastic food ware",
    "2921-2562": "melamine food ware",
    "2718-2560": "car tyres",
    "2720-2560": "motorcycle tyres",
}


def test_every_issue_family_has_product_words_and_a_search_keyword() -> None:
    vocabulary = load_vocabulary()
    keywords = vocabulary.search_keywords()
    for tis_number, family in ISSUE_FAMILIES.items():
        assert tis_number in vocabulary.standards(), family
        assert keywords.get(tis_number), f"no Thai search keyword for {family}"


def test_every_standard_named_is_mandatory() -> None:
    mandatory = set(mandatory_standards())
    for term in load_vocabulary().terms:
        if term.tis_number:
            assert term.tis_number in mandatory, term


def test_search_keywords_selects_by_base_number_or_full_number() -> None:
    vocabulary = load_vocabulary()
    by_base = vocabulary.search_keywords(["2432"])
    assert list(by_base) == ["2432-2555"]
    assert "ปลั๊กพ่วง" in by_base["2432-2555"]
    assert vocabulary.search_keywords(["685 เล่ม 1-2562"]).keys() == {"685 เล่ม 1-2562"}
    assert vocabulary.search_keywords(["no-such-standard"]) == {}
    # Only product words, never the near-miss words.
    near_misses = {t.text for t in vocabulary.terms if t.kind == NOT_PRODUCT}
    assert not near_misses & {k for words in vocabulary.search_keywords().values() for k in words}


def test_find_terms_longest_term_wins_and_latin_needs_word_boundaries() -> None:
    vocabulary = load_vocabulary()
    hits = vocabulary.find_terms("ปลกสามตาพวง 5 ชอง".replace("ปลกสามตาพวง", "ปลักสามตาพวง"))
    assert [h.term.family for h in hits] == ["cord_extension_set"]
    assert vocabulary.find_terms("bestplug zuno") == []  # `plug` inside a brand
    assert [h.term.kind for h in vocabulary.find_terms("fans")] == [PRODUCT]  # plural


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "vocabulary.csv"
    path.write_text("tis_number,family,kind,term,search\n" + body, encoding="utf-8")
    return path


def test_a_custom_vocabulary_file_is_used(tmp_path: Path) -> None:
    path = _write(tmp_path, "2432-2555,cord_extension_set,product,ปลั๊กพ่วงพิเศษ,1\n")
    vocabulary = load_vocabulary(path)
    assert vocabulary.search_keywords() == {"2432-2555": ["ปลั๊กพ่วงพิเศษ"]}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("2432-2555,x,gadget,ปลั๊ก,1\n", ":2: kind 'gadget'"),
        (",x,product,ปลั๊ก,1\n", ":2: a product row needs tis_number and term"),
        ("2432-2555,x,product,ปลั๊ก,1\n,,not_product,,0\n", ":3: a not_product row needs a term"),
    ],
)
def test_bad_rows_are_refused_with_file_and_line(tmp_path: Path, body: str, message: str) -> None:
    path = _write(tmp_path, body)
    with pytest.raises(VocabularyError) as error:
        read_vocabulary_rows(path)
    assert str(path) in str(error.value) and message in str(error.value)


def test_missing_columns_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "v.csv"
    path.write_text("tis_number,term\n2432-2555,ปลั๊ก\n", encoding="utf-8")
    with pytest.raises(VocabularyError, match="missing column"):
        read_vocabulary_rows(path)
