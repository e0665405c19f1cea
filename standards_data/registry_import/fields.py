"""Field-level checks for registry rows: each returns the canonical value or raises FieldError.

The canonical forms are those of standards_data/REGISTRY.md; whatever a source file spells differently
(Thai digits, `มอก.` prefixes, BE dates, Thai licence types) is normalised here, so a file exported
from the database imports back unchanged.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
BE_OFFSET = 543
# Plausible Buddhist-era years for a TIS edition or a licence date (TISI was founded in BE 2511).
BE_YEAR_RANGE = range(2480, 2700)
AD_YEAR_RANGE = range(1937, 2157)

LICENCE_TYPES = ("make", "import", "display", "one_off_import")
# How TISI's own pages and files name the licence types; English spellings seen in exports too.
LICENCE_TYPE_ALIASES = {
    "make": "make",
    "manufacture": "make",
    "ทำ": "make",
    "import": "import",
    "นำเข้า": "import",
    "display": "display",
    "แสดง": "display",
    "one_off_import": "one_off_import",
    "one-off import": "one_off_import",
    "one off import": "one_off_import",
    "นำเข้าเฉพาะครั้ง": "one_off_import",
}

STATUSES = ("active", "suspended", "revoked")
STATUS_ALIASES = {
    "active": "active",
    "suspended": "suspended",
    "revoked": "revoked",
    "ใช้งาน": "active",
    "พักใช้": "suspended",
    "เพิกถอน": "revoked",
}

# `[(n)]<letter><run>-<seq>/<tis base>`; letters ท make, น import, ส display, นค one-off import.
LICENCE_NO = re.compile(
    r"^(?:\((?P<renewal>\d+)\))?(?P<letter>นค|ท|น|ส)(?P<run>\d+)-(?P<seq>\d+)/(?P<base>\d+)$"
)
# `<base>[ เล่ม <part>[(<sub>)]]-<year>` after normalisation (see normalise_tis_number).
TIS_NUMBER = re.compile(
    r"^(?P<base>\d{1,5})(?: เล่ม (?P<part>\d{1,3})(?:\((?P<sub>\d{1,3})\))?)?-(?P<year>\d{4})$"
)
ISO_DATE = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$")
DMY_DATE = re.compile(r"^(?P<d>\d{1,2})[-/.](?P<m>\d{1,2})[-/.](?P<y>\d{4})$")


class FieldError(ValueError):
    """A value that cannot be made canonical; the message says what is wrong with it."""


def clean_text(value: str) -> str:
    """NFC, Thai digits kept (they are text here), runs of whitespace collapsed, ends stripped."""
    if not unicodedata.is_normalized("NFC", value):
        value = unicodedata.normalize("NFC", value)
    return " ".join(value.split())


def normalise_licence_no(value: str) -> str:
    text = clean_text(value).translate(THAI_DIGITS).replace(" ", "")
    if not text:
        raise FieldError("licence number is empty")
    if not LICENCE_NO.match(text):
        raise FieldError(
            f"{value!r} is not a TISI licence number (expected [(n)]<ท|น|ส|นค><run>-<seq>/<tis base>, "
            "e.g. ท4080-51/2432 or (3)ท1021-49/1040)"
        )
    return text


def licence_base(licence_no: str) -> str:
    match = LICENCE_NO.match(licence_no)
    return match.group("base") if match else ""


@dataclass(frozen=True)
class TisNumber:
    base: str
    part: str | None
    sub: str | None
    year: int

    @property
    def canonical(self) -> str:
        text = self.base
        if self.part:
            text += f" เล่ม {self.part}"
            if self.sub:
                text += f"({self.sub})"
        return f"{text}-{self.year}"


# Registries repeat a few hundred standards and a few thousand dates over 500,000 rows: parse each once.
@lru_cache(maxsize=8192)
def parse_tis_number(value: str) -> TisNumber:
    """Parse a TIS standard number written any of the ways registries and sellers write it."""
    text = clean_text(value).translate(THAI_DIGITS)
    text = re.sub(r"^(?:มอก\.?|TIS)\s*", "", text, flags=re.IGNORECASE)
    text = re.sub(r"\s*เล่ม\s*", " เล่ม ", text)
    text = re.sub(r"\s*([-()])\s*", r"\1", text)
    match = TIS_NUMBER.match(text)
    if not match:
        raise FieldError(
            f"{value!r} is not a TIS standard number (expected <number>[ เล่ม <part>[(<sub>)]]-<BE year>, "
            "e.g. 2432-2555 or 685 เล่ม 1-2562)"
        )
    year = int(match.group("year"))
    if year not in BE_YEAR_RANGE:
        hint = f"; if {year} is AD, the BE year is {year + BE_OFFSET}" if year in AD_YEAR_RANGE else ""
        raise FieldError(
            f"{value!r} is not a TIS standard number: year {year} is not a Buddhist-era year{hint}"
        )
    part, sub = match.group("part"), match.group("sub")
    return TisNumber(
        base=str(int(match.group("base"))),
        part=str(int(part)) if part else None,
        sub=str(int(sub)) if sub else None,
        year=year,
    )


def _checked_date(year: int, month: int, day: int, original: str) -> str:
    try:
        return date(year, month, day).isoformat()
    except ValueError as error:
        raise FieldError(f"{original!r} is not a date ({error})") from None


@lru_cache(maxsize=65536)
def normalise_iso_date(value: str) -> str:
    """Canonical `issued`: ISO `YYYY-MM-DD`, AD. Empty stays empty (TISI leaves some dates blank)."""
    text = clean_text(value).translate(THAI_DIGITS)
    if not text:
        return ""
    match = ISO_DATE.match(text)
    if not match:
        raise FieldError(f"{value!r} is not a date in YYYY-MM-DD form")
    year = int(match.group("y"))
    if year in BE_YEAR_RANGE:
        raise FieldError(f"{value!r} has a Buddhist-era year; canonical dates are AD ({year - BE_OFFSET}-…)")
    return _checked_date(year, int(match.group("m")), int(match.group("d")), value)


@lru_cache(maxsize=65536)
def normalise_be_date(value: str) -> str:
    """TISI's `dd-mm-BE` (also `/` or `.`) to ISO AD. An ISO date is accepted as it is."""
    text = clean_text(value).translate(THAI_DIGITS)
    if not text:
        return ""
    if ISO_DATE.match(text):
        return normalise_iso_date(text)
    match = DMY_DATE.match(text)
    if not match:
        raise FieldError(f"{value!r} is not a date in dd-mm-yyyy (Buddhist era) form")
    year = int(match.group("y"))
    if year not in BE_YEAR_RANGE:
        raise FieldError(f"{value!r}: year {year} is not a Buddhist-era year (TISI writes dd-mm-BE)")
    return _checked_date(year - BE_OFFSET, int(match.group("m")), int(match.group("d")), value)


def normalise_licence_type(value: str) -> str:
    text = clean_text(value).lower()
    try:
        return LICENCE_TYPE_ALIASES[text]
    except KeyError:
        raise FieldError(
            f"unknown licence type {value!r} (expected one of {', '.join(LICENCE_TYPES)} or ทำ/นำเข้า/แสดง)"
        ) from None


def normalise_status(value: str) -> str:
    text = clean_text(value).lower()
    try:
        return STATUS_ALIASES[text]
    except KeyError:
        raise FieldError(f"unknown status {value!r} (expected one of {', '.join(STATUSES)})") from None


def normalise_models(value: str) -> str:
    """`;`-separated models, each cleaned; empty items dropped, repeats dropped, order kept."""
    seen: dict[str, None] = {}
    for model in value.split(";"):
        cleaned = clean_text(model)
        if cleaned:
            seen.setdefault(cleaned, None)
    return ";".join(seen)
