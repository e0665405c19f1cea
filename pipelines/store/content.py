"""Content hash of a listing: what the matcher judges, not what moves every day.

Title, description, brand and the spec table decide a verdict; price, units sold, rating and crawl time
change without the product changing. A dismissal holds while this hash is unchanged (issue 6), and a
verdict is reused for the same hash and registry.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

CONTENT_FIELDS = ("title", "description", "brand", "attributes")


def _normalise(value: Any) -> Any:
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, Mapping):
        return {
            str(key).strip(): _normalise(item)
            for key, item in sorted(value.items(), key=lambda kv: str(kv[0]))
        }
    if isinstance(value, list | tuple):
        return [_normalise(item) for item in value]
    return value


def content_hash(listing: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the listing's judged content, insensitive to whitespace and key order."""
    content = {
        name: _normalise(listing.get(name) or ("" if name != "attributes" else {})) for name in CONTENT_FIELDS
    }
    payload = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
