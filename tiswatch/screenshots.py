"""Full-page screenshots of flagged listings' pages: evidence a person can look at.

Playwright drives the system's chromium (Debian's `/usr/bin/chromium`; no browser download). Each PNG is
stored once under `<evidence dir>/screenshots/<sha256>.png` (the SHA-256 of the PNG), recorded in the
`screenshots` table with the URL and the UTC time, and appended to `<evidence dir>/screenshots.csv`; the
export copies it next to `flagged.xlsx` and lists it in `evidence/manifest.csv`.
"""

from __future__ import annotations

import csv
import hashlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from pipelines.store.history import HistoryStore
from pipelines.store.models import Screenshot
from pipelines.store.types import utcnow

DEFAULT_BROWSER = "/usr/bin/chromium"
# Headless, and nothing the browser would fetch for itself (updates, metrics): only the listing's page.
BROWSER_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
)
SCREENSHOT_LOG = "screenshots.csv"
PAGE_TIMEOUT_MS = 30_000


@dataclass
class ScreenshotResult:
    taken: int = 0
    skipped: int = 0
    """Listings that already had a screenshot (without --again)."""
    failed: list[str] = field(default_factory=list)
    """One line per page that could not be captured: `platform listing_id url: why`."""


@contextmanager
def open_browser(executable_path: str = DEFAULT_BROWSER) -> Iterator[Any]:
    """One headless chromium for many pages (a cold start per page is several times slower)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable_path, args=list(BROWSER_ARGS))
        try:
            yield browser
        finally:
            browser.close()


def store_png(directory: Path, png: bytes) -> tuple[str, Path]:
    """Write the PNG once, named by its SHA-256; returns the hash and the path."""
    sha256 = hashlib.sha256(png).hexdigest()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{sha256}.png"
    if not path.exists():
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=".partial-", suffix=".png")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(png)
            os.chmod(temporary, 0o644)
            os.link(temporary, path)  # fails if another writer got there first: never rewritten
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary)
    return sha256, path


def _log(evidence_dir: Path, taken_at: str, sha256: str, url: str, listing: str) -> None:
    log = evidence_dir / SCREENSHOT_LOG
    new = not log.exists()
    with open(log, "a", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        if new:
            writer.writerow(["taken_at", "sha256", "url", "listing"])
        writer.writerow([taken_at, sha256, url, listing])


def take_screenshots(
    store: HistoryStore,
    evidence_dir: Path,
    targets: list[tuple[int, str, str, str]],
    *,
    browser_path: str = DEFAULT_BROWSER,
    again: bool = False,
) -> ScreenshotResult:
    """Screenshot each `(listing_key, platform, listing_id, url)`; one browser for all of them."""
    result = ScreenshotResult()
    with store.session() as session:
        done = {key for (key,) in session.execute(select(Screenshot.listing_key).distinct())}
    todo = [target for target in targets if again or target[0] not in done]
    result.skipped = len(targets) - len(todo)
    if not todo:
        return result
    with open_browser(browser_path) as browser:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="th-TH")
        page = context.new_page()
        for key, platform, listing_id, url in todo:
            where = f"{platform} {listing_id} {url}"
            if not url.startswith(("http://", "https://")):
                result.failed.append(f"{where}: not an http(s) URL")
                continue
            try:
                response = page.goto(url, wait_until="load", timeout=PAGE_TIMEOUT_MS)
                png = page.screenshot(full_page=True, type="png")
            except Exception as error:  # Playwright's errors: timeouts, refused connections, crashes
                result.failed.append(f"{where}: {str(error).splitlines()[0]}")
                continue
            if response is not None and response.status >= 400:
                result.failed.append(f"{where}: HTTP {response.status} (screenshot kept)")
            taken_at = utcnow()
            sha256, path = store_png(evidence_dir / "screenshots", png)
            with store.session() as session, session.begin():
                session.add(
                    Screenshot(
                        listing_key=key,
                        url=url,
                        sha256=sha256,
                        taken_at=taken_at,
                        path=str(path.resolve()),
                        browser=f"{browser.browser_type.name} {browser.version}",
                    )
                )
            _log(
                evidence_dir, taken_at.strftime("%Y-%m-%dT%H:%M:%SZ"), sha256, url, f"{platform} {listing_id}"
            )
            result.taken += 1
        context.close()
    return result
