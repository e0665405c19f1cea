"""Crawls of hostile and broken sites through `tiswatch crawl` in a subprocess: gzip bombs as pages
and as sitemaps, a host that accepts and never answers, and a crawl stopped by SIGTERM/SIGINT. The
crawl ends, says which limit it hit, and its peak memory stays below the crawl's 300 MB target."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawler.demo_market import DemoMarket
from tests.crawler_tests.site import Answer, TestSite
from tests.hostile_input.hostile import REPO, Finished, gzip_bomb, run_cli

CRAWL_RSS_MB = 300
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY_JITTER=0"]
PRODUCT_PAGE = (
    "<html><head><script type='application/ld+json'>"
    '{"@context": "https://schema.org", "@type": "Product", "name": "ปลั๊กพ่วง 4 ช่อง มอก. 2432-2555",'
    ' "sku": "P-1", "offers": {"@type": "Offer", "price": "259", "priceCurrency": "THB"}}'
    "</script></head><body>ok</body></html>"
)


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return gzip_bomb(1024)  # 1 GiB of spaces in about 1 MB


def _crawl(tmp_path: Path, *arguments: str, settings: tuple[str, ...] = ()) -> tuple[Finished, dict]:
    out = tmp_path / "out"
    result = run_cli(
        "crawl",
        "schema_org",
        *arguments,
        "--out",
        str(out),
        "--db",
        f"sqlite:///{tmp_path / 'runs.sqlite'}",
        *FAST,
        *settings,
        timeout=240,
    )
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    return result, summary


@pytest.mark.slow
def test_a_gzip_bomb_page_is_cut_at_download_maxsize(tmp_path: Path, bomb: bytes) -> None:
    with TestSite() as site:
        site.html("/", PRODUCT_PAGE.replace("ok", "<a href='/products/bomb'>bomb</a>"))
        site.add(
            "/products/bomb", Answer(bomb, 200, "text/html; charset=utf-8", {"Content-Encoding": "gzip"})
        )
        result, summary = _crawl(tmp_path, "-a", f"start_urls={site.base_url}/")
    assert result.status == 1, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert summary["limits_hit"] == {"DOWNLOAD_MAXSIZE": 1}
    assert summary["failed"] >= 1
    assert "limits hit" in result.stdout and "DOWNLOAD_MAXSIZE 1" in result.stdout
    assert result.peak_rss_mb < CRAWL_RSS_MB, result.peak_rss_mb


@pytest.mark.slow
def test_a_gzip_bomb_sitemap_is_cut_at_its_own_limit(tmp_path: Path, bomb: bytes) -> None:
    with TestSite() as site:
        site.add("/sitemap.xml.gz", Answer(bomb, 200, "application/x-gzip"))
        result, summary = _crawl(tmp_path, "-a", f"sitemap={site.base_url}/sitemap.xml.gz")
    assert result.status == 1, result.stderr[-2000:]
    assert summary["limits_hit"] == {"TISWATCH_SITEMAP_MAXSIZE": 1}
    assert summary["parse_errors"] == 1
    assert result.peak_rss_mb < CRAWL_RSS_MB, result.peak_rss_mb


@pytest.fixture
def silent_host() -> Iterator[str]:
    """A TCP server on 127.0.0.1 that accepts every connection, reads, and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            held.append(connection)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    host, port = server.getsockname()
    try:
        yield f"http://{host}:{port}"
    finally:
        stop.set()
        thread.join(timeout=5)
        for connection in held:
            connection.close()
        server.close()


@pytest.mark.slow
def test_a_host_that_never_answers_times_out(tmp_path: Path, silent_host: str) -> None:
    started = time.monotonic()
    result, summary = _crawl(
        tmp_path,
        "-a",
        f"start_urls={silent_host}/",
        settings=("-s", "DOWNLOAD_TIMEOUT=3", "-s", "RETRY_TIMES=0"),
    )
    elapsed = time.monotonic() - started
    assert result.status == 1, result.stderr[-2000:]
    assert summary["status"] in ("failed", "incomplete") and summary["failed"] >= 1
    # robots.txt and the page each wait DOWNLOAD_TIMEOUT once; start-up is the rest.
    assert elapsed < 120, elapsed
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert f"robots.txt of {silent_host} not fetched (DownloadTimeoutError" in result.stderr


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_site_that_refuses_connections_is_one_line_per_failure_not_a_traceback(tmp_path: Path) -> None:
    site = f"http://127.0.0.1:{_closed_port()}"
    result, summary = _crawl(tmp_path, "-a", f"start_urls={site}/", settings=("-s", "RETRY_TIMES=0"))
    assert result.status == 1, result.stderr[-2000:]
    assert summary["status"] == "failed" and summary["failed"] == 1 and summary["pages_fetched"] == 0
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    robots_lines = [line for line in result.stderr.splitlines() if "robots.txt of" in line]
    assert len(robots_lines) == 1, robots_lines
    assert f"robots.txt of {site} not fetched (DownloadConnectionRefusedError" in robots_lines[0]


@pytest.mark.slow
@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_crawl_stopped_by_a_signal_ends_cleanly(tmp_path: Path, stop_signal: signal.Signals) -> None:
    out = tmp_path / "out"
    with DemoMarket(port=0) as market:
        crawl = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tiswatch.cli",
                "crawl",
                "lazada",
                "-a",
                f"base_url={market.base_url}",
                "--out",
                str(out),
                "--db",
                f"sqlite:///{tmp_path / 'runs.sqlite'}",
                "-s",
                "DOWNLOAD_DELAY=0.05",
                "-s",
                "AUTOTHROTTLE_ENABLED=False",
            ],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 90
        while market.request_counts()["lazada_product"] < 5 and time.monotonic() < deadline:
            time.sleep(0.05)
        crawl.send_signal(stop_signal)
        stdout, stderr = crawl.communicate(timeout=120)
    assert crawl.returncode == 1, stderr[-3000:]
    assert "ReactorNotRunning" not in stderr and "Traceback" not in stderr, stderr[-3000:]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["status"] == "interrupted" and summary["finish_reason"] == "shutdown"
    assert "INTERRUPTED" in stdout


def test_a_database_server_that_never_answers_times_out(silent_host: str) -> None:
    """`--db postgresql://…` at a host that accepts and never answers: the connect timeout
    (TISWATCH_DB_CONNECT_TIMEOUT) ends it with one line instead of a hang."""
    address = silent_host.removeprefix("http://")
    started = time.monotonic()
    result = run_cli(
        "runs", "--db", f"postgresql://tiswatch@{address}/x", env={"TISWATCH_DB_CONNECT_TIMEOUT": "2"}
    )
    elapsed = time.monotonic() - started
    assert result.status == 1, result.stderr
    assert len(result.stderr_lines) == 1 and "cannot connect" in result.stderr_lines[0], result.stderr
    assert elapsed < 60, elapsed
