"""Extract what a listing claims: TIS numbers, licence numbers and model codes, from normalised text.

Codes are found with patterns on the `normalize_text` form (Thai digits already Arabic), never on
tokenised text: a tokenizer splits `P-|404`. Nothing here raises on odd input; a pattern that does not
match simply yields nothing.

TIS numbers (`TisClaim`): every form sellers write after `มอก.`/`มอก`/`ม.อ.ก.`/`TIS`/`มาตรฐาน …`:
`2432-2555`, `2432-2012` (AD year), `2432` (base only), `685 เล่ม 1-2562`, `60335 Part 2(23)-2021`,
`60335-2-23` (IEC-style part). A number directly followed by a quantity word (`มอก.5 ช่อง`: "TIS-certified,
5 sockets") is not a standard number; a marker with no number (`มีมอก.`) is a *bare* claim.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from standards_data.wordlists import load_wordlist

BE_OFFSET = 543  # Buddhist era = AD + 543

# --- TIS numbers ------------------------------------------------------------------------------------

# The claim marker. `มอก` may be glued to the words before it (`ผ่านมอก.`, `มีมอก`).
_TIS_MARKER = (
    r"(?:(?<!ห)ม\.\s?อ\.\s?ก\.?|(?<!ห)มอก\.?|(?<![A-Za-z])TIS(?![A-Za-z])\.?|(?<![A-Za-z])T\.I\.S\.?)"
)
_PART_WORD = r"(?:เล่ม|ส่วนที่|ส่วน|part|pt\.?|p\.)"
_TIS_NUMBER = (
    r"(?P<base>\d{1,5})(?!\d|[.,]\d)"
    rf"(?:\s*{_PART_WORD}\s*(?P<part>\d{{1,3}})(?:\s*\(\s*(?P<sub>\d{{1,3}})\s*\))?"
    r"|(?:-(?P<iec_part>\d{1,2})-(?P<iec_sub>\d{1,3})(?![\d]))"
    r")?"
    r"(?:\s*[-/]\s*(?:(?P<year>(?:25|19|20)\d{2})|(?P<short_year>[3-7]\d))(?![\d-]))?"
)
_TIS_CLAIM = re.compile(
    _TIS_MARKER + r"\s*(?:[:：#]|เลขที่|no\.?)?\s*(?:" + _TIS_NUMBER + r")?",
    re.IGNORECASE,
)
# `24 สี` is a count of colours; `368 สีดำ` is a number, then the colour black.
_COLOURS = r"สี(?!ดำ|ขาว|แดง|เทา|น้ำเงิน|น้ำตาล|เขียว|เหลือง|ชมพู|ม่วง|ส้ม|ฟ้า|ทอง|เงิน|ครีม|ใส)"
# Words that make the number before them a quantity, not a standard (`มอก.5 ช่อง`, `มอก. 3 เมตร`).
_QUANTITY_AFTER = re.compile(
    r"\s*(?:ช่อง|ชอง|สวิต|สวิท|สวิช|เมตร|เมต|ม\.|ม\b|m\b|cm|mm|w\b|วัตต์|วัต|watt|a\b|แอมป์|แอมป|amp|"
    rf"v\b|volt|โวลต์|usb|ขา|ตา|รู|ชิ้น|อัน|แพ็ค|แพค|pack|pcs|{_COLOURS}|ลิตร|l\b|นิ้ว|inch|\"|kg|กก|กิโล|g\b|กรัม|"
    r"mah|ปี|เดือน|วัน|เท่า|ระดับ|ตัว|ห่อ|กล่อง|ใบ|คู่|x\b|×|\*|%|บาท|฿|ชม|ชั่วโมง|ออนซ์|oz|ml|มล|"
    r"ตร|speed|สปีด|หัว|ก้อน|แท่ง|port|พอร์ต)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class TisClaim:
    """A TIS number as the listing wrote it, parsed; `base is None` for a bare `มอก.` claim."""

    raw: str
    base: str | None = None
    part: str | None = None
    sub: str | None = None
    year_be: int | None = None

    @property
    def is_bare(self) -> bool:
        return self.base is None

    def describe(self) -> str:
        if self.base is None:
            return "มอก. (no number)"
        text = self.base
        if self.part:
            text += f" เล่ม {self.part}" + (f"({self.sub})" if self.sub else "")
        if self.year_be:
            text += f"-{self.year_be}"
        return text


def to_buddhist_year(year: int) -> int:
    """BE year from a BE or AD year (sellers write both: 2555 = 2012)."""
    return year + BE_OFFSET if year < 2300 else year


def extract_tis_claims(text: str) -> list[TisClaim]:
    """TIS claims in normalised text, in order (bare claims included, quantity traps excluded)."""
    claims: list[TisClaim] = []
    if not text:
        return claims
    for match in _TIS_CLAIM.finditer(text):
        base = match.group("base")
        raw = match.group(0).strip()
        if base is None:
            claims.append(TisClaim(raw=raw))
            continue
        year = match.group("year")
        if not year and match.group("short_year"):
            year = f"25{match.group('short_year')}"  # `มอก.2432-55`: a two-digit Buddhist-era year
        part = match.group("part") or match.group("iec_part")
        sub = match.group("sub") or match.group("iec_sub")
        if not (year or part) and _QUANTITY_AFTER.match(text, match.end("base")):
            # "มอก.5 ช่อง": a certification claim followed by a quantity, not standard 5.
            claims.append(TisClaim(raw=text[match.start() : match.start("base")].strip()))
            continue
        if base.startswith("0"):
            claims.append(TisClaim(raw=raw))
            continue
        claims.append(
            TisClaim(
                raw=raw,
                base=str(int(base)),
                part=str(int(part)) if part else None,
                sub=str(int(sub)) if sub else None,
                year_be=to_buddhist_year(int(year)) if year else None,
            )
        )
    return claims


# --- Licence numbers --------------------------------------------------------------------------------

# `[(n)]<letter><run>-<seq>/<tis base>`: ท make, น import, ส display, นค one-off import.
_LICENCE = re.compile(
    r"(?:\(\s*(?P<prefix>\d{1,2})\s*\)\s*)?"
    r"(?P<letter>นค|ท|น|ส)\s?\.?\s?"
    r"(?P<run>\d{1,6})\s*-\s*(?P<seq>\d{1,4})\s*/\s*(?P<base>\d{1,5})(?![\d])"
)


@dataclass(frozen=True)
class LicenceClaim:
    licence_no: str
    """Canonical form, e.g. `(3)ท1021-49/1040`."""
    tis_base: str
    """The standard's base number the licence is for (after the slash)."""


def canonical_licence_no(prefix: str | None, letter: str, run: str, seq: str, base: str) -> str:
    head = f"({int(prefix)})" if prefix else ""
    return f"{head}{letter}{int(run)}-{int(seq)}/{int(base)}"


def extract_licence_numbers(text: str) -> list[LicenceClaim]:
    """Licence numbers in normalised text (Thai digits already converted), in order, without repeats."""
    found: list[LicenceClaim] = []
    if not text:
        return found
    seen: set[str] = set()
    for match in _LICENCE.finditer(text):
        licence_no = canonical_licence_no(
            match.group("prefix"),
            match.group("letter"),
            match.group("run"),
            match.group("seq"),
            match.group("base"),
        )
        if licence_no not in seen:
            seen.add(licence_no)
            found.append(LicenceClaim(licence_no=licence_no, tis_base=str(int(match.group("base")))))
    return found


# A licence number already in canonical form (as the registry import writes them): its own key.
_CANONICAL_LICENCE = re.compile(
    r"(?:\([1-9]\d?\))?(?:นค|ท|น|ส)(?:0|[1-9]\d{0,5})-(?:0|[1-9]\d{0,3})/[1-9]\d{0,4}"
)


def licence_key(licence_no: str) -> str:
    """Comparison key for a licence number as printed anywhere (registry or listing)."""
    if _CANONICAL_LICENCE.fullmatch(licence_no):
        return licence_no  # the registry's own numbers: no normalising or searching needed
    from matchers.normalize import normalize_text  # local: keeps this module's import light

    text = normalize_text(licence_no)
    found = extract_licence_numbers(text)
    return found[0].licence_no if found else "".join(text.split())


def strip_codes(text: str) -> str:
    """Text with TIS claims and licence numbers blanked out (so their digits are not read as models)."""
    text = _LICENCE.sub(" ", text)
    return _TIS_CLAIM.sub(" ", text)


# --- Model codes ------------------------------------------------------------------------------------

# A model code: 1–4 letters, optional hyphen/space, 3–6 digits (2 when hyphenated or after `รุ่น`),
# optional 1–3 letter suffix (`P-404`, `P404`, `p 404`, `HA 8176`, `el9621s`, `GLA-9326B`); one letter
# may lead the digits after a hyphen (`FP-J30TA`), or a letter segment may (`PJ-SL163`). Fewer
# digits are sizes and sockets (`E27`, `H13`, `T8`). No unit may follow (`PD 20W`, `USB 3000mAh`).
# A code may go on after its suffix with more digits (`SW-20F9`, `NVK-6S3M`) or after a hyphen
# (`LKT8-36`): the `tail`, whose digits count with the code's.
_MODEL = re.compile(
    r"(?<![A-Za-z0-9])(?P<prefix>[A-Za-z]{1,4})(?P<segment>-[A-Za-z]{1,4})?(?P<sep>[- ]?)"
    r"(?P<letter>[A-Za-z]?)(?P<digits>\d{1,6})(?P<suffix>[A-Za-z]{0,3})"
    r"(?P<tail>(?<=[A-Za-z])\d{1,4}[A-Za-z]{0,2}|-\d{1,4}[A-Za-z]{0,2})?(?![A-Za-z0-9])"
)
# Article numbers written in dotted groups (`495.61.005`, `535.43.711`): three or more groups of digits,
# so prices, sizes and dates (`1.5`, `12.12`) are not read as models.
_DOTTED_MODEL = re.compile(r"(?<![\d.])\d{2,4}(?:\.\d{2,4}){2,}(?![\d.])")
# Digits-only models (`รุ่น 60337`, LEGO set numbers) only count right after the model word.
_DIGITS_MODEL = re.compile(
    r"(?:รุ่น|model|โมเดล)\s*(?:no\.?)?\s*[:：]?\s*(?P<digits>\d{3,8})(?![\d.,A-Za-z])", re.I
)
_MODEL_AFTER_WORD = re.compile(r"(?:รุ่น|model|แบบ|mod\.)\s*[:：]?\s*$", re.IGNORECASE)
_UNIT_SUFFIXES = load_wordlist("unit_suffixes")
# Letter runs that are words or units, not model prefixes, when separated from the digits by a space.
_NOT_MODEL_PREFIX = load_wordlist("not_model_prefixes")


# Containers: `HA 8176 กล่อง 6 แท่ง` is model HA-8176 in a box of 6, not 8176 boxes.
_CONTAINER = re.compile(r"\s*(?:กล่อง|แพ็ค|แพค|pack|ห่อ|ชุด)", re.IGNORECASE)


def _spaced_number_is_quantity(text: str, match: re.Match[str], prefix: str) -> bool:
    """`Haco 100 สี`, `USB 3000`, `PD 20`: a word then a quantity, not a model written with a space."""
    if prefix.lower() in _NOT_MODEL_PREFIX:
        return True
    if not _QUANTITY_AFTER.match(text, match.end()):
        return False
    # A short upper-case prefix (`HA 8176`) is a model code even before a container word.
    return not (len(prefix) <= 3 and prefix.isupper() and _CONTAINER.match(text, match.end()))


@dataclass(frozen=True)
class ModelCode:
    raw: str
    key: str
    """Comparison key: upper case, no separators (`P-404`, `p 404`, `P404` → `P404`)."""
    after_model_word: bool = False
    """Written right after `รุ่น`/`model`: the seller says this is the model."""


@lru_cache(maxsize=200_000)
def model_key(model: str) -> str:
    """Comparison key of a model code: upper case letters and digits only."""
    return _NOT_ALNUM.sub("", model.upper())


# Whatever `str.isalnum` rejects (`\w` is exactly the alphanumerics plus `_`).
_NOT_ALNUM = re.compile(r"[\W_]+")


def extract_model_codes(text: str) -> list[ModelCode]:
    """Model-like codes in normalised text, in order, without repeats (strip claims first)."""
    models: list[ModelCode] = []
    if not text:
        return models
    seen: set[str] = set()
    for match in _MODEL.finditer(text):
        prefix, segment, sep, letter, digits, suffix, tail = match.group(
            "prefix", "segment", "sep", "letter", "digits", "suffix", "tail"
        )
        if tail:
            if tail.lstrip("-0123456789").lower() in _UNIT_SUFFIXES or (tail[0] == "-" and sep == " "):
                continue  # `T8-120cm`: a size after the code; `AB 12-15`: a range
            digits += "".join(ch for ch in tail if ch.isdigit())
        if segment and (sep or letter):
            continue  # one hyphenated letter segment at most: `PJ-SL163`, `KX-TG9343T`
        if segment:
            sep = "-"
        if letter and sep != "-":
            continue  # `AB C123` or `ABC123` forms are read through `prefix` alone
        after_word = bool(_MODEL_AFTER_WORD.search(text, 0, match.start()))
        # Written as a code: two or more letters, a hyphen, digits (`FL-5`, `LX-20W`, `TB-RCBO16`).
        coded = sep == "-" and len(prefix) >= 2 and prefix.lower() not in _NOT_MODEL_PREFIX
        if len(digits) == 1 and not (coded or (after_word and len(prefix) >= 2)):
            continue  # `T8`, `E-5`, `X 1`: sizes, sockets and counts
        if len(digits) < 3 and not (sep == "-" or after_word):
            continue  # `E27`, `H13`, `T8`: sizes and sockets, unless written as a code (`E-33`, `รุ่น X12`)
        if (suffix.lower() in _UNIT_SUFFIXES or suffix.lower().startswith("mah")) and not coded:
            continue  # `PD 20W`, `USB 3000mAh`; a coded `LX-20W` is a model
        if sep == " " and not after_word and _spaced_number_is_quantity(text, match, prefix):
            continue
        if prefix.lower() in ("tis", "no") and not after_word:
            continue
        key = model_key(match.group(0))
        if key not in seen:
            seen.add(key)
            models.append(ModelCode(raw=match.group(0), key=key, after_model_word=after_word))
    for match in _DOTTED_MODEL.finditer(text):
        key = model_key(match.group(0))
        if key not in seen:
            seen.add(key)
            after_word = bool(_MODEL_AFTER_WORD.search(text, 0, match.start()))
            models.append(ModelCode(raw=match.group(0), key=key, after_model_word=after_word))
    for match in _DIGITS_MODEL.finditer(text):
        key = match.group("digits")
        if key not in seen and not _QUANTITY_AFTER.match(text, match.end()):
            seen.add(key)
            models.append(ModelCode(raw=key, key=key, after_model_word=True))
    return models


# A licensed model looked up in a listing's text: its letters and digits in order, each pair of them
# optionally separated by a space, hyphen, dot, slash or underscore (`VT-506U` ~ `vt 506u`, `BW-2` ~
# `bw2`), not inside a longer code. Keys too short or too plain to be specific are not searched.
_MODEL_GAP = r"[\s\-_./]?"


@lru_cache(maxsize=65_536)
def _licensed_model_pattern(key: str) -> re.Pattern[str] | None:
    digits = sum(ch.isdigit() for ch in key)
    if len(key) < 3 or not digits or (digits == len(key) and len(key) < 4):
        return None
    body = _MODEL_GAP.join(re.escape(ch) for ch in key)
    return re.compile(rf"(?<![A-Za-z0-9]){body}(?![A-Za-z0-9])", re.IGNORECASE)


def licensed_model_in_text(models: Iterable[str], *texts: str, compact: str | None = None) -> str:
    """The first licensed model key (`model_key` form) written in one of `texts`, as written there.

    `compact` is `model_key` of the texts joined, if the caller has it: keys not in it are skipped
    without running their pattern (most are, and this runs for every candidate licence)."""
    if compact is None:
        compact = "".join(ch for ch in " ".join(texts).upper() if ch.isalnum())
    present = [key for key in models if key in compact]
    for key in sorted(present, key=len, reverse=True):  # `CM-18650-30` before `CM-18650`
        pattern = _licensed_model_pattern(key)
        if pattern is None:
            continue
        for text in texts:
            found = pattern.search(text) if text else None
            if found:
                return found.group(0)
    return ""
