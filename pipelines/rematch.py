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
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from sqlalchemy import Boolean, Engine, ForeignKey, Integer, String, Table, Text, insert, select, update
from sqlalchemy.orm import Mapped, mapped_column

from matchers.matcher import Matcher
from matchers.stored_vocabulary import stored_vocabulary
from matchers.verdict import FLAGGED_VERDICTS
from matchers.verdict import Verdict as VerdictResult
from matchers.vocabulary import load_vocabulary
from pipelines.registry_source import LoadedRegistry, load_registry
from pipelines.store.history import HistoryStore, RegistryRef, StoredListing
from pipelines.store.models import Verdict as StoredVerdict
from standards_data.database import Base
from standards_data.registry import CANONICAL_COLUMNS, read_registry_csv
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
        with tempfile.TemporaryDirectory(prefix="tiswatch-rematch-") as folder:
            canonical = Path(folder) / "registry.csv"
            with open(canonical, "w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(CANONICAL_COLUMNS)
                for _, record in validated.records():
                    writer.writerow(record)
            licences = read_registry_csv(canonical)
    finally:
        validated.close()
    return LoadedRegistry(
        licences=licences,
        ref=RegistryRef(ref=f"csv-{validated.sha256[:16]}", version=None, source=str(path)),
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

    def count(self, kind: str) -> int:
        return sum(1 for change in self.changes if change.kind == kind)


def _previous_judgements(engine: Engine) -> dict[tuple[int, str], Judgement]:
    """(listing_key, content_hash) -> the newest stored judgement of that content, any registry."""
    query = select(
        StoredVerdict.listing_key,
        StoredVerdict.content_hash,
        StoredVerdict.verdict,
        StoredVerdict.flagged,
        StoredVerdict.licence_no,
        StoredVerdict.tis_number,
    ).order_by(StoredVerdict.judged_at, StoredVerdict.id)
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


def rematch(
    engine: Engine, *, run_by: str, registry_csv: str | None = None, dry_run: bool = False
) -> RematchResult:
    """Re-judge every stored listing; store the verdicts and the changes; return what changed.

    `registry_csv` goes through the same validation as `tiswatch registry import`
    (`RegistryFileRejected` when it fails). With `dry_run` nothing is stored: the changes are only
    returned (`rematch_id` 0). The next export shows the stored verdicts: an export row always carries
    the newest judgement of its content (`pipelines.store.report`), marked with the re-match that made it.

    Raises NoRegistryError when the database holds no registry version and no `registry_csv` is given
    (re-matching against the bundled sample registry would report nonsense as changes).
    """
    store = HistoryStore(engine)
    store.ensure_schema()  # the Alembic migrations: history, registry and re-match tables
    if registry_csv is None and current_version_id(engine) is None:
        raise NoRegistryError(
            "the database holds no registry version: import one (tiswatch registry import FILE --replace) "
            "or give --registry FILE.csv"
        )
    registry = load_registry(engine) if registry_csv is None else validated_registry(registry_csv)
    vocabulary_version = current_vocabulary_version_id(engine)
    vocabulary = stored_vocabulary(engine) if vocabulary_version is not None else load_vocabulary()
    matcher = Matcher(registry.licences, vocabulary)
    previous = _previous_judgements(engine)
    if dry_run:
        result = RematchResult(rematch_id=0, registry=registry, vocabulary_version=vocabulary_version)
        for listing in store.iter_latest_listings():
            result.listings += 1
            change = _rematch_one(store, matcher, listing, previous, registry, result, dry_run=True)
            if change is not None:
                result.changes.append(change[0])
        return result

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
    change_rows: list[dict[str, object]] = []
    for listing in store.iter_latest_listings():
        result.listings += 1
        change = _rematch_one(store, matcher, listing, previous, registry, result)
        if change is not None:
            result.changes.append(change[0])
            change_rows.append(change[1] | {"rematch_id": rematch_id})
    _finish(engine, result, change_rows)
    return result


def _rematch_one(
    store: HistoryStore,
    matcher: Matcher,
    listing: StoredListing,
    previous: dict[tuple[int, str], Judgement],
    registry: LoadedRegistry,
    result: RematchResult,
    dry_run: bool = False,
) -> tuple[ListingChange, dict[str, object]] | None:
    name = f"{listing.platform} {listing.listing_id}"
    try:
        verdict = matcher.judge(listing.data)
    except Exception as error:  # one listing the matcher cannot handle must not stop the re-match
        logger.exception("rematch: matching failed for %s", name)
        result.errors.append((name, f"{type(error).__name__}: {error}"))
        return None
    verdict_id = (
        0
        if dry_run
        else store.record_verdict(listing.listing_key, listing.content_hash, verdict, registry.ref)
    )
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
