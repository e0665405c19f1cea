"""The desk's security promises, over the real app: anonymous users see only the login page, roles are
enforced, state-changing requests need the CSRF token, crawled strings are inert, wrong passwords get
no session."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from pipelines.store import HistoryStore
from pipelines.store.models import ReviewDecision
from tests.desk_tests.conftest import XSS_TITLE, ClientFactory, csrf_of, log_in
from tiswatch.web.auth import SESSION_COOKIE


def _key_of(client, text: str) -> int:  # type: ignore[no-untyped-def]
    page = client.get("/queue", params={"q": text})
    found = re.search(r'href="/listings/(\d+)"', page.text)
    assert found, f"{text!r} not in the queue"
    return int(found.group(1))


def test_anonymous_users_get_the_login_page_everywhere(sqlite_client_for: ClientFactory) -> None:
    client = sqlite_client_for(None)
    for path in ("/", "/queue", "/listings/1", "/admin/users", "/registry/import", "/evidence/" + "a" * 64):
        response = client.get(path)
        assert response.url.path == "/login", path
        assert 'name="password"' in response.text
        assert "ปลั๊กพ่วง" not in response.text  # no crawled data leaks onto the login page
    response = client.post("/queue/decide", data={"decision": "confirmed"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login"


def test_wrong_password_gives_no_session(sqlite_client_for: ClientFactory) -> None:
    client = sqlite_client_for(None)
    response = log_in(client, "ann", "not the password")
    assert response.status_code == 401
    assert "Wrong user name or password" in response.text or "ไม่ถูกต้อง" in response.text
    assert SESSION_COOKIE not in client.cookies
    assert client.get("/queue").url.path == "/login"
    assert log_in(client, "nobody", "whatever password").status_code == 401


def test_a_forged_session_cookie_is_ignored(sqlite_client_for: ClientFactory) -> None:
    client = sqlite_client_for(None)
    client.cookies.set(SESSION_COOKIE, "eyJ1IjoiYWRhbSIsImMiOiJ4In0.forged.signature")
    assert client.get("/queue").url.path == "/login"


def test_investigator_gets_403_on_officer_and_admin_actions(sqlite_client_for: ClientFactory) -> None:
    ann = sqlite_client_for("ann")
    token = csrf_of(ann.get("/queue").text)
    assert ann.get("/admin/users").status_code == 403
    assert (
        ann.post(
            "/admin/users",
            data={"csrf_token": token, "username": "eve", "role": "admin", "password": "password123"},
        ).status_code
        == 403
    )
    assert ann.get("/registry/import").status_code == 403
    upload = {"file": ("registry.csv", b"licence_no,licence_type\n", "text/csv")}
    assert (
        ann.post("/registry/import", data={"csrf_token": token, "mode": "replace"}, files=upload).status_code
        == 403
    )
    key = _key_of(ann, "หมวกกันน็อค")
    assigned = ann.post(
        "/queue/claim",
        data={"csrf_token": token, "selected": f"{key}:0", "action": "assign", "assign_to": "olga"},
    )
    assert assigned.status_code == 403
    # What an officer and an admin may do.
    olga = sqlite_client_for("olga")
    assert olga.get("/registry/import").status_code == 200
    assert olga.get("/admin/users").status_code == 403
    assert sqlite_client_for("adam").get("/admin/users").status_code == 200


def test_state_changing_requests_without_csrf_are_rejected(
    sqlite_client_for: ClientFactory, sqlite_desk_db: str
) -> None:
    ann = sqlite_client_for("ann")
    key = _key_of(ann, "หมวกกันน็อค")
    no_token = ann.post(f"/listings/{key}/decision", data={"decision": "confirmed", "version": "0"})
    wrong = ann.post(
        f"/listings/{key}/decision", data={"decision": "confirmed", "version": "0", "csrf_token": "x" * 43}
    )
    bulk = ann.post("/queue/decide", data={"decision": "confirmed", "selected": f"{key}:0"})
    logout = ann.post("/logout", follow_redirects=False)
    assert [no_token.status_code, wrong.status_code, bulk.status_code, logout.status_code] == [403] * 4
    store = HistoryStore.from_url(sqlite_desk_db)
    with store.session() as session:
        assert session.execute(select(func.count()).select_from(ReviewDecision)).scalar_one() == 0
    # Another user's token does not work either: tokens are per session.
    olga_token = csrf_of(sqlite_client_for("olga").get("/queue").text)
    other = ann.post(
        f"/listings/{key}/decision", data={"decision": "confirmed", "version": "0", "csrf_token": olga_token}
    )
    assert other.status_code == 403
    # The login form has its own token.
    anonymous = sqlite_client_for(None)
    forged_login = anonymous.post("/login", data={"username": "ann", "password": "correct horse battery"})
    assert forged_login.status_code == 403 and SESSION_COOKIE not in anonymous.cookies


def test_crawled_strings_are_rendered_inert(sqlite_client_for: ClientFactory) -> None:
    ann = sqlite_client_for("ann")
    queue = ann.get("/queue", params={"decision": "any"}).text
    assert "<script>alert" not in queue and "<img src=x" not in queue
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in queue
    key = _key_of(ann, "onerror")
    page = ann.get(f"/listings/{key}").text
    assert "<script>alert" not in page and "<b>ส่งไว</b>" not in page
    assert "&lt;b&gt;ส่งไว&lt;/b&gt;" in page
    raw_link = re.search(r'href="(/evidence/[0-9a-f]{64})"', page)
    assert raw_link
    raw = ann.get(raw_link.group(1))
    assert raw.status_code == 200
    assert "<script>document.title" not in raw.text
    assert "&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;" in raw.text
    assert "script-src 'self'" in raw.headers["content-security-policy"]
    assert XSS_TITLE not in raw.text


def test_logout_ends_the_session(sqlite_client_for: ClientFactory) -> None:
    ann = sqlite_client_for("ann")
    token = csrf_of(ann.get("/queue").text)
    response = ann.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    assert ann.get("/queue").url.path == "/login"


def test_the_desk_leaves_other_routes_alone(sqlite_client_for: ClientFactory) -> None:
    """The check API shares the server: the desk's login redirect, cookies and headers are not its."""
    client = sqlite_client_for(None)
    response = client.get("/api/v1/check", headers={"X-API-Key": "k"}, follow_redirects=False)
    assert response.status_code != 303
    assert "set-cookie" not in response.headers and "content-security-policy" not in response.headers
    assert "content-security-policy" in client.get("/login").headers


def test_a_malformed_id_in_a_desk_url_is_the_html_404_page(sqlite_client_for: ClientFactory) -> None:
    """`/listings/abc` names no listing: the desk's own 404 page (HTML, with its headers), not
    FastAPI's JSON 422 — for a logged-in and an anonymous visitor alike."""
    ann = sqlite_client_for("ann")
    token = csrf_of(ann.get("/queue").text)
    for client in (ann, sqlite_client_for(None)):
        for path in ("/listings/abc", "/listings/1.5", "/listings/%E0%B9%91", "/listings/%20"):
            response = client.get(path, follow_redirects=False)
            assert response.status_code == 404, (path, response.status_code)
            assert response.headers["content-type"].startswith("text/html"), path
            assert "content-security-policy" in response.headers
            assert 'role="alert"' in response.text and "detail" not in response.text
    posted = ann.post("/listings/abc/decision", data={"csrf_token": token, "decision": "confirmed"})
    assert posted.status_code == 404 and posted.headers["content-type"].startswith("text/html")
    assert ann.get(f"/listings/{_key_of(ann, 'เตารีด')}").status_code == 200  # a well-formed id still works


def test_an_id_out_of_the_databases_range_is_not_found(sqlite_client_for: ClientFactory) -> None:
    ann = sqlite_client_for("ann")
    for key in ("99999999999999999999999", "-1", "0"):
        response = ann.get(f"/listings/{key}")
        assert response.status_code == 404, (key, response.status_code)
        assert response.headers["content-type"].startswith("text/html")
