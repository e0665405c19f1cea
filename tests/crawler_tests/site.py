"""A small web site on 127.0.0.1 for crawl tests: routes set by each test, every request recorded.

Routes match on the path and on the query parameters they name (other parameters are ignored), so a
test can answer `/api/v4/search/search_items?keyword=ปลั๊กพ่วง&newest=0` differently from
`…&newest=60`. Unknown paths get a 404; `robots.txt` is a 404 too (everything allowed) unless set.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Answer:
    body: bytes
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Route:
    path: str
    query: dict[str, str]
    answer: Answer | Callable[[], Answer]


class TestSite:
    """Context manager running the site in a background thread; `base_url` is where it listens."""

    __test__ = False  # not a pytest test class

    def __init__(self) -> None:
        self.routes: list[Route] = []
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.request_times: list[tuple[str, float]] = []
        """(path, time.monotonic()) of every request, for politeness checks."""
        self._lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # http.server's name
                parts = urlsplit(self.path)
                query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
                with site._lock:
                    site.requests.append((parts.path, query))
                    site.request_times.append((parts.path, time.monotonic()))
                answer = site.answer_for(parts.path, query)
                self.send_response(answer.status)
                self.send_header("Content-Type", answer.content_type)
                self.send_header("Content-Length", str(len(answer.body)))
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(answer.body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> TestSite:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- routes --------------------------------------------------------------------------------------
    def add(self, path: str, answer: Answer | Callable[[], Answer], **query: Any) -> None:
        # Newest first: a later route for the same URL replaces an earlier one.
        self.routes.insert(0, Route(path, {key: str(value) for key, value in query.items()}, answer))

    def json(self, path: str, data: Any, status: int = 200, **query: Any) -> None:
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
        self.add(path, Answer(body, status, "application/json; charset=utf-8"), **query)

    def html(
        self, path: str, html: str | bytes, status: int = 200, charset: str = "utf-8", **query: Any
    ) -> None:
        body = html.encode(charset) if isinstance(html, str) else html
        self.add(path, Answer(body, status, f"text/html; charset={charset}"), **query)

    def answer_for(self, path: str, query: dict[str, str]) -> Answer:
        for route in self.routes:
            if route.path == path and all(query.get(key) == value for key, value in route.query.items()):
                return route.answer() if callable(route.answer) else route.answer
        return Answer(b"<html><body>not found</body></html>", 404)

    def hits(self, path: str) -> int:
        with self._lock:
            return sum(1 for seen, _ in self.requests if seen == path)
