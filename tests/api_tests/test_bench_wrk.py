"""The check API benchmark's wrk client (`benchmarks/wrk_load.py`): its Lua script sends every draft
in turn with the key, and its reading of wrk's report gets the figures the README quotes."""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from benchmarks.wrk_load import _lua_long_string, parse, run_wrk, write_script, wrk_binary

# wrk 4.1's report, as it printed it against `tiswatch serve` (30,000 licences, 8 connections).
REPORT = """Running 15s test @ http://127.0.0.1:42151
  1 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    11.14ms    3.64ms  46.62ms   77.43%
    Req/Sec   723.47    136.21     1.06k    58.00%
  Latency Distribution
     50%   10.61ms
     75%   12.90ms
     90%   15.04ms
     99%   24.54ms
  10815 requests in 15.01s, 21.38MB read
Requests/sec:    720.32
Transfer/sec:      1.42MB
"""


def test_the_report_gives_requests_time_and_percentiles() -> None:
    result = parse(REPORT)
    assert result.requests == 10815
    assert result.seconds == pytest.approx(15.01)
    assert result.p50 == pytest.approx(0.01061)
    assert result.p99 == pytest.approx(0.02454)
    assert result.errors == 0


def test_errors_and_other_units_are_read() -> None:
    report = (
        REPORT.replace("50%   10.61ms", "50%  812.00us")
        .replace("99%   24.54ms", "99%    1.20s")
        .replace("Requests/sec:", "  Socket errors: connect 0, read 2, write 0, timeout 3\n"
                 "  Non-2xx or 3xx responses: 7\nRequests/sec:")
    )  # fmt: skip
    result = parse(report)
    assert result.p50 == pytest.approx(0.000812)
    assert result.p99 == pytest.approx(1.2)
    assert result.errors == 12


def test_a_report_without_latencies_is_refused() -> None:
    with pytest.raises(ValueError, match="no latency distribution"):
        parse("unable to connect to 127.0.0.1:9 Connection refused\n")


def test_a_body_holding_lua_brackets_stays_one_string() -> None:
    text = 'ปลั๊ก ]] ]=] "quoted"'
    quoted = _lua_long_string(text)
    assert quoted == '[==[ปลั๊ก ]] ]=] "quoted"]==]'
    assert _lua_long_string("tw_key]=]") == "[==[tw_key]=]]==]"
    assert _lua_long_string("ends in ]") == "[=[ends in ]]=]"


@pytest.fixture
def recorder() -> Iterator[tuple[str, list[tuple[str, str, bytes]]]]:
    seen: list[tuple[str, str, bytes]] = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as wrk expects of a server

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            seen.append((self.path, self.headers.get("X-API-Key", ""), body))
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


def test_wrk_sends_each_draft_in_turn_with_the_key(
    tmp_path: Path, recorder: tuple[str, list[tuple[str, str, bytes]]]
) -> None:
    if wrk_binary() is None:
        pytest.skip("wrk is not installed (the benchmark's optional client: apt-get install wrk)")
    url, seen = recorder
    drafts: list[dict[str, object]] = [
        {"listing_id": "a", "title": "ปลั๊กพ่วง ]] มอก.2432-2555"},
        {"listing_id": "b", "title": 'หมวกกันน็อค "เต็มใบ"'},
        {"listing_id": "c", "title": "ขวดนม"},
    ]
    script = write_script(tmp_path, drafts, "tw_key]=]", "/api/v1/check")
    result = run_wrk(url, script, 1.0, 1)
    assert result.requests >= 3 and result.errors == 0
    assert {path for path, _, _ in seen} == {"/api/v1/check"}
    assert {key for _, key, _ in seen} == {"tw_key]=]"}
    # In turn (wrk may build one request before the run starts, so the cycle can begin anywhere).
    ids = [json.loads(body)["listing_id"] for _, _, body in seen]
    following = {"a": "b", "b": "c", "c": "a"}
    assert all(following[now] == after for now, after in itertools.pairwise(ids))
    assert set(ids) == {"a", "b", "c"}
    titles = {json.loads(body)["title"] for _, _, body in seen}
    assert titles == {"ปลั๊กพ่วง ]] มอก.2432-2555", 'หมวกกันน็อค "เต็มใบ"', "ขวดนม"}
