"""Everything the listing page shows about one listing, read from the history in a few queries."""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pipelines.store.models import (
    Evidence,
    ListingRecord,
    Observation,
    ReviewDecision,
    Run,
    Screenshot,
    Verdict,
    case_label,
)
from standards_data.catalogue import Standard, mandatory_standards
from standards_data.registry_store import current_version_id, licence_history
from tiswatch.web.models import DeskClaim, QueueRow

# The raw page is shown as text; a larger body is cut here (the gzip file stays whole in the evidence).
RAW_TEXT_LIMIT = 2_000_000


@dataclass
class HistoryEntry:
    run_id: int
    spider: str
    observed_at: Any
    title: str
    price: float | None
    sold: int | None
    verdict: str
    changed: list[str]
    """What differs from the previous observation (`price`, `title`, `verdict`)."""


@dataclass(frozen=True)
class CaseMember:
    """A listing of a case as the listing page lists it, with its current decision (the case decision
    form's version of it)."""

    listing_key: int
    platform: str
    listing_id: str
    title: str
    url: str
    price: float | None
    verdict: str
    decision: str
    version: int


def case_members(session: Session, case_key: int | None) -> list[CaseMember]:
    """Every stored listing of a case (platform, listing id order) with its latest price, verdict and
    decision."""
    if case_key is None:
        return []
    rows = session.execute(
        select(ListingRecord, Observation.price, Verdict.verdict)
        .outerjoin(
            Observation,
            (Observation.listing_key == ListingRecord.id) & (Observation.run_id == ListingRecord.last_run_id),
        )
        .outerjoin(Verdict, Verdict.id == Observation.verdict_id)
        .where(ListingRecord.case_key == case_key)
        .order_by(ListingRecord.platform, ListingRecord.listing_id)
    ).all()
    members = []
    for listing, price, verdict in rows:
        decision = latest_decision(session, listing.id)
        members.append(
            CaseMember(
                listing.id,
                listing.platform,
                listing.listing_id,
                listing.title,
                listing.url,
                price,
                verdict or "",
                decision.decision if decision else "",
                decision.id if decision else 0,
            )
        )
    return members


@dataclass
class ListingFacts:
    listing: ListingRecord
    queue: QueueRow | None
    data: dict[str, Any]
    verdict: Verdict | None
    standard: Standard | None
    licence_status: str
    history: list[HistoryEntry]
    decisions: list[ReviewDecision]
    evidence: Evidence | None
    screenshot: Screenshot | None
    assignee: str
    case: list[CaseMember]
    """Every listing of this listing's case, itself included (one when it has no twin)."""

    @property
    def case_id(self) -> str:
        return case_label(self.listing.case_key)

    @property
    def others_in_case(self) -> list[CaseMember]:
        return [member for member in self.case if member.listing_key != self.listing.id]

    @property
    def current_decision(self) -> ReviewDecision | None:
        return self.decisions[-1] if self.decisions else None

    @property
    def version(self) -> int:
        """Id of the current decision (0 when none): what a decision form was opened on."""
        current = self.current_decision
        return current.id if current else 0


def latest_decision(session: Session, listing_key: int) -> ReviewDecision | None:
    query = (
        select(ReviewDecision)
        .where(ReviewDecision.listing_key == listing_key)
        .order_by(ReviewDecision.decided_at.desc(), ReviewDecision.id.desc())
        .limit(1)
    )
    return session.execute(query).scalar_one_or_none()


def _licence_status(session: Session, licence_no: str | None) -> str:
    if not licence_no:
        return ""
    engine = session.get_bind()
    entries = licence_history(engine, licence_no)  # type: ignore[arg-type]
    if not entries:
        # "Not in the registry" only means something when a registry was imported into this database
        # (a crawl may have matched against a CSV file instead; the reasons then say what it found).
        return "not_in_registry" if current_version_id(engine) is not None else ""  # type: ignore[arg-type]
    latest = entries[-1]
    return latest.licence.status if latest.valid_to is None else "ended"


def load_listing(session: Session, listing_key: int) -> ListingFacts | None:
    listing = session.get(ListingRecord, listing_key)
    if listing is None:
        return None
    rows = session.execute(
        select(Observation, Verdict, Run.spider)
        .join(Run, Run.id == Observation.run_id)
        .outerjoin(Verdict, Verdict.id == Observation.verdict_id)
        .where(Observation.listing_key == listing_key)
        .order_by(Observation.observed_at, Observation.id)
    ).all()
    history: list[HistoryEntry] = []
    previous: HistoryEntry | None = None
    for observation, verdict, spider in rows:
        entry = HistoryEntry(
            observation.run_id,
            spider,
            observation.observed_at,
            observation.title,
            observation.price,
            observation.sold,
            verdict.verdict if verdict else "",
            [],
        )
        if previous is not None:
            entry.changed = [
                name
                for name in ("title", "price", "verdict")
                if getattr(entry, name) != getattr(previous, name)
            ]
        history.append(entry)
        previous = entry
    latest_observation, latest_verdict = (rows[-1][0], rows[-1][1]) if rows else (None, None)
    # The queue row says which observation the flag rests on (the latest run of its spider).
    queue = session.get(QueueRow, listing_key)
    if queue is not None:
        for observation, verdict, _ in rows:
            if observation.run_id == queue.run_id:
                latest_observation, latest_verdict = observation, verdict
    evidence = (
        session.get(Evidence, latest_observation.evidence_id)
        if latest_observation is not None and latest_observation.evidence_id
        else None
    )
    screenshot = session.execute(
        select(Screenshot)
        .where(Screenshot.listing_key == listing_key)
        .order_by(Screenshot.taken_at.desc(), Screenshot.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    decisions = list(
        session.execute(
            select(ReviewDecision)
            .where(ReviewDecision.listing_key == listing_key)
            .order_by(ReviewDecision.decided_at, ReviewDecision.id)
        ).scalars()
    )
    claim = session.get(DeskClaim, listing_key)
    tis_number = latest_verdict.tis_number if latest_verdict else None
    return ListingFacts(
        listing=listing,
        queue=queue,
        data=dict(latest_observation.data) if latest_observation is not None else {},
        verdict=latest_verdict,
        standard=mandatory_standards().get(tis_number or ""),
        licence_status=_licence_status(session, latest_verdict.licence_no if latest_verdict else None),
        history=history,
        decisions=decisions,
        evidence=evidence,
        screenshot=screenshot,
        assignee=claim.assignee if claim else "",
        case=case_members(session, listing.case_key),
    )


def evidence_text(compressed: bytes) -> str:
    """A stored response body (its gzip bytes) as text (never served as HTML): decoded leniently, cut
    at a limit."""
    body = gzip.decompress(compressed)
    text = body[:RAW_TEXT_LIMIT].decode("utf-8", errors="replace")
    if len(body) > RAW_TEXT_LIMIT:
        text += f"\n… ({len(body) - RAW_TEXT_LIMIT} more bytes in the evidence file)"
    return text
