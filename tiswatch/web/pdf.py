"""HTML to PDF with the system chromium (the same browser the screenshots use)."""

from __future__ import annotations

import os

from tiswatch.screenshots import BROWSER_ARGS, DEFAULT_BROWSER


def browser_path(options: dict[str, object]) -> str:
    return str(options.get("browser") or os.environ.get("TISWATCH_BROWSER") or DEFAULT_BROWSER)


def html_to_pdf(html: str, executable_path: str) -> bytes:
    """Render self-contained HTML (images as data: URIs) to an A4 PDF. Call from a worker thread: the
    sync Playwright API refuses to run on a thread with a running event loop."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable_path, args=list(BROWSER_ARGS))
        try:
            page = browser.new_page(java_script_enabled=False)
            # JavaScript off: the case file is static, and crawled text inside it must never run.
            page.set_content(html, wait_until="load")
            return page.pdf(
                format="A4",
                print_background=True,
                margin={"top": "12mm", "bottom": "12mm", "left": "10mm", "right": "10mm"},
            )
        finally:
            browser.close()
