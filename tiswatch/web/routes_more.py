"""Sellers, case files, the dashboard (everyone); registry import and takedown exports (officers);
users (admins)."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from fastapi import APIRouter, Request
from sqlalchemy import select
from starlette.datastructures import UploadFile
from starlette.responses import HTMLResponse, Response

from pipelines.store.models import ListingRecord
from pipelines.store.types import utcnow
from tiswatch.web.auth import SessionUser, UserError, add_user
from tiswatch.web.cases import (
    SellerCase,
    case_file_listings,
    png_data_uri,
    seller_case,
    takedown_csv,
    takedown_rows,
    takedown_xlsx,
)
from tiswatch.web.dashboard import build_dashboard
from tiswatch.web.desk import PACKAGE_DIR, DeskRoute, desk_of, render, require_csrf, require_user
from tiswatch.web.models import ADMIN, OFFICER, ROLES, DeskUser
from tiswatch.web.pdf import browser_path, html_to_pdf
from tiswatch.web.queue import ensure_fresh

router = APIRouter(route_class=DeskRoute)


def _users_page(request: Request, message: str = "", status_code: int = 200) -> Response:
    user = require_user(request, ADMIN)
    desk = desk_of(request)
    with desk.store.session() as session:
        users = list(session.execute(select(DeskUser).order_by(DeskUser.username)).scalars())
    return render(
        request, "users.html", {"users": users, "roles": ROLES, "message": message}, user, status_code
    )


@router.get("/admin/users")
def users_page(request: Request) -> Response:
    return _users_page(request)


@router.post("/admin/users")
async def create_user(request: Request) -> Response:
    user = require_user(request, ADMIN)
    await require_csrf(request, user)
    form = await request.form()
    desk = desk_of(request)
    try:
        with desk.store.session() as session, session.begin():
            add_user(
                session,
                str(form.get("username") or ""),
                str(form.get("role") or ""),
                str(form.get("password") or ""),
            )
    except UserError as error:
        return _users_page(request, str(error), 400)
    return _users_page(request, f"added {form.get('username')}")


@router.get("/registry/import")
def registry_import_form(request: Request) -> Response:
    user = require_user(request, OFFICER)
    return render(request, "registry_import.html", {"lines": [], "message": ""}, user)


@router.post("/registry/import")
async def registry_import(request: Request) -> Response:
    from standards_data.registry_import import import_registry, validate_registry_file

    user = require_user(request, OFFICER)
    await require_csrf(request, user)
    form = await request.form()
    upload = form.get("file")
    mode = str(form.get("mode") or "update")
    if not isinstance(upload, UploadFile) or not upload.filename or mode not in ("replace", "update"):
        return render(
            request, "registry_import.html", {"lines": [], "message": "choose a file and a mode"}, user, 400
        )
    suffix = Path(upload.filename).suffix.lower() if Path(upload.filename).suffix else ".csv"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(await upload.read())
        validated = validate_registry_file(path)
        lines = [line.replace(str(path), upload.filename) for line in validated.problems.lines()]
        if not validated.ok:
            message = f"rejected {upload.filename}: nothing was imported"
            return render(request, "registry_import.html", {"lines": lines, "message": message}, user, 400)
        outcome = import_registry(
            desk_of(request).store.engine, path, mode=mode, imported_by=user.username, validated=validated
        )
    message = (
        f"registry version {outcome.version_id}: {outcome.added} added, {outcome.changed} changed, "
        f"{outcome.ended} ended, {outcome.unchanged} unchanged; {outcome.total_licences} licences"
    )
    return render(request, "registry_import.html", {"lines": lines, "message": message}, user)


# --- sellers and case files ---------------------------------------------------------------------------


def _case(request: Request, platform: str, seller: str) -> tuple[SessionUser, SellerCase | None]:
    user = require_user(request)
    desk = desk_of(request)
    ensure_fresh(desk.store)
    with desk.store.session() as session:
        return user, seller_case(session, platform, seller)


@router.get("/sellers/{platform}/{seller}")
def seller_page(request: Request, platform: str, seller: str) -> Response:
    user, case = _case(request, platform, seller)
    if case is None:
        return render(request, "error.html", {"message_key": "not_found"}, user, status_code=404)
    return render(request, "seller.html", {"case": case}, user)


def _case_file_html(
    request: Request, platform: str, seller: str, for_pdf: bool
) -> tuple[SessionUser, str | None]:
    user, case = _case(request, platform, seller)
    if case is None:
        return user, None
    desk = desk_of(request)
    with desk.store.session() as session:
        listings = case_file_listings(session, case)
    shots = {facts.listing.id: png_data_uri(facts.screenshot.path) for facts in listings if facts.screenshot}
    css = (PACKAGE_DIR / "static" / "desk.css").read_text(encoding="utf-8") if for_pdf else ""
    response = render(
        request,
        "case_file.html",
        {"case": case, "listings": listings, "shots": shots, "inline_css": css, "generated_at": utcnow()},
        user,
    )
    return user, bytes(response.body).decode("utf-8")


@router.get("/sellers/{platform}/{seller}/case")
def case_file(request: Request, platform: str, seller: str) -> Response:
    user, html = _case_file_html(request, platform, seller, for_pdf=False)
    if html is None:
        return render(request, "error.html", {"message_key": "not_found"}, user, status_code=404)
    return HTMLResponse(html)


@router.get("/sellers/{platform}/{seller}/case.pdf")
def case_file_pdf(request: Request, platform: str, seller: str) -> Response:
    user, html = _case_file_html(request, platform, seller, for_pdf=True)
    if html is None:
        return render(request, "error.html", {"message_key": "not_found"}, user, status_code=404)
    pdf = html_to_pdf(html, browser_path(desk_of(request).options))
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"case-{platform}-{seller}")[:80]
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}.pdf"'},
    )


# --- takedown requests (officers) ---------------------------------------------------------------------


@router.get("/takedown")
def takedown_page(request: Request) -> Response:
    user = require_user(request, OFFICER)
    desk = desk_of(request)
    with desk.store.session() as session:
        platforms = [
            p
            for (p,) in session.execute(
                select(ListingRecord.platform).distinct().order_by(ListingRecord.platform)
            )
        ]
        counts = {platform: len(takedown_rows(session, platform)) for platform in platforms}
    return render(request, "takedown.html", {"counts": counts}, user)


@router.get("/takedown/{platform}.{extension}")
def takedown_file(request: Request, platform: str, extension: str) -> Response:
    user = require_user(request, OFFICER)
    if extension not in ("csv", "xlsx"):
        return render(request, "error.html", {"message_key": "not_found"}, user, status_code=404)
    desk = desk_of(request)
    with desk.store.session() as session:
        rows = takedown_rows(session, platform)
    stamp = utcnow().strftime("%Y%m%d")
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"takedown-{platform}-{stamp}")
    if extension == "csv":
        return Response(
            takedown_csv(rows),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    return Response(
        takedown_xlsx(rows, platform),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
    )


# --- dashboard ----------------------------------------------------------------------------------------


@router.get("/dashboard")
def dashboard_page(request: Request) -> Response:
    user = require_user(request)
    desk = desk_of(request)
    ensure_fresh(desk.store)
    return render(request, "dashboard.html", {"board": build_dashboard(desk.store.engine)}, user)
