"""Log in, log out, language switch."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from tiswatch.web.auth import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    SESSION_MAX_AGE_S,
    authenticate,
    tokens_match,
)
from tiswatch.web.desk import (
    LANG_COOKIE,
    LANGUAGES,
    DeskRoute,
    desk_of,
    render,
    require_csrf,
    require_user,
    safe_next,
    session_user,
)

router = APIRouter(route_class=DeskRoute)


def _secure(request: Request) -> bool:
    # Behind a TLS proxy uvicorn's proxy headers make the scheme https: the cookie then never travels
    # in clear text.
    return request.url.scheme == "https"


def _login_page(request: Request, next_path: str, failed: bool = False) -> Response:
    # Login CSRF: the form's token must equal a cookie set with the form (a double-submit check).
    token = secrets.token_urlsafe(32)
    response = render(
        request,
        "login.html",
        {"next": safe_next(next_path), "csrf_token": token, "failed": failed},
        status_code=401 if failed else 200,
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=_secure(request), max_age=3600
    )
    return response


@router.get("/login")
def login_form(request: Request, next: str = "/queue") -> Response:
    if session_user(request) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return _login_page(request, next)


@router.post("/login")
def login(
    request: Request,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/queue",
) -> Response:
    if not tokens_match(request.cookies.get(LOGIN_CSRF_COOKIE, ""), csrf_token):
        return Response("Login form expired or forged: reload the login page.", status_code=403)
    desk = desk_of(request)
    with desk.store.session() as session:
        user = authenticate(session, username, password)
    if user is None:
        return _login_page(request, next, failed=True)
    cookie, _ = desk.codec.issue(user.username)
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        cookie,
        httponly=True,
        samesite="lax",
        secure=_secure(request),
        max_age=SESSION_MAX_AGE_S,
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    user = require_user(request)
    await require_csrf(request, user)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/lang/{code}")
def switch_language(request: Request, code: str, next: str = "/queue") -> Response:
    response = RedirectResponse(safe_next(next), status_code=303)
    if code in LANGUAGES:
        response.set_cookie(LANG_COOKIE, code, max_age=365 * 86400, samesite="lax")
    return response


@router.get("/")
def home() -> Response:
    return RedirectResponse("/queue", status_code=303)
