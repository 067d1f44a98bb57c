"""The dashboard page in headless Chromium (Debian's, driven by Playwright): live data appears.

The screenshot it saves is the one the README shows (``docs/img/dashboard.png``).
"""

from __future__ import annotations

import os
import re
import shutil
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.ecosystem.training import QUICK_RUN, TRAINING_TIMEOUT_S
from tests.gateway.conftest import CHAT_MODEL, Platform

pytestmark = pytest.mark.slow

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "img" / "dashboard.png"
INSTALL = "scripts/install-chromium (or: sudo apt-get install -y --no-install-recommends chromium)"


def chromium_binary() -> str:
    """Debian's chromium (or CHROMIUM_PATH); the test fails, not skips, without one."""
    binary = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if not binary:
        pytest.fail(f"the dashboard test needs Chromium; install it with {INSTALL}")
    return binary


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=chromium_binary(),
            headless=True,
            args=["--no-sandbox", "--disable-dev-shm-usage"],
        )
        yield launched
        launched.close()


def open_dashboard(browser: Browser, platform: Platform, key: str) -> Page:
    page = browser.new_page(viewport={"width": 1440, "height": 1100})
    page.goto(f"{platform.url}/dashboard/#key={key}")
    expect(page.get_by_test_id("connection")).to_contain_text("live", timeout=30_000)
    return page


def served(page: Page) -> int:
    text = page.get_by_test_id("served-total").inner_text()
    return int(text) if text.isdigit() else -1


class Traffic:
    """Chat requests sent one after another from a thread while the page is watched."""

    def __init__(self, platform: Platform, key: str) -> None:
        self.platform = platform
        self.key = key
        self.stop = threading.Event()
        self.sent = 0
        self.errors: list[str] = []
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        prompt = f"Name a colour ({uuid.uuid4().hex[:6]})."
        with self.platform.http(self.key) as http:
            while not self.stop.is_set():
                answer = http.post(
                    "/v1/chat/completions",
                    json={
                        "model": CHAT_MODEL,
                        "messages": [{"role": "user", "content": prompt}],
                        "max_tokens": 4,
                        "temperature": 0,
                    },
                    headers={"Cache-Control": "no-cache"} if self.sent % 2 else {},
                )
                if answer.status_code != 200:
                    self.errors.append(answer.text[:200])
                self.sent += 1

    def __enter__(self) -> Traffic:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop.set()
        self.thread.join(timeout=120)


def test_the_dashboard_shows_live_numbers_while_requests_flow(
    browser: Browser, platform: Platform
) -> None:
    key = platform.key()
    page = open_dashboard(browser, platform, key)
    expect(page.locator("#services li[data-service='relaycore'] .pill")).to_have_text("ok")
    chat_row = page.locator(f"tr[data-deployment='{CHAT_MODEL}']")
    expect(chat_row.locator("td.breaker")).to_have_text("closed", timeout=15_000)
    expect(page.locator(".queues .bar")).to_have_count(4)
    page.wait_for_function("/^\\d+$/.test(document.getElementById('served-total').textContent)")
    before = served(page)
    with Traffic(platform, key) as traffic:
        page.wait_for_function(
            f"Number(document.getElementById('served-total').textContent) >= {before + 3}",
            timeout=120_000,
        )
        expect(page.locator("#events li.request").first).to_be_visible()
        expect(page.get_by_test_id("cache-hit-rate")).to_contain_text("%", timeout=30_000)
    assert traffic.errors == []
    assert served(page) >= before + 3
    assert page.get_by_test_id("latency-p50").inner_text().isdigit()
    assert int(chat_row.locator("td").nth(7).inner_text()) >= 3
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    page.close()


@pytest.mark.timeout(TRAINING_TIMEOUT_S)
def test_the_dashboard_draws_the_curve_of_a_training_run(
    browser: Browser, platform: Platform
) -> None:
    page = open_dashboard(browser, platform, platform.master_key)
    run_id = f"dash-{uuid.uuid4().hex[:8]}"
    with platform.http() as admin:
        started = admin.post(
            "/api/v2/neuroweaver/train",
            json=QUICK_RUN | {"run_id": run_id},
        )
    assert started.status_code == 200, started.text
    run = page.locator(f"#training .run[data-run='{run_id}']")
    expect(run).to_be_visible(timeout=600_000)  # after any run queued before it
    expect(run.locator(".pill")).to_have_text("completed", timeout=600_000)
    curves = run.locator("figure.curve")
    expect(curves.first).to_be_visible()
    assert curves.count() >= 2
    assert run.locator("figure.curve[data-metric*='accuracy'] svg path").count() >= 1
    before = served(page)
    with Traffic(platform, platform.key()) as traffic:  # live numbers in the picture too
        page.wait_for_function(
            f"Number(document.getElementById('served-total').textContent) >= {before + 3}",
            timeout=120_000,
        )
        expect(page.get_by_test_id("latency-p50")).to_have_text(re.compile(r"^\d+$"))
    assert traffic.errors == []
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    page.close()
