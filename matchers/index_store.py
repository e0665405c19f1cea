"""The built registry index persisted per registry version, so a process that starts again on the same
registry (a crawl, `tiswatch match`, the check API) loads it instead of rebuilding it.

Two ways to name a stored index:
- `load_or_build(licences, cache_dir)`: the file name is a digest of the licences themselves (for a
  registry read from a CSV file, `tiswatch match --index-cache`);
- `read_index(path, key)` / `write_index(path, key, index)`: the caller names it by a key it can compute
  without reading the licences (the check API: a database's registry version, `pipelines.index_cache`),
  so a start-up that finds the file never reads the registry's rows at all.

Every key also covers the code fingerprint: the source of the modules that compute the index's keys and
the word lists in `standards_data/wordlists/` (a code change that alters a key makes a new file, never a
stale read).

A file is verified before it is trusted: a header line (format, key, payload length, payload SHA-256)
and the pickled index. A truncated, damaged or other-key file is never unpickled; it is reported
(`IndexCacheError`, one line) and rebuilt. Files are written to a temporary name and renamed, so
concurrent processes never read a half-written index. The folder must be writable only by the user
that runs tiswatch (the payload is a pickle, as trusted as the code).

    index = load_or_build(licences, Path("~/.cache/tiswatch").expanduser())
"""

from __future__ import annotations

import hashlib
import json
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
# First bytes of a stored index; the number changes when the file layout does.
MAGIC = b"tiswatch-registry-index 2\n"


class IndexCacheError(Exception):
    """A stored index that cannot be trusted (damaged, truncated, of another key); the message says why."""


@cache
def code_fingerprint() -> bytes:
    """A digest of the code and word lists that compute the index's keys."""
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
    digest = hashlib.sha256(code_fingerprint())
    for lic in licences:
        fields = (lic.licence_no, lic.licence_type, lic.tis_number, lic.licensee, lic.brand, *lic.models)
        digest.update("\x1f".join((*fields, lic.issued, lic.status)).encode() + b"\x1e")
    return digest.hexdigest()[:32]


def read_index(path: Path, key: str) -> RegistryIndex:
    """The index stored at `path` under `key`. Raises FileNotFoundError when there is none, and
    IndexCacheError when the file is not a complete, unaltered index of that key."""
    with open(path, "rb") as handle:
        data = handle.read()
    if not data.startswith(MAGIC):
        raise IndexCacheError(f"index cache {path}: not a tiswatch index file")
    header_end = data.find(b"\n", len(MAGIC))
    try:
        header = json.loads(data[len(MAGIC) : header_end])
        stored_key, length, sha256 = header["key"], int(header["length"]), str(header["sha256"])
    except (ValueError, KeyError, TypeError) as error:
        raise IndexCacheError(f"index cache {path}: unreadable header ({error})") from None
    if stored_key != key:
        raise IndexCacheError(f"index cache {path}: holds another registry version's index")
    payload = memoryview(data)[header_end + 1 :]
    if len(payload) != length or hashlib.sha256(payload).hexdigest() != sha256:
        raise IndexCacheError(f"index cache {path}: damaged or truncated (checksum mismatch)")
    try:
        # The payload is the bytes this module wrote (checksum verified): unpickling it is as safe as
        # the folder it lives in. Collection paused: the load creates several objects per licence.
        with collector_paused():
            index = pickle.loads(payload)
    except Exception as error:  # a payload pickled by other code (a renamed class) fails in many ways
        raise IndexCacheError(f"index cache {path}: cannot be loaded ({type(error).__name__})") from None
    if not isinstance(index, RegistryIndex):
        raise IndexCacheError(f"index cache {path}: holds no registry index")
    return index


def write_index(path: Path, key: str, index: RegistryIndex) -> None:
    """Store `index` under `key` at `path` (atomically: written aside, then renamed). Raises OSError."""
    payload = pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL)
    header = json.dumps(
        {"key": key, "length": len(payload), "sha256": hashlib.sha256(payload).hexdigest()}
    ).encode()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=".registry-index-", dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as out:
            out.write(MAGIC + header + b"\n")
            out.write(payload)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def load_or_build(licences: Sequence[Licence], cache_dir: Path) -> RegistryIndex:
    """The index of these licences: read from `cache_dir` when built before, else built and stored."""
    key = registry_digest(licences)
    path = cache_dir / f"registry-index-{key}.pickle"
    try:
        return read_index(path, key)
    except FileNotFoundError:
        pass
    except (IndexCacheError, OSError) as error:
        log.warning("%s; rebuilding it", error)
    index = RegistryIndex(licences)
    try:
        write_index(path, key, index)
    except OSError as error:
        log.warning("cannot write index cache in %s (%s); continuing without it", cache_dir, error)
    return index
