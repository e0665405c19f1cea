"""The evidence middleware keeps every 200 answer the spiders asked for, as fetched, once."""

from __future__ import annotations

import gzip
import hashlib
import json

from scrapy.utils.defer import deferred_f_from_coro_f
from sqlalchemy import create_engine

from crawler.spiders.shopee import SEARCH_PATH, ShopeeSpider
from pipelines.fetch_log import read_fetch_log
from tests.crawler_tests.crawling import local_settings, run_spider
from tests.crawler_tests.shapes import shopee_item, shopee_page
from tests.crawler_tests.site import Answer, TestSite


@deferred_f_from_coro_f
async def test_every_200_answer_is_kept_gzipped_under_its_sha256(tmp_path):
    page = shopee_page([shopee_item(2100001, 3100001, "ปลั๊กพ่วง มอก. 4 ช่อง", 459)], nomore=True)
    body = json.dumps(page, ensure_ascii=False).encode("utf-8")
    # A soft block: status 200, Shopee's anti-bot body. Kept as proof the site returned nothing.
    soft_block = b'{"5":false,"2":false,"4":2,"0":3,"3":90309999,"error":90309999,"1":"aa-1","9":true}'
    with TestSite() as site:
        site.add(SEARCH_PATH, Answer(body, 200, "application/json"), keyword="ปลั๊กพ่วง")
        site.add(SEARCH_PATH, Answer(soft_block, 200, "application/json"), keyword="พาวเวอร์แบงค์")
        site.add(SEARCH_PATH, Answer(b"gone", 404, "text/plain"), keyword="เต้ารับ")
        result = await run_spider(
            ShopeeSpider,
            local_settings(tmp_path / "out"),
            base_url=site.base_url,
            keywords="ปลั๊กพ่วง,พาวเวอร์แบงค์,เต้ารับ",
        )
    evidence = tmp_path / "out" / "evidence"
    digest = hashlib.sha256(body).hexdigest()
    assert gzip.decompress((evidence / f"{digest}.gz").read_bytes()) == body
    assert (evidence / f"{hashlib.sha256(soft_block).hexdigest()}.gz").exists()
    assert len(list(evidence.glob("*.gz"))) == 2  # the 404 is not evidence of anything
    assert result.stats["tiswatch/evidence_recorded"] == 2
    # The fetch log (a table of the history) has every fetch, the 404 too, each body's hash the
    # evidence key: how an investigator goes from a fetch to what it returned.
    engine = create_engine(f"sqlite:///{tmp_path / 'out' / 'tiswatch.sqlite'}")
    rows = list(read_fetch_log(engine))
    assert any(row.url.endswith("/robots.txt") for row in rows)  # a fetch like any other
    logged = {row.sha256: row for row in rows if not row.url.endswith("/robots.txt")}
    engine.dispose()
    assert len(logged) == 3
    assert logged[digest].status == 200 and logged[digest].outcome == "ok"
    assert logged[digest].size == len(body) and logged[digest].duration_ms is not None
    assert logged[hashlib.sha256(b"gone").hexdigest()].outcome == "http_404"
    assert hashlib.sha256(soft_block).hexdigest() in logged
    listing = result.items[0]
    assert logged[digest].url == listing.source_url  # how the store finds a listing's page


@deferred_f_from_coro_f
async def test_evidence_can_be_switched_off(tmp_path):
    with TestSite() as site:
        site.json(SEARCH_PATH, shopee_page([shopee_item(1, 2, "ปลั๊กพ่วง", 99)], nomore=True))
        result = await run_spider(
            ShopeeSpider,
            local_settings(tmp_path / "out", TISWATCH_EVIDENCE_ENABLED=False),
            base_url=site.base_url,
            keywords="ปลั๊กพ่วง",
        )
    assert len(result.items) == 1
    assert not (tmp_path / "out" / "evidence").exists()
