"""The check API over a real server: every endpoint's answer and every error it promises."""

from __future__ import annotations

import hashlib
import json
import time

import httpx
import pytest
from sqlalchemy import create_engine, text

from tests.api_tests.server import ServerProcess

REVOKED = {"title": "พาวเวอร์แบงค์ Samsung SA-331 10000mAh", "licence_no": "น6387-55/2879"}
CERTIFIED = {"title": "ปลั๊กพ่วง Haco 4 ช่อง รุ่น HA-4980 มอก.๒๔๓๒-๒๕๕๕", "listing_id": "p-1"}
CONTRACT_FIELDS = ("listing_id", "verdict", "flagged", "tis_number", "licence_no", "score", "reasons")


def test_check_answers_the_verdict_with_standard_licence_reasons_and_action(client: httpx.Client) -> None:
    answer = client.post("/check", json=REVOKED).json()
    assert all(name in answer for name in CONTRACT_FIELDS)
    assert answer["verdict"] == "invalid_licence" and answer["flagged"] is True
    assert answer["tis_number"] == "2879-2560" and answer["licence_no"] == "น6387-55/2879"
    assert answer["standard"]["title_th"] and answer["standard"]["mandatory"] is True
    assert answer["licence"] == {
        "licence_no": "น6387-55/2879",
        "status": "revoked",
        "tis_number": "2879-2560",
        "brand": "Samsung",
        "models": ["SA-331"],
    }
    assert "licence_revoked" in [reason["code"] for reason in answer["reason_codes"]]
    assert answer["message_en"] == answer["reasons"][-1]
    assert "น6387-55/2879" in answer["message_th"] and "เพิกถอน" in answer["message_th"]
    assert answer["required_action"]["code"] == "replace_revoked_licence"
    assert "น6387-55/2879" in answer["required_action"]["en"]
    assert answer["registry_version"] == "db-v1" and answer["vocabulary_version"] == "bundled"
    assert answer["listing_id"] is None


def test_certified_draft_needs_no_action_and_its_id_is_echoed(client: httpx.Client) -> None:
    answer = client.post("/check", json=CERTIFIED).json()
    assert (answer["verdict"], answer["licence_no"], answer["listing_id"]) == (
        "certified",
        "น9723-67/2432",
        "p-1",
    )
    assert answer["licence"]["status"] == "active" and answer["required_action"] is None
    numeric = client.post("/check", json={**CERTIFIED, "listing_id": 1234}).json()
    assert numeric["listing_id"] == 1234


def test_unverifiable_asks_for_the_licence_number(client: httpx.Client) -> None:
    answer = client.post("/check", json={"title": "ปลั๊กพ่วง 4 ช่อง สาย 3 เมตร"}).json()
    assert answer["verdict"] == "unverifiable"
    assert answer["required_action"]["code"] == "state_licence_number"
    assert "2432-2555" in answer["required_action"]["th"]


def test_batch_answers_in_order(client: httpx.Client) -> None:
    drafts = [
        {**CERTIFIED, "listing_id": "b0"},
        {**REVOKED, "listing_id": "b1"},
        {"title": "เสื้อยืด cotton", "listing_id": "b2"},
        {"title": "ปลั๊กพ่วง 4 ช่อง", "listing_id": "b3"},
    ]
    results = client.post("/check/batch", json={"listings": drafts}).json()["results"]
    assert [(r["listing_id"], r["verdict"]) for r in results] == [
        ("b0", "certified"),
        ("b1", "invalid_licence"),
        ("b2", "not_regulated"),
        ("b3", "unverifiable"),
    ]
    single = client.post("/check", json=drafts[1]).json()
    assert results[1] == single


@pytest.mark.parametrize("written", ["น6387-55/2879", "น๖๓๘๗-๕๕/๒๘๗๙", " น 6387-55/2879 "])
def test_licence_lookup(client: httpx.Client, written: str) -> None:
    answer = client.get(f"/licences/{written}").json()
    assert answer["licence_no"] == "น6387-55/2879" and answer["status"] == "revoked"
    assert answer["tis_number"] == "2879-2560" and answer["models"] == ["SA-331"]
    assert "SA-331" in answer["covers"] and answer["standard"]["title_en"]
    assert answer["registry_version"] == "db-v1"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/check/"),
        ("POST", "/check/batch/"),
        ("GET", "/standards/2432/"),
        ("GET", "/standards/0/"),
        ("GET", "/licences/น6387-55/2879/"),
        ("GET", "/health/"),
        ("POST", "/"),
    ],
)
def test_a_trailing_slash_is_a_404_never_a_redirect(client: httpx.Client, method: str, path: str) -> None:
    """A redirect would make some clients drop a POST's body: the API names the mistake instead."""
    response = client.request(method, path, json=CERTIFIED, follow_redirects=False)
    assert response.status_code == 404, (response.status_code, response.headers.get("location"))
    assert "trailing slash" in response.json()["detail"]


def test_unknown_licence_is_404(client: httpx.Client) -> None:
    response = client.get("/licences/ท9999-99/2432")
    assert response.status_code == 404 and "ท9999-99/2432" in response.json()["detail"]


@pytest.mark.parametrize("written", ["2432-2555", "2432", "TIS 2432-2012", "๒๔๓๒-๒๕๕๕"])
def test_standard_lookup(client: httpx.Client, written: str) -> None:
    answer = client.get(f"/standards/{written}").json()
    assert answer["standard"]["tis_number"] == "2432-2555"
    assert answer["standard"]["title_th"].endswith("ชุดสายพ่วง")
    assert "ปลั๊กพ่วง" in answer["product_words"]
    assert answer["licences"]["active"] >= 1


def test_standard_with_parts(client: httpx.Client) -> None:
    answer = client.get("/standards/685 เล่ม 1-2562").json()
    assert answer["standard"]["tis_number"] == "685 เล่ม 1-2562"
    assert client.get("/standards/99999").status_code == 404


def test_openapi_and_docs(server: ServerProcess) -> None:
    document = httpx.get(f"{server.url}/openapi.json").json()
    for path in (
        "/api/v1/check",
        "/api/v1/check/batch",
        "/api/v1/licences/{licence_no}",
        "/api/v1/standards/{tis}",
    ):
        assert path in document["paths"]
    check = document["paths"]["/api/v1/check"]["post"]
    assert {"401", "413", "422", "429"} <= set(check["responses"])
    assert document["components"]["securitySchemes"]["APIKeyHeader"]["name"] == "X-API-Key"
    draft = document["components"]["schemas"]["Draft"]
    assert draft["required"] == ["title"]
    docs = httpx.get(f"{server.url}/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()


# -- errors ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ('{"title": ', "body"),
        ("not json at all", "body"),
        ("[]", "body"),
        ('{"description": "ปลั๊กพ่วง"}', "title"),
        ('{"title": ""}', "title"),
        ('{"title": 42}', "title"),
        ('{"title": "x", "price": "cheap"}', "price"),
        ('{"title": "x", "attributes": {"รุ่น": {"a": 1}}}', "attributes.รุ่น"),
        ('{"title": "x", "attributes": ["a"]}', "attributes"),
        ('{"title": "x", "image_alt_texts": "one"}', "image_alt_texts"),
        ('{"title": "x", "listing_id": [1]}', "listing_id"),
    ],
)
def test_bad_drafts_are_422_naming_the_field(client: httpx.Client, body: str, field: str) -> None:
    response = client.post("/check", content=body.encode(), headers={"content-type": "application/json"})
    assert response.status_code == 422
    problem = response.json()
    assert problem["detail"].startswith(f"{field}:")
    assert problem["errors"][0]["field"] == field


def test_form_encoded_body_is_told_to_send_json(client: httpx.Client) -> None:
    response = client.post(
        "/check", content=b"title=x", headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 422 and "application/json" in response.json()["detail"]


def test_batch_errors_name_the_draft(client: httpx.Client) -> None:
    response = client.post("/check/batch", json={"listings": [{"title": "ok"}, {"brand": "x"}]})
    assert response.status_code == 422 and response.json()["detail"].startswith("listings[1].title:")
    response = client.post("/check/batch", json={"listings": [{"title": "x"}] * 1001})
    assert response.status_code == 422 and response.json()["detail"].startswith("listings:")
    assert "1000" in response.json()["detail"]
    assert client.post("/check/batch", json={"drafts": []}).json()["detail"].startswith("listings:")


def test_bodies_over_the_limit_are_413(client: httpx.Client) -> None:
    big = {"title": "x", "description": "ก" * 100_000}
    assert client.post("/check", json=big).status_code == 413
    assert client.post("/check/batch", json={"listings": [big] * 30}).status_code == 413

    def chunks() -> object:  # no Content-Length: counted as it arrives
        yield b'{"title": "x", "description": "'
        for _ in range(400):
            yield b"a" * 1000
        yield b'"}'

    response = client.post("/check", content=chunks(), headers={"content-type": "application/json"})  # type: ignore[arg-type]
    assert response.status_code == 413 and "limit" in response.json()["detail"]


def test_missing_and_unknown_keys_are_401(server: ServerProcess) -> None:
    for headers in ({}, {"X-API-Key": "tw_not-a-key"}, {"X-API-Key": ""}):
        for method, path, kwargs in (
            ("POST", "/check", {"json": CERTIFIED}),
            ("POST", "/check/batch", {"json": {"listings": [CERTIFIED]}}),
            ("GET", "/licences/น6387-55/2879", {}),
            ("GET", "/standards/2432", {}),
        ):
            response = httpx.request(method, f"{server.api}{path}", headers=headers, **kwargs)
            assert response.status_code == 401, (headers, path)
            assert "X-API-Key" in response.json()["detail"]


def test_each_check_is_audited_without_the_draft(client: httpx.Client, dev_db: str) -> None:
    draft = {**REVOKED, "listing_id": "audit-1", "seller_name": "ร้านสมชาย โทร 081-234-5678"}
    client.post("/check", json=draft)
    canonical = json.dumps(
        {k: v for k, v in draft.items()}, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    digest = hashlib.sha256(canonical.encode()).hexdigest()
    engine = create_engine(dev_db)
    deadline = time.monotonic() + 10
    rows: list[dict[str, object]] = []
    while not rows and time.monotonic() < deadline:
        with engine.connect() as connection:
            rows = [
                dict(row)
                for row in connection.execute(
                    text(
                        "SELECT a.*, k.name FROM api_audit a JOIN api_keys k ON k.id = a.key_id "
                        "WHERE draft_sha256 = :digest"
                    ),
                    {"digest": digest},
                ).mappings()
            ]
        time.sleep(0.2)
    engine.dispose()
    assert len(rows) == 1
    row = rows[0]
    assert (row["name"], row["endpoint"], row["verdict"], row["registry_version"]) == (
        "test-platform",
        "check",
        "invalid_licence",
        "db-v1",
    )
    assert str(row["checked_at"]).endswith("Z")
    assert not any("สมชาย" in str(value) or "081" in str(value) for value in row.values())
