"""Hostile and careless inputs built in the test (nothing over 1 MB is committed): gzip bombs, xlsx
zip bombs, workbooks of millions of rows, Latin-1 and BOM-less UTF-16 registry files, seller text
with formulas and terminal escapes; and a way to run the CLI in a subprocess and see its peak memory.
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import signal
import subprocess
import sys
import threading
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
MIB = 1 << 20

CANONICAL_HEADER = [
    "licence_no",
    "tis_number",
    "licence_type",
    "licensee",
    "brand",
    "models",
    "issued",
    "status",
]


@dataclass(frozen=True)
class Finished:
    status: int
    stdout: str
    stderr: str
    peak_rss_mb: float
    """Peak resident memory of the command's process (its VmHWM at exit), in MiB."""

    @property
    def stderr_lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.strip()]


# Runs `tiswatch.cli.main` like `python -m tiswatch.cli`, and at exit writes the process's VmHWM
# (peak RSS of its own address space) to the pipe named by TISWATCH_TEST_PEAK_FD. Not ru_maxrss:
# Linux carries the forking parent's peak into the child's ru_maxrss across exec, so a child of a
# big pytest process would report pytest's size.
_MEASURED_MAIN = """
import atexit, os, sys
def _peak():
    with open('/proc/self/status') as status:
        kib = next(line.split()[1] for line in status if line.startswith('VmHWM:'))
    os.write(int(os.environ['TISWATCH_TEST_PEAK_FD']), kib.encode())
atexit.register(_peak)
from tiswatch.cli import main
sys.argv[0] = 'tiswatch'
sys.exit(main())
"""


def run_cli(
    *args: str, env: dict[str, str] | None = None, timeout: float = 240, cwd: Path | None = None
) -> Finished:
    """The `tiswatch` CLI with ARGS in a subprocess, with its own peak memory."""
    environment = {**os.environ, **(env or {})}
    environment.pop("TISWATCH_DB_URL", None)
    peak_read, peak_write = os.pipe()
    process = subprocess.Popen(
        [sys.executable, "-c", _MEASURED_MAIN, *args],
        pass_fds=(peak_write,),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=cwd or REPO,
        env={**environment, "TISWATCH_TEST_PEAK_FD": str(peak_write)},
    )
    os.close(peak_write)
    outputs: dict[str, bytes] = {}

    def drain(name: str, stream: io.BufferedReader) -> None:
        outputs[name] = stream.read()

    readers = [
        threading.Thread(target=drain, args=("stdout", process.stdout)),
        threading.Thread(target=drain, args=("stderr", process.stderr)),
        threading.Thread(target=drain, args=("peak", os.fdopen(peak_read, "rb"))),
    ]
    for reader in readers:
        reader.start()
    killer = threading.Timer(timeout, lambda: process.send_signal(signal.SIGKILL))
    killer.start()
    try:
        status = process.wait()
    finally:
        killer.cancel()
    for reader in readers:
        reader.join()
    peak_kib = outputs.get("peak", b"").decode() or "nan"  # nan: the process died before atexit
    return Finished(
        status=status,
        stdout=outputs.get("stdout", b"").decode("utf-8", "replace"),
        stderr=outputs.get("stderr", b"").decode("utf-8", "replace"),
        peak_rss_mb=float(peak_kib) / 1024,
    )


# --- registry and vocabulary files -------------------------------------------------------------------


def registry_rows(count: int, licensee: str = "บริษัท ไทยปลั๊ก จำกัด") -> list[list[str]]:
    return [
        [f"ท{1000 + n}-64/2432", "2432-2555", "make", licensee, f"BRAND{n}", f"P-{n}", "2021-03-04", "active"]
        for n in range(count)
    ]


def write_registry_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CANONICAL_HEADER)
        writer.writerows(rows)
    return path


def latin1_registry(path: Path) -> Path:
    """A registry whose licensee is French, saved as Latin-1: every byte is valid cp874."""
    rows = registry_rows(3, licensee="Société Générale d'Électricité")
    for row in rows:
        row[0] = row[0].replace("ท", "")  # no Thai letter exists in Latin-1
    return write_registry_csv(path, rows, encoding="latin-1")


def utf16_without_bom(path: Path) -> Path:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(CANONICAL_HEADER)
    writer.writerows(registry_rows(3))
    path.write_bytes(text.getvalue().encode("utf-16-le"))  # the "-le" codec writes no BOM
    return path


def many_bad_rows_csv(path: Path, count: int) -> Path:
    """A small file with one error per row (an unknown status), like a file from the wrong system."""
    rows = [[f"ท{n}-64/2432", "2432-2555", "make", "x", "B", "", "", "weird"] for n in range(count)]
    return write_registry_csv(path, rows)


# --- xlsx bombs, written as raw zip parts (openpyxl would need the memory we test against) -------------

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
    'Target="sharedStrings.xml"/></Relationships>'
)
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
_SHEET_TAIL = "</sheetData></worksheet>"


def _workbook_xml(sheet_name: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheets><sheet name="{sheet_name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )


def _inline_row(number: int, values: list[str]) -> str:
    cells = "".join(
        f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{value}</t></is></c>'
        for i, value in enumerate(values)
    )
    return f'<row r="{number}">{cells}</row>'


def _write_part_streamed(archive: zipfile.ZipFile, name: str, chunks: object) -> None:
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED  # ZipInfo defaults to stored: the bomb must be small
    with archive.open(info, "w", force_zip64=True) as part:
        for chunk in chunks:  # type: ignore[attr-defined]
            part.write(chunk.encode("utf-8"))


def xlsx_with_rows(
    path: Path, sheet_name: str, header: list[str], row: list[str], count: int, shared_strings: str = ""
) -> Path:
    """A workbook whose sheet repeats `row` `count` times (streamed: any count costs little memory)."""

    def sheet() -> object:
        yield _SHEET_HEAD + _inline_row(1, header)
        batch: list[str] = []
        for number in range(2, count + 2):
            batch.append(_inline_row(number, row))
            if len(batch) == 5000:
                yield "".join(batch)
                batch = []
        yield "".join(batch) + _SHEET_TAIL

    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _workbook_xml(sheet_name))
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        _write_part_streamed(archive, "xl/worksheets/sheet1.xml", sheet())
        archive.writestr(
            "xl/sharedStrings.xml",
            shared_strings
            or '<?xml version="1.0" encoding="UTF-8"?>'
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'count="0" uniqueCount="0"/>',
        )
    return path


def xlsx_shared_strings_bomb(path: Path, inflated_mb: int) -> Path:
    """A small workbook whose sharedStrings part inflates to `inflated_mb` MiB of one huge string."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _workbook_xml("flagged"))
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr(
            "xl/worksheets/sheet1.xml", _SHEET_HEAD + _inline_row(1, CANONICAL_HEADER) + _SHEET_TAIL
        )

        def strings() -> object:
            yield (
                '<?xml version="1.0" encoding="UTF-8"?>'
                '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>'
            )
            block = "A" * MIB
            for _ in range(inflated_mb):
                yield block
            yield "</t></si></sst>"

        _write_part_streamed(archive, "xl/sharedStrings.xml", strings())
    return path


def corrupt_crc(source: Path, target: Path, member_suffix: str = "sheet1.xml") -> Path:
    """A copy of a workbook with one byte of a worksheet's compressed data flipped: zlib or the CRC
    check fails while the sheet is read."""
    data = bytearray(source.read_bytes())
    with zipfile.ZipFile(source) as archive:
        info = next(i for i in archive.infolist() if i.filename.endswith(member_suffix))
    # Local header: 30 bytes + name + extra, then the compressed data.
    name_length = int.from_bytes(data[info.header_offset + 26 : info.header_offset + 28], "little")
    extra_length = int.from_bytes(data[info.header_offset + 28 : info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_length + extra_length
    middle = start + info.compress_size // 2
    data[middle] ^= 0xFF
    target.write_bytes(bytes(data))
    return target


# --- pages ---------------------------------------------------------------------------------------------


def gzip_bomb(inflated_mb: int) -> bytes:
    """gzip of `inflated_mb` MiB of spaces (about 1 KB per MiB compressed)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # wbits 31: gzip container
    block = b" " * MIB
    parts = [compressor.compress(block) for _ in range(inflated_mb)]
    parts.append(compressor.flush())
    return b"".join(parts)


def gzip_text(text: str) -> bytes:
    return gzip.compress(text.encode("utf-8"))
