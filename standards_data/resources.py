"""Package folders as real folders on disk, also when the code runs from a zipped egg.

Scrapyd runs a deployed project from its egg (a zip file on `sys.path`): the bundled CSV files and the
Alembic migrations are then zip members, which `open()` and Alembic cannot read. For such a package the
folder is extracted once per process into a temporary folder, removed at exit; an installed or checked-out
package is used where it is.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import cache
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path


@cache
def package_folder(package: str) -> Path:
    """The folder of `package` (a dotted name) on disk, extracted from its zip when it has to be."""
    root = resources.files(package)
    if isinstance(root, Path) and root.is_dir():
        return root
    target = Path(tempfile.mkdtemp(prefix=f"tiswatch-{package.replace('.', '-')}-"))
    atexit.register(shutil.rmtree, target, ignore_errors=True)
    _copy(root, target)
    return target


def _copy(source: Traversable, target: Path) -> None:
    for entry in source.iterdir():
        if entry.name == "__pycache__":
            continue
        if entry.is_dir():
            (target / entry.name).mkdir()
            _copy(entry, target / entry.name)
        else:
            (target / entry.name).write_bytes(entry.read_bytes())
