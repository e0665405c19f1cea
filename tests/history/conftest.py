"""Fixtures of the history suite: the same tests run on SQLite and, when TISWATCH_TEST_PG_URL points at a
PostgreSQL server (CI starts a throwaway one with .ci/postgres.sh), on a fresh PostgreSQL database."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from matchers.verdict import Verdict

PG_ENV = "TISWATCH_TEST_PG_URL"


ListingFactory = Callable[..., dict[str, Any]]


@pytest.fixture
def make_listing() -> ListingFactory:
    """A Shopee-shaped listing record in the Listing contract, Thai text as sellers write it."""

    def make(listing_id: str, title: str, **fields: Any) -> dict[str, Any]:
        shop = fields.pop("seller_id", "28841377")
        record: dict[str, Any] = {
            "platform": "shopee",
            "listing_id": f"{shop}.{listing_id}",
            "url": f"https://shopee.co.th/product/{shop}/{listing_id}",
            "title": title,
            "description": "สินค้าพร้อมส่ง ส่งไวจากกรุงเทพ",
            "brand": "",
            "price": 259.0,
            "currency": "THB",
            "seller_id": shop,
            "seller_name": "ร้านไฟฟ้าบางบัวทอง",
            "attributes": {},
            "crawled_at": "2026-01-05T03:00:00Z",
            "sold": 120,
            "source_url": f"https://shopee.co.th/api/v4/search/search_items?keyword=ปลั๊กไฟ&newest=0#{listing_id}",
        }
        record.update(fields)
        return record

    return make


VerdictFactory = Callable[..., Verdict]


@pytest.fixture
def make_verdict() -> VerdictFactory:
    def make(listing_id: str, verdict: str, **fields: Any) -> Verdict:
        defaults: dict[str, Any] = {
            "tis_number": None if verdict == "not_regulated" else "2432-2555",
            "licence_no": None,
            "score": 80.0,
            "reasons": [f"{verdict}_test_reason", f"Judged {verdict} for the test."],
        }
        defaults.update(fields)
        return Verdict(listing_id=listing_id, verdict=verdict, **defaults)

    return make
