"""The columns of the flagged-listing export, shared by flagged.xlsx, flagged.csv and the review import.

Headers are stable snake_case names: investigators filter on them in Excel, scripts read them from the
CSV, and `tiswatch review import` finds `platform`, `listing_id`, `decision`, `note` and `content_hash`
by name (columns may be moved or hidden).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from pipelines.store.report import FlagRow
from standards_data.catalogue import mandatory_standards

VERDICT_WORDS = {
    "invalid_licence": "invalid licence",
    "uncertified": "uncertified",
    "unverifiable": "unverifiable",
    "certified": "certified",
    "not_regulated": "not regulated",
}
# Reason codes are snake_case, optionally with a value after a colon (`category:2432-2555`); the
# matcher's sentence starts with a capital (`Uncertified: no licence …`), so it never reads as a code.
_REASON_CODE = re.compile(r"^[a-z][a-z0-9_]*(?::.*)?$")


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    """Excel column width (characters)."""
    value: Callable[[FlagRow, int], Any]
    """Cell value for a row and its 1-based rank in the export."""
    kind: str = "text"
    """`text`, `int`, `money`, `number`, `datetime` or `url`: how the xlsx formats the cell."""


@lru_cache(maxsize=2048)
def standard_title_th(tis_number: str | None) -> str:
    """Thai title of a mandatory standard, also when the number comes without its year or part."""
    if not tis_number:
        return ""
    standards = mandatory_standards()
    if tis_number in standards:
        return standards[tis_number].name_th
    base = re.split(r"[- ]", tis_number.strip(), maxsplit=1)[0]
    titles = {
        s.name_th for number, s in standards.items() if re.split(r"[- ]", number, maxsplit=1)[0] == base
    }
    return " / ".join(sorted(titles))


def _split(reasons: list[str]) -> tuple[list[tuple[str, str]], str]:
    """Reason codes with their details, and the human sentence (matchers/explain.py: the sentence is
    the last element; a code may carry a detail after `: `)."""
    items = [reason.strip() for reason in reasons if reason and reason.strip()]
    sentence = ""
    if items and not _REASON_CODE.match(items[-1].partition(": ")[0]):
        sentence = items.pop()
    codes = [(code.strip(), detail.strip()) for code, _, detail in (item.partition(": ") for item in items)]
    return codes, sentence


def reason_codes(reasons: list[str]) -> list[str]:
    return [code for code, _ in _split(reasons)[0]]


def reasons_in_words(reasons: list[str]) -> str:
    """The matcher's sentence; failing that, its reason codes spelled out."""
    codes, sentence = _split(reasons)
    return sentence or "; ".join(code.replace("_", " ") for code, _ in codes)


def reason_details(reasons: list[str]) -> str:
    """What was checked, one clause per reason code (`brand Ridex; claims มอก. 369-2557; ...`)."""
    return "; ".join(detail or code.replace("_", " ") for code, detail in _split(reasons)[0])


def screenshot_file(sha256: str) -> str:
    return f"evidence/{sha256}.png" if sha256 else ""


def utc_text(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value else ""


FLAGGED_COLUMNS: tuple[Column, ...] = (
    Column("priority", 8, lambda row, rank: rank, "int"),
    Column("mark", 13, lambda row, rank: row.mark),
    Column("verdict", 15, lambda row, rank: VERDICT_WORDS.get(row.verdict, row.verdict)),
    Column("platform", 10, lambda row, rank: row.platform),
    Column("listing_id", 18, lambda row, rank: row.listing_id),
    Column("title", 60, lambda row, rank: row.title),
    Column("url", 40, lambda row, rank: row.url, "url"),
    Column("seller_name", 24, lambda row, rank: row.seller_name),
    Column("seller_id", 14, lambda row, rank: row.seller_id),
    Column("brand", 14, lambda row, rank: row.brand),
    Column("price", 11, lambda row, rank: row.price, "money"),
    Column("sold", 9, lambda row, rank: row.sold, "int"),
    Column("exposure", 13, lambda row, rank: row.exposure, "money"),
    Column("tis_number", 16, lambda row, rank: row.tis_number or ""),
    Column("standard_th", 40, lambda row, rank: standard_title_th(row.tis_number)),
    Column("licence_no", 18, lambda row, rank: row.licence_no or ""),
    Column("reasons", 60, lambda row, rank: reasons_in_words(row.reasons)),
    Column("checks", 60, lambda row, rank: reason_details(row.reasons)),
    Column("relisted_from", 28, lambda row, rank: row.relisted_from),
    Column("registry_change", 36, lambda row, rank: row.registry_change),
    Column("first_seen", 18, lambda row, rank: row.first_seen, "datetime"),
    Column("last_seen", 18, lambda row, rank: row.last_seen, "datetime"),
    Column("evidence_sha256", 20, lambda row, rank: row.evidence_sha256),
    Column("decision", 13, lambda row, rank: row.decision),
    Column("note", 30, lambda row, rank: row.note),
    Column("previous_decision", 36, lambda row, rank: row.previous_decision),
    Column("reason_codes", 30, lambda row, rank: ", ".join(reason_codes(row.reasons))),
    Column("score", 7, lambda row, rank: round(row.score, 1), "number"),
    Column("run_id", 7, lambda row, rank: row.run_id, "int"),
    Column("content_hash", 20, lambda row, rank: row.content_hash),
    Column("case_id", 15, lambda row, rank: row.case_id),
    # A link to the screenshot copied next to the workbook (evidence/<sha256>.png, see the manifest).
    Column("screenshot", 30, lambda row, rank: screenshot_file(row.screenshot_sha256), "file"),
)
FLAGGED_HEADERS = tuple(column.header for column in FLAGGED_COLUMNS)
