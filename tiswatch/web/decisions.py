"""Recording decisions from the desk: the same `review_decisions` rows `tiswatch review import` writes,
with who and when, refused when the listing's decision changed after the form was opened."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from pipelines.store.models import DECISIONS, ListingRecord, ReviewDecision
from pipelines.store.types import utcnow
from tiswatch.web.desk import Desk
from tiswatch.web.listing import latest_decision
from tiswatch.web.queue import sync_decisions

SOURCE = "review desk"


@dataclass(frozen=True)
class DecisionRequest:
    listing_key: int
    decision: str
    note: str
    version: int
    """Id of the listing's current decision when the form was opened (0: none)."""


@dataclass(frozen=True)
class Conflict:
    listing_key: int
    listing: str
    current: ReviewDecision

    def describe(self) -> str:
        when = f"{self.current.decided_at:%Y-%m-%d %H:%M} UTC"
        return f"{self.listing}: {self.current.decision} by {self.current.reviewer} at {when}"


@dataclass
class DecisionOutcome:
    recorded: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    unknown: list[int] = field(default_factory=list)


def _record_one(session: Session, request: DecisionRequest, reviewer: str, outcome: DecisionOutcome) -> None:
    listing = session.get(ListingRecord, request.listing_key, with_for_update=True)
    if listing is None:
        outcome.unknown.append(request.listing_key)
        return
    current = latest_decision(session, request.listing_key)
    if (current.id if current else 0) != request.version:
        assert current is not None  # a version > 0 that is not current means a newer decision exists
        outcome.conflicts.append(Conflict(listing.id, f"{listing.platform} {listing.listing_id}", current))
        return
    session.add(
        ReviewDecision(
            listing_key=listing.id,
            decision=request.decision,
            note=request.note.strip(),
            reviewer=reviewer,
            decided_at=utcnow(),
            # The decision holds for the content it was made on (a dismissal lapses when the listing changes).
            content_hash=listing.content_hash,
            source=SOURCE,
        )
    )
    outcome.recorded += 1


def record_decisions(desk: Desk, requests: Sequence[DecisionRequest], reviewer: str) -> DecisionOutcome:
    """Record the decisions whose version is still current, in one transaction; report the others."""
    for request in requests:
        if request.decision not in DECISIONS:
            raise ValueError(f"unknown decision {request.decision!r}")
    outcome = DecisionOutcome()
    # The lock makes check-then-write atomic between this server's threads; the row lock (PostgreSQL)
    # between servers sharing a database.
    with desk.decision_lock, desk.store.session() as session, session.begin():
        for request in requests:
            _record_one(session, request, reviewer, outcome)
        session.flush()
        sync_decisions(session)
    return outcome
