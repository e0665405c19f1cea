"""Package folders read from a zipped egg (how Scrapyd runs a deployed project)."""

from __future__ import annotations

import importlib
import sys
import zipfile
from pathlib import Path

import pytest

from standards_data.resources import package_folder


@pytest.fixture
def zipped_package(tmp_path: Path) -> str:
    egg = tmp_path / "project.egg"
    with zipfile.ZipFile(egg, "w") as archive:
        archive.writestr("zipped_tiswatch_data/__init__.py", "")
        archive.writestr("zipped_tiswatch_data/vocabulary.csv", "tis_number,term\n2432-2555,ปลั๊กพ่วง\n")
        archive.writestr("zipped_tiswatch_data/versions/__init__.py", "")
        archive.writestr("zipped_tiswatch_data/versions/0001_history.py", "revision = '0001'\n")
    sys.path.insert(0, str(egg))
    importlib.invalidate_caches()
    yield "zipped_tiswatch_data"
    sys.path.remove(str(egg))
    sys.modules.pop("zipped_tiswatch_data", None)


def test_a_zipped_package_is_extracted_to_a_real_folder(zipped_package: str) -> None:
    folder = package_folder(zipped_package)
    assert folder.is_dir() and ".egg" not in str(folder)
    assert (folder / "vocabulary.csv").read_text(encoding="utf-8").splitlines()[1] == "2432-2555,ปลั๊กพ่วง"
    assert (folder / "versions" / "0001_history.py").read_text() == "revision = '0001'\n"
    assert package_folder(zipped_package) == folder  # once per process


def test_an_installed_package_is_used_where_it_is() -> None:
    import standards_data

    assert package_folder("standards_data") == Path(standards_data.__file__).resolve().parent
