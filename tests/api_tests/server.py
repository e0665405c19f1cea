"""`tiswatch serve` as a real server process on 127.0.0.1 (an ephemeral port), for the API's tests and
its benchmark."""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import httpx

from tiswatch.cli import main as tiswatch

_LISTENING = re.compile(r"Uvicorn running on http://127\.0\.0\.1:(\d+)")


def tiswatch_output(*argv: str) -> tuple[int, str]:
    """Run a `tiswatch` command in this process; returns its exit status and what it printed."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        status = tiswatch(list(argv))
    return status, out.getvalue()


def add_key(db_url: str, name: str, rate: float = 10_000) -> str:
    """A new API key (the last line `tiswatch api-keys add` prints)."""
    status, printed = tiswatch_output("api-keys", "add", name, "--rate", str(rate), "--db", db_url)
    assert status == 0, printed
    return printed.strip().splitlines()[-1]


class ServerProcess:
    """`tiswatch serve --db URL --port 0`; `url` once it listens, `started_in` seconds to ready."""

    def __init__(self, db_url: str, timeout: float = 120.0, args: Sequence[str] = ()) -> None:
        self.log = tempfile.NamedTemporaryFile(prefix="tiswatch-serve-", suffix=".log", delete=False)  # noqa: SIM115
        started = time.perf_counter()
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tiswatch.cli",
                "serve",
                "--db",
                db_url,
                "--port",
                "0",
                "--log-level",
                "info",
                *args,
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=Path(__file__).resolve().parents[2],
        )
        self.url = self._wait_listening(timeout)
        self.api = f"{self.url}/api/v1"
        self.started_in = time.perf_counter() - started

    def _wait_listening(self, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"tiswatch serve exited {self.process.returncode}:\n{self.output()}")
            found = _LISTENING.search(self.output())
            if found:
                url = f"http://127.0.0.1:{found.group(1)}"
                if httpx.get(f"{url}/api/v1/health", timeout=10).status_code == 200:
                    return url
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"tiswatch serve did not start within {timeout} s:\n{self.output()}")

    def output(self) -> str:
        return Path(self.log.name).read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        with contextlib.suppress(OSError):
            os.unlink(self.log.name)


@contextlib.contextmanager
def running_server(db_url: str) -> Iterator[ServerProcess]:
    server = ServerProcess(db_url)
    try:
        yield server
    finally:
        server.stop()


class LoadThread(threading.Thread):
    """Sends checks in a loop until stopped, keeping every status code it got."""

    def __init__(self, api: str, key: str, drafts: Sequence[Mapping[str, object]]) -> None:
        super().__init__(daemon=True)
        self.api, self.key, self.drafts = api, key, drafts
        self.statuses: list[int] = []
        self.answers: list[dict[str, object]] = []
        self.stopping = threading.Event()

    def run(self) -> None:
        with httpx.Client(base_url=self.api, headers={"X-API-Key": self.key}, timeout=60) as client:
            index = 0
            while not self.stopping.is_set():
                response = client.post("/check", json=self.drafts[index % len(self.drafts)])
                self.statuses.append(response.status_code)
                if response.status_code == 200:
                    self.answers.append(response.json())
                index += 1

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=60)
