"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's live server.

- No browser is ever downloaded: Chromium must be at /usr/bin/chromium (Debian package `chromium`).
  Without it the tests are skipped, except in CI (CI=true), where a missing browser is a failure.
- `live_server` makes every test here use a transactional database (data is visible to the server
  thread, and the tables are emptied after each test).
- When a test fails, a screenshot and the page's HTML are saved into test-artifacts/ (git-ignored).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an asyncio loop in this thread, and Django refuses ORM calls from a
# thread with a running loop unless told otherwise. Test code only (the live server is threaded).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PASSWORD = "correct horse battery staple"  # ecomap.testing.factories.UserFactory's password
TIMEOUT_MS = 10_000

# Chromium logs most CSP refusals to the console by itself; this makes sure every violation event
# (also report-only ones and those raised by scripts) reaches the console log too. Init scripts
# are injected by the DevTools protocol, so the page's CSP does not block this one.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error(`Content Security Policy violation: ${e.violatedDirective} blocked `
    + `${e.blockedURI || "inline"} at ${e.sourceFile || "?"}:${e.lineNumber}`);
});
"""


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item, so fixtures can tell whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        reason = (f"{CHROMIUM} not found: install Debian's Chromium (apt-get install chromium); "
                  "the browser tests never download a browser")
        if _in_ci():
            pytest.fail(f"CI=true but {reason}", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 1280, "height": 900},
        locale="en-GB",
        timezone_id="UTC",
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(script=REPORT_CSP_VIOLATIONS)
    yield context
    context.close()


class ConsoleLog:
    """Console messages and page errors seen by one page."""

    def __init__(self):
        self.messages: list[tuple[str, str]] = []

    def errors(self) -> list[str]:
        return [text for kind, text in self.messages if kind in {"error", "pageerror"}]

    def csp_violations(self) -> list[str]:
        pattern = re.compile(r"Content.Security.Policy|Refused to", re.IGNORECASE)
        return [text for kind, text in self.messages if pattern.search(text)]


@pytest.fixture
def page(context, request) -> Iterator:
    page = context.new_page()
    page.console_log = ConsoleLog()
    page.on("console", lambda msg: page.console_log.messages.append((msg.type, msg.text)))
    page.on("pageerror", lambda exc: page.console_log.messages.append(("pageerror", str(exc))))
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        save_artifacts(page, request.node.nodeid)
    page.close()


def save_artifacts(page, nodeid: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid).strip("_")
    try:
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        (ARTIFACTS / f"{name}.html").write_text(page.content(), encoding="utf-8")
        (ARTIFACTS / f"{name}.console.txt").write_text(
            "\n".join(f"{kind}: {text}" for kind, text in page.console_log.messages),
            encoding="utf-8")
    except Exception as error:  # the page may be gone; the test's own failure matters more
        print(f"could not save browser artifacts for {nodeid}: {error}")


@pytest.fixture
def screenshot():
    """`screenshot(page, "name")` saves a full-page screenshot into test-artifacts/screenshots/."""
    folder = ARTIFACTS / "screenshots"

    def take(page, name: str) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        # A full-page shot with the caret in a text field can scroll the page between the next
        # click's mouse-down and mouse-up, and the click is lost: take the focus off first.
        page.evaluate("document.activeElement && document.activeElement.blur()")
        return path

    return take


@pytest.fixture
def sign_in():
    """`sign_in(page, user)` signs in through the real login form (django-axes sees a real request)."""
    from playwright.sync_api import expect

    def do_sign_in(page, user, password: str = PASSWORD):
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        expect(page).to_have_url(re.compile(r"/today/$"))
        return page

    return do_sign_in
