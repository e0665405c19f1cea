"""The desk's shared state (database, templates, labels, session codec) and request helpers: who is
logged in, CSRF checks, language, role checks."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from pipelines.store.history import HistoryStore
from tiswatch.web.auth import SESSION_COOKIE, SessionCodec, SessionUser, session_secret, tokens_match
from tiswatch.web.models import DeskUser

PACKAGE_DIR = Path(__file__).resolve().parent
LANGUAGES = ("th", "en")
LANG_COOKIE = "tiswatch_lang"


# Pages must not be framed by other sites, and scripts come from this server only (htmx is vendored).
SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; "
    "script-src 'self'; frame-ancestors 'none'; form-action 'self'",
}


class DeskRoute(APIRoute):
    """A route of the desk: its responses carry the security headers (the check API's do not), and a
    malformed request is answered with an HTML page, never FastAPI's JSON 422."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def with_headers(request: Request) -> Response:
            try:
                response = await handler(request)
            except RequestValidationError as error:
                response = _malformed_request_page(request, error)
            for name, value in SECURITY_HEADERS.items():
                response.headers.setdefault(name, value)
            return response

        return with_headers


def _malformed_request_page(request: Request, error: RequestValidationError) -> Response:
    """A malformed id in a desk URL (`/listings/abc`) names nothing: the 404 page, as for an id that does
    not exist. Any other malformed part of a request: the 400 page."""
    in_path = any(tuple(problem.get("loc", ()))[:1] == ("path",) for problem in error.errors())
    message_key, status = ("not_found", 404) if in_path else ("bad_request", 400)
    return render(request, "error.html", {"message_key": message_key}, session_user(request), status)


class LoginRequired(Exception):
    """Raised by a desk route for an anonymous request: answered with the login page."""


class Forbidden(Exception):
    """Raised when the user's role may not do what was asked: answered 403."""


class CsrfRejected(Exception):
    """A state-changing request without the session's CSRF token: answered 403."""


def load_labels() -> dict[str, dict[str, str]]:
    with open(PACKAGE_DIR / "labels.json", encoding="utf-8") as handle:
        labels: dict[str, dict[str, str]] = json.load(handle)
    return labels


@dataclass
class Desk:
    store: HistoryStore
    codec: SessionCodec
    templates: Jinja2Templates
    labels: dict[str, dict[str, str]]
    options: dict[str, object] = field(default_factory=dict)
    decision_lock: threading.Lock = field(default_factory=threading.Lock)
    """Serialises the check-then-write of decisions within this process (the version check)."""

    @classmethod
    def create(cls, db_url: str, options: dict[str, object]) -> Desk:
        store = HistoryStore.from_url(db_url)
        with store.session() as session:
            secret = session_secret(session)
        templates = Jinja2Templates(directory=str(PACKAGE_DIR / "templates"))
        templates.env.filters["utc"] = _utc_text
        templates.env.filters["money"] = _money
        return cls(store, SessionCodec(secret), templates, load_labels(), dict(options))


def _utc_text(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else ""


def _money(value: float | None) -> str:
    return "" if value is None else f"{value:,.2f}"


def desk_of(request: Request) -> Desk:
    desk: Desk = request.app.state.desk
    return desk


def language(request: Request) -> str:
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen in LANGUAGES:
        return chosen
    # Thai for Thai users: a browser that asks for Thai gets Thai, everyone else English.
    accept = request.headers.get("accept-language", "").lower()
    return "th" if accept.startswith("th") or ",th" in accept.replace(" ", "") else "en"


def session_user(request: Request) -> SessionUser | None:
    desk = desk_of(request)
    found = desk.codec.read(request.cookies.get(SESSION_COOKIE))
    if found is None:
        return None
    username, csrf_token = found
    with desk.store.session() as session:
        user = session.query(DeskUser).filter_by(username=username, active=True).one_or_none()
        if user is None:
            return None
        return SessionUser(user.username, user.role, csrf_token)


def require_user(request: Request, role: str | None = None) -> SessionUser:
    user = session_user(request)
    if user is None:
        raise LoginRequired()
    if role is not None and not user.may(role):
        raise Forbidden()
    return user


async def require_csrf(request: Request, user: SessionUser) -> None:
    """Every state-changing request carries the session's CSRF token (form field or htmx header)."""
    given = request.headers.get("x-csrf-token")
    if not given:
        form = await request.form()
        value = form.get("csrf_token")
        given = value if isinstance(value, str) else None
    if not tokens_match(user.csrf_token, given):
        raise CsrfRejected()


def login_redirect_target(request: Request) -> str:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return "/login?next=" + quote(target, safe="")


def safe_next(target: str | None) -> str:
    """Only a path on this site (no `//host`, no scheme): an open redirect would help phishing."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/queue"
    return target


def render(
    request: Request,
    name: str,
    context: dict[str, Any],
    user: SessionUser | None = None,
    status_code: int = 200,
) -> Response:
    desk = desk_of(request)
    lang = language(request)
    labels = desk.labels
    # Error pages come from exception handlers, outside DeskRoute: the headers are set here too.

    def t(key: str) -> str:
        entry = labels.get(key)
        return entry.get(lang, entry.get("en", key)) if entry else key

    base = {"user": user, "lang": lang, "t": t, "request_path": request.url.path}
    response = desk.templates.TemplateResponse(request, name, base | context, status_code=status_code)
    response.headers.update(SECURITY_HEADERS)
    return response
