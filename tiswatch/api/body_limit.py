"""413 for request bodies over a limit, on the API's paths only (pure ASGI, before any parsing).

A declared Content-Length over the limit is answered at once; a chunked body is counted as it
arrives and cut off at the limit, so a client cannot make the server buffer more than the limit.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send


def too_large_message(limit: int) -> str:
    return f"request body over the limit of {limit:,} bytes: send fewer or shorter drafts"


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, prefix: str, limit_for: Callable[[str], int]) -> None:
        self.app = app
        self.prefix = prefix
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _send_413(send, limit)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # FastAPI re-raises HTTPExceptions from body reading; the route answers it as 413.
                    raise HTTPException(status_code=413, detail=too_large_message(limit))
            return message

        await self.app(scope, limited_receive, send)


async def _send_413(send: Send, limit: int) -> None:
    body = json.dumps({"detail": too_large_message(limit), "errors": []}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
