"""The pages load cleanly in a real browser: the strict Content-Security-Policy (no inline script or
style) is sent and never violated, the stylesheet and scripts load, and nothing errors in the console."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def _record_failed_requests(page) -> list[str]:
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("requestfailed", lambda r: failed.append(f"failed {r.url}: {r.failure}"))
    return failed


def _visit(page, path: str, status: int = 200) -> None:
    response = page.goto(path)
    assert response.status == status, f"{path}: {response.status}"
    csp = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in csp and "style-src 'self'" in csp, f"{path}: CSP header is {csp!r}"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    # The stylesheet applied (it is the only source of styles) and htmx is running.
    assert page.evaluate("getComputedStyle(document.querySelector('.site-header')).display") == "flex"
    assert page.evaluate("typeof window.htmx") == "object", f"{path}: htmx did not load"


def test_static_assets_are_served(page):
    """The stylesheet and scripts base.html links to are served (the live server finds static files
    the way runserver and whitenoise do: through the staticfiles finders)."""
    page.goto("/accounts/login/")
    assets = page.evaluate("""[...document.querySelectorAll('link[rel=stylesheet], script[src]')]
        .map((el) => el.href || el.src)""")
    assert len(assets) >= 3, assets
    statuses = {url: page.request.get(url).status for url in assets}
    missing = [f"{status} {url}" for url, status in statuses.items() if status != 200]
    assert not missing, ("static files not served (are ecomap/static/ files found by the staticfiles "
                         "finders, e.g. through STATICFILES_DIRS?):\n" + "\n".join(missing))


def test_pages_load_without_csp_violations_or_errors(page, sign_in, practitioner, client_record):
    failed = _record_failed_requests(page)
    _visit(page, "/accounts/login/")
    sign_in(page, practitioner)
    for path in ("/today/", "/clients/", "/clients/new/", f"/clients/{client_record.pk}/",
                 f"/clients/{client_record.pk}/edit/", "/accounts/password/"):
        _visit(page, path)
    _visit(page, "/clients/999999/", status=404)

    # The htmx search (a swap of server-rendered HTML) and a form with errors.
    page.goto("/clients/")
    with page.expect_response(lambda r: r.request.headers.get("hx-request") == "true"):
        page.get_by_label("Search by name or record number").press_sequentially("Testc")
    expect(page.locator("#results")).to_contain_text("1 client")
    page.get_by_label("Programme").select_option(label="Substance use")
    expect(page.locator("#results")).to_contain_text("0 clients")
    page.goto("/clients/new/")
    page.get_by_role("button", name="Create client").click()
    expect(page.locator(".field .error").first).to_be_visible()

    log = page.console_log
    assert not log.csp_violations(), "CSP violations:\n" + "\n".join(log.csp_violations())
    unexpected = [e for e in log.errors() if not re.search(r"status of 404", e)]
    assert not unexpected, "console errors:\n" + "\n".join(unexpected)
    # Only the deliberate 404 page may be missing; a favicon fetch may be cut short by the next
    # navigation (net::ERR_ABORTED), which is the browser's doing, not a missing file.
    missing = [f for f in failed if "/clients/999999/" not in f
               and not (f.startswith("failed") and "favicon" in f and "ERR_ABORTED" in f)]
    assert not missing, "failed requests:\n" + "\n".join(missing)


def test_the_csp_check_catches_a_violation(page, sign_in, practitioner):
    """The detector itself works: an inline style added to a page is refused and reported."""
    page.goto("/accounts/login/")
    page.evaluate("""() => {
        const style = document.createElement("style");
        style.textContent = "body { background: red; }";
        document.head.appendChild(style);
    }""")
    page.wait_for_function("getComputedStyle(document.body).backgroundColor !== 'rgb(255, 0, 0)'")
    expect(page.locator("body")).not_to_have_css("background-color", "rgb(255, 0, 0)")
    page.wait_for_timeout(100)  # the violation event is dispatched asynchronously
    assert any("style-src" in v for v in page.console_log.csp_violations()), page.console_log.messages
