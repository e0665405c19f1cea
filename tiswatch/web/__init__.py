"""The investigators' review desk (HTML pages), mounted on the server by `install`."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

    from tiswatch.server import ServerConfig


def install(app: FastAPI, config: ServerConfig) -> None:
    """Adds the desk's routes to the server (built in issue 15)."""
