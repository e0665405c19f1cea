"""Fixtures for the matcher tests: a small invented registry in the canonical CSV shape."""

from __future__ import annotations

from pathlib import Path

import pytest

from matchers.matcher import Matcher
from standards_data.registry import Licence, read_registry_csv

DATA = Path(__file__).parent / "data"
REGISTRY_CSV = DATA / "registry.csv"


@pytest.fixture(scope="session")
def licences() -> list[Licence]:
    return read_registry_csv(REGISTRY_CSV)


@pytest.fixture(scope="session")
def matcher(licences: list[Licence]) -> Matcher:
    return Matcher(licences)


def listing(title: str, **fields: object) -> dict[str, object]:
    """A listing dict in the Listing contract with shop-like defaults."""
    record: dict[str, object] = {
        "platform": "shopee",
        "listing_id": str(fields.pop("listing_id", "t-1")),
        "url": "https://shopee.example/item/t-1",
        "title": title,
        "description": "",
        "brand": "",
        "price": 199.0,
        "currency": "THB",
        "seller_id": "s1",
        "seller_name": "ร้านทดสอบ",
        "attributes": {},
        "crawled_at": "2026-11-22T06:46:00Z",
    }
    record.update(fields)
    return record
