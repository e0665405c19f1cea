"""Adjustment after the verdict: a flag that rests on a search card alone says so — a licence number a
seller writes in the product page's spec table or description was not seen (the page was blocked,
unreadable…) — and its score is capped."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from matchers.verdict import UNCERTIFIED, UNVERIFIABLE, Verdict

MAX_SCORE_WITHOUT_DETAIL_PAGE = 60.0


def adjust(verdict: Verdict, listing: Mapping[str, Any]) -> None:
    missing = listing.get("detail_page_missing")
    if not missing or verdict.verdict not in (UNCERTIFIED, UNVERIFIABLE):
        return
    why = str(missing)
    sentence = verdict.reasons.pop() if verdict.reasons else ""
    verdict.reasons.append(f"detail_page_not_read: the product page was {why}; judged from the search card")
    verdict.reasons.append(
        f"{sentence} Its product page was not read ({why}): a licence number written only there was not seen."
    )
    verdict.score = min(verdict.score, MAX_SCORE_WITHOUT_DETAIL_PAGE)
