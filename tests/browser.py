"""Debian's Chromium under Playwright, offline by construction, with every request recorded."""

from __future__ import annotations

import ipaddress
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from index.paths import PROJECT_ROOT

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
HEADLESS_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Test host names resolve to loopback; every other name fails to resolve.
TEST_HOSTS = ("app.test", "host.test", "other.test")
HOST_RULES = ", ".join([f"MAP {h} 127.0.0.1" for h in TEST_HOSTS] + ["MAP * ~NOTFOUND", "EXCLUDE localhost", "EXCLUDE 127.0.0.1"])


def launch_chromium(playwright):
    """Headless Chromium from /usr/bin/chromium (``make test`` installs it). Missing -> fail."""
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: run `make test` as root (it installs Debian's chromium), "
                    f"or `apt-get install -y chromium`")
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM),
        headless=True,
        args=[*HEADLESS_FLAGS, f"--host-resolver-rules={HOST_RULES}"],
    )


def is_local(url: str) -> bool:
    """True for loopback addresses, localhost, the test host names, and data:/blob:/about: URLs."""
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about", "chrome-error"):
        return True
    host = (parts.hostname or "").lower()
    if host == "localhost" or host in TEST_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass
class RequestLog:
    """Every request a browser context makes (pages, frames, fetches, assets)."""

    urls: list[str] = field(default_factory=list)

    def attach(self, context) -> RequestLog:
        context.on("request", lambda request: self.urls.append(request.url))
        return self

    def assert_offline(self) -> None:
        outside = sorted({u for u in self.urls if not is_local(u)})
        assert not outside, f"the page made requests to non-loopback hosts: {outside}"
        assert self.urls, "no request was recorded at all (is the recorder attached?)"


def screenshot(page_or_locator, name: str) -> Path:
    """Save a PNG under test-artifacts/ (git-ignored) and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page_or_locator.screenshot(path=str(path))
    assert path.stat().st_size > 1000, f"screenshot {path} is empty"
    return path


@dataclass
class Tab:
    """One browser context and page, with what it requested, threw and tried to show."""

    page: object
    requests: RequestLog
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        """Loopback requests only, no uncaught error, no dialog (alert, confirm, prompt)."""
        self.requests.assert_offline()
        assert not self.errors, f"uncaught errors in the page: {self.errors}"
        assert not self.dialogs, f"the page opened dialogs: {self.dialogs}"


@contextmanager
def chromium_browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def open_tab(browser, timeout_ms: int):
    context = browser.new_context(viewport={"width": 1200, "height": 1000})
    requests = RequestLog().attach(context)
    page = context.new_page()
    page.set_default_timeout(timeout_ms)
    tab = Tab(page, requests)
    page.on("pageerror", lambda exc: tab.errors.append(str(exc)))

    def on_dialog(dialog) -> None:
        tab.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    try:
        yield tab
    finally:
        context.close()
