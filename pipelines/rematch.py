"""Re-judge every stored listing against the current registry and vocabulary, and keep what changed.

When an officer imports a new registry version (a licence revoked, a model added) or a new product
vocabulary, listings already crawled may change verdict without being crawled again. `rematch`:

1. takes the registry the crawls use (`pipelines.registry_source.load_registry`: the newest imported
   version) and the vocabulary the matcher should use (`matchers.stored_vocabulary`);
2. judges each listing's latest stored content (`HistoryStore.iter_latest_listings`) with
   `matchers.matcher.Matcher`, and stores each verdict through `HistoryStore.record_verdict` (verdicts
   are kept per content and registry, so the crawl's verdict against the old registry stays too);
3. compares it with the listing's previous judgement of the same content (the newest stored verdict)
   and records the re-match and every change in `rematch_runs` / `rematch_changes`.

A listing the matcher fails on is counted and named, never stops the re-match.
"""

from __future__ import annotations

import csv
import logging
import multiprocessing
import tempfile
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, cast

from sqlalchemy import Boolean, Engine, ForeignKey, Integer, String, Table, Text, insert, select, update
from sqlalchemy.orm import Mapped, mapped_column

from matchers.matcher import Matcher
from matchers.stored_vocabulary import stored_vocabulary
from matchers.verdict import FLAGGED_VERDICTS
from matchers.verdict import Verdict as VerdictResult
from matchers.vocabulary import load_vocabulary
from pipelines.registry_source import LoadedRegistry, load_registry
from pipelines.store.case_store import CaseAssignment
from pipelines.store.history import HistoryStore, RegistryRef, StoredListing
from pipelines.store.models import Verdict as StoredVerdict
from standards_data.database import Base, make_engine
from standards_data.registry import CANONICAL_COLUMNS, read_registry_csv

if TYPE_CHECKING:
    from standards_data.registry_import import ValidatedFile
from standards_data.registry_store import (
    current_version_id,
    current_vocabulary_version_id,
    inserted_id,
    utc_now_iso,
)

logger = logging.getLogger(__name__)

NEWLY_FLAGGED = "newly_flagged"
CLEARED = "cleared"
CHANGED = "changed"
"""Verdict (or cited licence/standard) changed, flagged-ness did not."""


class RematchRun(Base):
    """One `tiswatch rematch`: against which registry and vocabulary, by whom, and the counts."""

    __tablename__ = "rematch_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    started_at: Mapped[str] = mapped_column(String(32))
    finished_at: Mapped[str | None] = mapped_column(String(32), nullable=True)
    run_by: Mapped[str] = mapped_column(String(200))
    registry_ref: Mapped[str] = mapped_column(String(100))
    registry_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    vocabulary_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    """Stored vocabulary version used; NULL = the bundled standards_data/vocabulary.csv."""
    listings: Mapped[int] = mapped_column(Integer, default=0)
    changed: Mapped[int] = mapped_column(Integer, default=0)
    newly_flagged: Mapped[int] = mapped_column(Integer, default=0)
    cleared: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)


class RematchChange(Base):
    """A listing whose judgement changed in a re-match: before and after."""

    __tablename__ = "rematch_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    rematch_id: Mapped[int] = mapped_column(ForeignKey("rematch_runs.id"), index=True)
    listing_key: Mapped[int] = mapped_column(ForeignKey("listings.id"), index=True)
    platform: Mapped[str] = mapped_column(String(100))
    listing_id: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(20))
    """`newly_flagged`, `cleared` or `changed`."""
    old_verdict: Mapped[str | None] = mapped_column(String(32), nullable=True)
    """NULL when the listing had never been judged (stored without a verdict)."""
    old_flagged: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    old_licence_no: Mapped[str | None] = mapped_column(String(100), nullable=True)
    old_tis_number: Mapped[str | None] = mapped_column(String(100), nullable=True)
    new_verdict: Mapped[str] = mapped_column(String(32))
    new_flagged: Mapped[bool] = mapped_column(Boolean)
    new_licence_no: Mapped[str | None] = mapped_column(String(100), nullable=True)
    new_tis_number: Mapped[str | None] = mapped_column(String(100), nullable=True)
    new_verdict_id: Mapped[int] = mapped_column(ForeignKey("verdicts.id"))
    explanation: Mapped[str] = mapped_column(Text, default="")
    """The new verdict's human sentence (its last reason)."""


REMATCH_RUNS = cast(Table, RematchRun.__table__)
REMATCH_CHANGES = cast(Table, RematchChange.__table__)
REMATCH_TABLES = (REMATCH_RUNS, REMATCH_CHANGES)


class NoRegistryError(LookupError):
    """Nothing to re-match against: no registry imported and no CSV given."""


class RegistryFileRejected(ValueError):
    """`--registry FILE` failed the same validation as `tiswatch registry import` (nothing was judged)."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__(f"{len(lines)} problem(s)")
        self.lines = lines


def validated_registry(path: str | Path) -> LoadedRegistry:
    """A registry file read through `registry import`'s validation (canonical or TISI-search shape,
    CSV in UTF-8/TIS-620 or xlsx); any error rejects the whole file."""
    from standards_data.registry_import import validate_registry_file

    validated = validate_registry_file(path)
    try:
        if not validated.ok:
            raise RegistryFileRejected(validated.problems.lines())
        return registry_of(validated)
    finally:
        validated.close()


def registry_of(validated: ValidatedFile) -> LoadedRegistry:
    """The licences of a validated file (its good rows), as the matcher takes them."""
    with tempfile.TemporaryDirectory(prefix="tiswatch-rematch-") as folder:
        canonical = Path(folder) / "registry.csv"
        with open(canonical, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(CANONICAL_COLUMNS)
            for _, record in validated.records():
                writer.writerow(record)
        licences = read_registry_csv(canonical)
    return LoadedRegistry(
        licences=licences,
        ref=RegistryRef(ref=f"csv-{validated.sha256[:16]}", version=None, source=str(validated.path)),
    )


@dataclass(frozen=True)
class Judgement:
    verdict: str
    flagged: bool
    licence_no: str | None
    tis_number: str | None


@dataclass(frozen=True)
class ListingChange:
    listing_key: int
    platform: str
    listing_id: str
    title: str
    kind: str
    old: Judgement | None
    new: Judgement
    explanation: str


@dataclass
class RematchResult:
    rematch_id: int
    registry: LoadedRegistry
    vocabulary_version: int | None
    listings: int = 0
    changes: list[ListingChange] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    """(`platform listing_id`, error message) of listings the matcher failed on."""
    cases: CaseAssignment | None = None
    """The case assignment after the re-match (listings without a case, or changed since theirs)."""

    def count(self, kind: str) -> int:
        return sum(1 for change in self.changes if change.kind == kind)


def _previous_judgements(
    engine: Engine, shard: tuple[int, int] | None = None
) -> dict[tuple[int, str], Judgement]:
    """(listing_key, content_hash) -> the newest stored judgement of that content, any registry."""
    query = select(
        StoredVerdict.listing_key,
        StoredVerdict.content_hash,
        StoredVerdict.verdict,
        StoredVerdict.flagged,
        StoredVerdict.licence_no,
        StoredVerdict.tis_number,
    ).order_by(StoredVerdict.judged_at, StoredVerdict.id)
    if shard is not None:
        query = query.where(StoredVerdict.listing_key % shard[1] == shard[0])
    latest: dict[tuple[int, str], Judgement] = {}
    with engine.connect() as connection:
        for key, digest, verdict, flagged, licence_no, tis_number in connection.execute(query):
            latest[(key, digest)] = Judgement(verdict, bool(flagged), licence_no, tis_number)
    return latest


def _judgement(verdict: VerdictResult) -> Judgement:
    return Judgement(
        verdict.verdict, verdict.verdict in FLAGGED_VERDICTS, verdict.licence_no, verdict.tis_number
    )


def _change_kind(old: Judgement | None, new: Judgement) -> str | None:
    if old == new:
        return None
    if new.flagged and (old is None or not old.flagged):
        return NEWLY_FLAGGED
    if old is not None and old.flagged and not new.flagged:
        return CLEARED
    return CHANGED


def _explanation(verdict: VerdictResult) -> str:
    return str(verdict.reasons[-1]) if verdict.reasons else ""


# Verdicts written per transaction: one commit per listing is most of a big re-match's time.
BATCH_SIZE = 500


@dataclass
class _ShardOutcome:
    """What one process of a re-match judged: its listings, changes (with their rows) and errors."""

    listings: int = 0
    changes: list[tuple[ListingChange, dict[str, object]]] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)


def rematch(
    engine: Engine,
    *,
    run_by: str,
    registry_csv: str | None = None,
    workers: int = 1,
    batch_size: int = BATCH_SIZE,
    dry_run: bool = False,
) -> RematchResult:
    """Re-judge every stored listing; store the verdicts and the changes; return what changed.

    `registry_csv` goes through the same validation as `tiswatch registry import`
    (`RegistryFileRejected` when it fails). With `dry_run` nothing is stored: the changes are only
    returned (`rematch_id` 0). The next export shows the stored verdicts: an export row always carries
    the newest judgement of its content (`pipelines.store.report`), marked with the re-match that made it.

    With `workers` > 1 the listings are split by key over that many processes (each loads the
    registry and the matcher itself and reads and writes its own share); every process writes its
    verdicts `batch_size` at a time. Raises NoRegistryError when the database holds no registry version
    and no `registry_csv` is given (re-matching against the bundled sample registry would report
    nonsense as changes).
    """
    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    store = HistoryStore(engine)
    store.ensure_schema()  # the Alembic migrations: history, registry and re-match tables
    if registry_csv is None and current_version_id(engine) is None:
        raise NoRegistryError(
            "the database holds no registry version: import one (tiswatch registry import FILE --replace) "
            "or give --registry FILE.csv"
        )
    registry = load_registry(engine) if registry_csv is None else validated_registry(registry_csv)
    vocabulary_version = current_vocabulary_version_id(engine)
    if dry_run:
        vocabulary = stored_vocabulary(engine) if vocabulary_version is not None else load_vocabulary()
        matcher = Matcher(registry.licences, vocabulary)
        outcome = _judge(store, None, registry, matcher, batch_size, dry_run=True)
        dry = RematchResult(rematch_id=0, registry=registry, vocabulary_version=vocabulary_version)
        dry.listings, dry.errors = outcome.listings, outcome.errors
        dry.changes = [change for change, _ in sorted(outcome.changes, key=lambda pair: pair[0].listing_key)]
        return dry

    with engine.begin() as connection:
        rematch_id = inserted_id(
            connection.execute(
                insert(REMATCH_RUNS).values(
                    started_at=utc_now_iso(),
                    run_by=run_by,
                    registry_ref=registry.ref.ref,
                    registry_version=registry.ref.version,
                    vocabulary_version=vocabulary_version,
                )
            )
        )
    result = RematchResult(rematch_id=rematch_id, registry=registry, vocabulary_version=vocabulary_version)
    if workers == 1:
        vocabulary = stored_vocabulary(engine) if vocabulary_version is not None else load_vocabulary()
        outcomes = [_judge(store, None, registry, Matcher(registry.licences, vocabulary), batch_size)]
    else:
        url = engine.url.render_as_string(hide_password=False)
        context = multiprocessing.get_context("spawn")  # no forked copy of the parent's connections
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            futures = [
                pool.submit(_judge_in_process, url, (shard, workers), registry_csv, batch_size)
                for shard in range(workers)
            ]
            outcomes = [future.result() for future in futures]
    changes = sorted(
        (change for outcome in outcomes for change in outcome.changes), key=lambda pair: pair[0].listing_key
    )
    result.listings = sum(outcome.listings for outcome in outcomes)
    result.changes = [change for change, _ in changes]
    result.errors = [error for outcome in outcomes for error in outcome.errors]
    _finish(engine, result, (row | {"rematch_id": rematch_id} for _, row in changes))
    result.cases = store.assign_cases()
    return result


def _judge_in_process(
    db_url: str, shard: tuple[int, int], registry_csv: str | None, batch_size: int
) -> _ShardOutcome:
    """(In a re-match process) judge one share of the listings with its own engine and matcher."""
    engine = make_engine(db_url)
    try:
        registry = load_registry(engine) if registry_csv is None else validated_registry(registry_csv)
        vocabulary_version = current_vocabulary_version_id(engine)
        vocabulary = stored_vocabulary(engine) if vocabulary_version is not None else load_vocabulary()
        return _judge(
            HistoryStore(engine), shard, registry, Matcher(registry.licences, vocabulary), batch_size
        )
    finally:
        engine.dispose()


def _judge(
    store: HistoryStore,
    shard: tuple[int, int] | None,
    registry: LoadedRegistry,
    matcher: Matcher,
    batch_size: int,
    dry_run: bool = False,
) -> _ShardOutcome:
    previous = _previous_judgements(store.engine, shard)
    outcome = _ShardOutcome()
    judged: list[tuple[StoredListing, VerdictResult]] = []
    for listing in store.iter_latest_listings(shard):
        outcome.listings += 1
        try:
            judged.append((listing, matcher.judge(listing.data)))
        except Exception as error:  # one listing the matcher cannot handle must not stop the re-match
            name = f"{listing.platform} {listing.listing_id}"
            logger.exception("rematch: matching failed for %s", name)
            outcome.errors.append((name, f"{type(error).__name__}: {error}"))
        if len(judged) >= batch_size:
            _store_batch(store, judged, previous, registry, outcome, dry_run)
            judged = []
    _store_batch(store, judged, previous, registry, outcome, dry_run)
    return outcome


def _store_batch(
    store: HistoryStore,
    judged: list[tuple[StoredListing, VerdictResult]],
    previous: dict[tuple[int, str], Judgement],
    registry: LoadedRegistry,
    outcome: _ShardOutcome,
    dry_run: bool = False,
) -> None:
    if not judged:
        return
    if dry_run:  # nothing stored: the changes are only listed
        ids = [0] * len(judged)
    else:
        ids = store.record_verdicts(
            [(listing.listing_key, listing.content_hash, verdict) for listing, verdict in judged],
            registry.ref,
        )
    for (listing, verdict), verdict_id in zip(judged, ids, strict=True):
        change = _change(listing, verdict, verdict_id, previous)
        if change is not None:
            outcome.changes.append(change)


def _change(
    listing: StoredListing,
    verdict: VerdictResult,
    verdict_id: int,
    previous: dict[tuple[int, str], Judgement],
) -> tuple[ListingChange, dict[str, object]] | None:
    old = previous.get((listing.listing_key, listing.content_hash))
    new = _judgement(verdict)
    kind = _change_kind(old, new)
    if kind is None:
        return None
    change = ListingChange(
        listing_key=listing.listing_key,
        platform=listing.platform,
        listing_id=listing.listing_id,
        title=str(listing.data.get("title") or ""),
        kind=kind,
        old=old,
        new=new,
        explanation=_explanation(verdict),
    )
    row: dict[str, object] = {
        "listing_key": listing.listing_key,
        "platform": listing.platform,
        "listing_id": listing.listing_id,
        "content_hash": listing.content_hash,
        "kind": kind,
        "old_verdict": old.verdict if old else None,
        "old_flagged": old.flagged if old else None,
        "old_licence_no": old.licence_no if old else None,
        "old_tis_number": old.tis_number if old else None,
        "new_verdict": new.verdict,
        "new_flagged": new.flagged,
        "new_licence_no": new.licence_no,
        "new_tis_number": new.tis_number,
        "new_verdict_id": verdict_id,
        "explanation": change.explanation,
    }
    return change, row


def _finish(engine: Engine, result: RematchResult, change_rows: Iterable[dict[str, object]]) -> None:
    rows = list(change_rows)
    with engine.begin() as connection:
        if rows:
            connection.execute(insert(REMATCH_CHANGES), rows)
        connection.execute(
            update(REMATCH_RUNS)
            .where(REMATCH_RUNS.c.id == result.rematch_id)
            .values(
                finished_at=utc_now_iso(),
                listings=result.listings,
                changed=len(result.changes),
                newly_flagged=result.count(NEWLY_FLAGGED),
                cleared=result.count(CLEARED),
                errors=len(result.errors),
            )
        )


def stored_changes(engine: Engine, rematch_id: int) -> list[RematchChange]:
    """The changes a re-match stored, in listing order (for reports and tests)."""
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        query = select(RematchChange).where(RematchChange.rematch_id == rematch_id).order_by(RematchChange.id)
        return list(session.execute(query).scalars())
