"""axe-core (bundled with axe-playwright-python) on the main pages: no serious or critical violation
of the WCAG 2.1 A/AA rules. Lesser findings are printed (run with -s to see them) but do not fail."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from ecomap.network import services as network

pytestmark = pytest.mark.e2e

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} [{', '.join(v['tags'])}]")
        lines.append(f"  {v['helpUrl']}")
        for node in v["nodes"][:10]:
            lines.append(f"    at {' '.join(map(str, node['target']))}: {node['html'][:160]}")
            summary = (node.get("failureSummary") or "").replace("\n", " / ")
            if summary:
                lines.append(f"      {summary[:300]}")
        if len(v["nodes"]) > 10:
            lines.append(f"    ... and {len(v['nodes']) - 10} more")
    return "\n".join(lines)


def audit(page, name: str) -> None:
    page.wait_for_load_state("load")
    violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    if violations:
        print(f"\naxe on {name} ({page.url}):\n{describe(violations)}")
    blocking = [v for v in violations if v.get("impact") in BLOCKING]
    assert not blocking, f"axe: serious/critical WCAG 2.1 AA violations on {name}:\n{describe(blocking)}"


def test_login_page(page):
    page.goto("/accounts/login/")
    audit(page, "login")


def test_login_page_with_an_error(page, practitioner):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(practitioner.username)
    page.get_by_role("button", name="Sign in").click()  # no password: the form says so
    expect(page.locator(".error, .form-errors").first).to_be_visible()
    audit(page, "login with errors")


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("today", "/today/"),
        ("caseload", "/clients/"),
        ("new client form", "/clients/new/"),
        ("client overview", "/clients/{pk}/"),
        ("not found", "/clients/999999/"),
    ],
)
def test_signed_in_pages(page, sign_in, practitioner, client_record, name, path):
    sign_in(page, practitioner)
    page.goto(path.format(pk=client_record.pk))
    audit(page, name)


def test_new_client_form_with_errors(page, sign_in, practitioner):
    sign_in(page, practitioner)
    page.goto("/clients/new/")
    page.get_by_role("button", name="Create client").click()
    expect(page.locator(".field .error").first).to_be_visible()
    audit(page, "new client form with errors")


def test_caseload_after_an_htmx_search(page, sign_in, practitioner, client_record):
    sign_in(page, practitioner)
    page.goto("/clients/")
    with page.expect_response(lambda r: r.request.headers.get("hx-request") == "true"):
        page.get_by_label("Search by name or record number").press_sequentially("Test")
    audit(page, "caseload after a search")


def test_the_axe_check_catches_a_violation(page):
    """The harness itself works: a control without a label is found (as a critical violation)."""
    page.goto("/accounts/login/")
    page.evaluate("document.querySelector('main').append(document.createElement('select'))")
    violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    assert "select-name" in {v["id"] for v in violations}, describe(violations)
    assert {v["impact"] for v in violations} & BLOCKING


def test_keyboard_users_can_skip_to_the_content(page, sign_in, practitioner):
    sign_in(page, practitioner)
    page.goto("/clients/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    left = page.evaluate("document.activeElement.getBoundingClientRect().left")
    assert left >= 0, "the focused skip link is off-screen"
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")  # the next stop is inside the page, not back in the header
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")


# ---- The network pages (issue #3) ---------------------------------------------------------------


@pytest.fixture
def network_urls(practitioner, client_record) -> dict:
    """Gives `client_record` a small network, ties, and two assessments a member left between;
    returns the values the network pages' paths need."""
    for prompt, name, relationship in [("matters", "Alex", "friend"), ("matters", "Sam", "partner"),
                                       ("stress", "Jo", "sibling"), ("groups", "Job centre", "service")]:
        network.answer_prompt(client_record, actor=practitioner, prompt=prompt, label=name,
                              relationship=relationship)
    members = {m.label: m for m in network.members_of(client_record)}
    network.set_ties(members["Alex"], actor=practitioner, knows={members["Sam"].pk, members["Jo"].pk})
    network.update_member(members["Alex"], actor=practitioner, data={"circle": 1})
    first = network.save_assessment(client_record, actor=practitioner, on=timezone.localdate())
    network.remove_member(members["Jo"], actor=practitioner)
    second = network.save_assessment(client_record, actor=practitioner, on=timezone.localdate())
    return {"pk": client_record.pk, "before": first.pk, "after": second.pk,
            "member": members["Alex"].pk}


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("interview: prompts", "/clients/{pk}/network/interview/"),
        ("interview: circles", "/clients/{pk}/network/interview/?step=circles"),
        ("interview: ties", "/clients/{pk}/network/interview/?step=ties"),
        ("interview: details", "/clients/{pk}/network/interview/?step=details"),
        ("network member form", "/clients/{pk}/network/members/{member}/"),
        ("network page", "/clients/{pk}/network/"),
        ("network assessment", "/clients/{pk}/network/assessments/{after}/"),
        ("network comparison",
         "/clients/{pk}/network/assessments/compare/?before={before}&after={after}"),
    ],
)
def test_network_pages(page, sign_in, practitioner, network_urls, name, path):
    sign_in(page, practitioner)
    url = path.format(**network_urls)
    response = page.goto(url)
    assert response.status == 200 and page.url.endswith(url), f"{name}: not the page audited"
    if page.locator("details.text-alternative").count():
        page.get_by_text("The map as a table").click()  # audit the table too, not only the map
    audit(page, name)


def test_network_interview_after_an_htmx_answer(page, sign_in, practitioner, client_record):
    sign_in(page, practitioner)
    page.goto(f"/clients/{client_record.pk}/network/interview/")
    page.get_by_label("Name, initials or role").fill("Alex")
    with page.expect_response(lambda r: r.request.headers.get("hx-request") == "true"):
        page.get_by_role("button", name="Add", exact=True).click()
    expect(page.locator("#prompt-area [role=status]")).to_have_text("Alex added.")
    audit(page, "interview after an answer")


def test_network_page_with_no_members(page, sign_in, practitioner, client_record):
    sign_in(page, practitioner)
    page.goto(f"/clients/{client_record.pk}/network/")
    audit(page, "empty network page")
