"""The product vocabulary to match with: the newest version imported into the database, else the bundled file.

Officers import vocabulary files with `tiswatch registry vocabulary import` (validated and versioned by
`standards_data.registry_import.vocabulary`); this module turns the stored rows back into a
`Vocabulary` through the matcher's own reader, so a stored vocabulary and the bundled file are read
by the same code.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from sqlalchemy import Engine

from matchers.vocabulary import Vocabulary, load_vocabulary, read_vocabulary_rows
from standards_data.registry_import.vocabulary import export_vocabulary


def stored_vocabulary(engine: Engine, version: int | None = None) -> Vocabulary | None:
    """Vocabulary of stored version `version` (default: newest), or None if none was imported."""
    with tempfile.TemporaryDirectory(prefix="tiswatch-vocab-") as folder:
        path = Path(folder) / "vocabulary.csv"
        if export_vocabulary(engine, path, version) is None:
            return None
        return Vocabulary(read_vocabulary_rows(path))


def current_vocabulary(engine: Engine | None) -> Vocabulary:
    """What the matcher should use: the newest stored vocabulary, else the bundled file."""
    if engine is not None:
        vocabulary = stored_vocabulary(engine)
        if vocabulary is not None:
            return vocabulary
    return load_vocabulary()
