"""Coverage accounting: what a crawl fetched, found, and failed to see — in total and per query.

Every count lives in Scrapy's stats under `tiswatch/…` (so `scrapy crawl` shows it in its stats dump
too) and per query under `tiswatch/query/<query>/<count>`. A query is a search keyword for the
marketplace spiders and a start URL for the schema.org spider. `build_summary` turns the stats into
the run's coverage summary (`summary.json`).

Counts (all pages are pages the spider asked for; robots.txt is not one):
- `pages_fetched`  pages answered with content (not a block);
- `listings`       distinct listings found (a listing found again is a `duplicate`);
- `blocked`        pages answered with an anti-bot block (90309999, captcha/slider, 403, 429 after
                   retries), plus pages not requested because their site was backed off after a burst;
- `failed`         pages that could not be fetched (network errors, 5xx after retries);
- `robots_forbidden` links not requested because the site's robots.txt disallows them (Shopify's
                   `/policies/`, `/cart`): the site's own rule, not a failure and not a missed page;
- `not_found`      404/410 pages (a listing taken down between search and fetch);
- `parse_errors`   fetched pages that could not be read (broken JSON, truncated HTML) and records on
                   readable pages that could not become a listing (no id or title);
- `result_pages_unreadable` the search/catalog result pages (and sitemaps) among those parse errors:
                   the listings they held and every later page of their query were never seen, so
                   the query is `incomplete`. An unreadable product page is not one (its card is kept);
- `field_problems` listings kept with a field blanked (absurd or missing price);
- `repeated_pages` result pages that brought only listings their query had already brought (a site
                   past its page cap, or ignoring the page parameter): the query's pagination stops
                   there. What the site would show is covered, so the query stays `ok`;
- `links_not_followed` shop links (schema_org) left unrequested because the crawl reached `max_depth`
                   or `max_pages` (by reason in `links_not_followed_by`): pages never seen, so the
                   query is `incomplete`;
- `product_pages_blocked` listings kept from a search card alone because their product page (spec
                   table, description: where licence numbers are written) was blocked; the block
                   itself is in `blocked`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from scrapy.statscollectors import StatsCollector

PREFIX = "tiswatch/"
LIMITS_PREFIX = PREFIX + "limits/"
QUERY_PREFIX = "tiswatch/query/"
PLAN_KEY = "tiswatch/plan"
BACKED_OFF_KEY = "tiswatch/backed_off_sites"
RESUMED_KEY = "tiswatch/resumed"
VERDICT_PREFIX = "tiswatch/verdict/"

COUNTS = (
    "pages_fetched",
    "listings",
    "blocked",
    "failed",
    "not_found",
    "parse_errors",
    "field_problems",
    "duplicates",
    "product_pages_blocked",
    "result_pages_unreadable",
    "robots_forbidden",
    "repeated_pages",
    "links_not_followed",
    # Counted by the pipelines (`pipelines.context.LOST_COUNTS`): listings lost on their way to the
    # database, each leaving its scope incomplete.
    "dropped",
    "store_errors",
    "unjudged",
)
QUERY_COUNTS = COUNTS


class Coverage:
    """Counts coverage events into a crawl's stats, in total and for the query they belong to."""

    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    def count(self, what: str, query: str | None = None, amount: int = 1) -> None:
        if amount <= 0:
            return
        self.stats.inc_value(PREFIX + what, amount)
        if query is not None:
            self.stats.inc_value(f"{QUERY_PREFIX}{query}/{what}", amount)

    def count_block(self, kind: str, query: str | None) -> None:
        self.count("blocked", query)
        self.stats.inc_value(f"{PREFIX}blocked_by/{kind}")

    def set_plan(self, plan: Mapping[str, list[str]]) -> None:
        """Record the queries the spider means to run (query → standards), so unrun ones show up too."""
        self.stats.set_value(PLAN_KEY, {query: list(stds) for query, stds in plan.items()})

    def mark_backed_off(self, site: str) -> None:
        sites = list(self.stats.get_value(BACKED_OFF_KEY) or [])
        if site not in sites:
            sites.append(site)
        self.stats.set_value(BACKED_OFF_KEY, sites)

    def snapshot(self) -> dict[str, Any]:
        """The counters (not the plan) to carry over when a stopped crawl is resumed from its JOBDIR."""
        return {
            key: value
            for key, value in self.stats.get_stats().items()
            if key.startswith(PREFIX) and isinstance(value, int) and key != RESUMED_KEY
        }

    def restore(self, snapshot: Mapping[str, Any]) -> None:
        for key, value in snapshot.items():
            if key.startswith(PREFIX) and isinstance(value, int):
                self.stats.inc_value(key, value)
        self.stats.inc_value(RESUMED_KEY)


def _iso(value: Any) -> str | None:
    if isinstance(value, datetime):
        return value.replace(microsecond=0).isoformat().replace("+00:00", "Z")
    return None


# Query (scope) statuses, worst first. `incomplete`: a page could not be read (a result page stops
# the query's pagination there), the crawl's limits left links unfollowed, a listing was dropped, not
# stored or not judged, or the crawl was interrupted before the query was known to be finished;
# `not_crawled`: no page of the query was fetched at all. Only a `complete` query may mark listings gone.
QUERY_STATUSES = ("blocked", "failed", "incomplete", "not_crawled", "complete")
# Counts that leave a query incomplete: something it should have seen or kept was lost.
INCOMPLETE_COUNTS = (
    "result_pages_unreadable",
    "links_not_followed",
    "parse_errors",
    "dropped",
    "store_errors",
    "unjudged",
)
# Run statuses beyond the query statuses (see `pipelines.store.models`).
INTERRUPTED = "interrupted"


def query_status(counts: Mapping[str, int], finish_reason: str | None = None) -> str:
    if counts.get("blocked"):
        return "blocked"
    if counts.get("failed"):
        return "failed"
    if any(counts.get(name) for name in INCOMPLETE_COUNTS):
        return "incomplete"
    if not counts.get("pages_fetched"):
        return "not_crawled"
    if finish_reason not in (None, "finished"):
        return "incomplete"  # stopped early: its next page may never have been asked for
    return "complete"


def run_status(totals: Mapping[str, int], query_statuses: list[str], finish_reason: str | None) -> str:
    """The run's status: `complete` only when every planned query was covered to its last page and
    nothing seen was lost on its way to the database."""
    if totals.get("blocked"):
        return "blocked"
    if totals.get("failed"):
        return "failed"
    if finish_reason not in (None, "finished"):
        return INTERRUPTED  # explains the queries it did not reach, so it goes first
    if any(totals.get(name) for name in INCOMPLETE_COUNTS):
        return "incomplete"
    if any(status != "complete" for status in query_statuses):
        return "incomplete"
    return "complete"


def build_summary(
    stats: Mapping[str, Any],
    spider: str,
    arguments: Mapping[str, Any] | None = None,
    finish_reason: str | None = None,
) -> dict[str, Any]:
    """The coverage summary of one crawl from its final stats."""
    totals = {name: int(stats.get(PREFIX + name, 0)) for name in COUNTS}
    plan: dict[str, list[str]] = dict(stats.get(PLAN_KEY) or {})
    per_query: dict[str, dict[str, Any]] = {
        query: {"standards": list(stds), **dict.fromkeys(QUERY_COUNTS, 0)} for query, stds in plan.items()
    }
    for key, value in stats.items():
        if not key.startswith(QUERY_PREFIX) or not isinstance(value, int):
            continue
        query, _, what = key[len(QUERY_PREFIX) :].rpartition("/")
        entry = per_query.setdefault(query, {"standards": [], **dict.fromkeys(QUERY_COUNTS, 0)})
        entry[what] = entry.get(what, 0) + value
    reason = finish_reason or stats.get("finish_reason")
    for entry in per_query.values():
        entry["status"] = query_status(entry, reason)

    status = run_status(totals, [entry["status"] for entry in per_query.values()], reason)
    elapsed = stats.get("elapsed_time_seconds")
    return {
        "spider": spider,
        "arguments": dict(arguments or {}),
        "status": status,
        "finish_reason": reason,
        "started_at": _iso(stats.get("start_time")),
        "finished_at": _iso(stats.get("finish_time")),
        "duration_seconds": round(float(elapsed), 2) if isinstance(elapsed, int | float) else None,
        **totals,
        # Scraped items less the ones the database refused: what was really stored.
        "items_stored": int(stats.get("item_scraped_count", 0)) - totals["store_errors"],
        "items_dropped": int(stats.get("item_dropped_count", 0)),
        "blocked_by": {
            key[len(PREFIX + "blocked_by/") :]: value
            for key, value in stats.items()
            if key.startswith(PREFIX + "blocked_by/")
        },
        # Limits hit (issue 11), by setting name: DOWNLOAD_MAXSIZE, TISWATCH_SITEMAP_MAXSIZE, …
        "limits_hit": {
            key[len(LIMITS_PREFIX) :]: value for key, value in stats.items() if key.startswith(LIMITS_PREFIX)
        },
        "links_not_followed_by": {
            key[len(PREFIX + "links_not_followed_by/") :]: value
            for key, value in stats.items()
            if key.startswith(PREFIX + "links_not_followed_by/")
        },
        # Written by the match pipeline when it runs (`pipelines.match`); empty without pipelines.
        "verdicts": {
            key[len(VERDICT_PREFIX) :]: value
            for key, value in stats.items()
            if key.startswith(VERDICT_PREFIX)
        },
        "flagged": int(stats.get(PREFIX + "flagged", 0)),
        "backed_off_sites": list(stats.get(BACKED_OFF_KEY) or []),
        "resumed": bool(stats.get(RESUMED_KEY)),
        "keywords": per_query,
    }
