"""The queue page, claims and assignments, and bulk decisions."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from sqlalchemy import select
from starlette.responses import RedirectResponse, Response

from pipelines.store.models import DECISIONS
from tiswatch.web.decisions import DecisionRequest, record_decisions
from tiswatch.web.desk import DeskRoute, desk_of, render, require_csrf, require_user
from tiswatch.web.models import OFFICER, DeskUser
from tiswatch.web.queue import (
    DECISION_STATES,
    MARK_FILTERS,
    OPEN,
    QueueFilters,
    cached_facets,
    ensure_fresh,
    query_queue,
)

router = APIRouter(route_class=DeskRoute)


def _filters(request: Request) -> QueueFilters:
    params = request.query_params

    def number(name: str) -> int | None:
        value = params.get(name, "").strip()
        return int(value) if value.isdigit() else None

    decision = params.get("decision", OPEN)
    return QueueFilters(
        verdict=params.get("verdict", ""),
        standard=params.get("standard", ""),
        platform=params.get("platform", ""),
        seller=params.get("seller", "").strip(),
        mark=params.get("mark", "") if params.get("mark", "") in MARK_FILTERS else "",
        decision=decision if decision in DECISION_STATES else OPEN,
        run=number("run"),
        mine=params.get("mine") == "1",
        q=params.get("q", "")[:200],
        case=params.get("case", "").strip()[:20],
        by_case=params.get("by_case") == "1",
        page=number("page") or 1,
    )


def _query_string(filters: QueueFilters, page: int) -> str:
    values = {
        "verdict": filters.verdict,
        "standard": filters.standard,
        "platform": filters.platform,
        "seller": filters.seller,
        "mark": filters.mark,
        "decision": filters.decision,
        "run": "" if filters.run is None else str(filters.run),
        "mine": "1" if filters.mine else "",
        "q": filters.q,
        "case": filters.case,
        "by_case": "1" if filters.by_case else "",
        "page": str(page),
    }
    return urlencode({key: value for key, value in values.items() if value})


@router.get("/queue")
def queue_page(request: Request) -> Response:
    user = require_user(request)
    desk = desk_of(request)
    fingerprint = ensure_fresh(desk.store)
    filters = _filters(request)
    with desk.store.session() as session:
        page = query_queue(session, filters, user.username)
        options = cached_facets(session, fingerprint)
        users = (
            list(session.execute(select(DeskUser.username).where(DeskUser.active.is_(True))).scalars())
            if user.may(OFFICER)
            else []
        )
    return render(
        request,
        "queue.html",
        {
            "filters": filters,
            "page": page,
            "options": options,
            "marks": list(MARK_FILTERS),
            "decision_states": DECISION_STATES,
            "decisions": DECISIONS,
            "users": users,
            "page_link": lambda number: "/queue?" + _query_string(filters, number),
            "message": request.query_params.get("message", ""),
        },
        user,
    )


def _back(request: Request, message: str) -> RedirectResponse:
    referer = request.headers.get("referer", "")
    path = "/queue"
    if "/queue" in referer:
        path = "/queue" + (referer.split("/queue", 1)[1] or "")
    separator = "&" if "?" in path else "?"
    return RedirectResponse(f"{path}{separator}{urlencode({'message': message})}", status_code=303)


@router.post("/queue/claim")
async def claim_listings(request: Request) -> Response:
    from tiswatch.web.queue import claim

    user = require_user(request)
    await require_csrf(request, user)
    form = await request.form()
    keys = [
        int(value.split(":")[0]) for value in form.getlist("selected") if isinstance(value, str) and value
    ]
    assignee = str(form.get("assign_to") or "") if form.get("action") == "assign" else user.username
    if assignee != user.username and not user.may(OFFICER):
        # Investigators claim work for themselves; handing work to others is an officer's job.
        return render(request, "error.html", {"message_key": "forbidden"}, user, status_code=403)
    desk = desk_of(request)
    with desk.store.session() as session, session.begin():
        if (
            session.execute(select(DeskUser).where(DeskUser.username == assignee)).scalar_one_or_none()
            is None
        ):
            return _back(request, f"unknown user {assignee}")
        count = claim(session, keys, assignee, user.username)
    return _back(request, f"{count} assigned to {assignee}")


@router.post("/queue/decide")
async def bulk_decide(request: Request) -> Response:
    user = require_user(request)
    await require_csrf(request, user)
    form = await request.form()
    decision = str(form.get("decision") or "")
    note = str(form.get("note") or "")
    requests: list[DecisionRequest] = []
    for value in form.getlist("selected"):
        if not isinstance(value, str) or ":" not in value:
            continue
        key, version = value.split(":", 1)
        if key.isdigit() and version.isdigit():
            requests.append(DecisionRequest(int(key), decision, note, int(version)))
    if decision not in DECISIONS:
        return _back(request, f"unknown decision {decision!r}")
    outcome = record_decisions(desk_of(request), requests, user.username)
    message = f"{outcome.recorded} recorded"
    if outcome.conflicts:
        message += (
            f"; {len(outcome.conflicts)} not saved: changed by someone else after you opened the page "
            f"({', '.join(conflict.describe() for conflict in outcome.conflicts[:5])})"
        )
    return _back(request, message)
