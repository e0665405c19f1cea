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
  - `pattern`: `term` is a regular expression for a size or spec that names a product under
    `tis_number` on its own (a tyre size `185/60R15`); it takes part in head-first classification
    like a product word, where no word covers the same text.
  - `sibling`: `term` is a regular expression for a fact of the product itself (cord length, socket
    count, lamp shape, material, grade) that moves a listing classified to `family` to the sibling
    standard `tis_number` (`ปลั๊กสามตา … 5 เมตร` is a cord extension set, not a plug adapter), or,
    with `tis_number` empty, out of regulation (an air-cooled diesel engine). Tried on the title,
    then the attribute values; the first matching row of the family in file order wins.
  - `not_sold_online`: the standard `tis_number` is reviewed and has no product words because its
    products are not sold to consumers online; `note` says why; `term` is empty.
- `term`: the word or phrase as sellers write it: Thai, English, or mixed (`หลอด LED`). Spelling
  variants are separate rows; tone marks and spaces between Thai words do not matter (see
  `matchers.normalize.match_key`). Regular expressions (`pattern`, `sibling`) are matched on the
  match key too: write them in lower case; their Thai is folded the same way (tone marks dropped,
  `ตซ`/`ทช` spelt `ตช`, no spaces between Thai characters).
- `search`: `1` if the term is a good marketplace search keyword for the standard (spiders use
  these), else `0`.
- `note` (optional column): the reason on `not_sold_online` rows (required there); a free comment
  elsewhere.

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
OPTIONAL_COLUMNS = ("note",)

PRODUCT = "product"
NOT_PRODUCT = "not_product"
RELATED_STANDARD = "related_standard"
PATTERN = "pattern"
SIBLING = "sibling"
NOT_SOLD_ONLINE = "not_sold_online"
KINDS = (PRODUCT, NOT_PRODUCT, RELATED_STANDARD, PATTERN, SIBLING, NOT_SOLD_ONLINE)
REGEX_KINDS = (PATTERN, SIBLING)


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
    """Comparison form (`match_key`); empty for regular-expression rows."""
    search: bool
    note: str = ""
    regex: re.Pattern[str] | None = None
    """Compiled `term` of a `pattern` or `sibling` row (in match-key form)."""

    @property
    def is_latin(self) -> bool:
        return bool(self.key) and not any(is_thai_char(c) for c in self.key)

    @property
    def names_product(self) -> bool:
        """A product word or a spec pattern: the listing is a product under `tis_number`."""
        return self.kind in (PRODUCT, PATTERN)


@dataclass(frozen=True)
class SiblingFact:
    """A sibling rule that matched: the rule's row and the text it matched."""

    rule: Term
    matched: str


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
        self._patterns: list[Term] = []
        self._siblings: dict[str, list[Term]] = {}
        self._not_sold_online: dict[str, str] = {}
        matchable: list[Term] = []
        for term in self.terms:
            if term.kind == RELATED_STANDARD:
                self._related.setdefault(term.family, set()).add(term.tis_number)
            elif term.kind == PATTERN:
                self._patterns.append(term)
            elif term.kind == SIBLING:
                self._siblings.setdefault(term.family, []).append(term)
            elif term.kind == NOT_SOLD_ONLINE:
                self._not_sold_online[term.tis_number] = term.note
            elif term.key:
                matchable.append(term)
        self._family_of: dict[str, str] = {}
        for term in self.terms:
            if term.names_product and term.family:
                self._family_of.setdefault(term.tis_number, term.family)
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

    def find_patterns(self, key_text: str) -> list[TermHit]:
        """Every spec pattern (`pattern` rows) in `key_text`, left to right (first row wins at a position)."""
        hits: list[TermHit] = []
        for term in self._patterns:
            assert term.regex is not None
            for match in term.regex.finditer(key_text):
                if match.end() > match.start():
                    hits.append(TermHit(term, match.start(), match.end()))
        hits.sort(key=lambda hit: (hit.start, -hit.end))
        kept: list[TermHit] = []
        for hit in hits:
            if not kept or hit.start >= kept[-1].end:
                kept.append(hit)
        return kept

    def find_hits(self, key_text: str) -> list[TermHit]:
        """Words and spec patterns together, left to right. As among words, the longer wins: a pattern
        that spans the words it overlaps replaces them (`สายไฟเบอร์ 4 core` is not `สายไฟ`); a pattern
        that only partly overlaps a word gives way to it."""
        words = self.find_terms(key_text)
        patterns = self.find_patterns(key_text)
        if not patterns:
            return words
        kept: list[TermHit] = []
        for pattern in patterns:
            overlapping = [w for w in words if pattern.start < w.end and w.start < pattern.end]
            if all(pattern.start <= w.start and w.end <= pattern.end for w in overlapping):
                words = [w for w in words if w not in overlapping]
                kept.append(pattern)
        return sorted([*words, *kept], key=lambda hit: hit.start)

    def sibling_fact(self, family: str | None, key_texts: Iterable[str]) -> SiblingFact | None:
        """The first sibling rule of `family` that one of `key_texts` (tried in order) matches."""
        rules = self._siblings.get(family or "")
        if not rules:
            return None
        for key_text in key_texts:
            if not key_text:
                continue
            for rule in rules:
                assert rule.regex is not None
                match = rule.regex.search(key_text)
                if match is not None:
                    return SiblingFact(rule, match.group(0).strip())
        return None

    def family_of(self, tis_number: str) -> str | None:
        """The family whose product rows name `tis_number` (the first in file order)."""
        return self._family_of.get(tis_number)

    def not_sold_online(self) -> dict[str, str]:
        """Standards reviewed as not sold to consumers online → the reason."""
        return dict(self._not_sold_online)

    def covered_standards(self) -> set[str]:
        """Standards a listing can be classified to or accepted under: product words, spec patterns,
        sibling rules' targets and related standards."""
        covered = {t.tis_number for t in self.terms if t.tis_number and t.kind in (PRODUCT, PATTERN, SIBLING)}
        for related in self._related.values():
            covered |= related
        return covered

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
        return {t.tis_number for t in self.terms if t.names_product}

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
            family = (row.get("family") or "").strip()
            note = (row.get("note") or "").strip()
            where = f"{path}:{line_no}"
            if kind not in KINDS:
                raise VocabularyError(f"{where}: kind {kind!r} is not one of {', '.join(KINDS)}")
            if kind in (PRODUCT, PATTERN) and not (tis_number and text):
                raise VocabularyError(f"{where}: a {kind} row needs tis_number and term")
            if kind == NOT_PRODUCT and not text:
                raise VocabularyError(f"{where}: a not_product row needs a term")
            if kind == RELATED_STANDARD and not (tis_number and family):
                raise VocabularyError(f"{where}: a related_standard row needs tis_number and family")
            if kind == SIBLING and not (family and text):
                raise VocabularyError(f"{where}: a sibling row needs family and term")
            if kind == NOT_SOLD_ONLINE and not (tis_number and note):
                raise VocabularyError(
                    f"{where}: a not_sold_online row needs tis_number and note (the reason)"
                )
            regex = None
            if kind in REGEX_KINDS:
                try:
                    regex = compile_key_pattern(text)
                except re.error as problem:
                    raise VocabularyError(
                        f"{where}: term is not a valid regular expression: {problem}"
                    ) from None
            terms.append(
                Term(
                    tis_number=tis_number,
                    family=family,
                    kind=kind,
                    text=text,
                    key=fold_thai(normalize_text(text)) if text and regex is None else "",
                    search=(row.get("search") or "").strip() in ("1", "true", "yes"),
                    note=note,
                    regex=regex,
                )
            )
    return terms


_REGEX_TONE_MARKS = re.compile("[\u0e47-\u0e4c]")
_REGEX_TCH_CLUSTER = re.compile("[ตท][ชซ]")
_REGEX_SPACE_BETWEEN_THAI = re.compile("(?<=[\u0e01-\u0e4f]) (?=[\u0e01-\u0e4f])")


def compile_key_pattern(source: str) -> re.Pattern[str]:
    """Compile a `pattern`/`sibling` term for use on match keys: its Thai folded like `fold_thai` does
    (no tone marks, one spelling of ตช, no spaces between Thai characters), the rest left as written
    (lower-casing would change escapes such as `\\D`)."""
    folded = _REGEX_TCH_CLUSTER.sub("ตช", _REGEX_TONE_MARKS.sub("", source))
    return re.compile(_REGEX_SPACE_BETWEEN_THAI.sub("", folded))


@lru_cache(maxsize=8)
def _load_cached(path: str) -> Vocabulary:
    return Vocabulary(read_vocabulary_rows(path))


def load_vocabulary(path: str | Path | None = None) -> Vocabulary:
    """The bundled vocabulary (`standards_data/vocabulary.csv`), or the CSV at `path`."""
    return _load_cached(str(Path(path) if path is not None else VOCABULARY_FILE))
