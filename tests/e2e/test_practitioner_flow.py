"""A practitioner's day in the browser: sign in, add a client, find them again, and be refused a
client who is not theirs."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ecomap.clients.models import Client, Programme
from ecomap.testing.factories import ClientFactory

pytestmark = pytest.mark.e2e


def test_practitioner_creates_finds_and_is_refused_others(
    page, sign_in, screenshot, practitioner, outsider_client
):
    # Another client already on the caseload, so the search has something to filter out.
    ClientFactory(primary_practitioner=practitioner, legal_first_name="Robin",
                  legal_last_name="Testcase")

    page.goto("/accounts/login/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    screenshot(page, "login")
    sign_in(page, practitioner)
    expect(page.get_by_role("heading", name="Today", level=1)).to_be_visible()

    # New client, from the caseload's button.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Caseload").click()
    page.get_by_role("link", name="New client").click()
    expect(page).to_have_url(re.compile(r"/clients/new/$"))
    page.get_by_label("Legal first name").fill("Jordan")
    page.get_by_label("Legal last name").fill("Quillfeather")
    page.get_by_label("Pronouns").fill("they/them")
    page.get_by_label("Date of birth").fill("1990-04-12")
    page.get_by_label("Programme").select_option(label="Mental health")
    expect(page.get_by_label("Primary practitioner")).to_have_value(str(practitioner.pk))
    page.get_by_role("button", name="Create client").click()

    # The overview of the new record.
    created = Client.objects.get(legal_last_name="Quillfeather")
    assert created.primary_practitioner == practitioner
    assert created.programme == Programme.MENTAL_HEALTH
    expect(page).to_have_url(re.compile(rf"/clients/{created.pk}/$"))
    expect(page.get_by_role("heading", name="Jordan Quillfeather", level=1)).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Client record created.")
    expect(page.get_by_role("region", name="Details")).to_contain_text("1990-04-12")
    expect(page.locator("main")).to_contain_text(created.record_number)
    screenshot(page, "overview")

    # The caseload lists both clients.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Caseload").click()
    results = page.locator("#results")
    expect(results.get_by_role("link", name="Jordan Quillfeather")).to_be_visible()
    expect(results.get_by_role("link", name="Robin Testcase")).to_be_visible()
    expect(results).to_contain_text("2 clients")
    screenshot(page, "caseload")

    # Typing in the search box updates the table in place (htmx), without loading a new page.
    page.evaluate("window.__e2eNoReload = 'still here'")
    search_form = page.get_by_role("search", name="Find clients")
    search = search_form.get_by_label("Search by name or record number")
    with page.expect_response(
        lambda r: "/clients/?" in r.url and r.request.headers.get("hx-request") == "true"
    ) as searched:
        search.press_sequentially("Quill", delay=30)
    assert searched.value.status == 200
    expect(results).to_contain_text("1 client")
    expect(results.get_by_role("link", name="Jordan Quillfeather")).to_be_visible()
    expect(results.get_by_role("link", name="Robin Testcase")).to_have_count(0)
    assert page.evaluate("window.__e2eNoReload") == "still here", "the search reloaded the page"
    expect(page).to_have_url(re.compile(r"[?&]q=Quill"))  # hx-push-url keeps the search linkable
    screenshot(page, "caseload-search")

    results.get_by_role("link", name="Jordan Quillfeather").click()
    expect(page).to_have_url(re.compile(rf"/clients/{created.pk}/$"))

    # Someone else's client: the friendly 404 page, which says nothing about that client.
    response = page.goto(f"/clients/{outsider_client.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    html = page.content()
    for secret in (outsider_client.legal_first_name, outsider_client.legal_last_name,
                   outsider_client.record_number):
        assert secret not in html
    screenshot(page, "not-found")


def test_future_date_of_birth_is_refused_and_nothing_is_saved(page, sign_in, practitioner):
    sign_in(page, practitioner)
    page.goto("/clients/new/")
    page.get_by_label("Legal first name").fill("Casey")
    page.get_by_label("Legal last name").fill("Futureborn")
    future = timezone.localdate() + timedelta(days=30)
    page.get_by_label("Date of birth").fill(future.isoformat())
    page.get_by_label("Programme").select_option(label="Substance use")
    page.get_by_role("button", name="Create client").click()

    expect(page).to_have_url(re.compile(r"/clients/new/$"))
    field = page.locator(".field", has=page.get_by_label("Date of birth"))
    expect(field).to_have_class(re.compile(r"\bhas-error\b"))
    expect(field.locator(".error")).to_have_text("The date of birth cannot be in the future.")
    date_input = page.get_by_label("Date of birth")
    expect(date_input).to_have_attribute("aria-invalid", "true")
    # The message is tied to the control, so a screen reader reads it with the field...
    expect(date_input).to_have_accessible_description("The date of birth cannot be in the future.")
    # ...and the field is outlined in the error colour (--danger, #a4161a) like the others.
    expect(date_input).to_have_css("border-top-color", "rgb(164, 22, 26)")
    expect(page.get_by_label("Legal first name")).not_to_have_attribute("aria-invalid", "true")
    # What was typed is kept, so only the wrong field needs fixing.
    expect(page.get_by_label("Legal last name")).to_have_value("Futureborn")
    assert not Client.objects.exists()
