"""The evidence middleware keeps every 200 answer the spiders asked for, as fetched, once."""

from __future__ import annotations

import csv
import gzip
import hashlib
import json

from scrapy.utils.defer import deferred_f_from_coro_f

from crawler.spiders.shopee import SEARCH_PATH, ShopeeSpider
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
    with open(evidence / "fetch_log.csv", encoding="utf-8") as handle:
        logged = list(csv.DictReader(handle))
    assert len(logged) == 2  # the 404 is not evidence of anything
    assert {row["sha256"] for row in logged} == {digest, hashlib.sha256(soft_block).hexdigest()}
    listing = result.items[0]
    assert any(row["url"] == listing.source_url for row in logged)  # how the store finds a listing's page
    assert result.stats["tiswatch/evidence_recorded"] == 2


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
