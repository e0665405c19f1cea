"""Licensees — the companies holding licences — as names of the brands they hold.

Sellers often name the company instead of the trade brand (`บริษัท สยามเวลล์ กรุ๊ป จำกัด`, `Siamwell`,
`Hanamaru Electric Corporation`, with or without `Co., Ltd.`, `(ประเทศไทย)`, `Thailand`), and a registry's
brand column sometimes holds a company's name where the listing gives the brand. A company's
*distinctive name* is its name without company-form and generic business words
(`standards_data/wordlists/company_words.txt`): `บริษัท ช้างทองอุตสาหกรรมไฟฟ้า จำกัด` → ช้างทอง. It names
every brand that company holds licences for; a group brand held by several companies is named by each
of them. A name made only of company words (`Electric Industry Co., Ltd.`) names nothing.

The same name written in the other script (`Siamwell` for สยามเวลล์) is compared on a sound key, as the
brand lexicon compares Thai transliterations (`matchers.brands.phonetic_skeleton`), but only with the
companies holding licences for the listing's standard.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from functools import lru_cache

from rapidfuzz import fuzz

from matchers.normalize import fold_case_and_spacing, normalize_text
from standards_data.wordlists import load_wordlist

COMPANY_WORDS = load_wordlist("company_words")
_LATIN_COMPANY_WORDS = frozenset(word for word in COMPANY_WORDS if word.isascii())
# Thai company words of four characters or more are also stripped where glued to a word's start or end
# (`ช้างทองอุตสาหกรรมไฟฟ้า`); shorter ones (ไทย, หจก) only as words of their own: ศรีไทย is a name.
_GLUED_MIN_CHARS = 4
_THAI_COMPANY_WORDS = frozenset(word for word in COMPANY_WORDS if not word.isascii())
_THAI_GLUED_WORDS = sorted(
    (word for word in _THAI_COMPANY_WORDS if len(word) >= _GLUED_MIN_CHARS), key=len, reverse=True
)
# Anchored at the start only (a pattern anchored at the end is tried at every position): the end is
# stripped by matching the reversed word against the reversed words.
_THAI_GLUED_START = re.compile("^(?:" + "|".join(map(re.escape, _THAI_GLUED_WORDS)) + ")+")
_THAI_GLUED_END_REVERSED = re.compile("^(?:" + "|".join(re.escape(w[::-1]) for w in _THAI_GLUED_WORDS) + ")+")
# Words of a company name after normalising: Latin letters and digits, or Thai runs; `.`, `,`, `&`,
# brackets and spaces separate them (`Co.,Ltd.` → co, ltd).
_NAME_WORD = re.compile(r"[a-z0-9]+|[\u0e01-\u0e4e]+")
# A distinctive name shorter than this names no company reliably.
MIN_LATIN_LETTERS = 4
MIN_THAI_CHARS = 3


def _strip_glued(word: str) -> str:
    """A Thai word without the company words glued to its start or end."""
    word = _THAI_GLUED_START.sub("", word)
    return _THAI_GLUED_END_REVERSED.sub("", word[::-1])[::-1] if word else word


# Plain text (printable ASCII and Thai letters): nothing for `normalize_text` to repair, which is the
# costly part of reading tens of thousands of licensee names.
_PLAIN = re.compile(r"[\u0020-\u007e\u0e01-\u0e4e]*")
# Each word's distinctive form ('' for a company word), computed once: words repeat across names.
_word_forms: dict[str, str] = {}


def _word_form(word: str) -> str:
    form = _word_forms.get(word)
    if form is None:
        if word.isascii():
            form = "" if word in _LATIN_COMPANY_WORDS else word
        elif word in _THAI_COMPANY_WORDS:
            form = ""
        else:
            form = fold_case_and_spacing(_strip_glued(word))
            if form in _THAI_COMPANY_WORDS:
                form = ""
        if len(_word_forms) > 200_000:
            _word_forms.clear()
        _word_forms[word] = form
    return form


def _split_name(name: str) -> tuple[list[str], list[str]]:
    text = name.lower() if _PLAIN.fullmatch(name) else normalize_text(name).lower()
    every = _NAME_WORD.findall(text)
    return every, [form for form in map(_word_form, every) if form]


@lru_cache(maxsize=65536)
def _name_words(name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(all words, distinctive words) of a name: lower case, normalised; the distinctive ones are
    those that are no company or business word, with glued Thai company words stripped."""
    every, distinctive = _split_name(name)
    return tuple(every), tuple(distinctive)


def is_company_word(word: str) -> bool:
    """Whether one word (any case) is a company or business word."""
    return word.lower() in COMPANY_WORDS


def distinctive_words(name: str) -> tuple[str, ...]:
    """The words of a company name that are not company or business words (lower case, normalised)."""
    return _name_words(name)[1]


def has_company_word(name: str) -> bool:
    """Whether a name holds a company or business word (`Thaiwatana Co., Ltd.`, `บริษัท …`)."""
    every, distinctive = _split_name(name)  # uncached: read once per registry brand name
    return len(every) != len(distinctive) or any(
        not word.isascii() and _strip_glued(word) != word for word in every
    )


def only_company_words(name: str) -> bool:
    """Whether a name has words and all of them are company or business words (`Ltd.`, `ประเทศไทย`)."""
    every, distinctive = _split_name(name)  # uncached: read once per registry brand name
    return bool(every) and not distinctive


def distinctive_key(name: str) -> str:
    """A company's distinctive name as one comparison key (`Siam Well Group Co., Ltd.` → `siamwell`);
    '' when too little is left to name one company."""
    return _key_of("".join(distinctive_words(name)))


def _key_of(key: str) -> str:
    if key.isascii():
        return key if sum(map(str.isalpha, key)) >= MIN_LATIN_LETTERS else ""
    return key if len(key) >= MIN_THAI_CHARS else ""


def _thai_letters(key: str) -> bool:
    return any("\u0e01" <= ch <= "\u0e4e" for ch in key)


# Thai writes a Latin final l with ล, which is read (and romanised) as n: `Siamwell` → สยามเวลล์ → sayamwen;
# a final j or ch with จ/ช, read t: `Navakij` → นวกิจ → nawakit.
_FINAL_L = re.compile(r"l+(?![aeiouy])")
_FINAL_J = re.compile(r"(?:j|ch|tch)$")
_VOWELS = re.compile(r"[aeiou]")


def latin_sound(latin: str) -> str:
    """The sound key of a Latin name for comparison with a romanised Thai name."""
    from matchers.brands import phonetic_skeleton

    letters = "".join(ch for ch in latin.lower() if "a" <= ch <= "z")
    return phonetic_skeleton(_FINAL_L.sub("n", _FINAL_J.sub("t", letters)))


def thai_sound(thai: str) -> str:
    """The sound key of a Thai name (royin romanisation, then the skeleton); '' when unreadable."""
    from matchers.brands import phonetic_skeleton, romanize_thai

    # royin leaves a letter it cannot place in Thai script (`นาวาสตาร์` → `naาsata`): Latin letters only.
    romanized = "".join(ch for ch in romanize_thai(thai).lower() if "a" <= ch <= "z")
    return phonetic_skeleton(romanized) if romanized else ""


def sounds_alike(left: str, right: str) -> bool:
    """Two sound keys of one name written in two scripts: close overall (the lexicon's thresholds), or
    the same consonants with vowels that differ a little (Thai spelling moves vowels: `siam` → สยาม)."""
    if len(left) < 4 or len(right) < 4:
        return False
    score = fuzz.ratio(left, right)
    if score >= (80.0 if min(len(left), len(right)) >= 8 else 85.0):
        return True
    consonants_left, consonants_right = _VOWELS.sub("", left), _VOWELS.sub("", right)
    return len(consonants_left) >= 3 and consonants_left == consonants_right and score >= 75.0


# Country words glued to a Thai company name (ไทยคอปเปอร์ไวร์): sellers writing it in Latin letters
# often drop them (`Copper Wire`), so the name is also compared by sound without them.
_THAI_COUNTRY_EDGES = re.compile(r"^(?:ไทย|สยาม)|(?:ไทย|สยาม)$")


def _sound_variants(name: str) -> tuple[str, ...]:
    if not _thai_letters(name):
        return (name,)
    bare = _THAI_COUNTRY_EDGES.sub("", name)
    return (name, bare) if bare != name and len(bare) >= MIN_THAI_CHARS else (name,)


# A Thai company name found in a title must end where a syllable can end (not before a vowel or mark).
_MARK_AFTER = re.compile("[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]")
# Thai company names shorter than this are not searched for inside titles (too many ordinary words).
MIN_THAI_CHARS_IN_TEXT = 4


class LicenseeNames:
    """Distinctive company names → the brand keys their companies hold."""

    def __init__(self, pairs: Iterable[tuple[str, str]], brand_aliases: Collection[str] = ()) -> None:
        """`pairs`: (brand key, licensee name), each pair once. `brand_aliases`: keys the brand lexicon
        already knows as brand names; a company named like its brand (ฮานามารุ for Hanamaru) adds no
        new name to compare by sound."""
        # Name → its brand, or the list of its brands when it holds several (most companies hold one).
        brands: dict[str, str | list[str]] = {}
        latin_words: set[str] = set()
        for brand, licensee in pairs:
            # Uncached: each licensee is read once here (tens of thousands of names).
            words = _split_name(licensee)[1] if licensee else []
            key = _key_of("".join(words))
            if not key:
                continue
            held = brands.get(key)
            if held is None:
                brands[key] = brand
                latin_words.update(word for word in words if word.isascii())
            elif isinstance(held, list):
                if brand not in held:
                    held.append(brand)
            elif held != brand:
                brands[key] = [held, brand]
        _word_forms.clear()  # the build's words; queries fill it again with their own
        self._brands: dict[str, str | tuple[str, ...]] = {
            name: held if isinstance(held, str) else tuple(sorted(held)) for name, held in brands.items()
        }
        # Latin words of the distinctive names: a title none of whose words is one names no company.
        self.latin_words = frozenset(latin_words)
        # Brand → the names of its companies that are no brand names themselves (compared by sound and
        # searched in titles; a company named like its brand is found as the brand).
        self._sound_names: dict[str, list[str]] = {}
        for name in self._brands:
            if name not in brand_aliases:
                for brand in self.brands_of_key(name):
                    self._sound_names.setdefault(brand, []).append(name)
        self._sounds_cache: dict[frozenset[str], list[tuple[str, str, str]]] = {}
        # Brands with a company name of their own (a set, so a standard's brands are narrowed in C).
        self._sound_brands = frozenset(self._sound_names)
        self._thai_names_cache: dict[frozenset[str], list[tuple[str, tuple[str, ...]]]] = {}

    def __len__(self) -> int:
        return len(self._brands)

    def brands_of_key(self, key: str) -> tuple[str, ...]:
        held = self._brands.get(key)
        if held is None:
            return ()
        return (held,) if isinstance(held, str) else held

    def brands_named(self, name: str) -> tuple[str, ...]:
        """The brands of the company a name (brand field, title words) stands for; () when none."""
        key = distinctive_key(name)
        return self.brands_of_key(key) if key else ()

    def has_names_among(self, candidates: frozenset[str]) -> bool:
        """Whether a company holding one of these brands has a name that is no brand name."""
        return not self._sound_brands.isdisjoint(candidates)

    def thai_names_in(self, folded_text: str, candidates: frozenset[str]) -> tuple[str, tuple[str, ...]]:
        """A Thai company name of a company holding one of `candidates` found in a text (folded as brand
        keys are: `fold_case_and_spacing`), and that company's brands among them; ('', ()) if none.
        Names that are brand names too are left out: the brand lexicon finds those first."""
        names = self._thai_names_cache.get(candidates)
        if names is None:
            found_names: dict[str, tuple[str, ...]] = {}
            for brand in sorted(candidates & self._sound_brands):
                for name in self._sound_names.get(brand, ()):
                    if len(name) >= MIN_THAI_CHARS_IN_TEXT and _thai_letters(name):
                        found_names[name] = (*found_names.get(name, ()), brand)
            # Longest first: a longer name that contains a shorter one is the one meant.
            names = sorted(found_names.items(), key=lambda item: -len(item[0]))
            if len(self._thai_names_cache) > 4096:
                self._thai_names_cache.clear()
            self._thai_names_cache[candidates] = names
        for name, brands in names:
            at = folded_text.find(name)
            while at >= 0:
                if not _MARK_AFTER.match(folded_text, at + len(name)):
                    return name, brands
                at = folded_text.find(name, at + 1)
        return "", ()

    def _sounds_for(self, candidates: frozenset[str]) -> list[tuple[str, str, str]]:
        """(brand, company name, its sound key) for the companies holding these brands (cached per
        candidate set: the brands of one standard repeat from listing to listing)."""
        sounds = self._sounds_cache.get(candidates)
        if sounds is None:
            sounds = []
            for brand in sorted(candidates & self._sound_brands):
                for name in self._sound_names.get(brand, ()):
                    if _thai_letters(name) and any(ch.isascii() for ch in name):
                        continue  # a name in mixed scripts is compared exactly only
                    for variant in _sound_variants(name):
                        sound = thai_sound(variant) if _thai_letters(variant) else latin_sound(variant)
                        if len(sound) >= 4:
                            sounds.append((brand, name, sound))
            if len(self._sounds_cache) > 4096:
                self._sounds_cache.clear()
            self._sounds_cache[candidates] = sounds
        return sounds

    def brands_sounding_like(self, name: str, candidates: frozenset[str]) -> tuple[str, ...]:
        """Brands among `candidates` held by a company whose distinctive name, written in the other
        script, sounds like `name` (`Siamwell` ~ สยามเวลล์, `สยามเวลล์` ~ Siamwell Group)."""
        key = distinctive_key(name)
        if not key or (_thai_letters(key) and any(ch.isascii() for ch in key)):
            return ()
        thai_name = _thai_letters(key)
        own = thai_sound(key) if thai_name else latin_sound(key)
        if len(own) < 4:
            return ()
        found: list[str] = []
        for brand, other, sound in self._sounds_for(candidates):
            if _thai_letters(other) != thai_name and brand not in found and sounds_alike(own, sound):
                found.append(brand)
        return tuple(found)
