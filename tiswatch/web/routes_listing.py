"""The listing page, its decision form, and its evidence (screenshot, captured page as text)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi import Path as PathParam
from sqlalchemy import select
from starlette.responses import FileResponse, RedirectResponse, Response

from pipelines.evidence import stored_evidence
from pipelines.store.models import DECISIONS, Evidence, ListingRecord, Screenshot, case_key_of
from tiswatch.web.decisions import DecisionRequest, record_decisions
from tiswatch.web.desk import DeskRoute, desk_of, render, require_csrf, require_user
from tiswatch.web.listing import evidence_text, load_listing

router = APIRouter(route_class=DeskRoute)
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
# A listing's key as the history stores it (an Integer primary key: at most 2**31 - 1 in PostgreSQL).
# Anything else in the URL names no listing: the 404 page (`desk.DeskRoute`), never a database error.
ListingKey = Annotated[int, PathParam(ge=1, le=2**31 - 1)]


def _listing_page(request: Request, key: int, context: dict[str, object], status_code: int = 200) -> Response:
    user = require_user(request)
    desk = desk_of(request)
    with desk.store.session() as session:
        facts = load_listing(session, key)
    if facts is None:
        return render(request, "error.html", {"message_key": "not_found"}, user, status_code=404)
    return render(
        request,
        "listing.html",
        {"facts": facts, "decisions": DECISIONS, "message": "", "conflict": None} | context,
        user,
        status_code=status_code,
    )


@router.get("/listings/{key}")
def listing_page(request: Request, key: ListingKey) -> Response:
    saved = request.query_params.get("saved") == "1"
    return _listing_page(
        request,
        key,
        {
            "message": "decision_saved" if saved else "",
            "case_message": request.query_params.get("case_message", "")[:500],
        },
    )


@router.post("/cases/{case_id}/decision")
async def decide_case(request: Request, case_id: str) -> Response:
    """One decision for every listing of a case, recorded per listing (who, when) like any other: a
    listing whose decision changed since the page was opened is left as it is and named."""
    user = require_user(request)
    await require_csrf(request, user)
    form = await request.form()
    decision = str(form.get("decision") or "")
    note = str(form.get("note") or "")
    back = str(form.get("back") or "")
    case_key = case_key_of(case_id)
    desk = desk_of(request)
    with desk.store.session() as session:
        members = (
            set(session.execute(select(ListingRecord.id).where(ListingRecord.case_key == case_key)).scalars())
            if case_key is not None
            else set()
        )
    if not members:
        return render(request, "error.html", {"message_key": "not_found"}, user, status_code=404)
    requests: list[DecisionRequest] = []
    for value in form.getlist("selected"):
        key, _, version = str(value).partition(":")
        # Only the case's own listings: a form edited to carry another listing decides nothing for it.
        if key.isdigit() and version.isdigit() and int(key) in members:
            requests.append(DecisionRequest(int(key), decision, note, int(version)))
    if decision not in DECISIONS or not requests:
        return render(request, "error.html", {"message_key": "bad_request"}, user, status_code=400)
    outcome = record_decisions(desk, requests, user.username)
    message = f"{case_id}: {outcome.recorded} recorded"
    if outcome.conflicts:
        message += "; not saved (changed after you opened the page): " + ", ".join(
            conflict.describe() for conflict in outcome.conflicts[:5]
        )
    target = int(back) if back.isdigit() and int(back) in members else min(members)
    return RedirectResponse(f"/listings/{target}?{urlencode({'case_message': message})}", status_code=303)


@router.post("/listings/{key}/decision")
async def decide(request: Request, key: ListingKey) -> Response:
    user = require_user(request)
    await require_csrf(request, user)
    form = await request.form()
    decision = str(form.get("decision") or "")
    note = str(form.get("note") or "")
    version_text = str(form.get("version") or "0")
    if decision not in DECISIONS or not version_text.isdigit():
        return _listing_page(
            request, key, {"message": "", "draft": {"decision": decision, "note": note}}, 400
        )
    outcome = record_decisions(
        desk_of(request), [DecisionRequest(key, decision, note, int(version_text))], user.username
    )
    if outcome.unknown:
        return render(request, "error.html", {"message_key": "not_found"}, user, status_code=404)
    if outcome.conflicts:
        # Not a silent overwrite: show what is there now and keep what this user typed.
        return _listing_page(
            request,
            key,
            {"conflict": outcome.conflicts[0], "draft": {"decision": decision, "note": note}},
            status_code=409,
        )
    return RedirectResponse(f"/listings/{key}?saved=1", status_code=303)


def _stored_file(request: Request, model: type[Evidence] | type[Screenshot], sha256: str) -> Any:
    """The evidence or screenshot row named by its SHA-256 whose file is still on disk, else None."""
    if not _SHA256.match(sha256):
        return None
    with desk_of(request).store.session() as session:
        row: Any = session.execute(select(model).where(model.sha256 == sha256).limit(1)).scalar_one_or_none()
    return row if row is not None and Path(row.path).is_file() else None


def _stored_evidence(request: Request, sha256: str) -> tuple[Evidence, bytes] | None:
    """The evidence row named by its SHA-256 and its stored gzip bytes, from whichever store kept them
    (a file, or the database: `pipelines.evidence.stored_evidence`), else None."""
    if not _SHA256.match(sha256):
        return None
    store = desk_of(request).store
    with store.session() as session:
        row = session.execute(select(Evidence).where(Evidence.sha256 == sha256).limit(1)).scalar_one_or_none()
    if row is None:
        return None
    compressed = stored_evidence(store.engine, row.sha256, row.path)
    return None if compressed is None else (row, compressed)


@router.get("/evidence/{sha256}")
def raw_page(request: Request, sha256: str) -> Response:
    user = require_user(request)
    found = _stored_evidence(request, sha256)
    if found is None:
        return render(request, "error.html", {"message_key": "not_found"}, user, status_code=404)
    evidence, compressed = found
    # Rendered inside <pre> by an autoescaping template: the captured page is text, never markup.
    return render(request, "raw_page.html", {"evidence": evidence, "text": evidence_text(compressed)}, user)


@router.get("/screenshots/{sha256}.png")
def screenshot_file(request: Request, sha256: str) -> Response:
    user = require_user(request)
    shot = _stored_file(request, Screenshot, sha256)
    if shot is None:
        return render(request, "error.html", {"message_key": "not_found"}, user, status_code=404)
    return FileResponse(
        shot.path, media_type="image/png", headers={"Cache-Control": "private, max-age=86400"}
    )
