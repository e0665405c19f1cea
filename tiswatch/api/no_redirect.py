"""The API never redirects: a path under /api/v1 with a trailing slash is answered 404 (JSON, saying so).

Starlette would answer `POST /api/v1/check/` with a 307 to `/api/v1/check`; clients differ in whether
they re-send a POST's body to a redirect (and a 3xx is no answer a platform's code expects), so the
API names the mistake instead. The review desk's pages keep the redirect (browsers follow a GET's).
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from tiswatch.api.errors import problem_response


class NoTrailingSlashMiddleware:
    def __init__(self, app: ASGIApp, prefix: str) -> None:
        self.app = app
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope["path"] if scope["type"] == "http" else ""
        if path.startswith(self.prefix) and path.endswith("/"):
            response = problem_response(
                404, f"no endpoint at {path}: the API's paths have no trailing slash ({path.rstrip('/')})"
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)
