"""A platform's draft as the matcher's listing dict, and the draft's hash for the audit log."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from tiswatch.api.schemas import Draft

# Draft fields the Listing contract does not have go where the matcher reads such facts: the spec
# table (names the matcher recognises as model / licence / category) and, for alt texts, the
# description.
_ATTRIBUTE_NAMES = {"model": "model", "licence_no": "TISI licence", "category": "category"}


def listing_from_draft(draft: Draft) -> dict[str, Any]:
    listing = draft.model_dump(
        exclude_none=True, exclude={"model", "licence_no", "category", "image_alt_texts"}
    )
    if "listing_id" in listing:
        listing["listing_id"] = str(listing["listing_id"])
    extra = {
        name: getattr(draft, field)
        for field, name in _ATTRIBUTE_NAMES.items()
        if getattr(draft, field) not in (None, "")
    }
    if extra:
        attributes = dict(listing.get("attributes") or {})
        for name, value in extra.items():
            attributes.setdefault(name, value)
        listing["attributes"] = attributes
    if draft.image_alt_texts:
        alt = "\n".join(text for text in draft.image_alt_texts if text)
        listing["description"] = f"{listing.get('description', '')}\n{alt}".strip()
    return listing


def draft_digest(draft: Draft) -> str:
    """SHA-256 of the draft's fields (canonical JSON): proves which draft was checked without keeping it."""
    canonical = json.dumps(
        draft.model_dump(exclude_none=True), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()
