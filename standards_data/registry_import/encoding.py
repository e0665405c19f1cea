"""Text encoding of an import file: UTF-8 or UTF-16 (with or without BOM), or TIS-620/cp874.

TISI's open data and Thai Excel "CSV" exports come in cp874 (a superset of TIS-620); newer tools
write UTF-8, often with a BOM. A file that decodes as UTF-8 is UTF-8 (cp874 text almost never does:
Thai letters are single bytes 0xA1-0xFB that are not valid UTF-8 sequences on their own).

Almost any byte string decodes as cp874, so a file that decodes is also read as text: Latin-1 or
Windows-1252 ("Société") turns into Thai tone marks after Latin letters ("Soci้t้"), which no Thai
text has, and is refused with the encoding named instead of being imported garbled. UTF-16 without a
BOM is recognised by its zero bytes (every other byte of Latin and Thai text is 0x00 or 0x0E). Any
other file with a NUL byte is binary (a spreadsheet saved under the wrong name, a disk image) and is
refused as such: NUL is valid UTF-8, so it would otherwise be read as one long line of nothing.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

CHUNK = 1 << 20


class EncodingProblem(ValueError):
    """The file is in none of the accepted encodings; the message says where decoding failed."""


def _decodes(path: Path, encoding: str, skip: int = 0) -> tuple[bool, int]:
    """(True, -1) if the whole file decodes; else (False, byte offset of the first bad byte)."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    offset = skip
    with open(path, "rb") as handle:
        handle.seek(skip)
        while chunk := handle.read(CHUNK):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                return False, offset + error.start
            offset += len(chunk)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False, offset
    return True, -1


# A Thai vowel sign or tone mark must sit on a Thai letter; one after anything else, or a lone Thai
# letter between Latin letters, is a byte of another 8-bit encoding read as cp874.
_NOT_THAI = re.compile(
    r"(?<![\u0e01-\u0e4e])[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]|[A-Za-z][\u0e01-\u0e5b][A-Za-z]"
)


def _not_thai_at(path: Path) -> tuple[int, str] | None:
    """(character offset, the text around it) of the first place the cp874 text is not Thai."""
    decoder = codecs.getincrementaldecoder("cp874")("strict")
    carried, consumed = "", 0
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            text = carried + decoder.decode(chunk)
            found = _NOT_THAI.search(text)
            if found:
                start = max(found.start() - 12, 0)
                return consumed - len(carried) + found.start(), text[start : found.end() + 12]
            consumed += len(text) - len(carried)
            carried = text[-2:]
    return None


def _utf16_without_bom(path: Path) -> str | None:
    """`utf-16-le`/`utf-16-be` when the start of the file looks like UTF-16 text, else None."""
    with open(path, "rb") as handle:
        head = handle.read(4096)
    head = head[: len(head) // 2 * 2]
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    zero_even, zero_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    # Latin text in UTF-16 is about half zeros; Thai (U+0Exx) has 0x0E there instead.
    high_even = sum(1 for b in even if b in (0, 0x0E)) / len(even)
    high_odd = sum(1 for b in odd if b in (0, 0x0E)) / len(odd)
    if zero_odd > 0.2 and high_odd > 0.9 and zero_even < 0.05:
        return "utf-16-le"
    if zero_even > 0.2 and high_even > 0.9 and zero_odd < 0.05:
        return "utf-16-be"
    return None


def _first_nul(path: Path) -> int:
    """Byte offset of the first NUL byte, or -1."""
    offset = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            found = chunk.find(0)
            if found >= 0:
                return offset + found
            offset += len(chunk)
    return -1


def detect_encoding(path: str | Path) -> str:
    """Python codec name to read `path` with; raises EncodingProblem for anything else."""
    path = Path(path)
    with open(path, "rb") as handle:
        head = handle.read(4)
    if head.startswith(codecs.BOM_UTF8):
        ok, offset = _decodes(path, "utf-8", skip=3)
        if not ok:
            raise EncodingProblem(f"starts with a UTF-8 BOM but byte {offset} is not UTF-8")
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    utf16 = _utf16_without_bom(path)
    if utf16 is not None:
        ok, offset = _decodes(path, utf16)
        if not ok:
            raise EncodingProblem(f"looks like {utf16.upper()} without a BOM but byte {offset} is not")
        return utf16
    nul = _first_nul(path)
    if nul >= 0:
        raise EncodingProblem(f"a binary file, not text (a NUL byte at offset {nul})")
    ok, utf8_offset = _decodes(path, "utf-8")
    if ok:
        return "utf-8"
    ok, offset = _decodes(path, "cp874")
    if ok:
        not_thai = _not_thai_at(path)
        if not_thai is not None:
            at, context = not_thai
            raise EncodingProblem(
                f"not UTF-8 (bad byte at offset {utf8_offset}), and not Thai text as TIS-620/cp874 "
                f"(character {at} reads {context!r}): probably Latin-1/Windows-1252; save it as UTF-8"
            )
        return "cp874"
    raise EncodingProblem(
        f"neither UTF-8 (bad byte at offset {utf8_offset}) nor TIS-620/cp874 (bad byte at offset {offset})"
    )
