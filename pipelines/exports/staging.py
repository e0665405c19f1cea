"""Write an export into a private folder and swap it in only when every file is complete.

`staging_folder(out)` makes `out/.tiswatch-export-<random>/` (unique per export, so exports running
at once into one folder never share a temporary file), holds a lock on it while the export runs, and
removes it afterwards. Before that it removes the folders of exports that were killed (their lock is
free); a folder whose lock is held belongs to an export still running and is left alone.
`swap_in(staging, out)` then moves each file into place with `os.replace`, so a reader sees the old
file or the new one, never half of one, and a failed export leaves the old files untouched.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

STAGING_PREFIX = ".tiswatch-export-"
LOCK_NAME = ".lock"
# A folder without its lock file is one being created this instant, or the leftover of an export
# killed between mkdtemp and the lock: removed once it is this old.
_UNLOCKED_GRACE_SECONDS = 60


def remove_leftovers(out: Path) -> int:
    """Remove the staging folders of exports that died; returns how many were removed."""
    removed = 0
    for folder in out.glob(STAGING_PREFIX + "*"):
        lock_path = folder / LOCK_NAME
        try:
            handle = open(lock_path, "a")  # noqa: SIM115 — closed below
        except FileNotFoundError:
            try:
                stale = time.time() - folder.stat().st_mtime > _UNLOCKED_GRACE_SECONDS
            except FileNotFoundError:
                continue
            if stale:
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
            continue
        except OSError:
            continue
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:  # another export is writing there now
            handle.close()
            continue
        shutil.rmtree(folder, ignore_errors=True)
        handle.close()
        removed += 1
    return removed


@contextmanager
def staging_folder(out: Path) -> Iterator[Path]:
    out.mkdir(parents=True, exist_ok=True)
    remove_leftovers(out)
    folder = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out))
    lock = open(folder / LOCK_NAME, "w")  # noqa: SIM115 — held for the whole export
    fcntl.flock(lock, fcntl.LOCK_EX)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        lock.close()


def swap_in(staging: Path, out: Path) -> list[Path]:
    """Move every file of `staging` to the same place under `out`; returns the targets."""
    moved = []
    for path in sorted(staging.rglob("*")):
        if path.is_dir() or path.name == LOCK_NAME:
            continue
        target = out / path.relative_to(staging)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)
        moved.append(target)
    return moved
