"""Fixtures of the history suite: the same tests run on SQLite and, when TISWATCH_TEST_PG_URL points at a
PostgreSQL server (CI starts a throwaway one with .ci/postgres.sh), on a fresh PostgreSQL database."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from matchers.verdict import Verdict
from standards_data.database import normalise_db_url

PG_ENV = "TISWATCH_TEST_PG_URL"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[str]:
    """A URL of an empty database: a SQLite file, or a new database on the test PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/history.sqlite"
        return
    server = os.environ.get(PG_ENV)
    if not server:
        pytest.skip(f"{PG_ENV} is not set (run .ci/postgres.sh to start a throwaway cluster)")
    name = f"tiswatch_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(normalise_db_url(server), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(normalise_db_url(server)).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


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
