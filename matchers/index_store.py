"""The built registry index persisted per registry version, so a process that starts again on the same
registry (a crawl, `tiswatch match`, the check API after a hot swap) loads it instead of rebuilding it.

The file name is a digest of everything the index is built from: every licence's fields, the word lists
in `standards_data/wordlists/`, and the source of the modules that compute its keys (a code change that
alters a key makes a new file, never a stale read). Files are written to a temporary name and renamed,
so concurrent processes never read a half-written index; an unreadable file is rebuilt and replaced.

    index = load_or_build(licences, Path("~/.cache/tiswatch").expanduser())
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from matchers.registry_index import RegistryIndex, collector_paused
from standards_data.registry import Licence
from standards_data.resources import package_folder

log = logging.getLogger(__name__)

# Modules whose code decides the index's keys and aliases.
_KEY_MODULES = ("brands", "licensees", "registry_index", "extract", "normalize", "trie", "tokenize")


@cache
def _code_fingerprint() -> bytes:
    digest = hashlib.sha256()
    matchers_dir = Path(__file__).resolve().parent
    for name in _KEY_MODULES:
        digest.update((matchers_dir / f"{name}.py").read_bytes())
    wordlists = package_folder("standards_data") / "wordlists"
    for path in sorted(wordlists.glob("*.txt")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.digest()


def registry_digest(licences: Sequence[Licence]) -> str:
    """A digest of the licences and of the code and word lists that index them."""
    digest = hashlib.sha256(_code_fingerprint())
    for lic in licences:
        fields = (lic.licence_no, lic.licence_type, lic.tis_number, lic.licensee, lic.brand, *lic.models)
        digest.update("\x1f".join((*fields, lic.issued, lic.status)).encode() + b"\x1e")
    return digest.hexdigest()[:32]


def load_or_build(licences: Sequence[Licence], cache_dir: Path) -> RegistryIndex:
    """The index of these licences: read from `cache_dir` when built before, else built and stored."""
    path = cache_dir / f"registry-index-{registry_digest(licences)}.pickle"
    if path.exists():
        try:
            with open(path, "rb") as handle, collector_paused():
                index = pickle.load(handle)
            if isinstance(index, RegistryIndex):
                return index
            log.warning("index cache %s holds no registry index; rebuilding it", path)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError) as error:
            log.warning("index cache %s is unreadable (%s); rebuilding it", path, error)
    index = RegistryIndex(licences)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(prefix=".registry-index-", dir=cache_dir)
        with os.fdopen(descriptor, "wb") as out:
            pickle.dump(index, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except OSError as error:
        log.warning("cannot write index cache in %s (%s); continuing without it", cache_dir, error)
    return index
