"""Limits on files from outside (registry, vocabulary and review files), as settings with defaults.

Each limit is an environment variable, so the CLI, cron and Scrapyd set them the same way:

- `TISWATCH_MAX_ROWS` (1,000,000): rows read from one file; the file is rejected beyond it.
- `TISWATCH_MAX_ERRORS` (100): problems kept and printed per file; the rest are only counted.
- `TISWATCH_MAX_XLSX_BYTES` (1 GiB): decompressed size of all parts of an .xlsx (a zip bomb).
- `TISWATCH_MAX_XLSX_PART_BYTES` (64 MiB): decompressed size of an .xlsx part read whole
  (sharedStrings, styles; worksheets stream row by row).

The crawl's limits (download and sitemap sizes) are Scrapy settings in `crawler/settings.py`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

MIB = 1 << 20


def _setting(name: str, default: int) -> int:
    text = os.environ.get(name, "").strip().replace("_", "").replace(",", "")
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"{name}={os.environ[name]!r} is not a whole number") from None
    if value <= 0:
        raise ValueError(f"{name}={value} must be above 0")
    return value


@dataclass(frozen=True)
class FileLimits:
    max_rows: int = 1_000_000
    max_errors: int = 100
    max_xlsx_bytes: int = 1024 * MIB
    max_xlsx_part_bytes: int = 64 * MIB

    @classmethod
    def from_environment(cls) -> FileLimits:
        defaults = cls()
        return cls(
            max_rows=_setting("TISWATCH_MAX_ROWS", defaults.max_rows),
            max_errors=_setting("TISWATCH_MAX_ERRORS", defaults.max_errors),
            max_xlsx_bytes=_setting("TISWATCH_MAX_XLSX_BYTES", defaults.max_xlsx_bytes),
            max_xlsx_part_bytes=_setting("TISWATCH_MAX_XLSX_PART_BYTES", defaults.max_xlsx_part_bytes),
        )


class LimitExceeded(ValueError):
    """A file went past one of the limits; the message names the limit and its setting."""


# Parts openpyxl's read-only mode reads whole into memory; worksheets stream row by row.
_STREAMED_PART_PREFIX = "xl/worksheets/"


def check_xlsx_sizes(path: str | os.PathLike[str], limits: FileLimits) -> None:
    """Refuse an .xlsx whose parts inflate past the limits, before anything decompresses them.

    The sizes come from the zip directory; Python's zipfile never inflates a member past its stated
    size (it fails the CRC instead), so the stated sizes are the bound.
    """
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        raise LimitExceeded(f"not a readable .xlsx workbook ({error})") from None
    total = sum(member.file_size for member in members)
    if total > limits.max_xlsx_bytes:
        raise LimitExceeded(
            f"the workbook inflates to {total:,} bytes, over the limit of {limits.max_xlsx_bytes:,} "
            "(TISWATCH_MAX_XLSX_BYTES)"
        )
    for member in members:
        if member.filename.startswith(_STREAMED_PART_PREFIX):
            continue
        if member.file_size > limits.max_xlsx_part_bytes:
            raise LimitExceeded(
                f"the workbook's part {member.filename} inflates to {member.file_size:,} bytes, over the "
                f"limit of {limits.max_xlsx_part_bytes:,} (TISWATCH_MAX_XLSX_PART_BYTES)"
            )
