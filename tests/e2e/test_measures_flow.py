"""Questionnaires in the browser (issue #4): give the MSPSS to a client by keyboard and mouse, read
the score and its band, give it again, then read the trend chart and the change since the first
time; a missing answer is refused with a message that links to the question. axe checks the form
and the history page."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ecomap.measures.models import Administration

from .test_accessibility import audit

pytestmark = pytest.mark.e2e

ITEMS = 12


def answer_all(page, value: str, skip: int | None = None) -> None:
    for n in range(1, ITEMS + 1):
        if n == skip:
            continue
        page.locator(f"#q-q{n}").get_by_role("radio", name=re.compile(f"^{value} ")).check()


def test_give_mspss_twice_and_read_the_trend(page, sign_in, screenshot, practitioner,
                                             client_record):
    pk = client_record.pk
    today = timezone.localdate().isoformat()
    sign_in(page, practitioner)

    # ---- From the overview to the list and the form --------------------------------------------
    page.goto(f"/clients/{pk}/")
    panel = page.get_by_role("region", name="Questionnaires")
    expect(panel).to_contain_text("No questionnaires completed yet.")
    panel.get_by_role("link", name="Give a questionnaire").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Questionnaires for Robin Testcase")
    expect(page.get_by_text("Not installed: supply the licensed definition file.").first
           ).to_be_visible()
    audit(page, "questionnaire list")
    page.get_by_role("link", name="Give MSPSS").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("MSPSS with Robin Testcase")
    groups = page.get_by_role("group")
    expect(groups.filter(has_text="There is a special person who is around when I am in need.")
           ).to_have_count(1)
    audit(page, "MSPSS form")

    # ---- A missing answer is refused, nothing saved ---------------------------------------------
    answer_all(page, "2", skip=7)
    page.get_by_role("button", name="Complete and score").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Nothing was saved")
    expect(alert.get_by_role("link", name="Question 7 needs an answer.")).to_be_visible()
    assert not Administration.objects.exists()
    screenshot(page, "measures-0-form-error")
    audit(page, "MSPSS form with an error")

    # ---- Keyboard: the radio group of question 7 takes arrow keys -------------------------------
    first = page.locator("#q-q7").get_by_role("radio").first
    first.focus()
    page.keyboard.press("ArrowRight")  # moves to and checks "2"
    expect(page.locator("#q-q7").get_by_role("radio", name=re.compile("^2 "))).to_be_checked()
    expect(page.locator("#q-q1").get_by_role("radio", name=re.compile("^2 "))).to_be_checked()
    page.get_by_role("button", name="Complete and score").click()

    # ---- The score and its band -----------------------------------------------------------------
    first_admin = Administration.objects.get()
    expect(page).to_have_url(re.compile(rf"/measures/{first_admin.pk}/$"))
    expect(page.get_by_role("status")).to_contain_text(
        "MSPSS completed. Total (mean of 12 items): 2.00 (Low perceived support).")
    scores = page.get_by_role("table", name="Scores")
    total = scores.locator("tr", has=page.get_by_role("rowheader", name="Total (mean of 12 items)"))
    expect(total.get_by_role("cell")).to_have_text(["2.00", re.compile("^Low perceived support")])
    screenshot(page, "measures-1-score")

    # ---- Again, later: higher support -----------------------------------------------------------
    page.get_by_role("link", name="History and chart").click()
    page.get_by_role("link", name="Give MSPSS again").click()
    answer_all(page, "6")
    page.get_by_label("Date given").fill(today)
    page.get_by_role("button", name="Complete and score").click()
    expect(page.get_by_role("status")).to_contain_text("6.00 (High perceived support)")
    assert Administration.objects.count() == 2

    # ---- The trend chart and the change ---------------------------------------------------------
    page.get_by_role("link", name="History and chart").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "MSPSS over time: Robin Testcase")
    section = page.get_by_role("region", name="Total (mean of 12 items)")
    expect(section.locator(".change")).to_contain_text(
        "Change since the first administration")
    expect(section.locator(".change strong")).to_have_text("+4.00")
    chart = section.get_by_role("img")
    expect(chart).to_have_attribute("aria-labelledby", re.compile("chart-1-title"))
    expect(section.locator("svg g[data-point]")).to_have_count(2)
    expect(section.locator("svg polyline")).to_have_count(1)
    rows = section.get_by_role("table").locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(1).get_by_role("cell")).to_have_text(["6.00", "High perceived support"])
    screenshot(page, "measures-2-history")
    audit(page, "MSPSS history")

    # ---- Back on the overview: the latest score, band and change --------------------------------
    page.goto(f"/clients/{pk}/")
    panel = page.get_by_role("region", name="Questionnaires")
    expect(panel).to_contain_text("6.00 · High perceived support")
    expect(panel).to_contain_text("change since first +4.00")

    log = page.console_log
    assert not log.csp_violations(), "CSP violations:\n" + "\n".join(log.csp_violations())
    # The one console error is the browser logging the refused form (HTTP 400) above.
    unexpected = [e for e in log.errors() if "status of 400" not in e]
    assert not unexpected, "console errors:\n" + "\n".join(unexpected)
