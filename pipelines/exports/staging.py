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
STARTING_PREFIX = ".tiswatch-starting-"
LOCK_NAME = ".lock"
# A folder still under its starting name is one being set up this instant, or the leftover of an
# export killed before it took its lock: removed once it is this old.
_UNLOCKED_GRACE_SECONDS = 60


def remove_leftovers(out: Path) -> int:
    """Remove the staging folders of exports that died; returns how many were removed."""
    removed = 0
    for folder in out.glob(STAGING_PREFIX + "*"):
        if _lock_is_free(folder / LOCK_NAME):
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    for folder in out.glob(STARTING_PREFIX + "*"):
        try:
            stale = time.time() - folder.stat().st_mtime > _UNLOCKED_GRACE_SECONDS
        except FileNotFoundError:
            continue
        if stale:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


def _lock_is_free(lock_path: Path) -> bool:
    """True when no live export holds this lock. The file is opened read-only, never created: a
    staging folder only gets its name once its lock is held (see `staging_folder`), so a missing
    lock file means a broken folder, not one being set up."""
    try:
        descriptor = os.open(lock_path, os.O_RDONLY)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:  # another export is writing there now
        return False
    finally:
        os.close(descriptor)
    return True


@contextmanager
def staging_folder(out: Path) -> Iterator[Path]:
    out.mkdir(parents=True, exist_ok=True)
    remove_leftovers(out)
    # The folder is made under a name other exports do not clean by lock, locked, and only then
    # renamed to its staging name: a folder under STAGING_PREFIX always has its lock held while its
    # export lives (the lock is on the file, so it survives the rename).
    starting = Path(tempfile.mkdtemp(prefix=STARTING_PREFIX, dir=out))
    lock = open(starting / LOCK_NAME, "w")  # noqa: SIM115 — held for the whole export
    fcntl.flock(lock, fcntl.LOCK_EX)
    folder = out / (STAGING_PREFIX + starting.name.removeprefix(STARTING_PREFIX))
    os.rename(starting, folder)
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
