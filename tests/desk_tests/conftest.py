"""Fixtures of the review-desk suite: a small history written through the real store (Thai listings as
sellers write them, one with a hostile title), desk users made through the CLI, and a logged-in
client of the real app."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from matchers.verdict import Verdict
from pipelines.evidence import EvidenceStore
from pipelines.store import EvidenceRef, HistoryStore, RegistryRef
from pipelines.store.types import parse_utc
from tiswatch.server import ServerConfig, create_app
from tiswatch.web.auth import add_user as create_user

REGISTRY = RegistryRef(ref="csv-desk", version=None, source="sample_registry.csv")
PASSWORD = "correct horse battery"
XSS_TITLE = '<script>alert("x")</script><img src=x onerror=alert(1)> ปลั๊กพ่วง ไม่มีมอก.'

# (listing id, title, verdict, seller, price, sold)
LISTINGS = [
    ("5001", "ปลั๊กพ่วง 4 ช่อง ใบอนุญาต ท๙๙๙๙-๖๕/๒๔๓๒ สาย 3 เมตร", "invalid_licence", "shopA", 299.0, 40),
    ("5002", "หมวกกันน็อค ครึ่งใบ วินเทจ ไม่มีมอก.", "uncertified", "shopB", 450.0, 10),
    ("5003", "รางปลั๊ก 6 ช่อง 10 เมตร", "unverifiable", "shopA", 199.0, 500),
    ("5004", XSS_TITLE, "uncertified", "shopC", 99.0, 1),
    ("5005", "เตารีดไฟฟ้า ST-2 1600W", "uncertified", "shopB", 990.0, 100),
]


def make_listing(listing_id: str, title: str, seller: str, price: float, sold: int) -> dict[str, Any]:
    return {
        "platform": "shopee",
        "listing_id": f"{seller}.{listing_id}",
        "url": f"https://shopee.co.th/product/{seller}/{listing_id}",
        "title": title,
        "description": "สินค้าพร้อมส่ง <b>ส่งไว</b>",
        "brand": "",
        "price": price,
        "currency": "THB",
        "seller_id": seller,
        "seller_name": f"ร้าน {seller}",
        "attributes": {"กำลังไฟ": "1600W"},
        "crawled_at": "2026-11-20T03:00:00Z",
        "sold": sold,
    }


def fill_history(db_url: str, evidence_dir: Path) -> HistoryStore:
    """One finished run with the listings above, each with its captured page as evidence."""
    store = HistoryStore.from_url(db_url)
    evidence = EvidenceStore(evidence_dir)
    run_id = store.start_run("shopee", {"keywords": "ปลั๊กพ่วง"}, REGISTRY)
    for listing_id, title, verdict, seller, price, sold in LISTINGS:
        listing = make_listing(listing_id, title, seller, price, sold)
        body = f"<html><body><h1>{title}</h1><script>document.title='pwned'</script></body></html>".encode()
        sha = evidence.record(listing["url"], body, "2026-11-20T03:00:00Z")
        fetched = parse_utc("2026-11-20T03:00:00Z")
        assert fetched is not None
        store.record_observation(
            run_id,
            listing,
            Verdict(
                listing_id=listing["listing_id"],
                verdict=verdict,
                tis_number="2432-2555",
                licence_no="ท9999-65/2432" if verdict == "invalid_licence" else None,
                score=70.0,
                reasons=[f"{verdict}_reason", f"Judged {verdict}."],
            ),
            REGISTRY,
            EvidenceRef(sha, listing["url"], fetched, str(evidence.path_for(sha))),
        )
    store.finish_run(run_id, {"finish_reason": "finished"})
    return store


def add_user(db_url: str, name: str, role: str, password: str = PASSWORD) -> subprocess.CompletedProcess[str]:
    """Through the real CLI, password on standard input."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "tiswatch.cli",
            "users",
            "add",
            name,
            "--role",
            role,
            "--password-stdin",
            "--db",
            db_url,
        ],
        input=password + "\n",
        capture_output=True,
        text=True,
        check=False,
    )


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token in the page"
    return found.group(1)


def log_in(client: TestClient, name: str, password: str = PASSWORD) -> Any:
    form = client.get("/login")
    return client.post(
        "/login",
        data={"username": name, "password": password, "csrf_token": csrf_of(form.text), "next": "/queue"},
        follow_redirects=False,
    )


def make_desk_db(db_url: str, evidence_dir: Path) -> str:
    store = fill_history(db_url, evidence_dir)
    # The same function `tiswatch users add` calls (the CLI itself is tested in test_users_cli.py).
    with store.session() as session, session.begin():
        for name, role in (("ann", "investigator"), ("olga", "officer"), ("adam", "admin")):
            create_user(session, name, role, PASSWORD)
    store.engine.dispose()
    return db_url


@pytest.fixture
def desk_db(db_url: str, tmp_path: Path) -> str:
    """The small history on SQLite and (when a server is configured) PostgreSQL."""
    return make_desk_db(db_url, tmp_path / "evidence")


@pytest.fixture
def sqlite_desk_db(tmp_path: Path) -> str:
    """The small history on SQLite only: for checks that do not depend on the database."""
    return make_desk_db(f"sqlite:///{tmp_path}/desk.sqlite", tmp_path / "evidence")


ClientFactory = Callable[..., TestClient]


def _clients(db_url: str) -> Iterator[ClientFactory]:
    app = create_app(ServerConfig(db_url=db_url))
    clients: list[TestClient] = []

    def make(name: str | None) -> TestClient:
        client = TestClient(app)
        clients.append(client)
        if name is not None:
            response = log_in(client, name)
            assert response.status_code == 303, response.text
        return client

    yield make
    for client in clients:
        client.close()
    app.state.desk.store.engine.dispose()


@pytest.fixture
def client_for(desk_db: str) -> Iterator[ClientFactory]:
    """A logged-in client per user name (`client_for("ann")`), or an anonymous one (`client_for(None)`)."""
    yield from _clients(desk_db)


@pytest.fixture
def sqlite_client_for(sqlite_desk_db: str) -> Iterator[ClientFactory]:
    yield from _clients(sqlite_desk_db)
