"""The network interview in the browser (issue #3): name six people and services through the prompts
by keyboard, place them in circles, tick who knows whom, fill in one person's details, then read the
eco-map, the measures and the recommendations, take one into the plan, save an assessment, change
the network, save a second one and compare the two."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ecomap.network import interventions, services
from ecomap.network.models import AcceptedIntervention, Assessment, MemberTie, NetworkMember

pytestmark = pytest.mark.e2e

# (prompt slug, name typed, relationship picked by type-ahead or None for the prompt's default,
# the relationship's label). Three of the six are informal, so the "small-network" rule applies.
ANSWERS = [
    ("matters", "Alex", None, "Friend"),
    ("matters", "Sam", "Partner", "Partner or spouse"),
    ("practical", "Dr Okafor", "Professional", "Professional"),
    ("stress", "Jo", "Brother", "Brother or sister"),
    ("groups", "Job centre", "Service", "Service or agency"),
    ("groups", "Housing team", "Service", "Service or agency"),
]
NAMES = [name for _slug, name, _rel, _label in ANSWERS]
SMALL_NETWORK = next(rule for rule in interventions.rules() if rule.id == "small-network")


def hx_post_to(fragment: str):
    """A predicate for page.expect_response: an htmx POST whose URL contains `fragment`."""
    return lambda r: (r.request.method == "POST" and fragment in r.url
                      and r.request.headers.get("hx-request") == "true")


def named_heading(page):
    return page.get_by_role("heading", name=re.compile(r"named$"), level=2)


def add_by_keyboard(page, client_pk, slug, name, relationship):
    """Type the name in the focused box, pick the relationship by type-ahead, press Enter (in the name
    box, or on the Add button after the relationship)."""
    name_box = page.get_by_label("Name, initials or role")
    expect(name_box).to_be_focused()  # autofocus: on page load and again after each htmx swap
    page.keyboard.type(name)
    if relationship:
        page.keyboard.press("Tab")
        select = page.get_by_label("Relationship")
        expect(select).to_be_focused()
        page.keyboard.type(relationship)  # a closed <select> picks the option that starts so
        expect(select.locator("option:checked")).to_have_text(re.compile(f"^{relationship}"))
        page.keyboard.press("Tab")  # Enter on a <select> does not submit; on the button it does
        expect(page.get_by_role("button", name="Add", exact=True)).to_be_focused()
    with page.expect_response(hx_post_to(f"/clients/{client_pk}/network/interview/?step=prompts"
                                         f"&prompt={slug}")) as answered:
        page.keyboard.press("Enter")
    assert answered.value.status == 200


def measure(page, label: str):
    """The value next to a label in the measures list."""
    return page.locator("dl.measures dt", has_text=re.compile(f"^{re.escape(label)}$")).locator(
        "xpath=following-sibling::dd[1]")


def map_member_labels(page, figure="main") -> list[str]:
    """The label of each member drawn in the eco-map SVG of `figure` (not its white halo copy)."""
    return page.locator(f"{figure} .ecomap-svg svg g[data-member]").evaluate_all(
        "groups => groups.map(g => [...g.querySelectorAll('text:not([aria-hidden])')]"
        ".map(t => t.textContent).join(' '))")


def expect_eco_map(page, names: list[str]) -> None:
    svg = page.locator(".ecomap-svg svg")
    expect(svg).to_be_visible()
    expect(svg).to_have_attribute("role", "img")
    expect(svg.locator("g[data-member]")).to_have_count(len(names))
    assert sorted(map_member_labels(page)) == sorted(names)


def chip(page, name):
    """The member's entry in the interview's list of people named."""
    return page.locator("ul.chips li").filter(
        has=page.locator("strong", has_text=re.compile(f"^{re.escape(name)}$")))


def tie_pairs(client) -> set[frozenset[str]]:
    return {frozenset((tie.a.label, tie.b.label))
            for tie in MemberTie.objects.filter(client=client).select_related("a", "b")}


def test_interview_to_eco_map_assessments_and_comparison(
    page, sign_in, screenshot, practitioner, client_record
):
    client = client_record
    pk = client.pk
    sign_in(page, practitioner)

    # ---- Step 1: the prompts, by keyboard, each answer swapped in by htmx ----------------------
    page.goto(f"/clients/{pk}/network/interview/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Network interview with Robin Testcase")
    expect(page.locator("ol.steps a[aria-current=step]")).to_have_text("1. Who is in your life")
    expect(named_heading(page)).to_have_text("0 people and groups named")

    current_slug = "matters"
    for count, (slug, name, relationship, relationship_label) in enumerate(ANSWERS, start=1):
        while current_slug != slug:  # on to the next question (an ordinary link)
            page.get_by_role("link", name="Next question").click()
            current_slug = re.search(r"prompt=(\w+)", page.url).group(1)
        expect(page.get_by_role("heading", level=2).first).to_be_visible()
        page.evaluate("window.__e2eNoReload = 'still here'")
        url = page.url
        add_by_keyboard(page, pk, slug, name, relationship)
        expect(page.locator("#prompt-area [role=status]")).to_have_text(f"{name} added.")
        expected = "1 person or group named" if count == 1 else f"{count} people and groups named"
        expect(named_heading(page)).to_have_text(expected)
        expect(chip(page, name)).to_contain_text(relationship_label)
        assert page.evaluate("window.__e2eNoReload") == "still here", "the answer reloaded the page"
        assert page.url == url  # the answer is posted without leaving (or pushing) the page
        if slug == "practical" and name == "Dr Okafor":
            # Alex helps with practical things too: named again (any case), not added twice.
            page.evaluate("window.__e2eNoReload = 'still here'")
            add_by_keyboard(page, pk, "practical", "alex", None)
            expect(page.locator("#prompt-area [role=status]")).to_have_text(
                "Alex: noted under this question too.")
            expect(named_heading(page)).to_have_text(f"{count} people and groups named")
            expect(chip(page, "Alex")).to_have_count(1)
            assert page.evaluate("window.__e2eNoReload") == "still here"
            alex = NetworkMember.objects.get(client=client, label="Alex")
            assert alex.support_received == ["emotional", "practical"]

    screenshot(page, "network-1-prompts")
    members = {m.label: m for m in NetworkMember.objects.filter(client=client)}
    assert sorted(members) == sorted(NAMES), "one member per person named"
    assert members["Jo"].valence == "stressful"
    assert members["Job centre"].kind == "service"
    assert members["Sam"].relationship == "partner"

    # ---- Step 2: circles of closeness, each radio saved by htmx on change ----------------------
    page.get_by_role("link", name="Place them in circles").click()
    expect(page).to_have_url(re.compile(r"\?step=circles$"))
    expect(page.get_by_role("heading", name="Where does each person belong?")).to_be_visible()
    placements = [("Alex", "Inner", 1), ("Sam", "Inner", 1), ("Dr Okafor", "Outer", 3),
                  ("Job centre", "Outer", 3), ("Housing team", "Outer", 3),
                  ("Housing team", "Middle", 2)]  # a change of mind saves too
    page.evaluate("window.__e2eNoReload = 'still here'")
    for name, circle_label, circle in placements:
        member = members[name]
        group = page.get_by_role("group", name=f"Circle for {name}")
        with page.expect_response(hx_post_to(f"/network/members/{member.pk}/circle/")) as saved:
            group.get_by_label(circle_label).click()
        assert saved.value.status == 200
        # The row was swapped for the server's copy, which shows the saved circle.
        expect(page.get_by_role("group", name=f"Circle for {name}").get_by_label(circle_label)
               ).to_be_checked()
        member.refresh_from_db()
        assert member.circle == circle, f"{name}: circle {member.circle}, expected {circle}"
    assert page.evaluate("window.__e2eNoReload") == "still here"
    assert NetworkMember.objects.get(pk=members["Jo"].pk).circle == 2  # untouched: the default
    screenshot(page, "network-2-circles")

    # ---- Step 3: who knows whom, saved by htmx on each tick -------------------------------------
    page.get_by_role("link", name="Next: who knows whom").click()
    expect(page).to_have_url(re.compile(r"\?step=ties$"))
    page.evaluate("window.__e2eNoReload = 'still here'")
    # Each pair appears once, in the row of whoever comes first (by circle, then name):
    # Alex, Sam, Housing team, Jo, Dr Okafor, Job centre.
    for name, knows in [("Alex", ["Sam", "Jo"]), ("Housing team", ["Dr Okafor"])]:
        row = page.get_by_role("group", name=f"{name} knows…")
        for other in knows:
            with page.expect_response(hx_post_to(f"/network/members/{members[name].pk}/ties/")):
                row.get_by_label(other, exact=True).check()
            expect(row.get_by_role("status")).to_have_text("Saved.")
    assert page.evaluate("window.__e2eNoReload") == "still here"
    assert tie_pairs(client) == {frozenset(p) for p in
                                 [("Alex", "Sam"), ("Alex", "Jo"), ("Dr Okafor", "Housing team")]}
    screenshot(page, "network-3-ties")
    # After a reload each pair shows once, ticked where it was made.
    page.reload()
    expect(page.get_by_role("group", name="Alex knows…").get_by_label("Sam", exact=True)).to_be_checked()
    expect(page.get_by_role("group", name="Housing team knows…").get_by_label("Dr Okafor")
           ).to_be_checked()
    expect(page.get_by_role("group", name="Sam knows…").get_by_label("Jo", exact=True)
           ).not_to_be_checked()
    expect(page.get_by_role("group", name="Sam knows…").get_by_label("Alex", exact=True)
           ).to_have_count(0)

    # ---- Step 4: one member's details -----------------------------------------------------------
    page.get_by_role("link", name="Next: details").click()
    expect(page).to_have_url(re.compile(r"\?step=details$"))
    screenshot(page, "network-4-details")
    page.get_by_role("link", name="Edit Alex", exact=True).click()
    expect(page.get_by_role("heading", name="Alex", level=1)).to_be_visible()
    page.get_by_label("Contact").select_option(label="Every day or almost")
    page.locator("#id_support_received").get_by_label("Companionship").check()
    page.locator("#id_support_given").get_by_label("Practical").check()
    screenshot(page, "network-4-member-form")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Alex saved.")
    alex = NetworkMember.objects.get(pk=members["Alex"].pk)
    assert alex.contact == "daily"
    assert alex.support_received == ["companionship", "emotional", "practical"]
    assert alex.support_given == ["practical"]
    assert alex.circle == 1  # the details form kept the circle chosen in step 2

    # ---- The network page: eco-map, text alternative, measures, recommendations ------------------
    subnav = page.get_by_role("navigation", name="Network")
    subnav.get_by_role("link", name="Network", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/clients/{pk}/network/$"))
    expect(page.get_by_role("heading", name="Network of Robin Testcase", level=1)).to_be_visible()
    expect_eco_map(page, NAMES)
    page.get_by_text("The map as a table").click()
    table = page.get_by_role("table", name="Members of the network")
    expect(table).to_be_visible()
    expect(table.locator("tbody tr")).to_have_count(6)
    assert sorted(table.locator("tbody tr td:first-child").all_inner_texts()) == sorted(NAMES)
    alex_row = table.locator("tbody tr").filter(has=page.get_by_role("cell", name="Alex", exact=True))
    expect(alex_row).to_contain_text("Every day or almost")
    expect(measure(page, "Members")).to_have_text("6")
    expect(measure(page, "Services")).to_have_text("2")
    expect(measure(page, "Ties between members")).to_have_text("3")

    recommendations = page.get_by_role("region", name="Interventions that fit this network")
    small = recommendations.locator("article.recommendation").filter(
        has=page.get_by_role("heading", name=SMALL_NETWORK.intervention, exact=True))
    expect(small).to_have_count(1)
    why = small.locator("p", has_text="Why:")
    expect(why).to_have_text(re.compile(r"^Why: Only 3 people outside services"))
    screenshot(page, "network-5-page")
    small.get_by_label("Note (optional)").fill("Ask about the allotment group.")
    small.get_by_role("button", name="Add to the plan").click()
    expect(page.locator(".messages")).to_contain_text("Added to the client's plan.")
    expect(small.get_by_text("In the plan", exact=True)).to_be_visible()
    expect(small.get_by_role("button", name="Add to the plan")).to_have_count(0)
    plan = page.get_by_role("region", name="Assessments")
    expect(plan.get_by_role("heading", name="In the client's plan")).to_be_visible()
    expect(plan.locator("ul.plain li", has_text=SMALL_NETWORK.intervention)).to_have_count(1)
    accepted = AcceptedIntervention.objects.get(client=client)
    assert accepted.rule_id == "small-network"
    assert accepted.note == "Ask about the allotment group."
    assert accepted.reason.startswith("Only 3 people")

    # ---- First assessment -----------------------------------------------------------------------
    today = timezone.localdate().isoformat()
    expect(page.get_by_label("Date of the assessment")).to_have_value(today)
    page.get_by_label("Notes").fill("First network interview.")
    page.get_by_role("button", name="Save this network as an assessment").click()
    first = Assessment.objects.get(client=client)
    expect(page).to_have_url(re.compile(rf"/network/assessments/{first.pk}/$"))
    expect(page.locator(".messages")).to_contain_text("Assessment saved.")
    expect(page.get_by_role("heading", name=f"Network assessment of {today}", level=1)).to_be_visible()
    expect_eco_map(page, NAMES)
    expect(measure(page, "Members")).to_have_text("6")
    assert len(first.snapshot["members"]) == 6
    screenshot(page, "network-6-assessment")

    # ---- Jo is no longer in the client's life ---------------------------------------------------
    page.goto(f"/clients/{pk}/network/interview/?step=details")
    page.get_by_role("link", name="Edit Jo", exact=True).click()
    page.get_by_role("button", name="No longer in the client's life").click()
    expect(page).to_have_url(re.compile(rf"/clients/{pk}/network/$"))
    expect(page.locator(".messages")).to_contain_text("Jo is no longer shown in the network.")
    remaining = [name for name in NAMES if name != "Jo"]
    expect_eco_map(page, remaining)
    expect(measure(page, "Members")).to_have_text("5")
    assert not NetworkMember.objects.get(pk=members["Jo"].pk).active

    page.get_by_label("Date of the assessment").fill(today)
    page.get_by_role("button", name="Save this network as an assessment").click()
    second = Assessment.objects.filter(client=client).exclude(pk=first.pk).get()
    expect(page).to_have_url(re.compile(rf"/network/assessments/{second.pk}/$"))
    assert second.assessed_on.isoformat() == today
    assert len(second.snapshot["members"]) == 5

    # ---- The comparison -------------------------------------------------------------------------
    page.get_by_role("region", name="Compare with").get_by_role("link", name=today).click()
    expect(page).to_have_url(re.compile(rf"/compare/\?before={first.pk}&after={second.pk}$"))
    expect(page.get_by_role("heading", name=f"Network change from {today} to {today}", level=1)
           ).to_be_visible()
    people = page.get_by_role("region", name="People")
    expect(people.locator("dt", has_text="Gone").locator("xpath=following-sibling::dd[1]")
           ).to_have_text("Jo")
    expect(people.locator("dt", has_text="New").locator("xpath=following-sibling::dd[1]")
           ).to_have_text("—")
    expect(people).to_contain_text("0 new, 1 gone")  # Alex and Jo's tie went with Jo
    # Jo is still drawn, ghosted in the old place, so the map has six members.
    expect(page.locator(".ecomap-svg svg g[data-member]")).to_have_count(6)
    members_row = page.get_by_role("table", name="Measures before and after").locator("tbody tr").filter(
        has=page.get_by_role("rowheader", name="Members", exact=True))
    expect(members_row.get_by_role("cell")).to_have_text(["6", "5", "-1"])
    screenshot(page, "network-7-comparison")

    log = page.console_log
    assert not log.csp_violations(), "CSP violations:\n" + "\n".join(log.csp_violations())
    assert not log.errors(), "console errors:\n" + "\n".join(log.errors())


def test_ticking_a_second_row_keeps_the_tie_made_in_the_first(
    page, sign_in, practitioner, client_record
):
    for name in ("Alex", "Sam", "Jo"):
        services.answer_prompt(client_record, actor=practitioner, prompt="matters", label=name)
    sign_in(page, practitioner)
    page.goto(f"/clients/{client_record.pk}/network/interview/?step=ties")
    # Each pair appears once, in the row of the member who comes first (Alex, Jo, Sam).
    for name, other in [("Alex", "Sam"), ("Jo", "Sam")]:
        row = page.get_by_role("group", name=f"{name} knows…")
        with page.expect_response(hx_post_to("/ties/")):
            row.get_by_label(other, exact=True).check()
        expect(row.get_by_role("status")).to_have_text("Saved.")
    assert tie_pairs(client_record) == {frozenset(("Alex", "Sam")), frozenset(("Sam", "Jo"))}
