"""The four pipelines in a real in-process crawl: the Shopee spider against the demo marketplace on
127.0.0.1, asserting on crawl stats, stored rows, evidence and the export written at close."""

from __future__ import annotations

import csv
import gzip
import hashlib
from pathlib import Path
from typing import Any

import pytest
from scrapy.crawler import Crawler
from scrapy.utils.defer import deferred_f_from_coro_f
from sqlalchemy import func, select

from crawler.demo_market import DemoMarket
from crawler.runner import project_settings
from crawler.spiders.shopee import ShopeeSpider
from pipelines.store import HistoryStore
from pipelines.store.models import Evidence, ListingRecord, Observation, Run, Verdict
from standards_data import DATA_DIR
from standards_data.database import make_engine
from standards_data.registry_import.importer import import_registry

STANDARDS = "2432-2555,369-2557"


async def crawl(out: Path, market: DemoMarket, **settings: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
        "TISWATCH_OUT_DIR": str(out),
        "TISWATCH_DB_URL": f"sqlite:///{out / 'tiswatch.sqlite'}",
        "LOG_LEVEL": "INFO",
    }
    values.update(settings)
    crawler = Crawler(ShopeeSpider, project_settings(values))
    await crawler.crawl_async(base_url=market.base_url, standards=STANDARDS)
    assert crawler.stats is not None
    return dict(crawler.stats.get_stats())


def count(store: HistoryStore, query: Any) -> int:
    with store.session() as session:
        return int(session.execute(query).scalar_one())


@deferred_f_from_coro_f
async def test_crawl_is_validated_matched_stored_and_exported(tmp_path: Path) -> None:
    with DemoMarket() as market:
        stats = await crawl(tmp_path, market)
        base_url = market.base_url
    store = HistoryStore.from_url(f"sqlite:///{tmp_path / 'tiswatch.sqlite'}")
    [run] = store.runs()
    assert stats["tiswatch_run_id"] == run.id and run.status == "complete"
    assert run.arguments == {"base_url": base_url, "standards": STANDARDS}

    scraped = stats["item_scraped_count"]
    assert scraped >= 20
    assert stats["tiswatch/validate/passed"] == stats["tiswatch/store/stored"] == scraped
    assert count(store, select(func.count()).select_from(Observation)) == scraped
    assert count(store, select(func.count()).select_from(ListingRecord)) == scraped
    # Every listing judged, and the stats count the same verdicts as the database holds.
    with store.session() as session:
        stored_verdicts = dict(
            session.execute(
                select(Verdict.verdict, func.count())
                .join(Observation, Observation.verdict_id == Verdict.id)
                .group_by(Verdict.verdict)
            ).all()
        )
    assert sum(stored_verdicts.values()) == scraped
    assert stored_verdicts == {
        key.split("/")[-1]: value for key, value in stats.items() if key.startswith("tiswatch/verdict/")
    }
    flagged = sum(stored_verdicts.get(v, 0) for v in ("invalid_licence", "uncertified", "unverifiable"))
    assert flagged == stats["tiswatch/flagged"] == run.summary["flagged"] > 0

    # Evidence: every observation points at the search page it was read from, stored under its hash.
    assert (
        count(store, select(func.count()).select_from(Observation).where(Observation.evidence_id.is_(None)))
        == 0
    )
    with store.session() as session:
        evidence = session.execute(select(Evidence)).scalars().all()
    for record in evidence:
        body = gzip.decompress(Path(record.path).read_bytes())
        assert hashlib.sha256(body).hexdigest() == record.sha256
        assert record.url.startswith(f"{base_url}/api/v4/search/search_items")

    # The export written at close.
    with open(tmp_path / "flagged.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == flagged and {row["mark"] for row in rows} == {"new"}
    assert len((tmp_path / "listings.jsonl").read_text(encoding="utf-8").splitlines()) == scraped
    with open(tmp_path / "evidence" / "manifest.csv", encoding="utf-8", newline="") as handle:
        manifest = list(csv.DictReader(handle))
    assert len(manifest) == flagged and {row["status"] for row in manifest} == {"ok"}


@deferred_f_from_coro_f
async def test_a_listing_the_matcher_fails_on_is_stored_unjudged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from pipelines import match

    judge = match.Matcher.judge

    def judge_or_fail(self: Any, listing: Any) -> Any:
        if "ช่อง" in listing["title"]:
            raise RuntimeError("matcher bug")
        return judge(self, listing)

    monkeypatch.setattr(match.Matcher, "judge", judge_or_fail)
    with DemoMarket() as market:
        stats = await crawl(tmp_path, market)
    failures = stats.get("tiswatch/unjudged", 0)
    assert 0 < failures < stats["item_scraped_count"]
    assert stats["tiswatch/store/stored"] == stats["item_scraped_count"]
    store = HistoryStore.from_url(f"sqlite:///{tmp_path / 'tiswatch.sqlite'}")
    assert (
        count(store, select(func.count()).select_from(Observation).where(Observation.verdict_id.is_(None)))
        == failures
    )
    assert store.runs()[0].summary["unjudged"] == failures
    # An unjudged listing would read as clean: the run is incomplete.
    assert store.runs()[0].status == "incomplete"
    assert "matching failed for listing http://127.0.0.1" in caplog.text


@deferred_f_from_coro_f
async def test_registry_imported_into_the_database_is_used(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'tiswatch.sqlite'}"
    HistoryStore.from_url(db_url)
    outcome = import_registry(
        make_engine(db_url), DATA_DIR / "sample_registry.csv", mode="replace", imported_by="test"
    )
    assert outcome.validated.ok
    with DemoMarket() as market:
        await crawl(tmp_path, market, TISWATCH_REGISTRY_CSV="/nonexistent/registry.csv")
    store = HistoryStore.from_url(db_url)
    [run] = store.runs()
    assert (run.registry_version, run.registry_ref) == (1, "db-v1")
    with store.session() as session:
        refs = set(session.execute(select(Verdict.registry_ref)).scalars())
        assert refs == {"db-v1"}
        assert session.execute(select(Run.registry_source)).scalar_one() == "database registry version 1"
