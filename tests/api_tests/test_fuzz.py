"""Never a 500: drafts generated over the request schema (right and wrong types), the Thai traps of
ARCHITECTURE.md ("Thai text traps") and the shared title table, and raw bodies that are not JSON at all."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api_tests.server import ServerProcess, add_key
from tests.conftest import SHARED

# ARCHITECTURE.md, "Thai text traps", plus every title of the shared table of observed titles.
TRAPS = [
    "มอก.5 ช่อง",
    "มอก.",
    "มอก. 685",
    "TIS 2432-2012",
    "๒๔๓๒-๒๕๕๕",
    "685 เล่ม 1-2562",
    "CSCรางปลั๊กไฟ",
    "โตชิบา",
    "P-404",
    "P404",
    "p 404",
    "หมวกกันน็อค",
    "หมวกกันน็อก",
    "หมวกกันน๊อค",
    "สวิตช์",
    "สวิทช์",
    "สวิตซ์",
    "ท4080-51/2432",
    "(3)ท1021-49/1040",
    "น๓๓๖๖-๖๔/๓๖๖",
    "\u200b",
    "\u0e48\u0e48",
    "\ufeff",
    "🔥",
]
with open(SHARED / "data" / "listing_titles_th.tsv", encoding="utf-8", newline="") as handle:
    TRAPS += [row["title"] for row in csv.DictReader(handle, delimiter="\t")]

texts = st.one_of(
    st.text(max_size=60),
    st.sampled_from(TRAPS),
    st.lists(st.sampled_from(TRAPS), min_size=1, max_size=4).map(" ".join),
    st.text(alphabet=st.characters(min_codepoint=0x0E00, max_codepoint=0x0E7F), max_size=40),
)
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False), texts
)
anything = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=6,
)


def _field(good: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    """Mostly a value of the right type, sometimes anything at all."""
    return st.one_of(good, good, good, anything)


DRAFT_FIELDS: dict[str, st.SearchStrategy[object]] = {
    "listing_id": _field(st.one_of(texts, st.integers())),
    "description": _field(texts),
    "brand": _field(texts),
    "model": _field(texts),
    "category": _field(texts),
    "licence_no": _field(texts),
    "attributes": _field(st.dictionaries(texts, scalars, max_size=4)),
    "image_alt_texts": _field(st.lists(texts, max_size=3)),
    "price": _field(st.floats(allow_nan=False, allow_infinity=False)),
    "seller_name": _field(texts),
    "sold": _field(st.integers()),
}
drafts = st.fixed_dictionaries({"title": _field(texts)}, optional=DRAFT_FIELDS) | st.fixed_dictionaries(
    {}, optional=DRAFT_FIELDS
)


@pytest.fixture(scope="module")
def fuzz_client(server: ServerProcess, dev_db: str) -> Iterator[httpx.Client]:
    key = add_key(dev_db, "fuzz-platform", rate=1_000_000)
    with httpx.Client(base_url=server.api, headers={"X-API-Key": key}, timeout=60) as http:
        deadline_tries = 50
        while http.get("/standards/2432").status_code == 401 and deadline_tries:
            deadline_tries -= 1
            __import__("time").sleep(0.2)
        yield http


FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(draft=drafts)
def test_any_draft_is_answered_or_refused_never_500(
    fuzz_client: httpx.Client, draft: dict[str, object]
) -> None:
    response = fuzz_client.post("/check", json=draft)
    assert response.status_code in (200, 422), response.text
    if response.status_code == 422:
        assert response.json()["detail"]
    else:
        assert response.json()["verdict"]


@FUZZ
@given(batch=st.one_of(st.lists(drafts, max_size=5).map(lambda d: {"listings": d}), anything))
def test_any_batch_is_answered_or_refused_never_500(fuzz_client: httpx.Client, batch: object) -> None:
    response = fuzz_client.post("/check/batch", json=batch)
    assert response.status_code in (200, 422), response.text


@FUZZ
@given(body=st.one_of(st.binary(max_size=200), texts.map(lambda t: t.encode("utf-8", "surrogatepass"))))
def test_raw_bodies_never_500(fuzz_client: httpx.Client, body: bytes) -> None:
    response = fuzz_client.post("/check", content=body, headers={"content-type": "application/json"})
    assert response.status_code in (200, 422), response.text


@FUZZ
@given(path=texts)
def test_lookups_never_500(fuzz_client: httpx.Client, path: str) -> None:
    for endpoint in ("licences", "standards"):
        response = fuzz_client.get(f"/{endpoint}/{quote(path, safe='')}")
        assert response.status_code in (200, 404, 405, 422), (endpoint, path, response.text)


def test_json_with_nan_and_deep_nesting_is_refused(fuzz_client: httpx.Client) -> None:
    for body in (
        '{"title": "x", "price": NaN}',
        '{"title": "x", "attributes": ' + "[" * 5000 + "]" * 5000 + "}",
    ):
        response = fuzz_client.post(
            "/check", content=body.encode(), headers={"content-type": "application/json"}
        )
        assert response.status_code in (200, 422), response.text
    assert json.loads('{"a": 1}')
