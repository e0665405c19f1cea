"""Decisions typed into an existing flagged.xlsx that the database does not hold yet.

An export replaces flagged.xlsx; if an investigator filled in `decision`/`note` there and has not run
`tiswatch review import`, that work would be lost. `unimported_decisions(store, path)` counts such
rows: a decision or note that differs from the listing's stored decision, or a decision on a listing
this database does not know.
"""

from __future__ import annotations

from pathlib import Path

from pipelines.store.history import HistoryStore
from standards_data.outside_text import spreadsheet_text


class UnimportedDecisions(Exception):
    """The folder's flagged.xlsx holds decisions not imported; the message says what to do."""

    def __init__(self, path: Path, count: int) -> None:
        super().__init__(
            f"{path} holds {count} decision(s) not yet imported; run `tiswatch review import {path}` "
            "first, or give --force to overwrite it"
        )
        self.path = path
        self.count = count


def unimported_decisions(store: HistoryStore, path: Path) -> int:
    if not path.is_file():
        return 0
    from pipelines.review import ReviewImportError, read_review_rows  # review imports the exports

    try:
        rows, _problems, _blank = read_review_rows(path)
    except ReviewImportError:
        return 0  # not a workbook the review import could read: nothing in it can be imported anyway
    keys = store.listing_keys(
        (row.platform, row.listing_id) for row in rows if row.platform and row.listing_id
    )
    stored = store.latest_decisions()
    pending = 0
    for row in rows:
        key = keys.get((row.platform, row.listing_id))
        current = stored.get(key) if key is not None else None
        # Compare with the note as the export writes it (control characters removed, length cut).
        if (
            current is None
            or current.decision != row.decision
            or spreadsheet_text(current.note or "", quote_formulas=False).strip() != row.note
        ):
            pending += 1
    return pending
