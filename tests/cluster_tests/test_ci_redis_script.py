"""`.ci/redis.sh` as `.ci/run` uses it: sourced under `set -euo pipefail`, it starts a private server and,
when the script ends, stops it and removes its folder without changing the script's exit code and
after any EXIT trap set before it (PostgreSQL's). A clean-up that failed once turned a green CI red."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.cluster_tests.conftest import REDIS_ENV, REPO, _missing

SCRIPT = """
set -euo pipefail
trap 'echo earlier-trap-ran > "$OUT/earlier"' EXIT
. .ci/redis.sh
echo "$TISWATCH_REDIS_BASE" > "$OUT/base"
cat "$TISWATCH_REDIS_BASE/redis.pid" > "$OUT/pid"
echo "$TISWATCH_TEST_REDIS_URL" > "$OUT/url"
exit "$CODE"
"""


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and "Z" not in _state(pid)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1].split()[0]
    except (OSError, IndexError):
        return "Z"


@pytest.mark.parametrize("code", [0, 3])
def test_server_stops_folder_goes_and_exit_code_is_kept(tmp_path: Path, code: int) -> None:
    if shutil.which("redis-server") is None:
        _missing("no redis-server is installed (run .ci/redis.sh)")
    env = {k: v for k, v in os.environ.items() if k != REDIS_ENV}
    env.update(OUT=str(tmp_path), CODE=str(code))
    finished = subprocess.run(
        ["bash", "-c", SCRIPT], cwd=REPO, env=env, capture_output=True, text=True, timeout=60
    )
    assert finished.returncode == code, finished.stderr
    assert "server up" in finished.stderr
    assert (tmp_path / "url").read_text().startswith("unix:///tmp/tiswatch-redis.")
    assert (tmp_path / "earlier").read_text().strip() == "earlier-trap-ran"
    assert not Path((tmp_path / "base").read_text().strip()).exists()
    assert not _pid_alive(int((tmp_path / "pid").read_text()))
    assert "could not remove" not in finished.stderr
