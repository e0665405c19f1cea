"""Coverage summary: a run is `ok` only when every planned query was covered to its last page."""

from __future__ import annotations

from typing import Any

from crawler.coverage import PLAN_KEY, QUERY_PREFIX, build_summary
from crawler.runner import CrawlOutcome, CrawlPlan, combine_summaries

PLUG, IRON = "ปลั๊กพ่วง", "เตารีด"


def stats_of(counts: dict[str, dict[str, int]], **extra: Any) -> dict[str, Any]:
    """Crawl stats as the spiders count them: per query and in total."""
    stats: dict[str, Any] = {PLAN_KEY: {query: [] for query in counts}, "finish_reason": "finished", **extra}
    for query, entry in counts.items():
        for what, value in entry.items():
            stats[f"{QUERY_PREFIX}{query}/{what}"] = value
            stats[f"tiswatch/{what}"] = stats.get(f"tiswatch/{what}", 0) + value
    return stats


def test_an_unreadable_result_page_makes_its_keyword_and_the_run_incomplete():
    summary = build_summary(
        stats_of(
            {
                PLUG: {"pages_fetched": 3, "listings": 90},
                IRON: {"pages_fetched": 2, "listings": 60, "parse_errors": 1, "result_pages_unreadable": 1},
            }
        ),
        "shopee",
    )
    assert summary["keywords"][PLUG]["status"] == "complete"
    assert summary["keywords"][IRON]["status"] == "incomplete"
    assert summary["status"] == "incomplete" and summary["result_pages_unreadable"] == 1
    outcome = CrawlOutcome(CrawlPlan("shopee"), summary, {})
    assert not outcome.ok
    assert combine_summaries([outcome])["status"] == "incomplete"


def test_a_parse_error_on_a_product_page_makes_its_keyword_and_the_run_incomplete():
    # An unreadable page is a blind spot (its spec table, its licence text) even when the card is kept.
    summary = build_summary(
        stats_of({PLUG: {"pages_fetched": 5, "listings": 4, "parse_errors": 1}}), "lazada"
    )
    assert summary["keywords"][PLUG]["status"] == "incomplete" and summary["status"] == "incomplete"


def test_listings_lost_between_page_and_database_make_the_run_incomplete():
    for lost in ("dropped", "store_errors", "unjudged"):
        summary = build_summary(
            stats_of({PLUG: {"pages_fetched": 5, "listings": 4, lost: 1}}),
            "lazada",
        )
        assert summary["keywords"][PLUG]["status"] == "incomplete", lost
        assert summary["status"] == "incomplete" and summary[lost] == 1, lost


def test_keywords_of_an_interrupted_run_are_never_complete():
    stats = stats_of({PLUG: {"pages_fetched": 3, "listings": 3}}, finish_reason="shutdown")
    summary = build_summary(stats, "shopee")
    assert summary["status"] == "interrupted" and summary["keywords"][PLUG]["status"] == "incomplete"


def test_a_keyword_with_no_page_fetched_makes_the_run_incomplete():
    summary = build_summary(stats_of({PLUG: {"pages_fetched": 1}, IRON: {"not_found": 1}}), "shopee")
    assert summary["keywords"][IRON]["status"] == "not_crawled"
    assert summary["status"] == "incomplete"


def test_an_interrupted_run_says_interrupted_rather_than_incomplete():
    stats = stats_of({PLUG: {"pages_fetched": 1}, IRON: {}}, finish_reason="shutdown")
    assert build_summary(stats, "shopee")["status"] == "interrupted"
