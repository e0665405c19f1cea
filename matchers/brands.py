"""Brands: comparison keys, the registry's brand names and aliases, and finding a brand in a title.

A listing's brand comes from, in order: the item's brand field (unless it is a placeholder such as
"No Brand" or "OEM"); a registry brand named in the title — its Latin name, even glued to Thai words
(`CSCรางปลั๊กไฟ`), or a Thai form (`Toshiba (โตชิบา)` in the registry, or a Thai word of the licensee's
name that sounds like the brand); a Thai word in the title that sounds like a registry brand
(`โตชิบา` → `tochiba` ≈ `toshiba`, compared on a rough phonetic skeleton); and last an unknown Latin
brand-like word (`ZUNO`, `NONAME PRO`) — an unknown brand is still a brand to check, and it is covered
by no licence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from matchers.licensees import (
    COMPANY_WORDS,
    LicenseeNames,
    distinctive_key,
    has_company_word,
    only_company_words,
)
from matchers.normalize import fold_case_and_spacing, normalize_text
from matchers.trie import trie_pattern
from standards_data.text import is_no_brand
from standards_data.wordlists import load_wordlist

# Latin words in titles that are not brands: marketing, units, specs, common English product words.
NOT_BRAND_WORDS = load_wordlist("not_brand_words") | frozenset(
    word for word in load_wordlist("promotion_words") if word.isascii()
)
# Promotion, shipping and material words (Latin and Thai): never a brand, alone or together.
PROMOTION_WORDS = load_wordlist("promotion_words")

# A Thai form found in a title must end where a syllable can end: not before a vowel or tone mark
# (the brand ตู is not the start of ตู้เย็น).
_THAI_MARK_AFTER = r"(?![\u0e31\u0e34-\u0e3a\u0e47-\u0e4e])"


def _thai_word_end(key: str) -> str:
    return _THAI_MARK_AFTER


_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9&'+]*(?:[.-][A-Za-z][A-Za-z0-9&'+]*)*")
_THAI_RUN = re.compile(r"[\u0e01-\u0e4e]+")
# Licensee words that are company-form noise, not a brand.
_LICENSEE_NOISE = re.compile(
    r"บริษัท|จำกัด|มหาชน|ห้างหุ้นส่วน|หจก|ประเทศไทย|อินเตอร์เนชั่นแนล|อินเตอร์|อินดัสทรี|อุตสาหกรรม|"
    r"เทรดดิ้ง|กรุ๊ป|คอร์ปอเรชั่น|แมนูแฟคเจอริ่ง|เอ็นเตอร์ไพรส์|ซัพพลาย|โฮลดิ้ง|[()]"
)


def is_placeholder_brand(value: object) -> bool:
    """Whether a brand field says "no brand" ("No Brand", "OEM", "0", "ไม่มียี่ห้อ", …): the one rule
    of `standards_data.text`, shared with the parsers and the cleaning pipeline."""
    return is_no_brand(value)


_DECORATION_OR_NUMBER = re.compile(r"[\d%!+.,:;*#&/()\[\]{}'\"|~^-]+")


@lru_cache(maxsize=65536)
def is_promotion_or_material(value: str) -> bool:
    """Whether a brand value is only promotion, shipping or material words (`FLASH SALE`, `ส่งฟรี!`,
    `ของแท้100%`, `Latex`, `Stainless 304`): those are never a brand (`promotion_words.txt`)."""
    text = _DECORATION_OR_NUMBER.sub(" ", normalize_text(value).lower())
    words = text.split()
    if not words:
        return False
    for word in words:
        if word in PROMOTION_WORDS or word in NOT_BRAND_WORDS:
            continue
        if word.isascii():
            return False
        # A Thai run: promotion words glued together (`ส่งฟรีของแท้`) leave nothing behind.
        rest = word
        for promo in _THAI_PROMOTION_LONGEST_FIRST:
            rest = rest.replace(promo, "")
        if rest:
            return False
    return True


_THAI_PROMOTION_LONGEST_FIRST = sorted((w for w in PROMOTION_WORDS if not w.isascii()), key=len, reverse=True)


@lru_cache(maxsize=200_000)
def brand_key(name: str) -> str:
    """Comparison key: lower case, no spaces or punctuation (`Master Art` → `masterart`); Thai tone
    marks and vowels are kept, since they tell a Thai brand from an ordinary word (ช้าง / ช่าง)."""
    folded = fold_case_and_spacing(normalize_text(name))
    # Thai vowels are combining marks (not isalnum) but part of the word: keep every Thai character.
    return "".join(ch for ch in folded if ch.isalnum() or "\u0e01" <= ch <= "\u0e4e")


@lru_cache(maxsize=200_000)
def split_registry_brand(brand: str) -> tuple[str, ...]:
    """Names in a registry brand field: `Toshiba (โตชิบา)` → (`Toshiba`, `โตชิบา`)."""
    text = _COMMA_BEFORE_COMPANY_FORM.sub(" ", normalize_text(brand))
    # A part made only of company words (`Ltd.`, `(ประเทศไทย)`, `(Thailand)`) is no name of the brand.
    names = tuple(
        part.strip() for part in re.split(r"[()/,;|]", text) if part.strip() and not only_company_words(part)
    )
    return names or ((brand.strip(),) if brand.strip() else ())


# `Co., Ltd.`, `Co.,Ltd`, `, Inc.`: one company name, not two names separated by a comma.
_COMMA_BEFORE_COMPANY_FORM = re.compile(r",\s*(?=(?:ltd|limited|inc|plc|pcl|co)\b)", re.IGNORECASE)


# --- a rough phonetic skeleton, to compare a Thai transliteration with a Latin brand -------------------

_SKELETON_STEPS = (
    (re.compile(r"igh"), "ai"),  # Bright, Light: English igh sounds ai (ไบรท์)
    # Thai writes an English v with ว, which royin gives back as w (V-Storm: วีสตอร์ม → wisatom).
    (re.compile(r"v"), "w"),
    (re.compile(r"ph|f"), "p"),
    (re.compile(r"th|dh|d"), "t"),
    # c, ch, sh, j, k, g all become k: Thai renders them as ค/ช/ก and royin back as k/ch.
    (re.compile(r"sch|tch|sh|ch|kh|gh|ck|g|q|j|c|x$"), "k"),
    (re.compile(r"x|z"), "s"),
    (re.compile(r"b"), "p"),
    (re.compile(r"w"), "u"),
    (re.compile(r"ei"), "ai"),  # Schneider: English ei sounds ai
    (re.compile(r"oe"), "e"),  # royin oe (เออ) is English er
    (re.compile(r"r(?![aeiouy])|h"), ""),  # silent r before consonants; aspiration
    # Three vowel classes survive (a; e/i/y; o/u): `ringfri` must not sound like `rungpro`.
    (re.compile(r"([aeiouy])[aeiouy]+"), r"\1"),
    (re.compile(r"[iy]"), "e"),
    (re.compile(r"u"), "o"),
    (re.compile(r"(.)\1+"), r"\1"),
)


# Joins a brand key and the name of one of its sound keys (`nunubaby␟first`) in the choice tables.
_SOUND_SEP = "\u241f"


# Word by word, before the words are joined: Thai writes English loanwords as British English says
# them, so a word's final r and the silent e of -re are not heard (คอปเปอร์ copper → royin khoppoe,
# ไวร์ wire → wai, สโตร์ store → sato). Joined first, `copper wire` kept the r that a following
# word's vowel seemed to sound.
_SILENT_WORD_ENDINGS = re.compile(r"(?<=[aeiouy])re\b|r\b")


@lru_cache(maxsize=65536)
def phonetic_skeleton(latin: str) -> str:
    """A crude sound key for Latin text (`toshiba`/`tochiba` → `tokepa`); for fuzzy brand comparison."""
    words = "".join(ch if ch.isalpha() else " " for ch in latin.lower())
    text = _SILENT_WORD_ENDINGS.sub("", words).replace(" ", "")
    for pattern, replacement in _SKELETON_STEPS:
        text = pattern.sub(replacement, text)
    return text


# ไม้ไต่คู้ (็) shortens a vowel; Thai spells English short o with it before อ (ท็อป Top, ฮ็อท Hot,
# ล็อค Lock). pythainlp's royin does not read ็อ: it leaves the mark in its output and drops the vowel
# (`th็p`). Read as อ it gives `thop`; a mark left anywhere else is no letter of the result.
_SHORT_O = "\u0e47\u0e2d"
_MAITAIKHU = "\u0e47"


@lru_cache(maxsize=65536)
def romanize_thai(word: str) -> str:
    """Royal Thai romanisation of a Thai word (pythainlp, offline); '' if it cannot be romanised."""
    try:
        from pythainlp.transliterate import romanize

        romanized = romanize(word.replace(_SHORT_O, "\u0e2d"), engine="royin") or ""
    except Exception:  # pythainlp raises assorted errors on odd input; a brand guess is optional
        return ""
    return romanized.replace(_MAITAIKHU, "")


def sounds_like(thai_word: str, latin_brand: str) -> float:
    """Similarity 0–100 between a Thai word's transliteration and a Latin brand (0 below threshold).

    Thresholds: 85 for short skeletons, 80 from 8 characters (royin turns a final ร into n:
    อีเลคโทรลักซ์ → ilekthonlak).
    """
    romanized = romanize_thai(thai_word)
    if not romanized:
        return 0.0
    left, right = phonetic_skeleton(romanized), phonetic_skeleton(latin_brand)
    if len(left) < 4 or len(right) < 4:
        return 0.0
    score = fuzz.ratio(left, right)
    threshold = 80.0 if min(len(left), len(right)) >= 8 else 85.0
    return score if score >= threshold else 0.0


# A first word shorter than this (`Sun` of `Sun Power`) is too common to name one brand by itself.
FIRST_WORD_ALIAS_MIN_LETTERS = 5


@dataclass(frozen=True)
class BrandName:
    """A registry brand: its display name and key."""

    display: str
    """The Latin (first) name as the registry writes it, e.g. `Toshiba`."""
    key: str


class BrandLexicon:
    """All registry brands with their aliases, and brand detection in titles."""

    def __init__(self, registry_brands: Iterable[tuple[str, str]]) -> None:
        """`registry_brands`: (brand field, licensee) pairs from the registry."""
        self.brands: dict[str, BrandName] = {}
        self._alias_to_brand: dict[str, str] = {}
        self._thai_aliases: dict[str, str] = {}
        licensees_by_brand: dict[str, set[str]] = {}
        names_by_brand: dict[str, set[str]] = {}
        for brand_field, licensee in registry_brands:
            names = split_registry_brand(brand_field)
            if not names:
                continue
            main_key = brand_key(names[0])
            if not main_key:
                continue
            self.brands.setdefault(main_key, BrandName(display=names[0], key=main_key))
            for name in names:
                self._add_alias(name, main_key)
            names_by_brand.setdefault(main_key, set()).update(names)
            if licensee:
                licensees_by_brand.setdefault(main_key, set()).add(licensee)
        for main_key, licensees in licensees_by_brand.items():
            self._learn_licensee_aliases(main_key, licensees)
        self._learn_first_word_aliases(names_by_brand)
        self._learn_company_brand_aliases(names_by_brand)
        # The companies holding the licences, by their distinctive names (`matchers.licensees`).
        self.licensees = LicenseeNames(
            ((main_key, licensee) for main_key, names in licensees_by_brand.items() for licensee in names),
            brand_aliases=self._alias_to_brand,
        )
        self._thai_pattern = (
            re.compile(trie_pattern(self._thai_aliases, _thai_word_end)) if self._thai_aliases else None
        )
        self._skeleton_cache: dict[frozenset[str], dict[str, str]] = {}
        # Sound keys of every Latin-named brand, computed once at build time; a brand of several words
        # also by its first word, which is what sellers transliterate (`Nunu Baby` → นูนู่).
        self._brand_skeletons: dict[str, dict[str, str]] = {}
        for key, brand in self.brands.items():
            if brand.display.isascii():
                sounds = {f"{key}{_SOUND_SEP}whole": phonetic_skeleton(brand.display)}
                words = re.split(r"[\s-]+", brand.display.strip())
                if len(words) > 1:
                    sounds[f"{key}{_SOUND_SEP}first"] = phonetic_skeleton(words[0])
                sounds = {name: sound for name, sound in sounds.items() if len(sound) >= 4}
                if sounds:
                    self._brand_skeletons[key] = sounds

    def _add_alias(self, name: str, main_key: str) -> None:
        key = brand_key(name)
        if not key:
            return
        self._alias_to_brand.setdefault(key, main_key)
        if any("\u0e01" <= ch <= "\u0e4e" for ch in key) and len(key) >= 3:
            self._thai_aliases.setdefault(key, main_key)

    def _learn_first_word_aliases(self, names_by_brand: dict[str, set[str]]) -> None:
        """A brand of several words is also named by its first word, as sellers shorten it (`Mitsubishi`
        for `Mitsubishi Electric`, `มิตซูบิชิ` for `มิตซูบิชิ อีเล็คทริค`) — when no other brand starts
        with that word, the word is no brand of its own, and it is not a generic word."""
        owners: dict[str, set[str]] = {}
        firsts: dict[str, str] = {}
        for main_key, names in names_by_brand.items():
            for name in names:
                words = name.split()
                if len(words) < 2:
                    continue
                first = brand_key(words[0])
                thai = not first.isascii()
                if len(first) < (3 if thai else FIRST_WORD_ALIAS_MIN_LETTERS) or first in NOT_BRAND_WORDS:
                    continue
                if first in COMPANY_WORDS:
                    continue  # `บริษัท …`, `Thai …`: a company word names no brand by itself
                if not thai and not first.isalpha():
                    continue
                owners.setdefault(first, set()).add(main_key)
                firsts[first] = words[0]
        for first, brands in owners.items():
            if len(brands) == 1 and first not in self._alias_to_brand:
                self._add_alias(firsts[first], next(iter(brands)))

    def _learn_company_brand_aliases(self, names_by_brand: dict[str, set[str]]) -> None:
        """A registry brand written as a company name (`บริษัท ไทยวัฒนา จำกัด`, `Thaiwatana Co., Ltd.`)
        is also named by its distinctive part (`ไทยวัฒนา`, `thaiwatana`) — when no other brand's
        company-style name has that part and it is no brand of its own."""
        owners: dict[str, set[str]] = {}
        for main_key, names in names_by_brand.items():
            for name in names:
                if not has_company_word(name):
                    continue  # the name is the brand as it stands
                key = distinctive_key(name)
                if key and key not in NOT_BRAND_WORDS and key not in PROMOTION_WORDS:
                    owners.setdefault(key, set()).add(main_key)
        for key, brands in owners.items():
            if len(brands) == 1 and key not in self._alias_to_brand:
                self._add_alias(key, next(iter(brands)))

    def _learn_licensee_aliases(self, main_key: str, licensees: set[str]) -> None:
        """Thai words of the licensee's name that sound like the brand become its Thai aliases."""
        latin = self.brands[main_key].display
        if not latin.isascii():
            return
        for licensee in sorted(licensees)[:3]:  # a few names suffice; keeps index building fast
            cleaned = _LICENSEE_NOISE.sub(" ", normalize_text(licensee))
            for word in _THAI_RUN.findall(cleaned):
                if (
                    len(word) >= 3
                    and brand_key(word) not in self._alias_to_brand
                    and sounds_like(word, latin)
                ):
                    self._add_alias(word, main_key)

    # -- lookups -------------------------------------------------------------------------------------

    def canonical(self, name: str) -> str:
        """The registry brand key a name refers to (its own key when unknown)."""
        key = brand_key(name)
        return self._alias_to_brand.get(key, key)

    def known(self, name: str) -> bool:
        return brand_key(name) in self._alias_to_brand

    def display(self, key: str) -> str:
        brand = self.brands.get(key)
        return brand.display if brand else key

    def find_in_title(self, title: str, among: frozenset[str] | None = None) -> str | None:
        """A registry brand named in a normalised title (Latin word or word pair, or a Thai alias);
        with `among`, only one of those brands (for longer texts that may name others in passing)."""
        words = _LATIN_WORD.findall(title)
        lowered = [w.lower() for w in words]

        def brand_of(key: str) -> str | None:
            brand = self._alias_to_brand.get(key)
            if brand is None or (among is not None and brand not in among):
                return None
            return brand

        # Word pairs first (`Master Art`), then single words. A pair opened by a common word (`Power`,
        # `Gas`, `Baby`) counts only when it is a registry brand's whole name (`Power Tiger`, `Gas
        # Keeper`): read word by word it would be the second word's brand, or none.
        for i in range(len(lowered) - 1):
            pair = brand_key(lowered[i] + lowered[i + 1])
            found = brand_of(pair)
            if found and (lowered[i] not in NOT_BRAND_WORDS or found == pair):
                return found
        for word in lowered:
            key = brand_key(word)
            found = brand_of(key) if len(key) >= 2 else None
            if found:
                return found
        if self._thai_pattern is not None:
            for match in self._thai_pattern.finditer(fold_case_and_spacing(title)):
                brand = self._thai_aliases[match.group(0)]
                if among is None or brand in among:
                    return brand
        return None

    def leading_thai_brand(self, word: str) -> str:
        """The Thai form of a registry brand that a word (no spaces) starts with (`ซันเวฟพัดลม` →
        `ซันเวฟ`); '' when it starts with none."""
        if self._thai_pattern is None:
            return ""
        found = self._thai_pattern.match(fold_case_and_spacing(word))
        return found.group(0) if found else ""

    def _skeleton_choices(self, candidates: frozenset[str]) -> dict[str, str]:
        """Sound keys of the Latin-named candidates (cached per candidate set)."""
        choices = self._skeleton_cache.get(candidates)
        if choices is None:
            skeletons = self._brand_skeletons
            choices = {name: sound for c in candidates for name, sound in skeletons.get(c, {}).items()}
            self._skeleton_cache[candidates] = choices
        return choices

    def guess_from_thai(
        self, thai_words: Iterable[str], candidates: frozenset[str], rivals: Iterable[str] = ()
    ) -> str | None:
        """A candidate brand (key) that a Thai word of the title sounds like (`ฮาตาริ` → hatari).

        `candidates` are the brands holding licences for the listing's standard, so the comparison is
        against those names, not the whole registry; their sound keys are computed once per set.
        `rivals` are other Latin names in the same text (an unknown brand such as `Wrinkfree`): a Thai
        word that sounds at least as much like a rival is that rival's transliteration, not a guess.
        """
        words = [w for w in thai_words if len(w) >= 3]
        if not words:
            return None
        choices = self._skeleton_choices(candidates)
        if not choices:
            return None
        rival_skeletons = [phonetic_skeleton(r) for r in rivals if r]
        best, best_score = None, 0.0
        for word in words:
            romanized = romanize_thai(word)
            left = phonetic_skeleton(romanized) if romanized else ""
            if len(left) < 4:
                continue
            found = process.extractOne(left, choices, scorer=fuzz.ratio, score_cutoff=80.0)
            if found is None:
                continue
            _, score, sound_name = found
            threshold = 80.0 if min(len(left), len(choices[sound_name])) >= 8 else 85.0
            if any(fuzz.ratio(left, rival) >= score for rival in rival_skeletons):
                continue
            if score >= threshold and score > best_score:
                best, best_score = sound_name.split(_SOUND_SEP)[0], score
        return best


# `ยี่ห้อ X`, `แบรนด์ X`, `ตรา X`, `brand: X` — a seller naming the brand (ตรา must start a word: มาตรา).
_BRAND_MARKER = re.compile(
    r"(?:(?<![\u0e01-\u0e4e])(?:ยี่ห้อ|แบรนด์|แบรนด์สินค้า|ตรา)|\bbrand\b)\s*[:：]?\s*"
    r"(?P<brand>[A-Za-z][A-Za-z0-9&'+.-]*(?: [A-Z][A-Za-z0-9&'+.-]*)?|[\u0e01-\u0e4e]{2,})",
    re.IGNORECASE,
)


def brand_after_marker(title: str) -> str | None:
    """The brand a title names after `ยี่ห้อ`/`แบรนด์`/`ตรา`/`brand` (None when it names none)."""
    match = _BRAND_MARKER.search(title)
    if not match:
        return None
    brand = match.group("brand").strip()
    if is_placeholder_brand(brand) or brand.lower() in NOT_BRAND_WORDS or is_promotion_or_material(brand):
        return None
    return brand


# Words that end a two-word brand (`NONAME PRO`) although they are marketing words on their own.
_BRAND_SUFFIXES = load_wordlist("brand_suffixes")


def unknown_brand_in_title(title: str, skip: frozenset[str] = frozenset()) -> str | None:
    """A Latin brand-like word (or pair of capitalised words) in a title that no lexicon knows.

    `skip` holds lower-case words to ignore besides NOT_BRAND_WORDS (e.g. English product terms).
    """
    skip_set = skip
    matches = list(_LATIN_WORD.finditer(title))
    words = [match.group(0) for match in matches]
    for index, word in enumerate(words):
        lower = word.lower()
        if lower in NOT_BRAND_WORDS or lower in skip_set or len(lower) < 2:
            continue
        start = matches[index].start()
        if start and title[start - 1].isdigit():
            continue  # letters glued after digits are a unit or spec (`16PR`, `9000BTU`), not a brand
        if any(part in NOT_BRAND_WORDS for part in re.split(r"[.-]", lower)):
            continue  # `USB-C`, `Type-C`
        if any(ch.isdigit() for ch in word):
            continue
        if not (word[0].isupper()):
            continue
        brand = word
        if index + 1 < len(words):
            following = words[index + 1]
            if (
                following.isupper()
                and following.isalpha()
                and word.isupper()
                and following.lower() not in skip_set
                and (following.lower() not in NOT_BRAND_WORDS or following.lower() in _BRAND_SUFFIXES)
                and title.find(word + " " + following) >= 0
            ):
                brand = f"{word} {following}"
        return brand
    return None
