"""Error answers of the API: one line saying what is wrong and where, plus the list of every problem.

The API's routes use `ApiRoute`, which turns validation errors into 422s naming the field
(`listings[3].title: Field required`) and HTTP errors into the same JSON shape — on the API's own
routes only, so the review desk sharing the server keeps its own error pages.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException

# Pydantic names the member of a union a value failed (`attributes.a.str`); the field is what matters.
_UNION_TAGS = frozenset({"str", "int", "float", "bool", "none"})


def field_path(loc: Sequence[Any]) -> str:
    """`('body', 'listings', 3, 'title')` → `listings[3].title`; the body itself is `body`."""
    parts = list(loc[1:]) if loc and loc[0] in ("body", "path", "query", "header") else list(loc)
    if loc and loc[0] == "body" and len(loc) == 2 and isinstance(loc[1], int):
        return "body"  # a JSON decode error: loc is ('body', character position)
    path = ""
    for part in parts:
        if part in _UNION_TAGS:
            continue
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or (str(loc[0]) if loc else "body")


def _describe(error: dict[str, Any]) -> dict[str, str]:
    where = field_path(error.get("loc", ()))
    if error.get("type") == "json_invalid":
        reason = (error.get("ctx") or {}).get("error", "")
        return {"field": "body", "message": f"not valid JSON ({reason})" if reason else "not valid JSON"}
    if where == "body" and error.get("type") == "missing":
        return {"field": "body", "message": "missing: send a JSON object"}
    return {"field": where, "message": str(error.get("msg", "invalid"))}


def problem_response(
    status: int,
    detail: str,
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    return JSONResponse({"detail": detail, "errors": errors or []}, status_code=status, headers=headers)


def validation_response(errors: Sequence[Any], content_type: str | None = None) -> JSONResponse:
    if content_type and "json" not in content_type.lower():
        message = f"not JSON (Content-Type {content_type}): send a JSON object as application/json"
        return problem_response(422, f"body: {message}", [{"field": "body", "message": message}])
    merged: dict[str, list[str]] = {}
    for error in errors:
        one = _describe(error)
        messages = merged.setdefault(one["field"], [])
        if one["message"] not in messages:
            messages.append(one["message"])
    described = [{"field": where, "message": " or ".join(messages)} for where, messages in merged.items()]
    first = described[0] if described else {"field": "body", "message": "invalid"}
    more = f" (and {len(described) - 1} more)" if len(described) > 1 else ""
    return problem_response(422, f"{first['field']}: {first['message']}{more}", described)


class ApiRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def answer(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as error:
                return validation_response(error.errors(), request.headers.get("content-type"))
            except HTTPException as error:
                if error.status_code == 400:
                    # FastAPI's answer to a body it cannot decode (not UTF-8): malformed JSON, so a 422.
                    cause = error.__cause__
                    why = "not UTF-8" if isinstance(cause, UnicodeDecodeError) else "unreadable"
                    message = f"not valid JSON ({why})"
                    return problem_response(422, f"body: {message}", [{"field": "body", "message": message}])
                headers = dict(error.headers) if error.headers else None
                return problem_response(error.status_code, str(error.detail), headers=headers)

        return answer
