"""One ASGI application for people and platforms: `tiswatch serve` runs it.

The review desk (`tiswatch.web`) and the platforms' check API (`tiswatch.api`) each install their routes,
middleware and start-up work on the same FastAPI app through an `install(app, config)` function listed in
`APP_PARTS` below. A new part of the server is one package with an `install` function and one line here.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

from fastapi import FastAPI

# Order matters only for middleware: parts installed later wrap the earlier ones.
APP_PARTS: tuple[str, ...] = (
    "tiswatch.api",
    "tiswatch.web",
)


@dataclass(frozen=True)
class ServerConfig:
    """What every part of the server needs to know; parts read their own options from `options`."""

    db_url: str
    options: dict[str, object] = field(default_factory=dict)


def create_app(config: ServerConfig) -> FastAPI:
    app = FastAPI(title="tiswatch", summary="TIS (มอก.) certification monitor: review desk and check API")
    app.state.config = config
    for module_name in APP_PARTS:
        importlib.import_module(module_name).install(app, config)
    return app
