"""The investigators' review desk (HTML pages), mounted on the server by `install`.

Pages: `/login`, `/queue` (priority order, filters, claims, bulk decisions), `/listings/{key}` (facts,
history, evidence, decision form), `/evidence/{sha256}` (a captured page as text), `/screenshots/…`,
sellers' pages and case files, takedown exports, the dashboard, and the officers' and admins' pages.
Sessions and CSRF checks are read by the desk's routes only (no app-wide middleware), so the check API's
requests are untouched.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import Request
from fastapi.staticfiles import StaticFiles
from starlette.responses import RedirectResponse, Response

from tiswatch.web.desk import (
    PACKAGE_DIR,
    CsrfRejected,
    Desk,
    Forbidden,
    LoginRequired,
    login_redirect_target,
    render,
    session_user,
)

if TYPE_CHECKING:
    from fastapi import FastAPI

    from tiswatch.server import ServerConfig


def install(app: FastAPI, config: ServerConfig) -> None:
    """Adds the desk's routes, static files and error pages to the server."""
    from tiswatch.web import routes_auth, routes_listing, routes_more, routes_queue
    from tiswatch.web.auth import prepare_dummy_hash

    app.state.desk = Desk.create(config.db_url, dict(config.options))
    prepare_dummy_hash()
    app.mount("/static", StaticFiles(directory=str(PACKAGE_DIR / "static")), name="desk-static")
    for module in (routes_auth, routes_queue, routes_listing, routes_more):
        app.include_router(module.router)

    @app.exception_handler(LoginRequired)
    def _login(request: Request, _: Exception) -> Response:
        if request.method == "GET":
            return RedirectResponse(login_redirect_target(request), status_code=303)
        return RedirectResponse("/login", status_code=303)

    @app.exception_handler(Forbidden)
    def _forbidden(request: Request, _: Exception) -> Response:
        return render(request, "error.html", {"message_key": "forbidden"}, session_user(request), 403)

    @app.exception_handler(CsrfRejected)
    def _csrf(request: Request, _: Exception) -> Response:
        return Response("Rejected: missing or wrong CSRF token (reload the page).", status_code=403)
