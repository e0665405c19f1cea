"""Cases in the history: every stored listing in one case, numbered for people (`C-000123`), the numbers
kept from run to run.

`assign_cases(engine)` runs after every run (`HistoryStore.finish_run`), after a re-match and before an
export or a queue build when a listing has no case yet. It re-examines only what may have changed:

1. a listing is *dirty* when it has no case or its case hash (its judged content and shop name) differs
   from the one its case was assigned on;
2. the shops (`pipelines.cases` shop names across platforms) of the dirty listings are regrouped whole,
   with every current case-mate of their listings, by the pure `pipelines.cases.group_cases`; a listing
   whose shop sells on one platform only is a case of its own, no pair matcher needed;
3. `pipelines.cases.stable_cases` keeps the current numbers (a case keeps its number while it keeps most
   of its listings; a joining listing takes the case's number; a leaving one gets a new number).

The grouping is worked out without a lock; the numbers are written one assignment at a time (an advisory
lock on PostgreSQL; on SQLite the write lock), after checking that no other assignment moved the same
listings meanwhile, so two crawls finishing together never hand out one number twice. Case rows are never
deleted.
"""

from __future__ import annotations

import hashlib
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, func, insert, select, text, update
from sqlalchemy.orm import Session

from pipelines.cases import group_cases, seller_groups, stable_cases
from pipelines.store.models import Case, ListingRecord, Observation
from pipelines.store.types import utcnow

# pg_advisory_xact_lock key of the case assignment ("tiswatch cases" as a number; any constant would do,
# distinct from the schema lock's).
_CASE_LOCK_KEY = 7_371_130_013
_BATCH = 500
# Times the grouping is worked out without the lock before the last try holds it throughout.
_ATTEMPTS = 3


@dataclass(frozen=True)
class CaseAssignment:
    """What one assignment did."""

    examined: int = 0
    """Listings regrouped (the dirty ones, their shops and their case-mates)."""
    changed: int = 0
    """Listings whose case number changed (a first number included)."""
    new_cases: int = 0
    seconds: float = 0.0


@dataclass(slots=True)
class _Stored:
    key: int
    platform: str
    listing_id: str
    seller_name: str
    case_key: int | None
    case_hash: str
    wanted_hash: str


def case_hash(content_hash: str, seller_name: str) -> str:
    """What a listing's case rests on: its judged content and its shop's name (a price change is not a
    reason to regroup; a new title or shop name is)."""
    return hashlib.sha256(f"{content_hash}\x1f{seller_name}".encode()).hexdigest()


def _take_lock(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CASE_LOCK_KEY})
    else:
        # A write first: SQLite takes its (database-wide) write lock now, before anything is read, and a
        # second assignment waits for this one's commit (busy timeout) instead of reading stale numbers.
        session.execute(update(Case).where(Case.id < 0).values(created_at=utcnow()))


def _load_listings(session: Session) -> dict[int, _Stored]:
    query = select(
        ListingRecord.id,
        ListingRecord.platform,
        ListingRecord.listing_id,
        ListingRecord.seller_name,
        ListingRecord.content_hash,
        ListingRecord.case_key,
        ListingRecord.case_hash,
    ).execution_options(yield_per=5000)
    stored: dict[int, _Stored] = {}
    for key, platform, listing_id, seller_name, content, case_key, assigned_on in session.execute(query):
        stored[key] = _Stored(
            key, platform, listing_id, seller_name, case_key, assigned_on, case_hash(content, seller_name)
        )
    return stored


def _latest_data(session: Session, keys: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Each listing's record as last crawled (its latest observation)."""
    wanted = sorted(keys)
    data: dict[int, dict[str, Any]] = {}
    for start in range(0, len(wanted), _BATCH):
        query = (
            select(Observation.listing_key, Observation.data)
            .join(
                ListingRecord,
                (ListingRecord.id == Observation.listing_key)
                & (Observation.run_id == ListingRecord.last_run_id),
            )
            .where(Observation.listing_key.in_(wanted[start : start + _BATCH]))
        )
        for key, record in session.execute(query):
            data[key] = dict(record)
    return data


def _affected(stored: dict[int, _Stored], dirty: set[int]) -> tuple[set[int], set[int]]:
    """The listings to regroup (dirty ones, their shops' listings, their case-mates), and those of them
    whose shop sells on more than one platform (the only ones the pair matcher can join)."""
    by_listing = {(item.platform, item.listing_id): item.key for item in stored.values()}
    shops = seller_groups({(item.platform, item.listing_id): item.seller_name for item in stored.values()})
    shop_of: dict[int, int] = {}
    for index, shop in enumerate(shops):
        for listing in shop:
            shop_of[by_listing[listing]] = index
    members: dict[int, list[int]] = defaultdict(list)
    for item in stored.values():
        if item.case_key is not None:
            members[item.case_key].append(item.key)
    affected: set[int] = set()
    shops_done: set[int] = set()
    cases_done: set[int] = set()
    todo = list(dirty)
    while todo:
        key = todo.pop()
        if key in affected:
            continue
        affected.add(key)
        shop_index = shop_of.get(key)
        if shop_index is not None and shop_index not in shops_done:
            shops_done.add(shop_index)
            todo.extend(by_listing[listing] for listing in shops[shop_index])
        case_key = stored[key].case_key
        if case_key is not None and case_key not in cases_done:
            cases_done.add(case_key)
            todo.extend(members[case_key])
    return affected, {key for key in affected if key in shop_of}


@dataclass(frozen=True)
class _Plan:
    """Cases worked out from one reading of the history, to be written if nothing moved meanwhile."""

    groups: list[list[int]]
    current: dict[int, int | None]
    """The case number of every affected listing when read."""
    wanted_hash: dict[int, str]


def _plan(session: Session) -> _Plan | None:
    """Regroup the dirty listings (None when there are none)."""
    stored = _load_listings(session)
    dirty = {
        item.key for item in stored.values() if item.case_key is None or item.case_hash != item.wanted_hash
    }
    if not dirty:
        return None
    affected, paired = _affected(stored, dirty)
    key_of = {(stored[key].platform, stored[key].listing_id): key for key in paired}
    records = _latest_data(session, paired)
    listings = [
        records.get(key) or {"platform": stored[key].platform, "listing_id": stored[key].listing_id}
        for key in sorted(paired)
    ]
    groups = [[key_of[member] for member in case] for case in group_cases(listings)] if listings else []
    groups.extend([key] for key in sorted(affected - paired))
    return _Plan(
        groups,
        {key: stored[key].case_key for key in affected},
        {key: stored[key].wanted_hash for key in affected},
    )


def _unchanged(session: Session, plan: _Plan) -> bool:
    """Whether the affected listings still have the case numbers the plan was made from."""
    keys = sorted(plan.current)
    for start in range(0, len(keys), _BATCH):
        query = select(ListingRecord.id, ListingRecord.case_key).where(
            ListingRecord.id.in_(keys[start : start + _BATCH])
        )
        if any(plan.current.get(key, -1) != case_key for key, case_key in session.execute(query)):
            return False
    return True


def _write(session: Session, plan: _Plan, stored_hash: dict[int, str]) -> tuple[int, int]:
    """Number the plan's cases and store them; returns (listings given another number, new cases)."""
    next_case = (session.execute(select(func.max(Case.id))).scalar() or 0) + 1
    numbers, made = stable_cases(plan.groups, plan.current, next_case)
    now = utcnow()
    for start in range(0, len(made), 5000):
        session.execute(
            insert(Case), [{"id": number, "created_at": now} for number in made[start : start + 5000]]
        )
    changes = [
        {"id": key, "case_key": number, "case_hash": plan.wanted_hash[key]}
        for key, number in sorted(numbers.items())
        if plan.current[key] != number or stored_hash.get(key) != plan.wanted_hash[key]
    ]
    for start in range(0, len(changes), 5000):
        session.execute(update(ListingRecord), changes[start : start + 5000])
    return sum(1 for key, number in numbers.items() if plan.current[key] != number), len(made)


def _stored_hashes(session: Session, keys: Iterable[int]) -> dict[int, str]:
    wanted = sorted(keys)
    hashes: dict[int, str] = {}
    for start in range(0, len(wanted), _BATCH):
        query = select(ListingRecord.id, ListingRecord.case_hash).where(
            ListingRecord.id.in_(wanted[start : start + _BATCH])
        )
        hashes.update((key, value) for key, value in session.execute(query))
    return hashes


def assign_cases(engine: Engine) -> CaseAssignment:
    """Give every stored listing a case, keeping the numbers people already use (see the module).

    The grouping (the slow part: the pair matcher) is worked out without holding any lock, so crawls keep
    writing meanwhile (SQLite has one writer at a time); the numbers are then written under the lock if the
    affected listings' cases did not move meanwhile (another assignment ran), else worked out again."""
    started = time.perf_counter()
    for attempt in range(_ATTEMPTS):
        with Session(engine) as session:
            plan = _plan(session)
        if plan is None:
            return CaseAssignment(seconds=time.perf_counter() - started)
        with Session(engine) as session, session.begin():
            _take_lock(session)
            # The last attempt works under the lock: assignments that keep racing end here.
            if attempt == _ATTEMPTS - 1:
                plan = _plan(session)
                if plan is None:
                    return CaseAssignment(seconds=time.perf_counter() - started)
            elif not _unchanged(session, plan):
                continue
            changed, made = _write(session, plan, _stored_hashes(session, plan.current))
            return CaseAssignment(len(plan.current), changed, made, time.perf_counter() - started)
    raise AssertionError("unreachable: the last attempt always writes")


def unassigned_listings(engine: Engine) -> bool:
    """Whether some stored listing has no case yet (a database from before cases, a run that died)."""
    with Session(engine) as session:
        query = select(ListingRecord.id).where(ListingRecord.case_key.is_(None)).limit(1)
        return session.execute(query).first() is not None


def ensure_cases(engine: Engine) -> None:
    """Assign cases when a listing has none (cheap when every listing has one: one indexed lookup)."""
    if unassigned_listings(engine):
        assign_cases(engine)


def case_members(session: Session, case_key: int) -> list[ListingRecord]:
    """The stored listings of a case, in (platform, listing_id) order."""
    query = (
        select(ListingRecord)
        .where(ListingRecord.case_key == case_key)
        .order_by(ListingRecord.platform, ListingRecord.listing_id)
    )
    return list(session.execute(query).scalars())
