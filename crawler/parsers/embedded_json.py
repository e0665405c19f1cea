"""Cut a JSON object out of a `<script>` assignment such as `var __moduleData__ = {…};`, or out of a
call such as `app.run({…});` (the object passed as the first argument).

A regex up to the first `};` is wrong: product descriptions are seller-written HTML and contain `};`,
`{`, `}` and escaped quotes inside JSON strings. The object is cut by counting braces outside of
strings, then handed to `json.loads`.
"""

from __future__ import annotations

import json
import re
from typing import Any

from crawler.parsers.values import PageParseError

# A double-quoted JSON string (escapes included) or a single brace. Scanning token by token skips
# whole strings in C instead of walking every character in Python.
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[{}]', re.DOTALL)


def balanced_object_end(text: str, start: int) -> int | None:
    """Index just past the `}` that closes the `{` at `start`, or None when the text ends first."""
    if text[start : start + 1] != "{":
        raise ValueError(f"no '{{' at offset {start}")
    depth = 0
    for token in _TOKENS.finditer(text, start):
        value = token.group()
        if value == "{":
            depth += 1
        elif value == "}":
            depth -= 1
            if depth == 0:
                return token.end()
    return None


def assigned_object(text: str, name: str) -> dict[str, Any] | None:
    """The object literal assigned to JavaScript variable `name` in `text`, parsed as JSON.

    Returns None when there is no such assignment; raises PageParseError when there is one but it is
    cut off (a truncated page) or is not valid JSON.
    """
    pattern = re.compile(rf"(?<![\w$]){re.escape(name)}\s*=\s*(?={{)")
    match = pattern.search(text)
    return None if match is None else _object_at(text, match.end(), f"`{name}`")


def called_object(text: str, function: str) -> dict[str, Any] | None:
    """The object literal passed first to a call of `function` (`app.run({…})`), parsed as JSON.

    None when there is no such call; PageParseError when its object is cut off or is not valid JSON.
    """
    pattern = re.compile(rf"(?<![\w$.]){re.escape(function)}\s*\(\s*(?={{)")
    match = pattern.search(text)
    return None if match is None else _object_at(text, match.end(), f"`{function}(…)`")


def _object_at(text: str, start: int, label: str) -> dict[str, Any]:
    end = balanced_object_end(text, start)
    if end is None:
        raise PageParseError(f"{label} object is not closed (page truncated at {len(text)} characters)")
    try:
        value = json.loads(text[start:end])
    except ValueError as error:
        raise PageParseError(f"{label} is not valid JSON ({error})") from None
    if not isinstance(value, dict):
        raise PageParseError(f"{label} is not a JSON object")
    return value
