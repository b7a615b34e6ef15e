"""Practitioner training in the browser (issue #12): a practitioner enrols, records the
prerequisite, convenes a study group and plans its meeting (the topic's deadline), explores the
resources, takes a position on the motion before and after, reflects after each task and shares a
reflection, rates the outcomes and asks for a review; the supervisor sees the team matrix, comments
on the shared reflection and records the review; the portfolio PDF. axe on each page; screenshots
at 1280 and 390 px wide."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ecomap.training.models import Comment, Enrolment, Meeting, OutcomeRating, Programme, Reflection

from .test_accessibility import audit

pytestmark = pytest.mark.e2e

SLUG = "psychosocial-interventions"
TOPIC = "motivational_interviewing"


def shoot(page, screenshot, name):
    screenshot(page, f"training-{name}-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, f"training-{name}-390")
    page.set_viewport_size({"width": 1280, "height": 900})


def form(page, action: str):
    return page.locator(f"form[action$='/{action}/']")


def reflect(page, task: str, did: str, *, share: bool = False):
    box = form(page, f"reflect_{task}")
    box.get_by_label("What I did").fill(did)
    box.get_by_label("What I learnt").fill("Readiness sets the pace of the plan.")
    box.get_by_label("What I will change in my practice").fill("Ask the ruler question early.")
    box.get_by_label("Hours I spent").fill("1.5")
    if share:
        box.get_by_label("Share this reflection with my supervisor").check()
    box.get_by_role("button", name="Save the reflection").click()
    expect(page.get_by_text("Your reflection is saved: the task is complete.")).to_be_visible()


def test_training_from_enrolment_to_review_and_portfolio(
        page, sign_in, screenshot, practitioner, supervisor, colleague):
    Programme.objects.create(slug=SLUG, title="Psycho-social interventions",
                             published_at=timezone.now())
    sign_in(page, practitioner)

    # Enrol, and record the prerequisite.
    page.get_by_role("link", name="Training", exact=True).click()
    page.get_by_role("link", name="Psycho-social interventions").click()
    audit(page, "programme")
    page.get_by_role("button", name="Enrol myself").click()
    expect(page.get_by_text("You are enrolled.")).to_be_visible()
    enrolment = Enrolment.objects.get(learner=practitioner)
    page.get_by_label("Evidence that you completed it").fill("Certificate, March")
    page.get_by_role("button", name="Record it as completed").click()
    expect(page.get_by_text("The prerequisite is recorded.")).to_be_visible()

    # The study group, its members and the meeting that is the first topic's deadline.
    page.get_by_label("Group name").fill("Tuesday peers")
    page.get_by_label("Kind of group").select_option(label="A peer group")
    page.get_by_role("button", name="Create the group").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tuesday peers")
    members = form(page, "member")
    members.get_by_label("An ecomap user").select_option(label=str(colleague))
    members.get_by_role("button", name="Add the member").click()
    form(page, "member").get_by_label("Or someone outside ecomap (their name)").fill("Dr Lin")
    form(page, "member").get_by_role("button", name="Add the member").click()
    expect(page.get_by_role("listitem").filter(has_text="Dr Lin")).to_be_visible()
    # A date in the past is refused with a message, changing nothing.
    meeting = form(page, "meeting")
    past = (timezone.localtime() - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    meeting.get_by_label("Topic").select_option(label="Motivational interviewing")
    meeting.get_by_label("Date and time").fill(past)
    meeting.get_by_label("Place").fill("North team room")
    meeting.get_by_role("button", name="Plan the meeting").click()
    expect(page.get_by_text("A new meeting must be in the future.")).to_be_visible()
    assert not Meeting.objects.exists()
    when = (timezone.localtime() + timedelta(days=6)).replace(hour=16, minute=0)
    meeting = form(page, "meeting")
    meeting.get_by_label("Date and time").fill(when.strftime("%Y-%m-%dT%H:%M"))
    meeting.get_by_label("Place").fill("North team room")
    meeting.get_by_role("button", name="Plan the meeting").click()
    expect(page.get_by_text("Meeting planned: its date is the topic's deadline.")).to_be_visible()
    form(page, "note").get_by_label("Note", exact=True).fill("Bring a readiness ruler each.")
    form(page, "note").get_by_role("button", name="Add the note").click()
    expect(page.get_by_text("Bring a readiness ruler each.")).to_be_visible()
    audit(page, "study group")
    shoot(page, screenshot, "group")

    # The timetable shows the deadline as due; the calendar holds the meeting.
    page.goto(f"/training/enrolments/{enrolment.pk}/")
    row = page.get_by_role("row").filter(has_text="Motivational interviewing")
    expect(row).to_contain_text("due")
    calendar = page.request.get(f"/training/enrolments/{enrolment.pk}/timetable.ics")
    assert "Study group: Motivational interviewing" in calendar.text()
    audit(page, "timetable")

    # Task 1: explore.
    row.get_by_role("link", name="Motivational interviewing").click()
    explore = form(page, "explore")
    explore.get_by_label(re.compile("Motivational interviewing: an introduction")).check()
    explore.get_by_label("Why does a person's motivation matter so much to where you start?") \
        .fill("It decides the first step.")
    explore.get_by_role("button", name="Save my notes").click()
    expect(page.get_by_text("Your notes on the resources are saved.")).to_be_visible()
    # An empty reflection is refused with a message.
    form(page, "reflect_explore").get_by_role("button", name="Save the reflection").click()
    expect(page.get_by_text("Say what you did.")).to_be_visible()
    assert not Reflection.objects.exists()
    reflect(page, "explore", "Read the introduction and tried the ruler.", share=True)

    # Task 2: the debate, before and after the study group.
    before = form(page, "before")
    before.get_by_label("Agree", exact=True).check()
    before.get_by_label(re.compile("how strongly", re.IGNORECASE)).fill("4")
    before.get_by_label("Arguments for the motion").fill("Trust is built one to one.")
    before.get_by_label("Arguments against the motion").fill("Groups motivate too.")
    before.get_by_label("Evidence I cite").fill("My caseload.")
    before.get_by_role("button", name="Save my position").click()
    expect(page.get_by_text("Your position is saved.")).to_be_visible()
    reflect(page, "debate", "Wrote my position.")
    page.get_by_text("Record my revised position").click()
    after = form(page, "after")
    after.get_by_label("Disagree", exact=True).check()
    after.get_by_label(re.compile("how strongly", re.IGNORECASE)).fill("3")
    after.get_by_label("What changed my mind (or did not)").fill("Dr Lin's motivational groups.")
    after.get_by_role("button", name="Save my revised position").click()
    expect(page.locator(".debate-columns")).to_contain_text("Agree")
    expect(page.locator(".debate-columns")).to_contain_text("Disagree")

    # Task 3: the study group discussion's reflection.
    reflect(page, "study_group", "Met the group and practised.")
    audit(page, "topic")
    shoot(page, screenshot, "topic")
    page.goto(f"/training/enrolments/{enrolment.pk}/")
    expect(page.get_by_role("row").filter(has_text="Motivational interviewing")) \
        .not_to_contain_text("due")

    # Outcomes before and after, then a review asked of the supervisor.
    page.get_by_role("link", name="Learning outcomes").click()
    for stage in ("before", "after"):
        box = page.locator("form").filter(has=page.locator(f"input[value='{stage}']"))
        for i in range(3):
            box.locator(f"input[name='{stage}-{['motivation', 'interventions', 'mutual_aid'][i]}']") \
                .nth(2 if stage == "before" else 3).check()
        box.get_by_role("button").click()
        expect(page.get_by_text("Your ratings are saved.")).to_be_visible()
    page.get_by_role("button", name="Ask my supervisor for a review").click()
    expect(page.get_by_text("Your supervisor has been asked for a review.")).to_be_visible()
    audit(page, "outcomes")

    # The portfolio and its PDF.
    page.get_by_role("link", name="Portfolio", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Portfolio")
    audit(page, "portfolio")
    shoot(page, screenshot, "portfolio")
    pdf = page.request.get(f"/training/enrolments/{enrolment.pk}/portfolio.pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")

    # The supervisor: the team matrix, the shared reflection, the review.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, supervisor)
    expect(page.get_by_role("region", name=re.compile("^Training"))).to_be_visible()
    page.goto("/training/team/")
    matrix = page.get_by_role("row").filter(has_text=str(practitioner))
    expect(matrix).to_contain_text("done")
    audit(page, "team")
    shoot(page, screenshot, "team")
    page.get_by_role("link", name=re.compile(f"^{re.escape(str(practitioner))}: Motivational")) \
        .click()
    page.get_by_role("textbox", name="Comment").fill("Good use of the ruler.")
    page.get_by_role("button", name="Add the comment").click()
    expect(page.get_by_text("Good use of the ruler.")).to_be_visible()
    assert Comment.objects.get().author == supervisor
    page.goto("/training/team/")
    page.get_by_role("link", name=re.compile(f"^{re.escape(str(practitioner))}: Psycho")).click()
    review = page.locator("form").filter(has=page.locator("input[value='review']"))
    for key in ("motivation", "interventions", "mutual_aid"):
        review.locator(f"input[name='review-{key}']").nth(3).check()
    review.get_by_role("button", name="Record my review").click()
    expect(page.get_by_text("Your review is recorded beside the learner's ratings.")).to_be_visible()
    audit(page, "review")
    rating = OutcomeRating.objects.get(enrolment=enrolment, outcome_key="motivation")
    assert (rating.before, rating.after, rating.supervisor_rating) == (3, 4, 4)


def tab_to(page, text: str, limit: int = 60) -> None:
    """Press Tab until the focused element's text or label is `text` (keyboard only)."""
    for _i in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => { const e = document.activeElement;
            const label = e.labels && e.labels[0] ? e.labels[0].innerText : '';
            return (e.innerText || label || '').trim(); }""")
        if focused == text:
            return
    raise AssertionError(f"{text!r} is not reachable with Tab")


def test_enrolling_convening_exploring_and_reflecting_with_the_keyboard_alone(page, sign_in,
                                                                             practitioner):
    Programme.objects.create(slug=SLUG, title="Psycho-social interventions",
                             published_at=timezone.now())
    sign_in(page, practitioner)
    page.goto("/training/")
    tab_to(page, "Psycho-social interventions")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Psycho-social interventions")
    tab_to(page, "Enrol myself")
    page.keyboard.press("Enter")
    expect(page.get_by_text("You are enrolled.")).to_be_visible()
    tab_to(page, "Group name")
    page.keyboard.type("Keyboard peers")
    tab_to(page, "Create the group")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Keyboard peers")
    tab_to(page, "Note")
    page.keyboard.type("Typed without a mouse.")
    tab_to(page, "Add the note")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Typed without a mouse.")).to_be_visible()
    assert Enrolment.objects.get(learner=practitioner).study_group.name == "Keyboard peers"
    # Task 1 with the keyboard too: the timetable, the topic, a resource ticked, a note, and a
    # reflection shared with the supervisor.
    enrolment = Enrolment.objects.get(learner=practitioner)
    page.goto(f"/training/enrolments/{enrolment.pk}/")
    tab_to(page, "Motivational interviewing")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Motivational interviewing")
    resource = "Motivational interviewing: an introduction (MINT)"
    tab_to(page, resource)  # the link to the resource
    tab_to(page, resource)  # its box under "Resources I used"
    page.keyboard.press("Space")
    tab_to(page, "Why does a person's motivation matter so much to where you start?")
    page.keyboard.type("It decides the first step.")
    tab_to(page, "Save my notes")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Your notes on the resources are saved.")).to_be_visible()
    for label, text in (("What I did", "Read the introduction."),
                        ("What I learnt", "Readiness sets the pace."),
                        ("What I will change in my practice", "Ask the ruler question early."),
                        ("Hours I spent", "2")):
        tab_to(page, label)
        page.keyboard.type(text)
    tab_to(page, "Share this reflection with my supervisor")
    page.keyboard.press("Space")
    tab_to(page, "Save the reflection")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Your reflection is saved: the task is complete.")).to_be_visible()
    reflection = Reflection.objects.get(enrolment=enrolment)
    assert reflection.shared and reflection.did == "Read the introduction."
