"""The product vocabulary: which words name a product under which mandatory standard.

The data ships as `standards_data/vocabulary.csv` (UTF-8, header row), one word or phrase per row.
Columns:

- `tis_number`: the canonical standard (`<base>[ เล่ม <part>[(<sub>)]]-<BE year>`) the row is about;
  may be empty on `not_product` rows.
- `family`: short English name of the product family (`cord_extension_set`, `power_bank`, …).
- `kind`:
  - `product`: the term names a product under `tis_number`;
  - `not_product`: the term names something that is *not* a regulated product (a case, a socket
    cover, a baby bottle, a USB cable). At the head of a title it wins over product words after it;
    `tis_number`/`family` then name what it is easily confused with (or are empty);
  - `related_standard`: products of `family` also carry `tis_number` (LED lamps carry 1955 as well
    as 2780), so claiming it is not a mismatch; `term` is empty.
- `term`: the word or phrase as sellers write it: Thai, English, or mixed (`หลอด LED`). Spelling
  variants are separate rows; tone marks and spaces between Thai words do not matter (see
  `matchers.normalize.match_key`).
- `search`: `1` if the term is a good marketplace search keyword for the standard (spiders use
  these), else `0`.

Matching rules (`Vocabulary.find_terms`): Thai terms match anywhere (brands are glued to Thai words:
`CSCรางปลั๊กไฟ`); Latin terms match on word boundaries, with an optional plural `s`. At one position the
longest term wins.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from matchers.normalize import fold_thai, is_latin_or_digit, is_thai_char, normalize_text
from matchers.trie import trie_pattern
from standards_data import DATA_DIR
from standards_data.outside_text import unspreadsheet_text

VOCABULARY_FILE = DATA_DIR / "vocabulary.csv"
VOCABULARY_COLUMNS = ("tis_number", "family", "kind", "term", "search")

PRODUCT = "product"
NOT_PRODUCT = "not_product"
RELATED_STANDARD = "related_standard"
KINDS = (PRODUCT, NOT_PRODUCT, RELATED_STANDARD)


class VocabularyError(ValueError):
    """The vocabulary file is malformed (the message names the file and row)."""


@dataclass(frozen=True)
class Term:
    """One vocabulary row."""

    tis_number: str
    family: str
    kind: str
    text: str
    """The term as written in the CSV."""
    key: str
    """Comparison form (`match_key`)."""
    search: bool

    @property
    def is_latin(self) -> bool:
        return bool(self.key) and not any(is_thai_char(c) for c in self.key)


@dataclass(frozen=True)
class TermHit:
    """A vocabulary term found in a text's match key at `[start, end)`."""

    term: Term
    start: int
    end: int


class Vocabulary:
    """Product words → mandatory standard, with the near-miss words that say "not this product"."""

    def __init__(self, terms: Iterable[Term]) -> None:
        self.terms: tuple[Term, ...] = tuple(terms)
        self._related: dict[str, set[str]] = {}
        matchable: list[Term] = []
        for term in self.terms:
            if term.kind == RELATED_STANDARD:
                self._related.setdefault(term.family, set()).add(term.tis_number)
            elif term.key:
                matchable.append(term)
        self._by_key: dict[str, Term] = {}
        for term in matchable:
            compact = term.key.replace(" ", "")
            # Variants that fold to one key: the product row wins over a not_product row.
            if compact not in self._by_key or term.kind == PRODUCT:
                self._by_key[compact] = term
        latin = [t.key for t in matchable if is_latin_or_digit(t.key[0])]
        thai = [t.key for t in matchable if not is_latin_or_digit(t.key[0])]
        parts = []
        if latin:
            parts.append(r"(?<![a-z0-9])" + trie_pattern(latin))
        if thai:
            parts.append(trie_pattern(thai))
        self._pattern = re.compile("|".join(parts)) if parts else None

    # -- queries -------------------------------------------------------------------------------------

    def find_terms(self, key_text: str) -> list[TermHit]:
        """Every vocabulary term in `key_text` (a `match_key` form), left to right, non-overlapping."""
        if self._pattern is None or not key_text:
            return []
        hits: list[TermHit] = []
        for match in self._pattern.finditer(key_text):
            term = self._term_for(match.group(0))
            if term is not None:
                hits.append(TermHit(term, match.start(), match.end()))
        return hits

    def _term_for(self, matched: str) -> Term | None:
        compact = "".join(matched.split())
        term = self._by_key.get(compact)
        if term is None and compact.endswith("s"):  # the optional plural of a Latin term
            term = self._by_key.get(compact[:-1]) or self._by_key.get(compact[:-2])
        return term

    def families(self) -> dict[str, str]:
        """family → its main standard (the one its product rows name)."""
        result: dict[str, str] = {}
        for term in self.terms:
            if term.kind == PRODUCT and term.family not in result:
                result[term.family] = term.tis_number
        return result

    def related_standards(self, family: str) -> frozenset[str]:
        """Standards other than the family's own that its products also carry."""
        return frozenset(self._related.get(family, ()))

    def standards(self) -> set[str]:
        return {t.tis_number for t in self.terms if t.kind == PRODUCT}

    def search_keywords(self, standards: Iterable[str] | None = None) -> dict[str, list[str]]:
        """Canonical tis_number → Thai search keywords (rows with `search=1`), in file order.

        `standards` limits the result; a base number (`2432`) or a number without its year selects every
        standard with that base/part. Standards without search keywords are left out.
        """
        wanted = list(standards) if standards is not None else None
        result: dict[str, list[str]] = {}
        for term in self.terms:
            if term.kind != PRODUCT or not term.search:
                continue
            if wanted is not None and not any(_standard_selected(term.tis_number, w) for w in wanted):
                continue
            keywords = result.setdefault(term.tis_number, [])
            if term.text not in keywords:
                keywords.append(term.text)
        return result

    def thai_words(self) -> set[str]:
        """Thai product words, for pythainlp's tokenizer as custom words (keeps them whole)."""
        return {t.text.replace(" ", "") for t in self.terms if t.key and not t.is_latin and " " not in t.text}


def _standard_selected(tis_number: str, wanted: str) -> bool:
    wanted = wanted.strip()
    if not wanted:
        return False
    if tis_number == wanted:
        return True
    # "2432" selects "2432-2555"; "685 เล่ม 1" selects "685 เล่ม 1-2562".
    without_year = tis_number.rsplit("-", 1)[0]
    return without_year == wanted or without_year.split(" ")[0] == wanted


def read_vocabulary_rows(path: str | Path) -> list[Term]:
    """Read and check a vocabulary CSV; raises VocabularyError naming the file and row of a bad row."""
    terms: list[Term] = []
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in VOCABULARY_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise VocabularyError(f"{path}: missing column(s) {', '.join(missing)}")
        for line_no, raw in enumerate(reader, start=2):
            # Exports neutralise spreadsheet formulas with a leading `'`; read the text as it was.
            row = {
                key: unspreadsheet_text(value) if isinstance(value, str) else value
                for key, value in raw.items()
            }
            kind = (row.get("kind") or "").strip()
            text = (row.get("term") or "").strip()
            tis_number = (row.get("tis_number") or "").strip()
            if kind not in KINDS:
                raise VocabularyError(f"{path}:{line_no}: kind {kind!r} is not one of {', '.join(KINDS)}")
            if kind == PRODUCT and not (tis_number and text):
                raise VocabularyError(f"{path}:{line_no}: a product row needs tis_number and term")
            if kind == NOT_PRODUCT and not text:
                raise VocabularyError(f"{path}:{line_no}: a not_product row needs a term")
            if kind == RELATED_STANDARD and not (tis_number and row.get("family")):
                raise VocabularyError(f"{path}:{line_no}: a related_standard row needs tis_number and family")
            terms.append(
                Term(
                    tis_number=tis_number,
                    family=(row.get("family") or "").strip(),
                    kind=kind,
                    text=text,
                    key=fold_thai(normalize_text(text)) if text else "",
                    search=(row.get("search") or "").strip() in ("1", "true", "yes"),
                )
            )
    return terms


@lru_cache(maxsize=8)
def _load_cached(path: str) -> Vocabulary:
    return Vocabulary(read_vocabulary_rows(path))


def load_vocabulary(path: str | Path | None = None) -> Vocabulary:
    """The bundled vocabulary (`standards_data/vocabulary.csv`), or the CSV at `path`."""
    return _load_cached(str(Path(path) if path is not None else VOCABULARY_FILE))
