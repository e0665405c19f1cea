"""Property: over any sequence of complete / incomplete / blocked / interrupted / re-scoped runs of a
changing market, no listing is ever marked gone while it is still served, and a flagged listing that
left is marked gone by the first complete run of the scope it was last seen under — once.

Driven through `HistoryStore` (start_run, record_observation, finish_run with per-scope coverage,
report), the way the crawl's pipelines and `RunCloser` drive it. One SQLite file for all examples:
each example is its own spider (and platform), so examples cannot see each other's runs.
"""

from __future__ import annotations

import itertools
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matchers.verdict import Verdict
from pipelines.store import HistoryStore, RegistryRef
from pipelines.store.history import ScopeCoverage
from pipelines.store.report import GONE

REGISTRY = RegistryRef(ref="csv-prop", version=None, source="property.csv")
SCOPES = ("ปลั๊กพ่วง", "หมวกกันน็อค", "เตารีด")
RUN_KINDS = ("complete", "incomplete", "blocked", "interrupted")
_DIRECTORY = tempfile.TemporaryDirectory(prefix="tiswatch-gone-property-")
_STORE = HistoryStore.from_url(f"sqlite:///{Path(_DIRECTORY.name) / 'history.sqlite'}")
_SPIDERS = itertools.count(1)


@dataclass
class Listing:
    listing_id: str
    scope: str
    flagged: bool
    served: bool = True
    last_seen_run: int | None = None
    reported_gone: bool = False


@dataclass
class Step:
    """A market change (listings leave, one arrives) followed by one run."""

    leave: list[int]
    arrive_scope: int | None
    arrive_flagged: bool
    kind: str
    plan: list[int]
    """Indexes into SCOPES the run is planned for (a re-scoped plan covers fewer)."""
    seen_share: list[bool] = field(default_factory=list)
    """For partial scopes: which served listings the run still saw, cycled."""


steps = st.lists(
    st.builds(
        Step,
        leave=st.lists(st.integers(0, 40), max_size=3),
        arrive_scope=st.one_of(st.none(), st.integers(0, len(SCOPES) - 1)),
        arrive_flagged=st.booleans(),
        kind=st.sampled_from(RUN_KINDS),
        plan=st.lists(st.integers(0, len(SCOPES) - 1), min_size=1, max_size=3, unique=True),
        seen_share=st.lists(st.booleans(), min_size=1, max_size=5),
    ),
    min_size=1,
    max_size=8,
)
market = st.lists(st.tuples(st.integers(0, len(SCOPES) - 1), st.booleans()), min_size=1, max_size=12)


def verdict(listing: Listing) -> Verdict:
    kind = "uncertified" if listing.flagged else "certified"
    return Verdict(
        listing_id=listing.listing_id, verdict=kind, tis_number="2432-2555", score=80.0, reasons=[]
    )


def record(platform: str, listing: Listing) -> dict[str, object]:
    return {
        "platform": platform,
        "listing_id": listing.listing_id,
        "url": f"https://shop.example.co.th/{platform}/{listing.listing_id}",
        "title": f"ปลั๊กพ่วง 4 ช่อง รุ่น {listing.listing_id}",
        "seller_id": "s1",
        "crawled_at": "2026-12-01T03:00:00Z",
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(initial=market, plan=steps)
def test_nothing_served_is_gone_and_what_left_is_gone_after_its_first_complete_coverage(
    initial: list[tuple[int, bool]], plan: list[Step]
) -> None:
    store = _STORE
    spider = f"spider{next(_SPIDERS)}"
    listings = [
        Listing(f"{spider}-{n}", SCOPES[scope], flagged) for n, (scope, flagged) in enumerate(initial)
    ]
    for step in plan:
        for index in step.leave:
            if index < len(listings):
                listings[index].served = False
        if step.arrive_scope is not None:
            listings.append(
                Listing(f"{spider}-{len(listings)}", SCOPES[step.arrive_scope], step.arrive_flagged)
            )

        run_id = store.start_run(spider, {"keywords": ",".join(SCOPES[i] for i in step.plan)}, REGISTRY)
        coverage: dict[str, ScopeCoverage] = {}
        share = itertools.cycle(step.seen_share)
        for scope in (SCOPES[i] for i in step.plan):
            served = [item for item in listings if item.served and item.scope == scope]
            if step.kind == "complete":
                seen, status = served, "complete"
            elif step.kind == "blocked":
                seen, status = [], "blocked"
            else:  # incomplete, interrupted: part of the scope was seen
                seen, status = [item for item in served if next(share)], "incomplete"
            for item in seen:
                store.record_observation(run_id, record(spider, item), verdict(item), REGISTRY, scope=scope)
                item.last_seen_run = run_id
            coverage[scope] = ScopeCoverage(status, {"listings": len(seen)})
        run_status = "complete" if step.kind == "complete" else step.kind
        finish_reason = "shutdown" if step.kind == "interrupted" else "finished"
        store.finish_run(run_id, {}, status=run_status, finish_reason=finish_reason, scopes=coverage)

        report = store.report(run_ids=[run_id])
        gone = {row.listing_id for row in report.rows if row.mark == GONE}
        by_id = {item.listing_id: item for item in listings}
        for listing_id in gone:
            assert not by_id[listing_id].served, f"{listing_id} is still served but marked gone"
            assert not by_id[listing_id].reported_gone, f"{listing_id} was marked gone twice"
        covered = {SCOPES[i] for i in step.plan} if step.kind == "complete" else set()
        expected = {
            item.listing_id
            for item in listings
            if not item.served
            and not item.reported_gone
            and item.flagged
            and item.last_seen_run is not None
            and item.scope in covered
        }
        assert gone == expected
        for listing_id in gone:
            by_id[listing_id].reported_gone = True
