"""`HistoryStore`: the one door to the history tables, for pipelines, exports, review and re-match."""

from __future__ import annotations

import json
import logging
import os
import socket
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Engine, Table, delete, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from matchers.verdict import FLAGGED_VERDICTS
from matchers.verdict import Verdict as VerdictResult
from pipelines.store.case_store import CaseAssignment, assign_cases, ensure_cases
from pipelines.store.content import content_hash
from pipelines.store.models import (
    ABANDONED,
    COMPLETE,
    DECISIONS,
    INTERRUPTED,
    RUNNING,
    Evidence,
    ListingRecord,
    Observation,
    ReviewDecision,
    Run,
    RunScope,
    Verdict,
    case_label,
)
from pipelines.store.report import Report, build_report, summarise_run
from pipelines.store.types import parse_utc, utcnow
from pipelines.store.upsert import upsert
from standards_data.database import Base, make_engine

logger = logging.getLogger(__name__)

# A run stopped cleanly (`interrupted`) or whose process died (`abandoned`) resumes from its JOBDIR.
_RESUMABLE = (INTERRUPTED, ABANDONED, RUNNING)
# The scope of a run that recorded no per-scope coverage (no plan): the whole run.
WHOLE_RUN = ""


@dataclass(frozen=True)
class ScopeCoverage:
    """How a run covered one scope (a keyword or a shop's start URL), as recorded at its close."""

    status: str
    counts: Mapping[str, Any]


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


@dataclass(frozen=True)
class RegistryRef:
    """Which registry a run matched against; verdicts are stored per `ref`."""

    ref: str
    """`db-v<N>` for an imported registry version, `csv-<sha256 prefix>` for a CSV file."""
    version: int | None
    source: str
    """Human description: `database registry version 3` or the CSV path."""


@dataclass(frozen=True)
class EvidenceRef:
    """A stored response body (see `pipelines.evidence.EvidenceStore`)."""

    sha256: str
    url: str
    fetched_at: datetime
    path: str


@dataclass(frozen=True)
class StoredListing:
    """A listing's latest observation, for re-matching without a crawl."""

    listing_key: int
    platform: str
    listing_id: str
    content_hash: str
    data: dict[str, Any]


@dataclass(frozen=True)
class NewDecision:
    """A review decision to record (already validated)."""

    listing_key: int
    decision: str
    note: str
    content_hash: str
    source: str


def _table(model: type[Base]) -> Table:
    return cast(Table, model.__table__)


def _json_safe(data: Mapping[str, Any]) -> dict[str, Any]:
    # Spiders may hand over Decimals, dates or tuples; the JSON column wants plain JSON.
    return json.loads(json.dumps(dict(data), ensure_ascii=False, default=str))


class HistoryStore:
    """Runs, listings, observations, verdicts, evidence and review decisions in one database.

    Writing (crawl):
      - `start_run(spider, arguments, registry, job_dir=None, batch="") -> run_id`: first marks every
        `running` run whose process is dead `abandoned` (`abandon_dead_runs`).
      - `record_observation(run_id, listing, verdict, registry, evidence=None, scope="") -> observation id`:
        one transaction per listing (listing upsert + verdict + evidence + observation), so a killed
        crawl leaves whole listings only, and a rerun updates instead of duplicating.
      - `finish_run(run_id, stats, status="complete", finish_reason=None, scopes=None) -> summary`:
        records the status and the per-scope coverage *first*, then computes new/still/gone.
    Reading (export):
      - `report(run_ids=None, since=None) -> pipelines.store.report.Report`.
      - `iter_observations(run_ids)` for listings.jsonl; `runs(last=None)`, `get_run(run_id)`,
        `run_scopes(run_id)`, `batch_runs(batch)`.
    Re-match (registry updates):
      - `iter_latest_listings()` yields every listing's latest observation;
      - `record_verdict(listing_key, content_hash, verdict, registry) -> verdict id`;
        `record_verdicts([(listing_key, content_hash, verdict), …], registry)` in one transaction.
    Review:
      - `listing_keys(pairs)`, `latest_decisions()`, `record_decisions(decisions, reviewer)` (all or nothing).
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def from_url(cls, url: str, *, ensure_schema: bool = True) -> HistoryStore:
        store = cls(make_engine(url))
        if ensure_schema:
            store.ensure_schema()
        return store

    def ensure_schema(self) -> None:
        """Bring the database to the latest schema (Alembic migrations, history and registry tables)."""
        from pipelines.store.schema import ensure_schema

        ensure_schema(self.engine)

    def session(self) -> Session:
        return self._sessions()

    # --- crawl --------------------------------------------------------------------------------------

    def start_run(
        self,
        spider: str,
        arguments: Mapping[str, Any],
        registry: RegistryRef,
        *,
        job_dir: str | None = None,
        started_at: datetime | None = None,
        batch: str = "",
    ) -> int:
        """Open a run; with a `job_dir`, a crawl resumed from that JOBDIR continues its unfinished run."""
        self.abandon_dead_runs()
        with self._sessions.begin() as session:
            if job_dir:
                resumable = session.execute(
                    select(Run)
                    .where(Run.spider == spider, Run.job_dir == job_dir, Run.status.in_(_RESUMABLE))
                    .order_by(Run.id.desc())
                    .limit(1)
                ).scalar_one_or_none()
                if resumable is not None:
                    resumable.status = RUNNING
                    resumable.finished_at = None
                    resumable.finish_reason = None
                    resumable.pid, resumable.host = os.getpid(), socket.gethostname()
                    resumable.batch = batch or resumable.batch
                    return resumable.id
            run = Run(
                pid=os.getpid(),
                host=socket.gethostname(),
                batch=batch,
                spider=spider,
                arguments=_json_safe(arguments),
                job_dir=job_dir,
                started_at=started_at or utcnow(),
                status=RUNNING,
                registry_version=registry.version,
                registry_ref=registry.ref,
                registry_source=registry.source,
                stats={},
                summary={},
            )
            session.add(run)
            session.flush()
            return run.id

    def abandon_dead_runs(self) -> list[int]:
        """Mark `abandoned` every `running` run whose process is gone (killed with -9, machine reset).

        A run records its pid and host at start; one on this host whose pid is not alive, or one
        recorded before runs kept their process (no pid), can never close itself. Runs of other hosts
        are left alone: their process cannot be checked from here.
        """
        here = socket.gethostname()
        abandoned: list[int] = []
        with self._sessions.begin() as session:
            for run in session.execute(select(Run).where(Run.status == RUNNING)).scalars():
                dead = run.pid is None or (run.host == here and not _process_alive(run.pid))
                if dead:
                    run.status = ABANDONED
                    abandoned.append(run.id)
        for run_id in abandoned:
            logger.warning("tiswatch: run %d was left running by a dead process: marked abandoned", run_id)
        return abandoned

    def record_observation(
        self,
        run_id: int,
        listing: Mapping[str, Any],
        verdict: VerdictResult | None,
        registry: RegistryRef,
        evidence: EvidenceRef | None = None,
        scope: str = "",
    ) -> int:
        """Store what this run saw of one listing, in one transaction; returns the observation id."""
        data = _json_safe(listing)
        digest = content_hash(data)
        seen_at = parse_utc(data.get("crawled_at")) or utcnow()
        with self._sessions.begin() as session:
            listing_key = upsert(
                session,
                _table(ListingRecord),
                {
                    "platform": data["platform"],
                    "listing_id": str(data["listing_id"]),
                    "url": data.get("url") or "",
                    "title": data.get("title") or "",
                    "seller_id": str(data.get("seller_id") or ""),
                    "seller_name": data.get("seller_name") or "",
                    "content_hash": digest,
                    "first_seen_at": seen_at,
                    "last_seen_at": seen_at,
                    "first_run_id": run_id,
                    "last_run_id": run_id,
                },
                keys=("platform", "listing_id"),
                update=(
                    "url",
                    "title",
                    "seller_id",
                    "seller_name",
                    "content_hash",
                    "last_seen_at",
                    "last_run_id",
                ),
            )
            verdict_id = (
                self._upsert_verdict(session, listing_key, digest, verdict, registry) if verdict else None
            )
            evidence_id = None
            if evidence is not None:
                evidence_id = upsert(
                    session,
                    _table(Evidence),
                    {
                        "sha256": evidence.sha256,
                        "url": evidence.url,
                        "fetched_at": evidence.fetched_at,
                        "path": evidence.path,
                    },
                    keys=("url", "sha256", "fetched_at"),
                )
            return upsert(
                session,
                _table(Observation),
                {
                    "run_id": run_id,
                    "listing_key": listing_key,
                    "observed_at": seen_at,
                    "title": data.get("title") or "",
                    "price": data.get("price"),
                    "currency": data.get("currency") or "THB",
                    "sold": data.get("sold"),
                    "content_hash": digest,
                    "scope": scope,
                    "data": data,
                    "verdict_id": verdict_id,
                    "evidence_id": evidence_id,
                },
                keys=("run_id", "listing_key"),
                update=(
                    "scope",
                    "observed_at",
                    "title",
                    "price",
                    "currency",
                    "sold",
                    "content_hash",
                    "data",
                    "verdict_id",
                    "evidence_id",
                ),
            )

    @staticmethod
    def _upsert_verdict(
        session: Session, listing_key: int, digest: str, verdict: VerdictResult, registry: RegistryRef
    ) -> int:
        return upsert(
            session,
            _table(Verdict),
            {
                "listing_key": listing_key,
                "content_hash": digest,
                "registry_ref": registry.ref,
                "registry_version": registry.version,
                "verdict": verdict.verdict,
                "flagged": verdict.verdict in FLAGGED_VERDICTS,
                "tis_number": verdict.tis_number,
                "licence_no": verdict.licence_no,
                "score": float(verdict.score or 0.0),
                "reasons": [str(reason) for reason in verdict.reasons],
                "judged_at": utcnow(),
            },
            keys=("listing_key", "content_hash", "registry_ref"),
            # The newest judgement of the same content against the same registry wins (matcher upgrades).
            update=(
                "registry_version",
                "verdict",
                "flagged",
                "tis_number",
                "licence_no",
                "score",
                "reasons",
                "judged_at",
            ),
        )

    def finish_run(
        self,
        run_id: int,
        stats: Mapping[str, Any],
        status: str = COMPLETE,
        *,
        finish_reason: str | None = None,
        scopes: Mapping[str, ScopeCoverage] | None = None,
    ) -> dict[str, Any]:
        """Close a run: record its status, finish reason and per-scope coverage in one transaction,
        *then* compute its summary (new / still flagged / gone) from what was recorded, and store it.

        Without `scopes` the run is one scope (`WHOLE_RUN`) with the run's status.
        """
        coverage = dict(scopes) if scopes is not None else {WHOLE_RUN: ScopeCoverage(status, {})}
        with self._sessions.begin() as session:
            run = session.get(Run, run_id)
            if run is None:
                raise KeyError(f"no run {run_id}")
            reason = finish_reason or stats.get("finish_reason") or None
            # Scrapy's CoreStats may record the finish reason after this handler ran: keep it anyway.
            run.stats = _json_safe({**stats, "finish_reason": reason} if reason else stats)
            run.finished_at = utcnow()
            run.status = status
            run.finish_reason = reason
            # A resumed run records its scopes again from the whole crawl's counters.
            session.execute(delete(RunScope).where(RunScope.run_id == run_id))
            for scope, covered in coverage.items():
                session.add(
                    RunScope(
                        run_id=run_id, scope=scope, status=covered.status, counts=_json_safe(covered.counts)
                    )
                )
        cases = self.assign_cases()
        decisions = self.latest_decisions()
        with self._sessions() as session:
            summary = summarise_run(session, run_id, decisions)
        if cases is not None:
            summary["cases"] = {
                "examined": cases.examined,
                "changed": cases.changed,
                "new_cases": cases.new_cases,
                "seconds": round(cases.seconds, 3),
            }
        with self._sessions.begin() as session:
            session.execute(update(Run).where(Run.id == run_id).values(summary=_json_safe(summary)))
        return summary

    def assign_cases(self) -> CaseAssignment | None:
        """Group the listings whose content or shop changed into cases, keeping the case numbers
        (`pipelines/store/case_store.py`). A failure is logged, not raised: the run stays closed and the
        next run, re-match or export assigns what was left (the listings stay dirty until then)."""
        try:
            return assign_cases(self.engine)
        except (SQLAlchemyError, ValueError, OSError) as error:
            logger.error("tiswatch: cases not assigned now (the next run or export will): %s", error)
            return None

    def set_run_status(self, run_id: int, status: str) -> None:
        with self._sessions.begin() as session:
            session.execute(update(Run).where(Run.id == run_id).values(status=status))

    # --- reading ------------------------------------------------------------------------------------

    def get_run(self, run_id: int) -> Run | None:
        with self._sessions() as session:
            return session.get(Run, run_id)

    def runs(self, last: int | None = None) -> list[Run]:
        """Every run oldest first; with `last`, only the newest `last` runs (still oldest first)."""
        with self._sessions() as session:
            query = select(Run).order_by(Run.id.desc())
            if last is not None:
                query = query.limit(last)
            return list(reversed(session.execute(query).scalars().all()))

    def run_scopes(self, run_id: int) -> dict[str, ScopeCoverage]:
        with self._sessions() as session:
            query = select(RunScope).where(RunScope.run_id == run_id).order_by(RunScope.id)
            return {
                row.scope: ScopeCoverage(row.status, row.counts) for row in session.execute(query).scalars()
            }

    def spiders_of(self, run_ids: Sequence[int]) -> list[str]:
        with self._sessions() as session:
            query = select(Run.spider).where(Run.id.in_(list(run_ids))).distinct()
            return sorted(session.execute(query).scalars())

    def batch_runs(self, batch: str) -> list[int]:
        """Ids of the runs started together under `batch` (one `crawl --all`, one `demo`)."""
        if not batch:
            return []
        with self._sessions() as session:
            query = select(Run.id).where(Run.batch == batch).order_by(Run.id)
            return list(session.execute(query).scalars())

    def report(
        self,
        run_ids: Sequence[int] | None = None,
        since: datetime | None = None,
        spiders: Sequence[str] | None = None,
    ) -> Report:
        """Flagged listings with marks, run summaries, per-seller and confirmed views (see report.py)."""
        ensure_cases(self.engine)  # a listing stored before cases existed, or by a run that died
        decisions = self.latest_decisions()
        with self._sessions() as session:
            return build_report(session, decisions, run_ids=run_ids, since=since, spiders=spiders)

    def iter_observations(
        self, run_ids: Iterable[int]
    ) -> Iterator[tuple[Observation, Verdict | None, Evidence | None]]:
        """Every observation of the runs with its verdict and evidence, in run then crawl order."""
        with self._sessions() as session:
            query = (
                select(Observation, Verdict, Evidence)
                .outerjoin(Verdict, Observation.verdict_id == Verdict.id)
                .outerjoin(Evidence, Observation.evidence_id == Evidence.id)
                .where(Observation.run_id.in_(list(run_ids)))
                .order_by(Observation.run_id, Observation.id)
                # Streamed in batches: a big run's listings are never all in memory at once.
                .execution_options(yield_per=500)
            )
            for row in session.execute(query):
                yield row[0], row[1], row[2]

    def case_ids(self, run_ids: Iterable[int]) -> dict[int, str]:
        """Listing key → stored case id (`C-000123`) of every listing the runs saw."""
        with self._sessions() as session:
            query = (
                select(ListingRecord.id, ListingRecord.case_key)
                .join(Observation, Observation.listing_key == ListingRecord.id)
                .where(Observation.run_id.in_(list(run_ids)))
                .distinct()
            )
            return {key: case_label(case_key) for key, case_key in session.execute(query)}

    # --- re-match -----------------------------------------------------------------------------------

    def iter_latest_listings(self, shard: tuple[int, int] | None = None) -> Iterator[StoredListing]:
        """Each listing's most recent observation (its latest content), for a re-match; with
        `shard=(k, n)` only the listings whose key is k modulo n (one of n re-match processes)."""
        with self._sessions() as session:
            query = (
                select(ListingRecord, Observation)
                .join(
                    Observation,
                    (Observation.listing_key == ListingRecord.id)
                    & (Observation.run_id == ListingRecord.last_run_id),
                )
                .order_by(ListingRecord.id)
                .execution_options(yield_per=1000)
            )
            if shard is not None:
                query = query.where(ListingRecord.id % shard[1] == shard[0])
            for listing, observation in session.execute(query):
                yield StoredListing(
                    listing_key=listing.id,
                    platform=listing.platform,
                    listing_id=listing.listing_id,
                    content_hash=observation.content_hash,
                    data=observation.data,
                )

    def record_verdict(
        self, listing_key: int, content_hash: str, verdict: VerdictResult, registry: RegistryRef
    ) -> int:
        """Store a verdict for a listing's content against a registry (re-match); returns its id."""
        with self._sessions.begin() as session:
            return self._upsert_verdict(session, listing_key, content_hash, verdict, registry)

    def record_verdicts(
        self, verdicts: Sequence[tuple[int, str, VerdictResult]], registry: RegistryRef
    ) -> list[int]:
        """Store many (listing key, content hash, verdict) in one transaction; returns their ids.
        A re-match of millions of listings writes in batches: one commit per listing is most of its time."""
        with self._sessions.begin() as session:
            return [
                self._upsert_verdict(session, listing_key, content_hash, verdict, registry)
                for listing_key, content_hash, verdict in verdicts
            ]

    # --- review -------------------------------------------------------------------------------------

    def listing_keys(self, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
        """Map `(platform, listing_id)` pairs to listing keys; unknown pairs are absent."""
        wanted = set(pairs)
        found: dict[tuple[str, str], int] = {}
        platforms = {platform for platform, _ in wanted}
        with self._sessions() as session:
            for platform in platforms:
                ids = [listing_id for p, listing_id in wanted if p == platform]
                for start in range(0, len(ids), 500):
                    query = select(ListingRecord.id, ListingRecord.listing_id).where(
                        ListingRecord.platform == platform,
                        ListingRecord.listing_id.in_(ids[start : start + 500]),
                    )
                    for key, listing_id in session.execute(query):
                        found[(platform, listing_id)] = key
        return found

    def latest_decisions(self) -> dict[int, ReviewDecision]:
        """The current (latest) review decision of every reviewed listing."""
        with self._sessions() as session:
            query = select(ReviewDecision).order_by(ReviewDecision.decided_at, ReviewDecision.id)
            return {decision.listing_key: decision for decision in session.execute(query).scalars()}

    def decision_history(self, listing_key: int) -> list[ReviewDecision]:
        with self._sessions() as session:
            query = (
                select(ReviewDecision)
                .where(ReviewDecision.listing_key == listing_key)
                .order_by(ReviewDecision.decided_at, ReviewDecision.id)
            )
            return list(session.execute(query).scalars())

    def record_decisions(
        self, decisions: Sequence[NewDecision], reviewer: str, decided_at: datetime | None = None
    ) -> int:
        """Record review decisions in one transaction (all or nothing); returns how many were stored."""
        when = decided_at or utcnow()
        for decision in decisions:
            if decision.decision not in DECISIONS:
                raise ValueError(f"{decision.source}: unknown decision {decision.decision!r}")
        with self._sessions.begin() as session:
            for decision in decisions:
                session.add(
                    ReviewDecision(
                        listing_key=decision.listing_key,
                        decision=decision.decision,
                        note=decision.note,
                        reviewer=reviewer,
                        decided_at=when,
                        content_hash=decision.content_hash,
                        source=decision.source,
                    )
                )
        return len(decisions)
