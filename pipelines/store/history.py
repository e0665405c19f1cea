"""`HistoryStore`: the one door to the history tables, for pipelines, exports, review and re-match."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Engine, Table, select, update
from sqlalchemy.orm import Session, sessionmaker

from matchers.verdict import FLAGGED_VERDICTS
from matchers.verdict import Verdict as VerdictResult
from pipelines.store.content import content_hash
from pipelines.store.models import (
    DECISIONS,
    FINISHED,
    RUNNING,
    Evidence,
    ListingRecord,
    Observation,
    ReviewDecision,
    Run,
    Verdict,
)
from pipelines.store.types import parse_utc, utcnow
from pipelines.store.upsert import upsert
from standards_data.database import Base, make_engine

if TYPE_CHECKING:
    from pipelines.store.report import Report


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
      - `start_run(spider, arguments, registry, job_dir=None) -> run_id`
      - `record_observation(run_id, listing, verdict, registry, evidence=None) -> observation id`:
        one transaction per listing (listing upsert + verdict + evidence + observation), so a killed
        crawl leaves whole listings only, and a rerun updates instead of duplicating.
      - `finish_run(run_id, stats, status="finished") -> summary dict` (also computes new/still/gone).
      - `set_run_status(run_id, status)`.
    Reading (export):
      - `report(run_ids=None, since=None) -> pipelines.store.report.Report`.
      - `iter_observations(run_ids)` for listings.jsonl; `runs()`, `get_run(run_id)`.
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
    ) -> int:
        """Open a run; with a `job_dir`, a crawl resumed from that JOBDIR continues its unfinished run."""
        with self._sessions.begin() as session:
            if job_dir:
                resumable = session.execute(
                    select(Run)
                    .where(Run.spider == spider, Run.job_dir == job_dir, Run.status != FINISHED)
                    .order_by(Run.id.desc())
                    .limit(1)
                ).scalar_one_or_none()
                if resumable is not None:
                    resumable.status = RUNNING
                    resumable.finished_at = None
                    return resumable.id
            run = Run(
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

    def record_observation(
        self,
        run_id: int,
        listing: Mapping[str, Any],
        verdict: VerdictResult | None,
        registry: RegistryRef,
        evidence: EvidenceRef | None = None,
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
                    "data": data,
                    "verdict_id": verdict_id,
                    "evidence_id": evidence_id,
                },
                keys=("run_id", "listing_key"),
                update=(
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

    def finish_run(self, run_id: int, stats: Mapping[str, Any], status: str = FINISHED) -> dict[str, Any]:
        """Close a run: store its stats, compute and store its summary (with new/still/gone), return it."""
        from pipelines.store.report import summarise_run

        with self._sessions.begin() as session:
            run = session.get(Run, run_id)
            if run is None:
                raise KeyError(f"no run {run_id}")
            run.stats = _json_safe(stats)
            run.finished_at = utcnow()
            run.status = status
        summary = summarise_run(self, run_id)
        with self._sessions.begin() as session:
            session.execute(update(Run).where(Run.id == run_id).values(summary=_json_safe(summary)))
        return summary

    def set_run_status(self, run_id: int, status: str) -> None:
        with self._sessions.begin() as session:
            session.execute(update(Run).where(Run.id == run_id).values(status=status))

    # --- reading ------------------------------------------------------------------------------------

    def get_run(self, run_id: int) -> Run | None:
        with self._sessions() as session:
            return session.get(Run, run_id)

    def runs(self) -> list[Run]:
        with self._sessions() as session:
            return list(session.execute(select(Run).order_by(Run.id)).scalars())

    def report(self, run_ids: Sequence[int] | None = None, since: datetime | None = None) -> Report:
        """Flagged listings with marks, run summaries, per-seller and confirmed views (see report.py)."""
        from pipelines.store.report import build_report

        return build_report(self, run_ids=run_ids, since=since)

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
