"""An investigator's session in a real browser (Playwright driving Debian's chromium) against the real
server on 127.0.0.1, over a history filled by a crawl of the demo marketplace: log in, filter the queue,
open a listing, see its screenshot, confirm it, log out; the decision is in the database and in the
next `tiswatch export`."""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from crawler.demo_market.server import DemoMarket
from pipelines.store import HistoryStore
from pipelines.store.models import ReviewDecision, Screenshot
from tests.desk_tests.servers import CHROMIUM, desk_server, tiswatch

pytestmark = pytest.mark.slow

PASSWORD = "somchai-2569-desk"


def _browser_or_skip() -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"no chromium at {CHROMIUM} under CI=true (.ci/browser.sh installs it)")
        pytest.skip(f"no chromium at {CHROMIUM} (run .ci/browser.sh)")


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A demo-market crawl into a fresh SQLite history, a user, and screenshots of the flagged pages
    (the market stays up while the screenshots are taken)."""
    _browser_or_skip()
    folder = tmp_path_factory.mktemp("desk")
    db_url = f"sqlite:///{folder}/tiswatch.sqlite"
    with DemoMarket() as market:
        crawl = tiswatch(
            "crawl",
            "lazada",
            "-a",
            f"base_url={market.base_url}",
            "-a",
            "keywords=ปลั๊กพ่วง",
            "-a",
            "max_pages=1",
            "--out",
            str(folder / "crawl"),
            "--db",
            db_url,
        )
        assert crawl.returncode == 0, crawl.stderr[-2000:]
        added = tiswatch(
            "users",
            "add",
            "somchai",
            "--role",
            "investigator",
            "--password-stdin",
            "--db",
            db_url,
            stdin=PASSWORD + "\n",
        )
        assert added.returncode == 0, added.stderr
        shots = tiswatch("evidence", "screenshots", "--db", db_url, "--browser", CHROMIUM)
        assert shots.returncode == 0, shots.stderr[-2000:]
        assert " 0 failed" in shots.stdout
    yield {"db_url": db_url, "folder": str(folder)}


def _session_in_browser(base: str) -> int:
    """The investigator's clicks; returns the key of the listing confirmed."""
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
        page = browser.new_page(locale="en-GB")
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))

        page.goto(f"{base}/queue")
        expect(page).to_have_url(f"{base}/login?next=%2Fqueue")
        page.fill("input[name=username]", "somchai")
        page.fill("input[name=password]", "a wrong password")
        page.click("button[type=submit]")
        expect(page.get_by_role("alert")).to_be_visible()
        page.fill("input[name=username]", "somchai")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        expect(page).to_have_url(f"{base}/queue")
        expect(page.locator("#username")).to_have_text("somchai")
        everything = int(page.locator("#total").inner_text())
        assert everything > 0

        # Filter (htmx swaps the table and pushes the URL).
        page.select_option("select[name=verdict]", "uncertified")
        page.click("#apply")
        expect(page).to_have_url(
            f"{base}/queue?q=&verdict=uncertified&standard=&platform=&seller=&mark=&decision=open&run=&case="
        )
        filtered = int(page.locator("#total").inner_text())
        assert 0 < filtered < everything
        verdicts = page.locator("table.queue td span.verdict").all_inner_texts()
        assert verdicts and set(verdicts) == {"uncertified"}

        # Open the first listing: its screenshot is shown, and loads.
        title = page.locator("a.listing-link").first.inner_text()
        page.locator("a.listing-link").first.click()
        expect(page.locator("h1.listing-title")).to_have_text(title)
        screenshot = page.locator("#screenshot")
        expect(screenshot).to_be_visible()
        assert screenshot.evaluate("img => img.complete && img.naturalWidth > 0")
        listing_url = page.url
        key = int(listing_url.rsplit("/", 1)[1])

        # Confirm it.
        page.check("input[name=decision][value=confirmed]")
        page.fill("textarea[name=note]", "ไม่มีใบอนุญาต มอก. ตามที่อ้าง")
        page.click("#save-decision")
        expect(page.locator("#saved")).to_be_visible()

        # The captured page is shown as text.
        page.click("#raw-page")
        expect(page.locator("pre.raw")).to_contain_text("<html")

        page.goto(listing_url)
        page.click("#logout")
        expect(page).to_have_url(f"{base}/login")
        page.goto(f"{base}/queue")
        expect(page).to_have_url(f"{base}/login?next=%2Fqueue")
        assert errors == []
        browser.close()
    return key


def test_log_in_filter_open_see_screenshot_confirm_log_out(crawled: dict[str, str]) -> None:
    db_url = crawled["db_url"]
    with desk_server(db_url) as base, ThreadPoolExecutor(1) as thread:
        # Playwright's sync API refuses to run on a thread with an event loop (pytest-twisted's reactor).
        key = thread.submit(_session_in_browser, base).result(timeout=300)

    store = HistoryStore.from_url(db_url)
    with store.session() as session:
        decisions = list(session.execute(select(ReviewDecision)).scalars())
        shot = session.execute(select(Screenshot).where(Screenshot.listing_key == key)).scalars().first()
    assert [(d.listing_key, d.decision, d.reviewer) for d in decisions] == [(key, "confirmed", "somchai")]
    assert shot is not None and Path(shot.path).read_bytes().startswith(b"\x89PNG")

    out = Path(crawled["folder"]) / "export"
    exported = tiswatch("export", "--out", str(out), "--db", db_url)
    assert exported.returncode == 0, exported.stderr
    workbook = load_workbook(out / "flagged.xlsx")
    confirmed = list(workbook["confirmed"].iter_rows(values_only=True))
    header = list(confirmed[0])
    assert [(row[header.index("decided_by")], row[header.index("note")]) for row in confirmed[1:]] == [
        ("somchai", "ไม่มีใบอนุญาต มอก. ตามที่อ้าง")
    ]
    # flagged.xlsx links each flagged listing to its screenshot, copied next to it and in the manifest.
    flagged = workbook["flagged"]
    head = [cell.value for cell in flagged[1]]
    links = [row[head.index("screenshot")] for row in flagged.iter_rows(min_row=2)]
    linked = [cell for cell in links if cell.value]
    assert linked and all(cell.hyperlink and (out / cell.value).is_file() for cell in linked)
    manifest = (out / "evidence" / "manifest.csv").read_text(encoding="utf-8")
    assert shot.sha256 in manifest
