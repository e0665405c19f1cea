"""Small readers for the demo market's answers, written independently of the market's own code."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any


@dataclass
class Fetched:
    status: int
    content_type: str
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))

    @property
    def text(self) -> str:
        charset = re.search(r"charset=([\w-]+)", self.content_type)
        return self.body.decode(charset.group(1) if charset else "utf-8")


def fetch(url: str, timeout: float = 10.0) -> Fetched:
    """GET `url`; HTTP errors are answers too (a 403 block, a 500 page)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return Fetched(response.status, response.headers.get("Content-Type", ""), response.read())
    except urllib.error.HTTPError as error:
        return Fetched(error.code, error.headers.get("Content-Type", ""), error.read())


def balanced_object(text: str, marker: str) -> str:
    """The `{…}` literal after `marker`, cut by balanced braces outside strings (how a spider must cut
    `__moduleData__`, whose descriptions contain `};`). Raises ValueError when it never closes."""
    start = text.index("{", text.index(marker))
    depth, in_string, escaped = 0, False, False
    for position in range(start, len(text)):
        char = text[position]
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return text[start : position + 1]
    raise ValueError(f"{marker}: object never closes")


def json_ld_blocks(page: str) -> list[str]:
    return re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, flags=re.S)
