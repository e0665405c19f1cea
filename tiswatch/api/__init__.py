"""The platforms' pre-listing check API (`/api/v1/...`), mounted on the server by `install`."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

    from tiswatch.server import ServerConfig


def install(app: FastAPI, config: ServerConfig) -> None:
    """Adds the API's routes to the server (built in issue 16)."""
