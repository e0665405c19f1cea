"""What changed since the last run: flagged listings marked new / still flagged / gone, re-listings,
and the views the investigator's export is made of (run summary, per seller, confirmed).

A run is compared with its *baseline* for new / still flagged: the latest earlier `complete` run of the
same spider. `gone` does not come from the baseline: a flagged listing is gone in a run only when the
scope it was last seen under (its keyword, or its shop's start URL) was completely covered by that run
and by no run between (the first complete coverage since it was last seen). Cut, blocked, failed,
interrupted or re-scoped runs therefore never mark anything gone.

Without run ids, a report shows per scope the newest complete coverage (and every run since, for the
listings they saw), and names the scopes whose newest run did not cover them (`StaleScope`): their
flags are "not re-checked since" that complete coverage.

A listing counts as flagged in a run when the verdict that run gave it is flagged, unless its current
review decision is `dismissed` and was made on the same content (same content hash): a dismissal holds
until the listing changes. Decisions are applied as they stand now to both runs, so a dismissed
listing that changes shows up as *new* again.
"""

from __future__ import annotations

import bisect
import itertools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import Integer, String, column, select, table
from sqlalchemy.orm import Session

from matchers.verdict import PRIORITY
from pipelines.store.models import (
    ABANDONED,
    COMPLETE,
    CONFIRMED,
    DISMISSED,
    RUNNING,
    Evidence,
    ListingRecord,
    Observation,
    ReviewDecision,
    Run,
    RunScope,
    Screenshot,
    Verdict,
    case_label,
)
from pipelines.store.types import utcnow
from standards_data.text import thai_digits_to_arabic

NEW = "new"
STILL_FLAGGED = "still flagged"
GONE = "gone"
MARKS = (NEW, STILL_FLAGGED, GONE)

# A new listing of the same seller whose title is at least this similar (rapidfuzz ratio, 0-100, on
# case- and space-normalised titles) to a reviewed or gone flagged listing is reported as a re-listing.
RELISTING_MIN_SIMILARITY = 90.0


@dataclass
class FlagRow:
    """One flagged listing in an export, with everything an investigator needs to act on it."""

    listing_key: int
    run_id: int
    spider: str
    platform: str
    listing_id: str
    url: str
    title: str
    seller_id: str
    seller_name: str
    brand: str
    price: float | None
    currency: str
    sold: int | None
    verdict: str
    tis_number: str | None
    licence_no: str | None
    score: float
    reasons: list[str]
    mark: str
    first_seen: datetime
    last_seen: datetime
    content_hash: str
    evidence_sha256: str = ""
    evidence_url: str = ""
    evidence_fetched_at: datetime | None = None
    evidence_path: str = ""
    relisted_from: str = ""
    """`platform listing_id` of the earlier listing this one re-lists, with its review decision."""
    decision: str = ""
    """The listing's review decision when it was made on this content (pre-filled in the export's
    `decision` column, so a re-import changes nothing); empty when the content changed since."""
    note: str = ""
    previous_decision: str = ""
    """The listing's latest decision, with who and when, whatever content it was made on
    (`dismissed 2026-01-12 by somchai: ...`): why a dismissed listing is back."""
    decided_by: str = ""
    decided_at: datetime | None = None
    registry_change: str = ""
    """The re-match (and registry) that changed this listing's verdict since it was crawled, if any."""
    case_id: str = ""
    """The product's case as stored (`C-000123`): its listings on other platforms by the same shop share
    it, and it is the same number in every export (pipelines/store/case_store.py)."""
    screenshot_sha256: str = ""
    """Latest full-page screenshot of the listing's page (`tiswatch evidence screenshots`), if any."""
    screenshot_path: str = ""
    screenshot_taken_at: datetime | None = None

    @property
    def exposure(self) -> float:
        """Price × units sold: how much of the product reached buyers (0 when either is unknown)."""
        return float(self.price or 0.0) * float(self.sold or 0)

    @property
    def priority(self) -> int:
        return PRIORITY.get(self.verdict, len(PRIORITY))

    def sort_key(self) -> tuple[Any, ...]:
        return (self.mark == GONE, self.priority, -self.exposure, self.platform, self.listing_id)


@dataclass
class SellerRow:
    platform: str
    seller_id: str
    seller_name: str
    flagged: int = 0
    new: int = 0
    by_verdict: dict[str, int] = field(default_factory=dict)
    exposure: float = 0.0
    listings_seen: int = 0


@dataclass
class ConfirmedRow:
    """A listing confirmed by an investigator, with its history since."""

    listing_key: int
    platform: str
    listing_id: str
    url: str
    title: str
    seller_id: str
    seller_name: str
    decided_by: str
    decided_at: datetime
    note: str
    still_online: str
    """`yes` (seen by a run of this export), `no` (its platform was crawled but it was not seen), or
    `not checked` (its platform was not crawled by the runs of this export)."""
    first_seen: datetime
    last_seen: datetime
    runs_seen: int
    first_price: float | None
    last_price: float | None
    last_sold: int | None
    verdict: str
    evidence_sha256: str


@dataclass
class RunReport:
    run_id: int
    baseline_run_id: int | None
    summary: dict[str, Any]
    rows: list[FlagRow]
    observed: set[int] = field(default_factory=set)
    """Listing keys this run saw (flagged or not): a later run's sight of a listing replaces an
    earlier run's row for it, even when the later verdict is not flagged."""


@dataclass(frozen=True)
class StaleScope:
    """A scope whose newest run did not cover it completely: its flags are as of an older run."""

    spider: str
    scope: str
    run_id: int
    """The newest run that touched the scope."""
    status: str
    """The scope's status in that run (`blocked`, `incomplete`, ...)."""
    run_started_at: datetime
    last_complete_run_id: int | None
    last_complete_at: datetime | None

    def describe(self) -> str:
        scope = self.scope or "(whole run)"
        since = (
            f"flags shown as of run {self.last_complete_run_id}, not re-checked since "
            f"{self.last_complete_at:%Y-%m-%d %H:%M} UTC"
            if self.last_complete_at is not None
            else "never completely covered: its flags are only what partial runs saw"
        )
        return (
            f"{self.spider} {scope}: run {self.run_id} {self.status} "
            f"({self.run_started_at:%Y-%m-%d %H:%M} UTC); {since}"
        )


@dataclass
class Report:
    runs: list[RunReport]
    rows: list[FlagRow]
    """Flagged (new, still flagged) then gone, highest priority and exposure first."""
    sellers: list[SellerRow]
    confirmed: list[ConfirmedRow]
    stale: list[StaleScope] = field(default_factory=list)
    """Scopes whose newest run was blocked, incomplete, failed or interrupted (default selection)."""

    @property
    def run_ids(self) -> list[int]:
        return [run.run_id for run in self.runs]

    @property
    def flagged_rows(self) -> list[FlagRow]:
        return [row for row in self.rows if row.mark != GONE]


# The views below hold the columns a report reads, loaded as plain rows: ORM entities for every
# listing of a big run cost several kB each, and a report holds two runs (current and baseline).


@dataclass(slots=True)
class _ObservationView:
    id: int
    listing_key: int
    title: str
    price: float | None
    currency: str
    sold: int | None
    content_hash: str
    verdict_id: int | None


@dataclass(slots=True)
class _ListingView:
    id: int
    platform: str
    listing_id: str
    url: str
    title: str
    seller_id: str
    seller_name: str
    first_seen_at: datetime
    last_seen_at: datetime
    first_run_id: int
    case_key: int | None


@dataclass(slots=True)
class _VerdictView:
    verdict: str
    flagged: bool
    tis_number: str | None
    licence_no: str | None
    score: float
    reasons: list[str]


@dataclass(slots=True)
class _EvidenceView:
    sha256: str
    url: str
    fetched_at: datetime
    path: str


@dataclass(slots=True)
class _Seen:
    """One observation of a run joined with its listing, verdict and evidence."""

    observation: _ObservationView
    listing: _ListingView
    verdict: _VerdictView | None
    evidence: _EvidenceView | None
    fields: dict[str, Any] = field(default_factory=dict)
    """The few fields of the crawled listing a row shows (`_ROW_FIELDS`), loaded for rows only."""
    registry_change: str = ""
    """Set when a later re-match judged this content differently from the crawl (see
    `_apply_newest_judgements`)."""


# What a row takes from the stored listing record (`Observation.data`) beyond the indexed columns.
_ROW_FIELDS = ("url", "seller_id", "seller_name", "brand")

_OBSERVATION_COLUMNS = (
    Observation.id,
    Observation.listing_key,
    Observation.title,
    Observation.price,
    Observation.currency,
    Observation.sold,
    Observation.content_hash,
    Observation.verdict_id,
)
_LISTING_COLUMNS = (
    ListingRecord.id,
    ListingRecord.platform,
    ListingRecord.listing_id,
    ListingRecord.url,
    ListingRecord.title,
    ListingRecord.seller_id,
    ListingRecord.seller_name,
    ListingRecord.first_seen_at,
    ListingRecord.last_seen_at,
    ListingRecord.first_run_id,
    ListingRecord.case_key,
)
_VERDICT_COLUMNS = (
    Verdict.verdict,
    Verdict.flagged,
    Verdict.tis_number,
    Verdict.licence_no,
    Verdict.score,
    Verdict.reasons,
)
_EVIDENCE_COLUMNS = (Evidence.sha256, Evidence.url, Evidence.fetched_at, Evidence.path)


def normalise_title(title: str) -> str:
    return " ".join(thai_digits_to_arabic(title).casefold().split())


def _verdict_view(columns: tuple[Any, ...]) -> _VerdictView | None:
    verdict, flagged, tis_number, licence_no, score, reasons = columns
    if verdict is None:  # the observation has no verdict (matching failed)
        return None
    return _VerdictView(verdict, flagged, tis_number, licence_no, score, list(reasons or []))


def _load_run(session: Session, run_id: int, newest: bool = True) -> dict[int, _Seen]:
    return _load_observations(session, Observation.run_id == run_id, newest)


def _load_observations(session: Session, condition: Any, newest: bool = True) -> dict[int, _Seen]:
    """Observations with their listing, verdict and evidence; with `newest`, each with the newest
    judgement of its content (a baseline keeps the judgement it had, so a registry change reads as new)."""
    # The whole crawled record (`Observation.data`: description, attributes…) is most of a row's size
    # and only the flagged rows need a few of its fields: `_load_fields` reads those.
    query = (
        select(*_OBSERVATION_COLUMNS, *_LISTING_COLUMNS, *_VERDICT_COLUMNS, *_EVIDENCE_COLUMNS)
        .join(ListingRecord, Observation.listing_key == ListingRecord.id)
        .outerjoin(Verdict, Observation.verdict_id == Verdict.id)
        .outerjoin(Evidence, Observation.evidence_id == Evidence.id)
        .where(condition)
        .order_by(Observation.id)
    )
    ends = list(
        itertools.accumulate(
            (len(_OBSERVATION_COLUMNS), len(_LISTING_COLUMNS), len(_VERDICT_COLUMNS), len(_EVIDENCE_COLUMNS))
        )
    )
    seen: dict[int, _Seen] = {}
    for result_row in session.execute(query):
        row: tuple[Any, ...] = tuple(result_row)
        observation = _ObservationView(*row[: ends[0]])
        verdict = row[ends[1] : ends[2]]
        evidence = row[ends[2] : ends[3]]
        seen[observation.listing_key] = _Seen(
            observation,
            _ListingView(*row[ends[0] : ends[1]]),
            _verdict_view(verdict),
            _EvidenceView(*evidence) if evidence[0] is not None else None,
        )
    if newest:
        _apply_newest_judgements(session, seen)
    return seen


# `rematch_changes` (pipelines/rematch.py) read as a plain table: the re-match module builds on the store.
_REMATCH_CHANGES = table(
    "rematch_changes",
    column("rematch_id", Integer),
    column("new_verdict_id", Integer),
    column("old_verdict", String),
    column("new_verdict", String),
    column("explanation", String),
)
_REMATCH_RUNS = table(
    "rematch_runs", column("id", Integer), column("started_at", String), column("registry_ref", String)
)


def _apply_newest_judgements(session: Session, seen: dict[int, _Seen]) -> None:
    """Give each observation the newest judgement of its content (a re-match after a registry or
    vocabulary change stores one), and say which re-match made it: a listing a revocation newly flags
    reaches the next export, marked with the change behind it."""
    keys = sorted(seen)
    for start in range(0, len(keys), 500):
        batch = keys[start : start + 500]
        query = (
            select(Verdict.id, Verdict.listing_key, Verdict.content_hash, *_VERDICT_COLUMNS)
            .where(Verdict.listing_key.in_(batch))
            .order_by(Verdict.judged_at, Verdict.id)
        )
        newest: dict[tuple[int, str], tuple[Any, ...]] = {}
        for row in session.execute(query):
            newest[(row[1], row[2])] = tuple(row)
        changed = {
            key: newest_row
            for key, item in seen.items()
            if key in batch
            and (newest_row := newest.get((key, item.observation.content_hash))) is not None
            and newest_row[0] != item.observation.verdict_id
        }
        if not changed:
            continue
        causes: dict[int, str] = {}
        cause_query = (
            select(
                _REMATCH_CHANGES.c.new_verdict_id,
                _REMATCH_CHANGES.c.rematch_id,
                _REMATCH_RUNS.c.started_at,
                _REMATCH_RUNS.c.registry_ref,
                _REMATCH_CHANGES.c.old_verdict,
                _REMATCH_CHANGES.c.new_verdict,
                _REMATCH_CHANGES.c.explanation,
            )
            .join(_REMATCH_RUNS, _REMATCH_RUNS.c.id == _REMATCH_CHANGES.c.rematch_id)
            .where(_REMATCH_CHANGES.c.new_verdict_id.in_([row[0] for row in changed.values()]))
            .order_by(_REMATCH_CHANGES.c.rematch_id)
        )
        for verdict_id, rematch_id, started_at, ref, old, new, explanation in session.execute(cause_query):
            causes[verdict_id] = (
                f"rematch {rematch_id} ({str(started_at)[:10]}, registry {ref}): "
                f"{old or 'not judged'} -> {new}: {explanation}"
            )
        for key, newest_row in changed.items():
            item = seen[key]
            item.verdict = _verdict_view(newest_row[3:])
            item.registry_change = causes.get(newest_row[0], "")


def _load_fields(session: Session, seen: Iterable[_Seen]) -> None:
    """Fill `fields` of these observations from their stored records, a batch of ids at a time."""
    by_id = {item.observation.id: item for item in seen}
    ids = sorted(by_id)
    for start in range(0, len(ids), 500):
        query = select(Observation.id, Observation.data).where(Observation.id.in_(ids[start : start + 500]))
        for observation_id, data in session.execute(query):
            record = data if isinstance(data, dict) else {}
            by_id[observation_id].fields = {name: record.get(name) for name in _ROW_FIELDS}


def _baseline(session: Session, run: Run, before: datetime | None = None) -> Run | None:
    """The latest complete run of the same spider that started before `run` (or `before`)."""
    query = select(Run).where(Run.spider == run.spider, Run.status == COMPLETE, Run.id != run.id)
    query = query.where(Run.started_at < before) if before is not None else query.where(Run.id < run.id)
    return session.execute(query.order_by(Run.started_at.desc(), Run.id.desc()).limit(1)).scalar_one_or_none()


def _is_dismissed(seen: _Seen, decisions: dict[int, ReviewDecision]) -> bool:
    decision = decisions.get(seen.observation.listing_key)
    return (
        decision is not None
        and decision.decision == DISMISSED
        and (not decision.content_hash or decision.content_hash == seen.observation.content_hash)
    )


def _flagged(seen: _Seen, decisions: dict[int, ReviewDecision]) -> bool:
    return bool(seen.verdict is not None and seen.verdict.flagged and not _is_dismissed(seen, decisions))


def _describe(decision: ReviewDecision | None, same_content: bool) -> str:
    if decision is None:
        return ""
    text = f"{decision.decision} {decision.decided_at:%Y-%m-%d} by {decision.reviewer}"
    if decision.note:
        text += f": {decision.note}"
    return text if same_content else f"{text} (listing changed since)"


def _row(seen: _Seen, run: Run, mark: str, decisions: dict[int, ReviewDecision]) -> FlagRow:
    observation, listing, verdict, evidence = seen.observation, seen.listing, seen.verdict, seen.evidence
    data = seen.fields
    decision = decisions.get(listing.id)
    same_content = decision is not None and decision.content_hash in ("", observation.content_hash)
    assert verdict is not None  # only judged observations are flagged
    return FlagRow(
        listing_key=listing.id,
        run_id=run.id,
        spider=run.spider,
        platform=listing.platform,
        listing_id=listing.listing_id,
        url=data.get("url") or listing.url,
        title=observation.title,
        seller_id=str(data.get("seller_id") or ""),
        seller_name=str(data.get("seller_name") or ""),
        brand=str(data.get("brand") or ""),
        price=observation.price,
        currency=observation.currency,
        sold=observation.sold,
        verdict=verdict.verdict,
        tis_number=verdict.tis_number,
        licence_no=verdict.licence_no,
        score=verdict.score,
        reasons=list(verdict.reasons or []),
        mark=mark,
        first_seen=listing.first_seen_at,
        last_seen=listing.last_seen_at,
        content_hash=observation.content_hash,
        evidence_sha256=evidence.sha256 if evidence else "",
        evidence_url=evidence.url if evidence else "",
        evidence_fetched_at=evidence.fetched_at if evidence else None,
        evidence_path=evidence.path if evidence else "",
        # A decision is pre-filled only for the content it was made on: pre-filling a dismissal on
        # changed content would re-dismiss it unseen when the sheet is imported again.
        decision=decision.decision if same_content and decision else "",
        note=decision.note if same_content and decision else "",
        previous_decision=_describe(decision, same_content),
        decided_by=decision.reviewer if decision else "",
        decided_at=decision.decided_at if decision else None,
        registry_change=seen.registry_change,
        case_id=case_label(listing.case_key),
    )


def _find_relistings(
    session: Session,
    rows: list[FlagRow],
    current: dict[int, _Seen],
    baseline: dict[int, _Seen],
    baseline_flagged: set[int],
    baseline_run_id: int | None,
    decisions: dict[int, ReviewDecision],
) -> int:
    """Mark new listings that re-list a reviewed or gone flagged listing of the same seller."""
    fresh = [
        row
        for row in rows
        if row.mark == NEW
        and row.seller_id
        and row.listing_key not in baseline
        and current[row.listing_key].listing.first_run_id > (baseline_run_id or 0)
    ]
    if not fresh:
        return 0
    candidate_keys = (set(decisions) | baseline_flagged) - set(current)
    sellers = {(row.platform, row.seller_id) for row in fresh}
    candidates: dict[tuple[str, str], list[ListingRecord]] = defaultdict(list)
    keys = sorted(candidate_keys)
    for start in range(0, len(keys), 500):
        query = select(ListingRecord).where(ListingRecord.id.in_(keys[start : start + 500]))
        for listing in session.execute(query).scalars():
            if (listing.platform, listing.seller_id) in sellers:
                candidates[(listing.platform, listing.seller_id)].append(listing)
    found = 0
    for row in fresh:
        title = normalise_title(row.title)
        best: tuple[float, ListingRecord] | None = None
        for earlier in candidates.get((row.platform, row.seller_id), []):
            similarity = fuzz.ratio(title, normalise_title(earlier.title))
            if similarity >= RELISTING_MIN_SIMILARITY and (best is None or similarity > best[0]):
                best = (similarity, earlier)
        if best is None:
            continue
        earlier = best[1]
        decision = decisions.get(earlier.id)
        status = f"{decision.decision} {decision.decided_at:%Y-%m-%d}" if decision else "gone"
        row.relisted_from = f"{earlier.platform} {earlier.listing_id} ({status}; title {best[0]:.0f}% alike)"
        found += 1
    return found


# Coverage counters (crawler/coverage.py) that mean the run did not see every page it looked for.
_COVERAGE_GAP_COUNTS = (
    ("tiswatch/blocked", "pages blocked"),
    ("tiswatch/failed", "pages failed"),
    ("tiswatch/result_pages_unreadable", "result pages unreadable"),
    ("tiswatch/links_not_followed", "shop links not followed (page budget or depth)"),
    ("tiswatch/parse_errors", "pages or records unreadable"),
    ("tiswatch/dropped", "listings dropped (no usable id, URL or title)"),
    ("tiswatch/store_errors", "listings not stored (database errors)"),
    ("tiswatch/unjudged", "listings the matcher failed on"),
)


def coverage_gaps(stats: dict[str, Any]) -> list[str]:
    """What a run's stats say it missed (`["pages blocked: 3"]`); empty when it covered everything."""
    gaps = [f"{label}: {count}" for key, label in _COVERAGE_GAP_COUNTS if (count := _stat(stats, key))]
    if stats.get("finish_reason") not in (None, "finished"):
        gaps.append(f"stopped early: {stats['finish_reason']}")
    return gaps


def _stat(stats: dict[str, Any], *keys: str) -> int:
    """The first of `keys` present in the crawl stats, as an int (0 when none is)."""
    for key in keys:
        value = stats.get(key)
        if isinstance(value, int | float):
            return int(value)
    return 0


def complete_scopes(session: Session, run: Run) -> set[str]:
    """The scopes `run` covered completely (none for a run still running, interrupted or abandoned:
    their scopes are never recorded as complete)."""
    query = select(RunScope.scope).where(RunScope.run_id == run.id, RunScope.status == COMPLETE)
    return set(session.execute(query).scalars())


def _gone(
    session: Session, run: Run, decisions: dict[int, ReviewDecision]
) -> tuple[dict[int, _Seen], dict[int, int]]:
    """Flagged listings gone in `run`: last seen (by this spider) before it, under a scope this run
    covered completely, with no complete coverage of that scope in between. Returns their last
    observations and the run each was last seen in."""
    covered = complete_scopes(session, run)
    if not covered:
        return {}, {}
    last_seen = (
        select(ListingRecord.id, ListingRecord.last_run_id, Observation.id)
        .join(
            Observation,
            (Observation.listing_key == ListingRecord.id) & (Observation.run_id == ListingRecord.last_run_id),
        )
        .join(Run, Run.id == Observation.run_id)
        .where(Run.spider == run.spider, ListingRecord.last_run_id < run.id, Observation.scope.in_(covered))
    )
    candidates = {
        key: (last_run, observation_id) for key, last_run, observation_id in session.execute(last_seen)
    }
    if not candidates:
        return {}, {}
    # Earlier complete coverage of each scope: a listing is gone once, in the first one after it left.
    earlier: dict[str, list[int]] = defaultdict(list)
    query = (
        select(RunScope.scope, RunScope.run_id)
        .join(Run, Run.id == RunScope.run_id)
        .where(
            Run.spider == run.spider,
            RunScope.status == COMPLETE,
            RunScope.scope.in_(covered),
            RunScope.run_id < run.id,
        )
        .order_by(RunScope.run_id)
    )
    for scope, run_id in session.execute(query):
        earlier[scope].append(run_id)
    observation_ids = sorted(observation_id for _, observation_id in candidates.values())
    seen: dict[int, _Seen] = {}
    scopes: dict[int, str] = {}
    for start in range(0, len(observation_ids), 500):
        batch = observation_ids[start : start + 500]
        seen.update(_load_observations(session, Observation.id.in_(batch)))
        for key, scope in session.execute(
            select(Observation.listing_key, Observation.scope).where(Observation.id.in_(batch))
        ):
            scopes[key] = scope
    gone: dict[int, _Seen] = {}
    last_runs: dict[int, int] = {}
    for key, item in seen.items():
        last_run = candidates[key][0]
        runs_between = earlier.get(scopes.get(key, ""), [])
        if bisect.bisect_right(runs_between, last_run) < len(runs_between):
            continue  # an earlier complete coverage already found it gone
        if _flagged(item, decisions):
            gone[key] = item
            last_runs[key] = last_run
    return gone, last_runs


def compare_runs(
    session: Session, run: Run, baseline_run: Run | None, decisions: dict[int, ReviewDecision]
) -> RunReport:
    current = _load_run(session, run.id)
    baseline = _load_run(session, baseline_run.id, newest=False) if baseline_run else {}
    baseline_flagged = {key for key, seen in baseline.items() if _flagged(seen, decisions)}

    flagged_now: list[tuple[_Seen, str]] = []
    by_verdict: dict[str, int] = defaultdict(int)
    flagged_raw = dismissed_unchanged = unjudged = 0
    for key, seen in current.items():
        if seen.verdict is None:
            unjudged += 1
            continue
        by_verdict[seen.verdict.verdict] += 1
        if seen.verdict.flagged:
            flagged_raw += 1
        if _flagged(seen, decisions):
            flagged_now.append((seen, STILL_FLAGGED if key in baseline_flagged else NEW))
        elif seen.verdict.flagged:
            dismissed_unchanged += 1
    gaps = coverage_gaps(run.stats or {})
    covered = complete_scopes(session, run)
    # Per scope: a listing missed by a cut, block or re-scoped plan is never taken for one taken down.
    gone_seen, last_runs = _gone(session, run, decisions)
    _load_fields(session, [seen for seen, _ in flagged_now] + list(gone_seen.values()))
    rows = [_row(seen, run, mark, decisions) for seen, mark in flagged_now]
    runs_by_id: dict[int, Run] = {}
    gone = []
    for key, seen_before in gone_seen.items():
        last_run = runs_by_id.setdefault(last_runs[key], session.get(Run, last_runs[key]) or run)
        gone.append(_row(seen_before, last_run, GONE, decisions))
    cleared = len((baseline_flagged & set(current)) - {row.listing_key for row in rows})
    relisted = _find_relistings(
        session,
        rows,
        current,
        baseline,
        baseline_flagged,
        baseline_run.id if baseline_run else None,
        decisions,
    )
    rows.sort(key=FlagRow.sort_key)
    gone.sort(key=FlagRow.sort_key)

    stats = run.stats or {}
    finished = run.finished_at
    flagged_by_verdict: dict[str, int] = defaultdict(int)
    for row in rows:
        flagged_by_verdict[row.verdict] += 1
    summary: dict[str, Any] = {
        "run_id": run.id,
        "spider": run.spider,
        "arguments": run.arguments,
        "status": run.status,
        "started_at": run.started_at.isoformat(),
        "finished_at": finished.isoformat() if finished else None,
        "duration_s": round((finished - run.started_at).total_seconds(), 1) if finished else None,
        "registry": run.registry_source,
        "registry_version": run.registry_version,
        "baseline_run_id": baseline_run.id if baseline_run else None,
        # Coverage counters of the spiders (crawler/coverage.py); raw Scrapy counts when they are absent.
        # The spiders' own count only: Scrapy's response count includes blocked answers.
        "pages_fetched": _stat(stats, "tiswatch/pages_fetched"),
        "pages_blocked": _stat(stats, "tiswatch/blocked"),
        "pages_failed": _stat(stats, "tiswatch/failed"),
        "parse_errors": _stat(stats, "tiswatch/parse_errors"),
        "items_dropped": int(stats.get("tiswatch/validate/dropped", 0) or 0),
        "listings": len(current),
        "new_listings": sum(1 for seen in current.values() if seen.listing.first_run_id == run.id),
        "verdicts": dict(sorted(by_verdict.items())),
        "unjudged": unjudged,
        "flagged": len(rows),
        "flagged_by_verdict": dict(sorted(flagged_by_verdict.items())),
        "flagged_before_review": flagged_raw,
        "dismissed_unchanged": dismissed_unchanged,
        "new": sum(1 for row in rows if row.mark == NEW),
        "still_flagged": sum(1 for row in rows if row.mark == STILL_FLAGGED),
        "gone": len(gone),
        "coverage_gaps": gaps,
        "scopes_complete": len(covered),
        "gone_assessed": bool(covered),
        "cleared": cleared,
        "relisted": relisted,
        "exposure": round(sum(row.exposure for row in rows), 2),
    }
    return RunReport(
        run_id=run.id,
        baseline_run_id=summary["baseline_run_id"],
        summary=summary,
        rows=rows + gone,
        observed=set(current),
    )


def select_runs(
    session: Session,
    run_ids: Sequence[int] | None,
    since: datetime | None,
    spiders: Sequence[str] | None = None,
) -> tuple[list[tuple[Run, Run | None]], list[StaleScope]]:
    """Runs of the report with their baselines: the given ids; else, per spider, every run since the
    oldest of its scopes' newest complete coverage (so each scope shows its newest complete coverage
    and what later runs saw), with the scopes those later runs left uncovered."""
    if run_ids:
        runs = []
        for run_id in run_ids:
            run = session.get(Run, run_id)
            if run is None:
                raise KeyError(f"no run {run_id} in the database")
            runs.append(run)
        return [(run, _baseline(session, run)) for run in runs], []
    query = select(Run).where(Run.status != RUNNING)
    if spiders is not None:
        query = query.where(Run.spider.in_(list(spiders)))
    if since is not None:
        query = query.where(Run.started_at >= since)
    by_spider: dict[str, list[Run]] = defaultdict(list)
    for run in session.execute(query.order_by(Run.id)).scalars():
        by_spider[run.spider].append(run)
    selected: list[Run] = []
    stale: list[StaleScope] = []
    for _, runs in sorted(by_spider.items()):
        cutoff, spider_stale = _coverage_window(session, runs)
        # `--since`: everything that happened since the date, not only the newest coverage.
        selected.extend(run for run in runs if since is not None or run.id >= cutoff)
        stale.extend(spider_stale)
    selected.sort(key=lambda run: run.id)
    return [(run, _baseline(session, run, before=since)) for run in selected], stale


def _coverage_window(session: Session, runs: list[Run]) -> tuple[int, list[StaleScope]]:
    """The first run id a spider's default report needs, and its scopes not covered by their newest run."""
    by_id = {run.id: run for run in runs}
    newest: dict[str, tuple[int, str]] = {}
    newest_complete: dict[str, int] = {}
    ids = sorted(by_id)
    for start in range(0, len(ids), 500):
        query = select(RunScope.run_id, RunScope.scope, RunScope.status).where(
            RunScope.run_id.in_(ids[start : start + 500])
        )
        for run_id, scope, status in session.execute(query.order_by(RunScope.run_id)):
            newest[scope] = (run_id, status)
            if status == COMPLETE:
                newest_complete[scope] = run_id
    # A run whose process died recorded no scope: all of it is a blind spot since the last coverage.
    last_complete = max(newest_complete.values(), default=None)
    stale = [
        StaleScope(
            spider=run.spider,
            scope="",
            run_id=run.id,
            status=run.status,
            run_started_at=run.started_at,
            last_complete_run_id=last_complete,
            last_complete_at=by_id[last_complete].started_at if last_complete else None,
        )
        for run in runs
        if run.status == ABANDONED and run.id > (last_complete or 0)
    ]
    if not newest:
        return ids[-1], stale  # runs that recorded no scope at all (they never closed): the newest only
    starts = [newest_complete.get(scope, run_id) for scope, (run_id, _) in newest.items()]
    for scope, (run_id, status) in sorted(newest.items()):
        if status == COMPLETE:
            continue
        complete_id = newest_complete.get(scope)
        stale.append(
            StaleScope(
                spider=by_id[run_id].spider,
                scope=scope,
                run_id=run_id,
                status=status,
                run_started_at=by_id[run_id].started_at,
                last_complete_run_id=complete_id,
                last_complete_at=by_id[complete_id].started_at if complete_id else None,
            )
        )
    return min(starts), stale


def _seller_rows(session: Session, report_runs: list[RunReport], rows: list[FlagRow]) -> list[SellerRow]:
    sellers: dict[tuple[str, str], SellerRow] = {}
    for row in rows:
        if row.mark == GONE:
            continue
        key = (row.platform, row.seller_id or row.seller_name)
        seller = sellers.setdefault(key, SellerRow(row.platform, row.seller_id, row.seller_name))
        seller.flagged += 1
        seller.new += row.mark == NEW
        seller.by_verdict[row.verdict] = seller.by_verdict.get(row.verdict, 0) + 1
        seller.exposure += row.exposure
    if sellers:
        run_ids = [run.run_id for run in report_runs]
        # Every listing of the seller the runs saw, flagged or not: a seller with 2 flags out of 300
        # listings is not one with 2 out of 2.
        query = (
            select(
                ListingRecord.id, ListingRecord.platform, ListingRecord.seller_id, ListingRecord.seller_name
            )
            .join(Observation, Observation.listing_key == ListingRecord.id)
            .where(Observation.run_id.in_(run_ids))
            .distinct()
        )
        for _, platform, seller_id, seller_name in session.execute(query):
            seller_row = sellers.get((platform, seller_id or seller_name))
            if seller_row is not None:
                seller_row.listings_seen += 1
    return sorted(sellers.values(), key=lambda s: (-s.exposure, -s.flagged, s.platform, s.seller_id))


def _confirmed_rows(
    session: Session, report_runs: list[RunReport], decisions: dict[int, ReviewDecision]
) -> list[ConfirmedRow]:
    confirmed = {key: decision for key, decision in decisions.items() if decision.decision == CONFIRMED}
    if not confirmed:
        return []
    run_ids = [run.run_id for run in report_runs]
    seen_now: set[int] = set()
    crawled_platforms: set[str] = set()
    if run_ids:
        query = (
            select(Observation.listing_key, ListingRecord.platform)
            .join(ListingRecord, Observation.listing_key == ListingRecord.id)
            .where(Observation.run_id.in_(run_ids))
        )
        for key, platform in session.execute(query):
            seen_now.add(key)
            crawled_platforms.add(platform)
    result = []
    for key, decision in confirmed.items():
        listing = session.get(ListingRecord, key)
        if listing is None:
            continue
        history = list(
            session.execute(
                select(Observation, Verdict, Evidence)
                .outerjoin(Verdict, Observation.verdict_id == Verdict.id)
                .outerjoin(Evidence, Observation.evidence_id == Evidence.id)
                .where(Observation.listing_key == key)
                .order_by(Observation.observed_at, Observation.id)
            )
        )
        first, last = history[0], history[-1]
        if key in seen_now:
            still_online = "yes"
        elif listing.platform in crawled_platforms:
            still_online = "no"
        else:
            still_online = "not checked"
        result.append(
            ConfirmedRow(
                listing_key=key,
                platform=listing.platform,
                listing_id=listing.listing_id,
                url=listing.url,
                title=listing.title,
                seller_id=listing.seller_id,
                seller_name=listing.seller_name,
                decided_by=decision.reviewer,
                decided_at=decision.decided_at,
                note=decision.note,
                still_online=still_online,
                first_seen=listing.first_seen_at,
                last_seen=listing.last_seen_at,
                runs_seen=len(history),
                first_price=first[0].price,
                last_price=last[0].price,
                last_sold=last[0].sold,
                verdict=last[1].verdict if last[1] else "",
                evidence_sha256=last[2].sha256 if last[2] else "",
            )
        )
    return sorted(result, key=lambda r: (r.still_online != "yes", r.platform, r.listing_id))


def attach_screenshots(session: Session, rows: Sequence[FlagRow]) -> None:
    """Fill the rows' screenshot fields with each listing's latest screenshot."""
    by_key = {row.listing_key: row for row in rows}
    keys = sorted(by_key)
    for start in range(0, len(keys), 500):
        query = (
            select(Screenshot.listing_key, Screenshot.sha256, Screenshot.path, Screenshot.taken_at)
            .where(Screenshot.listing_key.in_(keys[start : start + 500]))
            .order_by(Screenshot.taken_at, Screenshot.id)
        )
        for key, sha256, path, taken_at in session.execute(query):
            row = by_key[key]  # later screenshots overwrite earlier ones: the latest wins
            row.screenshot_sha256, row.screenshot_path, row.screenshot_taken_at = sha256, path, taken_at


def build_report(
    session: Session,
    decisions: dict[int, ReviewDecision],
    run_ids: Sequence[int] | None = None,
    since: datetime | None = None,
    spiders: Sequence[str] | None = None,
) -> Report:
    """The report of some runs (or the default selection of every spider or of `spiders`, see
    `select_runs`), with decisions as they stand now (`HistoryStore.latest_decisions`)."""
    selected, stale = select_runs(session, run_ids, since, spiders)
    report_runs = [compare_runs(session, run, baseline, decisions) for run, baseline in selected]
    # A listing appears once: as the newest run of the report that saw it (or found it gone) shows it.
    rows_by_listing: dict[int, FlagRow] = {}
    for run_report in sorted(report_runs, key=lambda r: r.run_id):
        for key in run_report.observed:
            rows_by_listing.pop(key, None)
        for row in run_report.rows:
            rows_by_listing[row.listing_key] = row
    rows = sorted(rows_by_listing.values(), key=FlagRow.sort_key)
    attach_screenshots(session, rows)
    sellers = _seller_rows(session, report_runs, rows)
    confirmed = _confirmed_rows(session, report_runs, decisions)
    return Report(runs=report_runs, rows=rows, sellers=sellers, confirmed=confirmed, stale=stale)


def summarise_run(session: Session, run_id: int, decisions: dict[int, ReviewDecision]) -> dict[str, Any]:
    """The summary of one run against its baseline, with decisions as they stand now."""
    run = session.get(Run, run_id)
    if run is None:
        raise KeyError(f"no run {run_id}")
    summary = compare_runs(session, run, _baseline(session, run), decisions).summary
    summary["summarised_at"] = utcnow().isoformat()
    return summary


def rows_as_dicts(rows: Iterable[FlagRow]) -> list[dict[str, Any]]:
    return [asdict(row) | {"exposure": row.exposure} for row in rows]
