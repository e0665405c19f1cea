"""Thai text normalisation: one clean form of what sellers type, before anything is extracted or matched.

Two forms are produced:

- `normalize_text(text)`: the *display-faithful* clean form. Unicode NFKC (full-width letters, digits and
  brackets), Thai digits → Arabic, pythainlp's Thai normalisation (zero-width characters, duplicated or
  misordered vowels and tone marks, `เเ` → `แ`), emoji and decorative symbols dropped, lookalike dashes
  unified, whitespace collapsed. Case is kept. Codes (TIS numbers, licence numbers, models) are extracted
  from this form.
- `match_key(text)`: the *comparison* form used to find product words: `normalize_text`, lower case,
  Thai tone marks and the silent-letter mark removed (sellers misplace them: น็อค/น๊อค/นอค), and spaces
  between two Thai characters dropped (Thai phrases are spaced at will: `ปลั๊กสามตา พ่วง`).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pythainlp.util import normalize as thai_normalize

# Thai digits ๐–๙ (U+0E50–U+0E59) → 0–9.
_THAI_DIGITS = {ord(thai): arabic for thai, arabic in zip("๐๑๒๓๔๕๖๗๘๙", "0123456789", strict=True)}

# Characters NFKC leaves alone but sellers use as brackets, dashes, quotes and spaces.
_PUNCTUATION_MAP = {
    ord("【"): "[",
    ord("】"): "]",
    ord("〔"): "[",
    ord("〕"): "]",
    ord("「"): "[",
    ord("」"): "]",
    ord("『"): "[",
    ord("』"): "]",
    ord("《"): "[",
    ord("》"): "]",
    ord("〈"): "[",
    ord("〉"): "]",
    ord("‐"): "-",
    ord("‑"): "-",
    ord("‒"): "-",
    ord("–"): "-",
    ord("—"): "-",
    ord("―"): "-",
    ord("−"): "-",
    ord("“"): '"',
    ord("”"): '"',
    ord("‘"): "'",
    ord("’"): "'",
    ord("\u00a0"): " ",
    ord("\u3000"): " ",
}
_TRANSLATION = {**_THAI_DIGITS, **_PUNCTUATION_MAP}

# What pythainlp's normalize() repairs; checked first because that function is comparatively slow and
# most titles need none of it.
_NEEDS_THAI_NORMALIZE = re.compile(
    "[\u200b\u200c\u200d\u2060\ufeff]"  # zero-width characters
    "|เเ"  # two sara e typed for sara ae
    "|([\u0e31\u0e34-\u0e3a\u0e47-\u0e4e])\\1"  # a vowel or tone mark typed twice
    "|\\s[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]"  # a space before a combining mark
    "|^[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]"  # a dangling mark at the start
)

# Emoji, pictographs, dingbats, variation selectors and other decoration: dropped (replaced by a space,
# since sellers use them as separators: `🔥ขายดี🔥`).
_DECORATION = re.compile(
    "[\U0001f000-\U0001faff\U00002600-\U000027bf\U0001f900-\U0001f9ff\u2b00-\u2bff"
    "\ufe0e\ufe0f\u200d\u20e3\u2700-\u27bf\u2190-\u21ff\u25a0-\u25ff\u2300-\u23ff\u2022\u2605\u2606]"
)
_SPACES = re.compile(r"\s+")
# A zero-width space is removed (it hides inside brands, models and numbers: `Sun\u200bwave`), except where
# it is the only thing between two words: Thai then Latin letters, or a lower-case letter then a capital
# (`หม้อหุงข้าว\u200bSunwave\u200bSW-RC18D`): there it stands for a space.
_ZERO_WIDTH = "[\u200b\u2060\ufeff]"
_ZERO_WIDTH_BETWEEN_WORDS = re.compile(
    f"(?<=[a-z]){_ZERO_WIDTH}(?=[A-Z])|(?<=[\u0e01-\u0e4e]){_ZERO_WIDTH}(?=[A-Za-z])"
    f"|(?<=[A-Za-z]){_ZERO_WIDTH}(?=[\u0e01-\u0e4e])"
)

# Thai tone marks (mai ek … mai chattawa), mai taikhu and thanthakhat: removed in match keys.
_TONE_MARKS = re.compile("[\u0e47-\u0e4c]")
_THAI_CHAR = "\u0e01-\u0e4f"
_SPACE_BETWEEN_THAI = re.compile(f"(?<=[{_THAI_CHAR}]) (?=[{_THAI_CHAR}])")


def normalize_text(text: object) -> str:
    """The clean, case-preserving form of a listing field (see module docstring). Never raises."""
    if not isinstance(text, str):
        if text is None:
            return ""
        text = str(text)
    if not text:
        return ""
    # NFKC decomposes sara am (ำ) into nikhahit + sara aa; put it back so Thai words keep their spelling.
    text = unicodedata.normalize("NFKC", text).replace("\u0e4d\u0e32", "\u0e33").translate(_TRANSLATION)
    text = _DECORATION.sub(" ", text)
    if _NEEDS_THAI_NORMALIZE.search(text):
        text = _ZERO_WIDTH_BETWEEN_WORDS.sub(" ", text)
        text = thai_normalize(text)
    return _SPACES.sub(" ", text).strip()


# Spellings of one loanword cluster that sellers mix freely: สวิตช์/สวิทช์/สวิตซ์/สวิทซ์ (switch).
_TCH_CLUSTER = re.compile("[ตท][ชซ]")


def fold_thai(text: str) -> str:
    """Lower case, no tone marks, one spelling of the ตช cluster, no spaces between Thai characters
    (input already normalised)."""
    text = _TCH_CLUSTER.sub("ตช", _TONE_MARKS.sub("", text.lower()))
    return _SPACE_BETWEEN_THAI.sub("", text)


def fold_case_and_spacing(text: str) -> str:
    """Lower case, one spelling of the ตช cluster, no spaces between Thai characters — but tone marks
    and vowels kept: the comparison form of Thai *names* (brands), where a tone mark or a vowel length
    is the whole difference between a brand and an ordinary word (ช้าง elephant / ช่าง craftsman,
    เสือ / เสื้อ, สูด / สุด). Input already normalised."""
    return _SPACE_BETWEEN_THAI.sub("", _TCH_CLUSTER.sub("ตช", text.lower()))


def match_key(text: object) -> str:
    """The comparison form of raw text (see module docstring)."""
    return fold_thai(normalize_text(text))


@lru_cache(maxsize=4096)
def match_key_cached(text: str) -> str:
    """`match_key` for short strings seen many times (brands, vocabulary terms)."""
    return match_key(text)


def is_thai_char(char: str) -> bool:
    return "\u0e01" <= char <= "\u0e5b"


def is_latin_or_digit(char: str) -> bool:
    return char.isascii() and char.isalnum()
