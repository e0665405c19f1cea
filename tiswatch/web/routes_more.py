"""Officers' and admins' pages: users (admin), registry import and takedown exports (officer)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from fastapi import APIRouter, Request
from sqlalchemy import select
from starlette.datastructures import UploadFile
from starlette.responses import Response

from tiswatch.web.auth import UserError, add_user
from tiswatch.web.desk import desk_of, render, require_csrf, require_user
from tiswatch.web.models import ADMIN, OFFICER, ROLES, DeskUser

router = APIRouter()


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
