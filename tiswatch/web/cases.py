"""Sellers' case files and the takedown requests for a platform: confirmed listings with their evidence."""

from __future__ import annotations

import base64
import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from pipelines.exports.columns import reasons_in_words
from pipelines.exports.flagged_csv import csv_cell
from pipelines.store.models import CONFIRMED, Evidence, ListingRecord, Observation, Screenshot, Verdict
from tiswatch.web.listing import ListingFacts, load_listing
from tiswatch.web.models import QueueRow
from tiswatch.web.queue import latest_decisions

TAKEDOWN_COLUMNS = (
    "url",
    "listing_id",
    "standard",
    "reason",
    "evidence_sha256",
    "screenshot_sha256",
    "title",
    "seller_id",
    "seller_name",
    "confirmed_by",
    "confirmed_at",
    "note",
)


@dataclass
class SellerCase:
    platform: str
    seller: str
    seller_name: str
    rows: list[QueueRow]
    exposure: float
    by_decision: dict[str, int]


def seller_case(session: Session, platform: str, seller: str) -> SellerCase | None:
    """The seller's flagged listings: its own on `platform`, and any platform's under the same shop name."""
    own = list(
        session.execute(
            select(QueueRow)
            .where(
                QueueRow.platform == platform,
                or_(QueueRow.seller_id == seller, QueueRow.seller_name == seller),
            )
            .order_by(QueueRow.sort_rank)
        ).scalars()
    )
    if not own:
        return None
    name = next((row.seller_name for row in own if row.seller_name), "")
    rows = own
    if name:
        elsewhere = session.execute(
            select(QueueRow)
            .where(QueueRow.seller_name == name, QueueRow.platform != platform)
            .order_by(QueueRow.sort_rank)
        ).scalars()
        rows = sorted([*own, *elsewhere], key=lambda row: row.sort_rank)
    by_decision: dict[str, int] = {}
    for row in rows:
        by_decision[row.decision or "undecided"] = by_decision.get(row.decision or "undecided", 0) + 1
    return SellerCase(platform, seller, name, rows, sum(row.exposure for row in rows), by_decision)


def case_file_listings(session: Session, case: SellerCase) -> list[ListingFacts]:
    return [facts for row in case.rows if (facts := load_listing(session, row.listing_key)) is not None]


def png_data_uri(path: str) -> str:
    """A screenshot embedded in the case file, so the printed or PDF file stands on its own."""
    file = Path(path)
    if not file.is_file():
        return ""
    return "data:image/png;base64," + base64.b64encode(file.read_bytes()).decode("ascii")


def takedown_rows(session: Session, platform: str) -> list[dict[str, Any]]:
    """Every listing of `platform` whose current decision is `confirmed`, with its standard, reason and
    evidence hash, oldest confirmation first."""
    confirmed = {key: d for key, d in latest_decisions(session).items() if d.decision == CONFIRMED}
    rows: list[dict[str, Any]] = []
    keys = sorted(confirmed)
    for start in range(0, len(keys), 500):
        query = (
            select(ListingRecord, Verdict, Evidence)
            .join(
                Observation,
                (Observation.listing_key == ListingRecord.id)
                & (Observation.run_id == ListingRecord.last_run_id),
            )
            .outerjoin(Verdict, Verdict.id == Observation.verdict_id)
            .outerjoin(Evidence, Evidence.id == Observation.evidence_id)
            .where(ListingRecord.id.in_(keys[start : start + 500]), ListingRecord.platform == platform)
        )
        for listing, verdict, evidence in session.execute(query):
            decision = confirmed[listing.id]
            queue = session.get(QueueRow, listing.id)
            shot = session.execute(
                select(Screenshot.sha256)
                .where(Screenshot.listing_key == listing.id)
                .order_by(Screenshot.taken_at.desc())
                .limit(1)
            ).scalar()
            rows.append(
                {
                    "url": listing.url,
                    "listing_id": listing.listing_id,
                    "standard": f"มอก. {verdict.tis_number}" if verdict and verdict.tis_number else "",
                    "reason": reasons_in_words(list(verdict.reasons or [])) if verdict else "",
                    "evidence_sha256": evidence.sha256
                    if evidence
                    else (queue.evidence_sha256 if queue else ""),
                    "screenshot_sha256": shot or "",
                    "title": listing.title,
                    "seller_id": listing.seller_id,
                    "seller_name": listing.seller_name,
                    "confirmed_by": decision.reviewer,
                    "confirmed_at": decision.decided_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "note": decision.note,
                }
            )
    return sorted(rows, key=lambda row: (row["confirmed_at"], row["listing_id"]))


_TEXT_COLUMNS = {"url": "url"}


def takedown_csv(rows: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(TAKEDOWN_COLUMNS)
    for row in rows:
        # Seller-written text never becomes a spreadsheet formula (OWASP CSV injection).
        writer.writerow(
            [csv_cell(row[column], _TEXT_COLUMNS.get(column, "text")) for column in TAKEDOWN_COLUMNS]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def takedown_xlsx(rows: list[dict[str, Any]], platform: str) -> bytes:
    from openpyxl import Workbook  # only a case file download pays for openpyxl, not the server's start

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = f"takedown {platform}"[:31]
    sheet.append(list(TAKEDOWN_COLUMNS))
    for row in rows:
        sheet.append([row[column] for column in TAKEDOWN_COLUMNS])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")):
                cell.data_type = "s"  # text, never a formula
        url_cell = sheet.cell(row=sheet.max_row, column=1)
        if str(url_cell.value).startswith(("http://", "https://")):
            url_cell.hyperlink = str(url_cell.value)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
