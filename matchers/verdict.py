"""The Verdict contract (ARCHITECTURE.md, "Data contracts"): one per listing, saying what was checked."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

NOT_REGULATED = "not_regulated"
CERTIFIED = "certified"
INVALID_LICENCE = "invalid_licence"
UNCERTIFIED = "uncertified"
UNVERIFIABLE = "unverifiable"

VERDICTS = (NOT_REGULATED, CERTIFIED, INVALID_LICENCE, UNCERTIFIED, UNVERIFIABLE)
FLAGGED_VERDICTS = frozenset({INVALID_LICENCE, UNCERTIFIED, UNVERIFIABLE})
# Investigators work the most serious flags first (issue 6): a false licence claim before a missing one.
PRIORITY = {INVALID_LICENCE: 0, UNCERTIFIED: 1, UNVERIFIABLE: 2, CERTIFIED: 3, NOT_REGULATED: 4}


@dataclass
class Verdict:
    listing_id: str
    verdict: str
    tis_number: str | None = None
    """The mandatory standard the product falls under (None if not regulated)."""
    licence_no: str | None = None
    """The registry licence matched or cited (None if none)."""
    score: float = 0.0
    """Confidence 0–100 of the match behind the verdict."""
    reasons: list[str] = field(default_factory=list)
    """Machine-readable reason codes (`brand_match`, `licence_revoked`, …) and, last, a human sentence."""

    @property
    def flagged(self) -> bool:
        return self.verdict in FLAGGED_VERDICTS

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["flagged"] = self.flagged
        order = ("listing_id", "verdict", "flagged", "tis_number", "licence_no", "score", "reasons")
        return {key: data[key] for key in order}
