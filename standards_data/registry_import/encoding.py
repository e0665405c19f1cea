"""Text encoding of an import file: UTF-8 (with or without BOM), UTF-16 with BOM, or TIS-620/cp874.

TISI's open data and Thai Excel "CSV" exports come in cp874 (a superset of TIS-620); newer tools
write UTF-8, often with a BOM. A file that decodes as UTF-8 is UTF-8 (cp874 text almost never does:
Thai letters are single bytes 0xA1-0xFB that are not valid UTF-8 sequences on their own).
"""

from __future__ import annotations

import codecs
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
    ok, utf8_offset = _decodes(path, "utf-8")
    if ok:
        return "utf-8"
    ok, offset = _decodes(path, "cp874")
    if ok:
        return "cp874"
    raise EncodingProblem(
        f"neither UTF-8 (bad byte at offset {utf8_offset}) nor TIS-620/cp874 (bad byte at offset {offset})"
    )
