"""Playwright on Debian's Chromium. A missing browser skips locally and fails in CI (the rule of tests/tools.py)."""

import os
import shutil
from pathlib import Path

from .tools import missing, require_tool

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"]


def chromium_path():
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


def launch_browser():
    """Yield a Chromium driven by Playwright; used by the session fixture `browser` in conftest."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:  # pragma: no cover - depends on the machine
        missing("playwright", f"playwright is not installed: {error}")
    path = require_tool(chromium_path())
    # Playwright's sync API runs an event loop in this thread; Django's ORM must still be usable from tests.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def watch_csp(page):
    """Collect the browser's Content-Security-Policy complaints on `page`; a test asserts the list stays empty."""
    violations = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    return violations
