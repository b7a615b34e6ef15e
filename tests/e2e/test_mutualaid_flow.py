"""Mutual support in the browser (issue #5): from the client's overview, fill the mutual-aid
profile, see the fellowships ranked by belief fit with their reasons, choose SMART Recovery, see its
meetings near the client's starting point (nearest first, the far one left out), plan one and
download it as an .ics; refer the client (a practitioner handoff without consent is refused, then
the client makes the contact), record two follow-ups with falling attendance, see the warning-sign
alert on the referral page and on Today, acknowledge and resolve it; every step audited. axe runs on
each page on the way.

The meetings are a small synthetic Meeting Guide feed made here (never the real feeds)."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ecomap.audit.models import AuditEntry
from ecomap.consents.models import Disclosure
from ecomap.mutualaid import services
from ecomap.mutualaid.models import (
    Alert,
    Fellowship,
    FellowshipReferral,
    FollowUp,
    LocalContact,
    Profile,
)

from .test_accessibility import audit

pytestmark = pytest.mark.e2e

POINT = (41.88, -87.63)  # the client's starting point (Chicago Loop)
CHICAGO = {"timezone": "America/Chicago", "city": "Chicago", "state": "IL", "country": "USA"}


def _record(slug, name, day, time, lat, lng, types, **fields):
    return {"slug": slug, "name": name, "day": day, "time": time, "address": f"{slug} St",
            "postal_code": "60601", "latitude": lat, "longitude": lng, "types": types,
            **CHICAGO, **fields}


# Distances from POINT: near 0.07 km, no-wheelchair 0.23 km, women 1.2 km, north 2.2 km, far 131 km.
SMART_FEED = [
    _record("smart-near", "SMART Loop Tuesday", 2, "19:00", 41.8805, -87.6305, ["X", "D"],
            end_time="20:30"),
    _record("smart-women", "SMART Women South Loop", 3, "18:00", 41.87, -87.625, ["W", "X"]),
    _record("smart-north", "SMART River North", 4, "12:30", 41.90, -87.63, ["X"]),
    _record("smart-stairs", "SMART Upstairs Room", 1, "19:30", 41.882, -87.631, ["D"]),
    _record("smart-far", "SMART Milwaukee", 2, "19:00", 43.04, -87.91, ["X"]),
    {"slug": "smart-online", "name": "SMART Online Evening", "day": 5, "time": "20:00",
     "timezone": "America/Chicago", "conference_url": "https://zoom.us/j/5550100",
     "types": ["X"]},
]
AA_FEED = [
    _record("aa-loop", "Loop Serenity AA", 1, "07:00", 41.8801, -87.6301, ["O", "X", "D"]),
    _record("aa-women", "Women's Big Book AA", 3, "18:30", 41.885, -87.62, ["W", "C", "X", "B"]),
]
NEAREST_SMART = ["SMART Loop Tuesday", "SMART Women South Loop", "SMART River North"]


@pytest.fixture
def meeting_feeds(db):
    """The fellowship catalogue, and an AA and a SMART feed imported the way an administrator
    would (services.create_feed / import_feed)."""
    services.sync_fellowships(actor="system:test")
    for slug, records in (("aa", AA_FEED), ("smart", SMART_FEED)):
        feed = services.create_feed(actor="system:test", name=f"Synthetic {slug}",
                                    fellowship=Fellowship.objects.get(slug=slug),
                                    format="meetingguide", timezone_name="America/Chicago")
        run = services.import_feed(feed, actor="system:test", source=f"{slug}.json",
                                   data=json.dumps(records).encode())
        assert not run.refused and run.records_imported == len(records), run.report
    return Fellowship.objects.get(slug="smart")


class Axe:
    """Runs axe on each page and keeps going: every page's serious or critical violations are
    reported together at the end, so one page's problem does not hide the rest of the flow."""

    def __init__(self):
        self.failures: list[str] = []

    def __call__(self, page, name: str) -> None:
        try:
            audit(page, name)
        except AssertionError as error:
            self.failures.append(str(error))


def settled(take):
    """The `screenshot` fixture, then the focus taken off the field just filled. After a full-page
    screenshot with the focus still in a text field, the next click's mousedown scrolled the page
    (by 230 px on the profile form): the mouseup landed on another element, so the button got no
    click and the form was never submitted."""

    def snap(page, name: str) -> None:
        take(page, name)
        page.evaluate("document.activeElement && document.activeElement.blur()")

    return snap


def messages(page):
    return page.locator(".messages")


def iso(day) -> str:
    return day.isoformat()


def test_profile_match_plan_refer_follow_up_and_the_warning_sign(
        page, sign_in, screenshot, practitioner, client_record, meeting_feeds):
    smart = meeting_feeds
    pk = client_record.pk
    today = timezone.localdate()
    referred_on = today - timedelta(days=40)
    axe = Axe()
    snap = settled(screenshot)
    sign_in(page, practitioner)

    # ---- A local contact for SMART (agency page) -------------------------------------------------
    page.goto("/mutualaid/contacts/")
    form = page.locator("form.stacked")
    form.get_by_label("Fellowship").select_option(label="SMART Recovery")
    form.get_by_label("Kind").select_option("volunteer")
    form.get_by_role("textbox", name="Name", exact=True).fill("Jordan")
    form.get_by_label("Phone").fill("555-0100")
    form.get_by_role("button", name="Add").click()
    expect(messages(page)).to_contain_text("Contact Jordan added.")
    expect(page.get_by_role("cell", name="Jordan")).to_be_visible()
    contact = LocalContact.objects.get()
    assert contact.fellowship == smart and contact.kind == "volunteer"
    axe(page, "local contacts")
    snap(page, "mutualaid-0-contacts")

    # ---- From the client's overview to their mutual support --------------------------------------
    page.goto(f"/clients/{pk}/")
    panel = page.locator("section.panel").filter(
        has=page.get_by_role("heading", name="Mutual support"))
    expect(panel).to_contain_text("No mutual-aid profile yet.")
    panel.get_by_role("link", name="Mutual support").click()
    expect(page).to_have_url(re.compile(rf"/clients/{pk}/mutualaid/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mutual support")
    axe(page, "mutual support home (empty)")

    # ---- The profile -----------------------------------------------------------------------------
    page.get_by_role("link", name="Fill in the profile").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mutual-aid profile")
    axe(page, "profile form")
    page.get_by_role("group", name=re.compile("How important spirituality")).get_by_label(
        "Not at all important").check()
    page.get_by_role("group", name="Concerns", exact=True).get_by_label(
        "Religion or a 'higher power'").check()
    page.get_by_label("Concerns and misconceptions, in their words").fill(
        "Worried the groups are religious.")
    page.get_by_role("group", name="Substances", exact=True).get_by_label("Alcohol").check()
    page.get_by_label("Their goal").select_option("abstinence")
    page.get_by_label("Needs wheelchair access").check()
    page.get_by_label("How far they can travel (km)").fill("10")
    page.get_by_label("Starting point").fill("Near the clinic")
    # Half a starting point is refused with a clear message, and nothing is saved.
    page.get_by_label("Latitude", exact=True).fill(str(POINT[0]))
    page.get_by_role("button", name="Save and see what fits").click()
    expect(page.locator(".form-errors")).to_contain_text("latitude and the longitude")
    assert not Profile.objects.exists()
    axe(page, "profile form with an error")
    page.get_by_label("Longitude", exact=True).fill(str(POINT[1]))
    snap(page, "mutualaid-1-profile")
    page.get_by_role("button", name="Save and see what fits").click()

    # ---- Fellowships ranked by fit, with their reasons -------------------------------------------
    expect(messages(page)).to_contain_text("Profile saved.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Fellowships and meetings that fit")
    profile = Profile.objects.get(client=client_record)
    assert (profile.spirituality, profile.substances, profile.wheelchair) == (0, ["alcohol"], True)
    assert (profile.latitude, profile.longitude, profile.max_km) == (*POINT, 10)
    ranked = page.locator("li.fit .fit-head label").all_text_contents()
    names = [n.strip() for n in ranked]
    assert names.index("SMART Recovery") < names.index("Alcoholics Anonymous"), names
    fit = page.locator("li.fit").filter(has=page.get_by_text("SMART Recovery", exact=True))
    expect(fit.locator(".reasons")).to_contain_text(
        "Spirituality is not important to them; this programme is secular.")
    aa_fit = page.locator("li.fit").filter(
        has=page.get_by_text("Alcoholics Anonymous", exact=True))
    expect(aa_fit.locator(".reasons")).to_contain_text("higher power")
    expect(page.get_by_text("Choose one or more fellowships above")).to_be_visible()
    axe(page, "match page (ranking)")

    # ---- Choose SMART: its meetings near the point, nearest first --------------------------------
    page.get_by_role("checkbox", name="SMART Recovery", exact=True).check()
    page.get_by_role("button", name="Save the client's choice").click()
    expect(messages(page)).to_contain_text("Choice saved.")
    assert list(profile.chosen.all()) == [smart]
    table = page.get_by_role("table", name="Meetings that fit", exact=True)
    expect(table.get_by_role("link", name="SMART Loop Tuesday")).to_be_visible()
    # The meetings with a place, nearest first: the far one and the one without wheelchair access
    # are left out, and so is AA (not chosen). (Whether the online meeting, which has no distance,
    # should be listed for a client who said "in person or online" is left open here.)
    in_person = table.locator("tbody tr").filter(has_not_text="Online")
    shown = [t.strip() for t in in_person.locator("td:first-child a").all_text_contents()]
    assert shown == NEAREST_SMART, shown
    distances = [float(t.split()[0])
                 for t in in_person.locator("td:nth-child(4)").all_text_contents()]
    assert distances == sorted(distances) and distances[0] < 0.2 and distances[-1] < 10
    for absent in ("SMART Milwaukee", "SMART Upstairs Room", "Loop Serenity AA",
                   "Women's Big Book AA"):
        expect(table.get_by_text(absent)).to_have_count(0)
    expect(table.get_by_role("row", name=re.compile("SMART Loop Tuesday"))).to_contain_text(
        "Tuesday 19:00")
    axe(page, "match page (meetings)")
    snap(page, "mutualaid-2-match")

    # Another point (a map pick): the Milwaukee meeting is the one near it.
    search = page.locator("form[method=get]")
    search.get_by_label("Latitude").fill("43.04")
    search.get_by_label("Longitude").fill("-87.91")
    search.get_by_role("button", name="Search from here").click()
    expect(table).to_contain_text("SMART Milwaukee")
    for absent in NEAREST_SMART:
        expect(table.get_by_text(absent)).to_have_count(0)
    profile.refresh_from_db()
    assert (profile.latitude, profile.longitude) == POINT  # a search point is not saved
    page.goto(f"/clients/{pk}/mutualaid/match/")

    # ---- Plan a meeting, then download the calendar ----------------------------------------------
    row = table.locator("tbody tr").filter(
        has=page.get_by_role("link", name="SMART Loop Tuesday", exact=True))
    plan = row.get_by_role("button", name=re.compile(r"^Plan\b(?!ned)"))
    expect(plan).to_have_accessible_name(re.compile("SMART Loop Tuesday"))  # not just "Plan"
    plan.click()
    expect(row.get_by_role("button", name=re.compile("^Planned"))).to_have_accessible_name(
        re.compile("SMART Loop Tuesday"))
    planned = list(profile.planned_meetings.all())
    assert [m.name for m in planned] == ["SMART Loop Tuesday"]
    first_meeting = planned[0]

    page.locator("nav.subnav").get_by_role("link", name="Mutual support").click()
    expect(page.locator("#planned-h + ul")).to_contain_text("SMART Loop Tuesday")
    expect(page.locator("#fit-h ~ p")).to_contain_text("Chosen: SMART Recovery")
    axe(page, "mutual support home")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download for their calendar (.ics)").click()
    download = download_info.value
    assert download.suggested_filename == "meetings.ics"
    ics = Path(download.path()).read_text(encoding="utf-8").replace("\r\n ", "")
    assert ics.startswith("BEGIN:VCALENDAR") and "BEGIN:VEVENT" in ics
    assert "SUMMARY:SMART Loop Tuesday" in ics
    assert re.search(r"^RRULE:FREQ=WEEKLY", ics, re.MULTILINE)
    assert "TZID=America/Chicago" in ics and "BEGIN:VTIMEZONE" in ics
    response = page.request.get(f"/clients/{pk}/mutualaid/meetings.ics")
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/calendar")

    # ---- Refer: a practitioner handoff without consent is refused --------------------------------
    page.goto(f"/clients/{pk}/mutualaid/match/")
    page.get_by_role("row", name=re.compile("SMART Loop Tuesday")).get_by_role(
        "link", name="Refer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Refer to a fellowship")
    expect(page.get_by_role("combobox", name="Fellowship", exact=True)).to_have_value(str(smart.pk))
    expect(page.get_by_label("First meeting", exact=True)).to_have_value(str(first_meeting.pk))
    axe(page, "referral form")
    first_on = referred_on + timedelta(days=(first_meeting.day - referred_on.isoweekday()) % 7)
    page.get_by_role("radio", name=re.compile("^Intensive")).check()
    page.get_by_label("Referred on").fill(iso(referred_on))
    page.get_by_label("Local contact").select_option(label="Jordan (SMART)")
    page.get_by_label("We contact the volunteer for the client (needs consent)").check()
    page.get_by_label("Date of the first meeting").fill(iso(first_on))
    page.get_by_label("Warm handoff").fill("Jordan will meet them at the door on Tuesday.")
    page.get_by_label("Follow up every (days)").fill("14")
    page.get_by_label("First follow-up on").fill(iso(referred_on + timedelta(days=14)))
    snap(page, "mutualaid-3-referral-form")
    page.get_by_role("button", name="Refer", exact=True).click()
    # A refusal: the form again (400) with its reasons, nothing saved.
    reasons = page.locator("main form")
    expect(reasons).to_contain_text("We cannot contact Jordan")
    expect(reasons).to_contain_text("let the client make the contact themselves")
    assert not FellowshipReferral.objects.exists() and not Disclosure.objects.exists()
    refusal = AuditEntry.objects.get(action="ecomap.disclosure.refused")
    assert refusal.client_id == pk and refusal.outcome == "denied"
    axe(page, "referral form refused")

    # The client makes the contact themselves: nothing is disclosed, the referral is recorded.
    page.get_by_label("The client contacts the volunteer themselves").check()
    expect(page.get_by_label("Referred on")).to_have_value(iso(referred_on))
    page.get_by_role("button", name="Refer", exact=True).click()
    expect(messages(page)).to_contain_text("Referral to SMART Recovery recorded.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Referral to SMART Recovery")
    referral = FellowshipReferral.objects.get()
    assert (referral.kind, referral.handoff, referral.contact, referral.disclosure) == (
        "intensive", "client", contact, None)
    assert (referral.referred_on, referral.first_meeting, referral.first_meeting_on) == (
        referred_on, first_meeting, first_on)
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text("Jordan")
    expect(facts).to_contain_text("The client contacts the volunteer themselves")
    expect(facts).to_contain_text(iso(referred_on))
    axe(page, "referral page")

    # ---- Two follow-ups, attendance falling --------------------------------------------------------
    visits = [(referred_on + timedelta(days=14), 6), (referred_on + timedelta(days=28), 1)]
    for number, (seen_on, meetings) in enumerate(visits, start=1):
        page.get_by_role("link", name="Record a follow-up").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Follow-up: SMART Recovery")
        if number == 1:
            axe(page, "follow-up form")
        else:
            expect(page.locator(".prompt li").first).to_contain_text("They went to 6 meeting")
        page.get_by_label("Date of the visit").fill(iso(seen_on))
        page.get_by_label("Meetings attended since the last visit").fill(str(meetings))
        page.get_by_label("Comfort at meetings").select_option("4" if number == 1 else "2")
        if number == 2:
            page.get_by_label("Concerns", exact=True).fill("Busy at work; went once.")
            snap(page, "mutualaid-4-follow-up")
        page.get_by_role("button", name="Save the follow-up").click()
        expect(messages(page)).to_contain_text("Follow-up recorded.")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Referral to SMART Recovery")
    assert list(FollowUp.objects.order_by("seen_on").values_list("seen_on", "meetings_attended")
                ) == visits

    # ---- The warning sign, on the referral page ------------------------------------------------
    alert = Alert.objects.get()
    assert (alert.rule, alert.status, alert.raised_on) == ("attendance_falling", "open", visits[1][0])
    expect(messages(page)).to_contain_text("Warning sign:")
    alerts = page.locator("section[aria-labelledby=alerts-h]")
    expect(alerts).to_contain_text("Attendance falling")
    expect(alerts.locator(".badge", has_text="rule of thumb")).to_be_visible()
    expect(alerts).to_contain_text("0.5 meetings a week since the last visit")
    expect(alerts).to_contain_text("their own recent average of 3 a week")
    expect(page.locator("figure.chart svg")).to_be_visible()
    visits_table = page.get_by_role("table", name="Follow-up visits")
    expect(visits_table.locator("tbody tr")).to_have_count(2)
    axe(page, "referral page with an alert")
    snap(page, "mutualaid-5-referral-alert")

    # ... on the client's overview,
    page.goto(f"/clients/{pk}/")
    expect(panel).to_contain_text("1 open warning sign")

    # ... and on Today, with its reason and the "rule of thumb" label.
    page.goto("/today/")
    today_panel = page.locator("section.panel").filter(
        has=page.get_by_role("heading", name=re.compile("Warning signs \\(mutual support\\)")))
    expect(today_panel).to_contain_text("Attendance falling")
    expect(today_panel).to_contain_text("0.5 meetings a week since the last visit")
    expect(today_panel.locator(".badge", has_text="rule of thumb")).to_be_visible()
    expect(today_panel.get_by_role("link", name=client_record.display_name)).to_be_visible()
    axe(page, "today with an alert")
    snap(page, "mutualaid-6-today-alert")

    # Acknowledge it from Today; it folds into a count, which links to the acknowledged ones.
    today_panel.get_by_role("button", name="Acknowledge").click()
    expect(page).to_have_url(re.compile(r"/today/$"))
    expect(messages(page)).to_contain_text("Alert acknowledged.")
    expect(today_panel).to_contain_text("No open warning signs.")
    expect(today_panel.get_by_role("button", name="Acknowledge")).to_have_count(0)
    alert.refresh_from_db()
    assert (alert.status, alert.acknowledged_by) == ("acknowledged", practitioner)
    today_panel.get_by_role("link", name="1 acknowledged warning sign, not yet resolved").click()
    expect(page).to_have_url(re.compile(r"/today/warning-signs-today/\?show=acknowledged$"))
    today_panel = page.locator("section.panel")
    expect(today_panel).to_contain_text("Acknowledged")
    expect(today_panel).to_contain_text("Attendance falling")
    axe(page, "today's acknowledged warning signs")

    # Resolving needs a note; with one, the alert leaves Today and shows as resolved.
    today_panel.get_by_label("What was done").fill(
        "Talked it through; they will go with Jordan on Tuesday.")
    today_panel.get_by_role("button", name="Resolve").click()
    expect(messages(page)).to_contain_text("Alert resolved.")
    expect(page.get_by_role("heading", name=re.compile("Warning signs"))).to_have_count(0)
    alert.refresh_from_db()
    assert (alert.status, alert.resolved_by, alert.resolution) == (
        "resolved", practitioner, "Talked it through; they will go with Jordan on Tuesday.")
    page.goto(f"/clients/{pk}/mutualaid/referrals/{referral.pk}/")
    expect(page.locator("section[aria-labelledby=alerts-h]")).to_contain_text(
        "they will go with Jordan on Tuesday.")
    expect(page.get_by_role("button", name="Resolve")).to_have_count(0)

    # ---- Every change was audited, with the actor and the client ---------------------------------
    entries = AuditEntry.objects.filter(client=client_record, actor=practitioner)
    actions = list(entries.values_list("action", flat=True))
    for action in ("ecomap.mutualaid.profile_created", "ecomap.mutualaid.fellowships_chosen",
                   "ecomap.mutualaid.meeting_planned", "ecomap.mutualaid.referred",
                   "ecomap.mutualaid.alert_acknowledged", "ecomap.mutualaid.alert_resolved",
                   "ecomap.disclosure.refused"):
        assert action in actions, f"no audit entry {action}"
    pages = set(entries.filter(action="ecomap.client.read").values_list("data__page", flat=True))
    assert {"mutualaid_client:calendar", "mutualaid_client:referral"} <= pages
    recorded = entries.filter(action="ecomap.mutualaid.follow_up_recorded").order_by("seq")
    assert [e.data.get("alerts") for e in recorded] == [[], ["attendance_falling"]]
    assert entries.filter(action="ecomap.mutualaid.alert_resolved").get().object_id == str(
        alert.pk)
    assert AuditEntry.objects.filter(action="ecomap.mutualaid.contact_created",
                                     actor=practitioner).exists()

    # The refused referral and the refused profile logged their HTTP 400s; nothing else.
    assert [e for e in page.console_log.errors() if "status of 400" not in e] == []
    assert not page.console_log.csp_violations()
    assert not axe.failures, "\n\n".join(axe.failures)
