"""What changed since the last run: flagged listings marked new / still flagged / gone, re-listings,
and the views the investigator's export is made of (run summary, per seller, confirmed).

A run is compared with its *baseline*: the latest earlier run of the same spider that finished cleanly
(a killed or interrupted run saw only part of the site, so it would turn everything else into "gone").

A listing counts as flagged in a run when the verdict that run gave it is flagged, unless its current
review decision is `dismissed` and was made on the same content (same content hash): a dismissal holds
until the listing changes. Decisions are applied as they stand now to both runs, so a dismissed
listing that changes shows up as *new* again.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchers.verdict import PRIORITY
from pipelines.store.models import (
    CONFIRMED,
    DISMISSED,
    FINISHED,
    Evidence,
    ListingRecord,
    Observation,
    ReviewDecision,
    Run,
    Screenshot,
    Verdict,
)
from pipelines.store.types import utcnow

if TYPE_CHECKING:
    from pipelines.store.history import HistoryStore

NEW = "new"
STILL_FLAGGED = "still flagged"
GONE = "gone"
MARKS = (NEW, STILL_FLAGGED, GONE)

# A new listing of the same seller whose title is at least this similar (rapidfuzz ratio, 0-100, on
# case- and space-normalised titles) to a reviewed or gone flagged listing is reported as a re-listing.
RELISTING_MIN_SIMILARITY = 90.0

_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


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


@dataclass
class Report:
    runs: list[RunReport]
    rows: list[FlagRow]
    """Flagged (new, still flagged) then gone, highest priority and exposure first."""
    sellers: list[SellerRow]
    confirmed: list[ConfirmedRow]

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
    return " ".join(title.translate(_THAI_DIGITS).casefold().split())


def _verdict_view(columns: tuple[Any, ...]) -> _VerdictView | None:
    verdict, flagged, tis_number, licence_no, score, reasons = columns
    if verdict is None:  # the observation has no verdict (matching failed)
        return None
    return _VerdictView(verdict, flagged, tis_number, licence_no, score, list(reasons or []))


def _load_run(session: Session, run_id: int) -> dict[int, _Seen]:
    # The whole crawled record (`Observation.data`: description, attributes…) is most of a row's size
    # and only the flagged rows need a few of its fields: `_load_fields` reads those.
    query = (
        select(*_OBSERVATION_COLUMNS, *_LISTING_COLUMNS, *_VERDICT_COLUMNS, *_EVIDENCE_COLUMNS)
        .join(ListingRecord, Observation.listing_key == ListingRecord.id)
        .outerjoin(Verdict, Observation.verdict_id == Verdict.id)
        .outerjoin(Evidence, Observation.evidence_id == Evidence.id)
        .where(Observation.run_id == run_id)
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
    return seen


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
    """The latest cleanly finished run of the same spider that started before `run` (or `before`)."""
    query = select(Run).where(Run.spider == run.spider, Run.status == FINISHED, Run.id != run.id)
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


def compare_runs(
    session: Session, run: Run, baseline_run: Run | None, decisions: dict[int, ReviewDecision]
) -> RunReport:
    current = _load_run(session, run.id)
    baseline = _load_run(session, baseline_run.id) if baseline_run else {}
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
    gone_keys = baseline_flagged - set(current)
    assert baseline_run is not None or not gone_keys
    gaps = coverage_gaps(run.stats or {})
    if gaps:
        # A run that did not see the whole market cannot tell a listing taken down from one it missed.
        gone_keys = set()
    _load_fields(session, [seen for seen, _ in flagged_now] + [baseline[key] for key in gone_keys])
    rows = [_row(seen, run, mark, decisions) for seen, mark in flagged_now]
    gone = [_row(baseline[key], baseline_run, GONE, decisions) for key in gone_keys] if baseline_run else []
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
        "pages_fetched": _stat(stats, "tiswatch/pages_fetched", "downloader/response_count"),
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
        "gone_assessed": not gaps,
        "cleared": cleared,
        "relisted": relisted,
        "exposure": round(sum(row.exposure for row in rows), 2),
    }
    return RunReport(
        run_id=run.id, baseline_run_id=summary["baseline_run_id"], summary=summary, rows=rows + gone
    )


def _select_runs(
    session: Session, run_ids: Sequence[int] | None, since: datetime | None
) -> list[tuple[Run, Run | None]]:
    """Runs of the report with their baselines: given ids, the latest per spider since a date, or the
    latest finished run of every spider."""
    if run_ids:
        runs = []
        for run_id in run_ids:
            run = session.get(Run, run_id)
            if run is None:
                raise KeyError(f"no run {run_id} in the database")
            runs.append(run)
        return [(run, _baseline(session, run)) for run in runs]
    query = select(Run).where(Run.status == FINISHED)
    if since is not None:
        query = query.where(Run.started_at >= since)
    latest: dict[str, Run] = {}
    for run in session.execute(query.order_by(Run.started_at, Run.id)).scalars():
        latest[run.spider] = run
    return [
        (run, _baseline(session, run, before=since)) for run in sorted(latest.values(), key=lambda r: r.id)
    ]


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
    store: HistoryStore, run_ids: Sequence[int] | None = None, since: datetime | None = None
) -> Report:
    decisions = store.latest_decisions()
    with store.session() as session:
        selected = _select_runs(session, run_ids, since)
        report_runs = [compare_runs(session, run, baseline, decisions) for run, baseline in selected]
        # A listing appears once: from the latest run of the report that has it.
        rows_by_listing: dict[int, FlagRow] = {}
        for run_report in sorted(report_runs, key=lambda r: r.run_id):
            for row in run_report.rows:
                previous = rows_by_listing.get(row.listing_key)
                if previous is None or previous.mark == GONE or row.mark != GONE:
                    rows_by_listing[row.listing_key] = row
        rows = sorted(rows_by_listing.values(), key=FlagRow.sort_key)
        attach_screenshots(session, rows)
        sellers = _seller_rows(session, report_runs, rows)
        confirmed = _confirmed_rows(session, report_runs, decisions)
    return Report(runs=report_runs, rows=rows, sellers=sellers, confirmed=confirmed)


def summarise_run(store: HistoryStore, run_id: int) -> dict[str, Any]:
    """The summary of one run against its baseline, with decisions as they stand now."""
    decisions = store.latest_decisions()
    with store.session() as session:
        run = session.get(Run, run_id)
        if run is None:
            raise KeyError(f"no run {run_id}")
        summary = compare_runs(session, run, _baseline(session, run), decisions).summary
    summary["summarised_at"] = utcnow().isoformat()
    return summary


def rows_as_dicts(rows: Iterable[FlagRow]) -> list[dict[str, Any]]:
    return [asdict(row) | {"exposure": row.exposure} for row in rows]
