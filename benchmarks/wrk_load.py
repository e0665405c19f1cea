"""Load from `wrk` (Debian's `wrk`, a C HTTP load generator): the bench's client when it is installed.

A Python client measures itself as much as the server: on a 2-core machine the asyncio httpx client
used a core of its own, and its pauses (its own garbage collections, the event loop behind on eight
connections) showed as p99 spikes of 100 ms to 2 s that the server never had (the server, watched
with a gc callback at the same time, made no collection over 10 ms). wrk's event loop in C keeps the
client out of the figures: same server, same drafts, same 8 connections.

wrk sends the drafts in turn through a Lua script (one request body each, cycled) and prints its
latency distribution (`--latency`), which is parsed here.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

_UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}
_PERCENTILE = re.compile(r"^\s*(50|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s|m)\s*$", re.MULTILINE)
_REQUESTS = re.compile(r"^\s*(\d+) requests in ([\d.]+)(us|ms|s|m)", re.MULTILINE)
_NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s*(\d+)")
_SOCKET_ERRORS = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")


@dataclass(frozen=True)
class WrkResult:
    requests: int
    seconds: float
    p50: float
    p99: float
    errors: int


def wrk_binary() -> str | None:
    return shutil.which("wrk")


def _lua_long_string(text: str) -> str:
    """`text` as a Lua long bracket string whose closing bracket does not occur in it."""
    level = 0
    # The text followed by the closing bracket must not close early (a text ending in "]" would).
    while f"]{'=' * level}]" in text + "]":
        level += 1
    return f"[{'=' * level}[{text}]{'=' * level}]"


def write_script(folder: Path, drafts: list[dict[str, object]], key: str, path: str) -> Path:
    bodies = ",\n".join(_lua_long_string(json.dumps(draft, ensure_ascii=False)) for draft in drafts)
    script = folder / "check.lua"
    script.write_text(
        f"""local bodies = {{
{bodies}
}}
local next_body = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-API-Key"] = {_lua_long_string(key)}
request = function()
  next_body = next_body % #bodies + 1
  return wrk.format(nil, {_lua_long_string(path)}, nil, bodies[next_body])
end
""",
        encoding="utf-8",
    )
    return script


def _seconds(number: str, unit: str) -> float:
    return float(number) * _UNITS[unit]


def parse(output: str) -> WrkResult:
    percentiles = {int(p): _seconds(n, u) for p, n, u in _PERCENTILE.findall(output)}
    requests = _REQUESTS.search(output)
    if requests is None or set(percentiles) != {50, 99}:
        raise ValueError(f"wrk printed no latency distribution:\n{output}")
    non_2xx = _NON_2XX.search(output)
    sockets = _SOCKET_ERRORS.search(output)
    errors = (int(non_2xx.group(1)) if non_2xx else 0) + (
        sum(int(n) for n in sockets.groups()) if sockets else 0
    )
    return WrkResult(
        requests=int(requests.group(1)),
        seconds=_seconds(requests.group(2), requests.group(3)),
        p50=percentiles[50],
        p99=percentiles[99],
        errors=errors,
    )


def run_wrk(base_url: str, script: Path, seconds: float, connections: int) -> WrkResult:
    binary = wrk_binary()
    assert binary is not None, "wrk is not installed (apt-get install wrk)"
    duration = f"-d{max(1, round(seconds))}s"
    command = [binary, "-t1", f"-c{connections}", duration, "--latency", "-s", str(script), base_url]
    finished = subprocess.run(command, capture_output=True, text=True, check=True)
    return parse(finished.stdout)
