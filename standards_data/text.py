"""Low-level text values shared by the page parsers, the cleaning pipeline, the registry import and the
matcher: whitespace and invisible characters, Thai digits, numbers in prices and counts, and the brand
values that mean "no brand". One definition each, at the bottom of the import direction (tiswatch →
crawler → pipelines → matchers → standards_data), so every layer reads a field the same way.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any

from standards_data.wordlists import load_wordlist

# Thai digits ๐–๙ → 0–9 (`str.translate` tables), and back (the demo market writes Thai digits).
THAI_TO_ARABIC_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
ARABIC_TO_THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")

# Zero-width characters and the soft hyphen: removed (they join what they sit between).
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# Multipliers sellers and platforms write after a count: "1.2k", "1.2พัน", "3หมื่น", "1.1M".
COUNT_MULTIPLIERS = {"k": 1_000, "พัน": 1_000, "หมื่น": 10_000, "แสน": 100_000, "m": 1_000_000, "ล้าน": 1_000_000}
_COUNT = re.compile(r"(\d+(?:[.,]\d+)*)\s*(k|m|พัน|หมื่น|แสน|ล้าน)?", re.IGNORECASE)


def thai_digits_to_arabic(text: str) -> str:
    """`มอก.๒๔๓๒` → `มอก.2432`."""
    return text.translate(THAI_TO_ARABIC_DIGITS)


def clean_text(value: Any) -> str:
    """One line of text: NFC, invisible characters removed, control characters and any whitespace run
    as one space, ends stripped; '' for None. Thai text and Thai digits are kept as written."""
    if value is None:
        return ""
    text = str(value)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    text = "".join(ch if unicodedata.category(ch)[0] != "C" or ch in "\t\n\r" else " " for ch in text)
    return " ".join(text.split())


def clean_multiline(value: Any) -> str:
    """Like `clean_text` but keeps line breaks (descriptions); empty lines dropped."""
    lines = (clean_text(line) for line in str(value or "").replace("\r\n", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


def _to_float(text: str) -> float | None:
    # "1,290.50" -> 1290.5; a lone comma with one or two digits after it ("12,50") is a decimal comma.
    if re.fullmatch(r"\d+,\d{1,2}", text):
        text = text.replace(",", ".")
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


def read_number(value: Any) -> float | None:
    """The first number in a value: a number as is, text as written (`฿1,290`, `1,290.00 บาท`, `๑๙๙`,
    `199 - 299` → 199); None when there is none or it is not finite."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number: float | None = float(value)
    else:
        match = _NUMBER.search(thai_digits_to_arabic(clean_text(value)))
        number = _to_float(match.group()) if match else None
    if number is None or not math.isfinite(number):
        return None
    return number


def parse_count(value: Any) -> int | None:
    """A count (units sold, ratings) from a number or text (`1,234`, `1.2k`, `ขายแล้ว 1.2พัน ชิ้น`,
    `10K+`); None when there is none, it is negative or not finite."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return int(value) if math.isfinite(value) and value >= 0 else None
    match = _COUNT.search(thai_digits_to_arabic(clean_text(value)))
    if not match:
        return None
    number = _to_float(match.group(1))
    if number is None:
        return None
    unit = (match.group(2) or "").lower()
    return round(number * COUNT_MULTIPLIERS.get(unit, 1))


def is_no_brand(value: object) -> bool:
    """Whether a brand value says "no brand" (`No Brand`, `OEM`, `0`, `ไม่มียี่ห้อ`, empty, not text);
    the values are `standards_data/wordlists/no_brand.txt`."""
    if not isinstance(value, str):
        return True
    text = " ".join(unicodedata.normalize("NFKC", value).translate(_INVISIBLE).casefold().split()).strip(" .")
    return not text or text in load_wordlist("no_brand") or "no brand" in text or "nobrand" in text


def clean_brand(value: Any) -> str:
    """The brand as written (one clean line), or '' when it means "no brand"."""
    brand = clean_text(value)
    return "" if is_no_brand(brand) else brand
