"""The desk's queue: flagged listings of the latest runs, materialised in `desk_queue` for fast paging.

The rows are the export's rows (`pipelines.store.report.compare_runs`: the latest finished run of every
spider against its baseline, marks new / still flagged / gone, re-listings), so the desk and
`flagged.xlsx` never disagree. Dismissed listings stay in the table (the decision filter shows them).
The table is rebuilt when the history changed (a new run, a finished run, new observations) and its
decision columns follow `review_decisions` (web decisions and `tiswatch review import` alike).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, false, func, insert, or_, select, text
from sqlalchemy.orm import Session

from matchers.verdict import PRIORITY
from pipelines.store.case_store import ensure_cases
from pipelines.store.history import HistoryStore
from pipelines.store.models import (
    DECISIONS,
    NEEDS_INFO,
    RUNNING,
    ReviewDecision,
    Run,
    case_key_of,
    case_label,
)
from pipelines.store.report import (
    GONE,
    NEW,
    STILL_FLAGGED,
    FlagRow,
    compare_runs,
    normalise_title,
    select_runs,
)
from tiswatch.web.models import SEARCH_TEXT_MAX, DeskClaim, DeskSetting, QueueRow

PAGE_SIZE = 50
# Counts stop here and paging goes no deeper: past 10,000 matches an investigator narrows the filters,
# and an unbounded count or OFFSET would cost a scan of the whole queue on every page view.
COUNT_LIMIT = 10_000
FINGERPRINT = "queue_fingerprint"
DECISION_MARK = "queue_decision_id"

# Decision-state filter values; "open" (nothing decided yet, or waiting for more information) is the default.
OPEN = "open"
UNDECIDED = "undecided"
ANY = "any"
DECISION_STATES = (OPEN, UNDECIDED, *DECISIONS, ANY)
# Mark filter values: the export's marks plus re-listings (a new listing that re-lists an earlier one).
RELISTED = "relisted"
MARK_FILTERS = {"new": NEW, "still": STILL_FLAGGED, RELISTED: RELISTED, "gone": GONE}

_refresh_lock = threading.Lock()


@dataclass(frozen=True)
class QueueFilters:
    verdict: str = ""
    standard: str = ""
    platform: str = ""
    seller: str = ""
    mark: str = ""
    decision: str = OPEN
    run: int | None = None
    mine: bool = False
    q: str = ""
    case: str = ""
    """A case id (`C-000123`): that case's listings only."""
    by_case: bool = False
    """One row per case (its highest-priority listing) with the number of its listings that match."""
    page: int = 1


@dataclass(frozen=True)
class QueuePage:
    rows: list[tuple[QueueRow, str]]
    """Queue rows with their assignee (`` when unclaimed)."""
    total: int
    page: int
    pages: int
    more: bool = False
    """More than `total` listings match (counting stopped at COUNT_LIMIT)."""
    case_counts: dict[str, int] = field(default_factory=dict)
    """With `by_case`: how many matching listings each shown case holds."""


def _setting(session: Session, name: str) -> str | None:
    found = session.get(DeskSetting, name)
    return found.value if found else None


def _set_setting(session: Session, name: str, value: str) -> None:
    found = session.get(DeskSetting, name)
    if found is None:
        session.add(DeskSetting(name=name, value=value))
    else:
        found.value = value


def history_fingerprint(session: Session) -> str:
    """Changes whenever the set of finished runs changes (a run finished, or a resumed run reopened): the
    queue is built from finished runs only, so a crawl in progress does not make it stale. A few index
    lookups."""
    finished = session.execute(
        select(func.max(Run.id), func.max(Run.finished_at), func.count(Run.id)).where(Run.status != RUNNING)
    ).one()
    return f"{finished[0]}|{finished[1]}|{finished[2]}"


def latest_decisions(session: Session, after_id: int = 0) -> dict[int, ReviewDecision]:
    query = select(ReviewDecision).order_by(ReviewDecision.decided_at, ReviewDecision.id)
    if after_id:
        query = query.where(ReviewDecision.id > after_id)
    return {decision.listing_key: decision for decision in session.execute(query).scalars()}


def _queue_rows(store: HistoryStore, session: Session) -> list[FlagRow]:
    decisions = store.latest_decisions()
    rows: dict[int, FlagRow] = {}
    selected, _stale = select_runs(session, None, None)
    for run, baseline in sorted(selected, key=lambda pair: pair[0].id):
        # Once with the decisions (marks, re-listings as the export gives them), once without, to keep the
        # dismissed listings the export leaves out: an investigator can still find and reopen them.
        report = compare_runs(session, run, baseline, decisions)
        everything = compare_runs(session, run, baseline, {}).rows
        known = {row.listing_key for row in report.rows}
        # Like the export: a listing appears once, as the newest run that saw it (or found it gone) shows it.
        for key in report.observed:
            rows.pop(key, None)
        for row in [*report.rows, *(row for row in everything if row.listing_key not in known)]:
            rows[row.listing_key] = row
    return sorted(rows.values(), key=FlagRow.sort_key)


def _effective(decision: ReviewDecision | None, content_hash: str) -> str:
    """The decision as it stands for this content: like the export, a decision made on other content
    (the listing changed since) leaves the listing undecided, so a changed listing comes back to the queue."""
    if decision is None or decision.content_hash not in ("", content_hash):
        return ""
    return decision.decision


def _search_text(row: FlagRow) -> str:
    parts = (row.title, row.seller_name, row.seller_id, row.listing_id, row.brand, row.licence_no or "")
    return normalise_title(" ".join(part for part in parts if part))[:SEARCH_TEXT_MAX]


def rebuild_queue(store: HistoryStore) -> int:
    """Rebuild `desk_queue` from the history; returns the number of rows."""
    ensure_cases(store.engine)  # listings stored before cases existed get theirs first
    with store.session() as session:
        flag_rows = _queue_rows(store, session)
        decisions = latest_decisions(session)
        fingerprint = history_fingerprint(session)
        last_decision = session.execute(select(func.max(ReviewDecision.id))).scalar() or 0
    values: list[dict[str, Any]] = []
    for rank, row in enumerate(flag_rows):
        decision = decisions.get(row.listing_key)
        values.append(
            {
                "listing_key": row.listing_key,
                "sort_rank": rank,
                "run_id": row.run_id,
                "spider": row.spider,
                "platform": row.platform,
                "listing_id": row.listing_id,
                "url": row.url,
                "title": row.title,
                "seller_id": row.seller_id,
                "seller_name": row.seller_name,
                "brand": row.brand,
                "price": row.price,
                "sold": row.sold,
                "exposure": row.exposure,
                "verdict": row.verdict,
                "tis_number": row.tis_number,
                "licence_no": row.licence_no,
                "mark": RELISTED if row.relisted_from and row.mark == NEW else row.mark,
                "relisted_from": row.relisted_from,
                "content_hash": row.content_hash,
                "evidence_sha256": row.evidence_sha256,
                "search_text": _search_text(row),
                "decision": _effective(decision, row.content_hash),
                "decision_id": decision.id if decision else None,
                "case_id": row.case_id,
            }
        )
    with store.session() as session, session.begin():
        session.execute(delete(QueueRow))
        for start in range(0, len(values), 5000):
            session.execute(insert(QueueRow), values[start : start + 5000])
        _set_setting(session, FINGERPRINT, fingerprint)
        _set_setting(session, DECISION_MARK, str(last_decision))
    _analyze(store)
    return len(values)


def _analyze(store: HistoryStore) -> None:
    """Fresh statistics let the planner choose between the scan index and the selective ones; on
    PostgreSQL, VACUUM also marks the new rows all-visible, which index-only scans need."""
    if store.engine.dialect.name == "postgresql":
        with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE desk_queue"))
    else:
        with store.engine.begin() as connection:
            connection.execute(text("ANALYZE desk_queue"))


def sync_decisions(session: Session) -> None:
    """Bring the queue's decision columns up to the newest `review_decisions` rows (in `session`'s
    transaction)."""
    mark = int(_setting(session, DECISION_MARK) or 0)
    newer = latest_decisions(session, after_id=mark)
    if not newer:
        return
    for key, decision in newer.items():
        row = session.get(QueueRow, key)
        if row is not None:
            row.decision = _effective(decision, row.content_hash)
            row.decision_id = decision.id
    _set_setting(session, DECISION_MARK, str(max(decision.id for decision in newer.values())))


def _rebuild_if_stale(store: HistoryStore) -> None:
    with _refresh_lock:
        with store.session() as session:
            stale = _setting(session, FINGERPRINT) != history_fingerprint(session)
        if stale:
            rebuild_queue(store)


def ensure_fresh(store: HistoryStore, *, wait: bool = False) -> str:
    """Keep the queue in step with the history; returns the history's fingerprint.

    Decisions made elsewhere (`tiswatch review import`, another server) are applied at once. A queue
    that was never built is built before returning; one made stale by a finished crawl is rebuilt in a
    background thread (pages show the previous queue meanwhile) unless `wait`."""
    with store.session() as session, session.begin():
        fingerprint = history_fingerprint(session)
        built = _setting(session, FINGERPRINT)
        sync_decisions(session)
    if built == fingerprint:
        return fingerprint
    if wait or built is None:
        _rebuild_if_stale(store)
    elif not _refresh_lock.locked():
        threading.Thread(
            target=_rebuild_if_stale, args=(store,), name="desk-queue-rebuild", daemon=True
        ).start()
    return fingerprint


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _filtered(query: Any, filters: QueueFilters, username: str) -> Any:
    """`query` with the filters' WHERE clauses (a Select of rows or of a count)."""
    if filters.verdict:
        query = query.where(QueueRow.verdict == filters.verdict)
    if filters.standard:
        query = query.where(QueueRow.tis_number == filters.standard)
    if filters.platform:
        query = query.where(QueueRow.platform == filters.platform)
    if filters.seller:
        query = query.where(or_(QueueRow.seller_id == filters.seller, QueueRow.seller_name == filters.seller))
    if filters.mark in MARK_FILTERS:
        query = query.where(QueueRow.mark == MARK_FILTERS[filters.mark])
    else:  # listings gone from the market are shown only when asked for
        query = query.where(QueueRow.mark != GONE)
    if filters.decision == OPEN:
        query = query.where(QueueRow.decision.in_(("", NEEDS_INFO)))
    elif filters.decision == UNDECIDED:
        query = query.where(QueueRow.decision == "")
    elif filters.decision in DECISIONS:
        query = query.where(QueueRow.decision == filters.decision)
    if filters.run is not None:
        query = query.where(QueueRow.run_id == filters.run)
    if filters.mine:
        query = query.where(DeskClaim.assignee == username)
    if filters.q.strip():
        query = query.where(QueueRow.search_text.like(_like(normalise_title(filters.q)), escape="\\"))
    if filters.case.strip():
        case_key = case_key_of(filters.case)
        # Text that is no case id matches no case (not the listings still without one: case_id "").
        query = query.where(QueueRow.case_id == case_label(case_key) if case_key is not None else false())
    return query


def query_queue(
    session: Session, filters: QueueFilters, username: str, page_size: int = PAGE_SIZE
) -> QueuePage:
    def matching(column: Any) -> Any:
        query = select(column)
        if filters.mine:  # the claims table only when the filter needs it: a join per row costs
            query = query.join(DeskClaim, DeskClaim.listing_key == QueueRow.listing_key)
        return _filtered(query, filters, username)

    if filters.by_case:
        return _query_cases(session, filters, matching, page_size)
    # Count and page keys read only columns of the scan index (see migration 0005_desk): index-only.
    capped = matching(QueueRow.sort_rank).limit(COUNT_LIMIT + 1).subquery()
    total = int(session.execute(select(func.count()).select_from(capped)).scalar_one())
    pages = max(1, -(-min(total, COUNT_LIMIT) // page_size))
    page = min(max(1, filters.page), pages)
    keys = list(
        session.execute(
            matching(QueueRow.listing_key)
            .order_by(QueueRow.sort_rank)
            .offset((page - 1) * page_size)
            .limit(page_size)
        ).scalars()
    )
    return QueuePage(
        rows=_rows_with_assignees(session, QueueRow.listing_key, keys),
        total=min(total, COUNT_LIMIT),
        page=page,
        pages=pages,
        more=total > COUNT_LIMIT,
    )


def _rows_with_assignees(session: Session, column: Any, values: list[Any]) -> list[tuple[QueueRow, str]]:
    """The queue rows whose `column` is one of `values`, in queue order, each with its assignee."""
    if not values:
        return []
    found = session.execute(
        select(QueueRow, DeskClaim.assignee)
        .outerjoin(DeskClaim, DeskClaim.listing_key == QueueRow.listing_key)
        .where(column.in_(values))
        .order_by(QueueRow.sort_rank)
    )
    return [(row, assignee or "") for row, assignee in found]


def _query_cases(session: Session, filters: QueueFilters, matching: Any, page_size: int) -> QueuePage:
    """One row per case: the case's highest-priority matching listing, with the count of its matching
    listings; cases in the order of that listing."""
    grouped = (
        matching(QueueRow.case_id)
        .add_columns(func.min(QueueRow.sort_rank).label("rank"), func.count().label("listings"))
        .group_by(QueueRow.case_id)
    )
    capped = grouped.limit(COUNT_LIMIT + 1).subquery()
    total = int(session.execute(select(func.count()).select_from(capped)).scalar_one())
    pages = max(1, -(-min(total, COUNT_LIMIT) // page_size))
    page = min(max(1, filters.page), pages)
    cases = session.execute(grouped.order_by("rank").offset((page - 1) * page_size).limit(page_size)).all()
    ranks = [rank for _, rank, _ in cases]
    return QueuePage(
        rows=_rows_with_assignees(session, QueueRow.sort_rank, ranks),
        total=min(total, COUNT_LIMIT),
        page=page,
        pages=pages,
        more=total > COUNT_LIMIT,
        case_counts={case_id: count for case_id, _, count in cases},
    )


_facets_cache: dict[tuple[int, str], dict[str, list[Any]]] = {}


def cached_facets(session: Session, fingerprint: str) -> dict[str, list[Any]]:
    """`facets`, computed once per queue build (they change only when the queue is rebuilt)."""
    key = (id(session.get_bind()), fingerprint)
    if key not in _facets_cache:
        _facets_cache.clear()
        _facets_cache[key] = facets(session)
    return _facets_cache[key]


def facets(session: Session) -> dict[str, list[Any]]:
    """Values the filter drop-downs offer (distinct values present in the queue)."""

    def distinct(column: Any) -> list[Any]:
        return [value for (value,) in session.execute(select(column).distinct().order_by(column)) if value]

    return {
        "verdict": sorted(distinct(QueueRow.verdict), key=lambda v: PRIORITY.get(v, 99)),
        "standard": distinct(QueueRow.tis_number),
        "platform": distinct(QueueRow.platform),
        "run": sorted(distinct(QueueRow.run_id), reverse=True),
    }


def claim(session: Session, keys: Iterable[int], assignee: str, by: str) -> int:
    """Assign listings to `assignee` (a claim when `by` is the assignee); returns how many."""
    from pipelines.store.types import utcnow

    count = 0
    for key in keys:
        existing = session.get(DeskClaim, key)
        if existing is None:
            session.add(DeskClaim(listing_key=key, assignee=assignee, assigned_by=by, assigned_at=utcnow()))
        else:
            existing.assignee, existing.assigned_by, existing.assigned_at = assignee, by, utcnow()
        count += 1
    return count
