"""What the API judges with: one immutable snapshot of matcher + registry + vocabulary, swapped whole.

`build_snapshot(engine, cache_dir)` takes the registry the crawls use (the newest imported version,
else the bundled sample: `pipelines.registry_source.load_registry`) and the newest stored vocabulary
(else the bundled file), builds the matcher exactly as `tiswatch match` and the crawl pipeline do, and
warms it up. The registry index of an imported version is read from the index cache when it is there
(`pipelines.index_cache`: the version's rows are then not read at all), else built and stored.

`SnapshotHolder` keeps the current snapshot; a request reads `holder.current` once and uses that
snapshot to the end, so a swap (one attribute assignment) never mixes two registries in one answer
and never makes a request wait.
"""

from __future__ import annotations

import gc
import logging
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from matchers.extract import extract_tis_claims, licence_key
from matchers.matcher import Matcher
from matchers.normalize import normalize_text
from matchers.standards import StandardResolver
from matchers.stored_vocabulary import stored_vocabulary
from matchers.vocabulary import PRODUCT, Vocabulary, load_vocabulary
from pipelines.index_cache import newest_registry_index
from pipelines.registry_source import load_registry
from standards_data.catalogue import Standard, mandatory_standards
from standards_data.registry import Licence
from standards_data.registry_store import current_version_id, current_vocabulary_version_id

logger = logging.getLogger("tiswatch.api")

BUNDLED_VOCABULARY = "bundled"


@dataclass(frozen=True)
class Versions:
    """Database ids of the newest registry and vocabulary versions (None: none imported)."""

    registry: int | None
    vocabulary: int | None


def newest_versions(engine: Engine) -> Versions:
    return Versions(current_version_id(engine), current_vocabulary_version_id(engine))


@dataclass(frozen=True)
class Snapshot:
    matcher: Matcher
    versions: Versions
    registry_version: str
    vocabulary_version: str
    licences: dict[str, Licence]
    """Every licence of the registry by its number as stored."""
    licence_counts: dict[str, Counter[str]]
    """Licences per standard, by status."""
    product_words: dict[str, list[str]]
    """Vocabulary product words per standard."""
    resolver: StandardResolver
    build_seconds: float
    licence_count: int = field(default=0)
    index_from_cache: bool = False

    def find_licence(self, licence_no: str) -> Licence | None:
        """The registry's licence as written, else as the canonical form of what was written (Thai
        digits, spaces, leading zeros)."""
        return self.licences.get(licence_no.strip()) or self.licences.get(licence_key(licence_no))

    def find_standards(self, text: str) -> list[str]:
        """Canonical standards a number as a user writes it can mean (`2432`, `2432-2555`, `685 เล่ม 1`,
        Thai digits, AD years), best first."""
        normalised = normalize_text(text)
        # `TIS 2432-2012` and `มอก. 2432` carry their own marker; a bare `2432-2555` gets one.
        claims = extract_tis_claims(normalised) or extract_tis_claims(f"มอก. {normalised}")
        found: list[str] = []
        for claim in claims[:1]:
            for standard in self.resolver.resolve(claim):
                if standard not in found:
                    found.append(standard)
        mandatory = mandatory_standards()
        return sorted(found, key=lambda s: (s not in mandatory, found.index(s)))


def standard_info(tis_number: str | None) -> Standard | None:
    return mandatory_standards().get(tis_number) if tis_number else None


def _vocabulary(engine: Engine, version: int | None) -> tuple[Vocabulary, str]:
    if version is not None:
        stored = stored_vocabulary(engine, version)
        if stored is not None:
            return stored, f"db-v{version}"
    return load_vocabulary(), BUNDLED_VOCABULARY


def build_snapshot(engine: Engine, cache_dir: Path | None = None) -> Snapshot:
    """Load the newest registry and vocabulary and build a warmed-up matcher over them.

    `cache_dir`: the registry index cache (None: always build)."""
    started = time.perf_counter()
    # Hundreds of thousands of long-lived objects are made here: with the collector running, each
    # full collection would walk the growing heap again (more than a second at 100,000 licences).
    was_collecting = gc.isenabled()
    gc.disable()
    try:
        snapshot = _build(engine, cache_dir, started)
    finally:
        if was_collecting:
            gc.enable()
    # The snapshot lives until the next swap: kept out of the collector's full scans, which would
    # otherwise walk it during requests (the p99 latency at 100,000 licences). Freed by reference
    # counting when replaced.
    gc.freeze()
    logger.info(
        "tiswatch api: matcher ready: registry %s (%d licences, index %s), vocabulary %s, built in %.2f s",
        snapshot.registry_version,
        snapshot.licence_count,
        "from the cache" if snapshot.index_from_cache else "built",
        snapshot.vocabulary_version,
        snapshot.build_seconds,
    )
    return snapshot


def _build(engine: Engine, cache_dir: Path | None, started: float) -> Snapshot:
    vocabulary_id = current_vocabulary_version_id(engine)
    vocabulary, vocabulary_version = _vocabulary(engine, vocabulary_id)
    indexed = newest_registry_index(engine, cache_dir)
    if indexed is None:  # no imported registry: the bundled sample (small), built each time
        loaded = load_registry(engine)
        matcher = Matcher(loaded.licences, vocabulary)
    else:
        loaded = indexed.registry
        matcher = Matcher((), vocabulary, index=indexed.index)
    matcher.warm_up()
    # The importer stores licence numbers canonical (Arabic digits, no spaces): keyed as stored,
    # which costs nothing at start-up (normalising 100,000 numbers here took about a second).
    licences = {licence.licence_no: licence for licence in loaded.licences}
    counts: dict[str, Counter[str]] = {}
    pairs = Counter((licence.tis_number, licence.status) for licence in loaded.licences)
    for (tis_number, status), count in pairs.items():
        counts.setdefault(tis_number, Counter())[status] = count
    words: dict[str, list[str]] = {}
    for term in vocabulary.terms:
        if term.kind == PRODUCT and term.text not in words.setdefault(term.tis_number, []):
            words[term.tis_number].append(term.text)
    resolver = StandardResolver([*mandatory_standards(), *counts, *vocabulary.standards()])
    snapshot = Snapshot(
        matcher=matcher,
        versions=Versions(
            loaded.ref.version, vocabulary_id if vocabulary_version != BUNDLED_VOCABULARY else None
        ),
        registry_version=loaded.ref.ref,
        vocabulary_version=vocabulary_version,
        licences=licences,
        licence_counts=counts,
        product_words=words,
        resolver=resolver,
        build_seconds=time.perf_counter() - started,
        licence_count=len(loaded.licences),
        index_from_cache=indexed is not None and indexed.from_cache,
    )
    return snapshot


class SnapshotHolder:
    """Holds the current snapshot; `swap` replaces it in one assignment (atomic for readers)."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.current = snapshot
        self.swaps = 0

    def swap(self, snapshot: Snapshot) -> None:
        self.current = snapshot
        self.swaps += 1
