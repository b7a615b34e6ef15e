"""A whole IMR "Building Social Support" session in the browser (issue #4): enrol the client, add a
goal, record session 1 along the agenda (steps ticked with notes, topics, checklists, a person to
get closer to, homework linked to a goal and a checklist item), close it, then start session 2 and
review that homework with the praise / problem-solving prompt on screen; then the PDFs."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ecomap.modules.models import Enrolment, Goal, Homework, SessionRecord

from .test_accessibility import audit

pytestmark = pytest.mark.e2e


def step(page, title):
    """The agenda step's fieldset, by its legend."""
    return page.locator("li.agenda-step > fieldset").filter(
        has=page.locator("legend", has_text=re.compile(f"^{re.escape(title)}$")))


def tick(page, title, note=""):
    box = step(page, title)
    box.get_by_label(f"Done: {title}").check()
    if note:
        box.get_by_label("Note", exact=True).last.fill(note)


def test_a_session_then_the_next_sessions_homework_review(
        page, sign_in, screenshot, practitioner, client_record):
    pk = client_record.pk
    sign_in(page, practitioner)

    # Enrol from the client's overview panel.
    page.goto(f"/clients/{pk}/")
    page.get_by_role("link", name="Modules and goals").last.click()
    page.get_by_role("combobox", name=re.compile("^Module")).select_option(
        label="Illness Management and Recovery (IMR), module 4: Building Social Support")
    page.get_by_role("button", name="Enrol").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Building Social Support")
    enrolment = Enrolment.objects.get(client=client_record)
    module = enrolment.module

    # A personal goal, to review in sessions and link homework to.
    page.goto(f"/clients/{pk}/modules/goals/")
    page.get_by_label("Goal, in the client's own words").fill("Have a friend to see at weekends")
    page.get_by_role("button", name="Add the goal").click()
    expect(page.get_by_role("heading", name="Have a friend to see at weekends")).to_be_visible()
    goal = Goal.objects.get()

    # ---- Session 1 -----------------------------------------------------------------------------
    page.goto(f"/clients/{pk}/modules/{enrolment.pk}/")
    page.get_by_role("button", name="Start session 1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Session 1: Building Social Support")
    steps = page.locator("li.agenda-step > fieldset > legend")
    expect(steps).to_have_count(8)
    assert steps.all_text_contents() == [s.title for s in module.agenda]
    guidance = page.locator("aside.guidance")
    expect(guidance.get_by_text(module.strategies[0].title)).to_be_visible()
    audit(page, "session screen")

    tick(page, module.agenda[0].title, "Talked about the weekend; no major problems.")
    expect(step(page, module.agenda[1].title)).to_contain_text("Not needed in a first session")
    step(page, module.agenda[1].title).get_by_label("Note", exact=True).last.fill("First session.")
    step(page, module.agenda[2].title).get_by_label("Note", exact=True).last.fill("First session.")
    goals_step = step(page, module.agenda[3].title)
    goals_step.get_by_label("Progress").select_option(label="No progress yet")
    tick(page, module.agenda[3].title)
    tick(page, module.agenda[4].title, "Benefits of support and places to meet people.")
    teach = step(page, module.agenda[5].title)
    teach.get_by_role("checkbox", name=module.topics[0].title, exact=True).check()
    teach.get_by_role("checkbox", name=module.topics[1].title, exact=True).check()
    places = module.checklist("places")
    teach.get_by_label(places.item("drop_in_centre").text).check()
    teach.get_by_label(places.item("exercise_class").text).check()
    teach.get_by_label(f"{places.title}: ideas of the client's own (one per line)").fill(
        "Library reading group")
    disclosure = page.locator("#checklist-disclosure")
    disclosure.get_by_label("Person").first.fill("Ana from the drop-in")
    disclosure.get_by_label("Level of sharing").first.select_option("interests")
    tick(page, module.agenda[5].title)
    summarize = step(page, module.agenda[6].title)
    summarize.get_by_label("Summary for the client").fill("We talked about why support helps.")
    tick(page, module.agenda[6].title)
    agree = step(page, module.agenda[7].title)
    first_row = agree.locator("fieldset.new-homework").first
    first_row.get_by_label("What the client will do").fill("Find out when the drop-in centre is open")
    first_row.get_by_label("From the module's homework ideas").select_option("find_out_place")
    first_row.get_by_label("Checklist item").select_option("places:drop_in_centre")
    first_row.get_by_label("Goal it serves").select_option(label=goal.text)
    tick(page, module.agenda[7].title)
    screenshot(page, "modules-1-session-filled")
    page.get_by_role("button", name="Close the session").click()

    expect(page.get_by_role("status")).to_contain_text("Session 1 is closed.")
    session = SessionRecord.objects.get(number=1)
    assert session.is_closed and session.topics == [module.topics[0].key, module.topics[1].key]
    homework = Homework.objects.get()
    assert (homework.goal, homework.checklist_item) == (goal, "places:drop_in_centre")
    expect(page.locator("#checklists-h + *").first).to_be_visible()
    expect(page.get_by_text("Library reading group")).to_be_visible()
    expect(page.get_by_text("Ana from the drop-in: ")).to_be_visible()
    screenshot(page, "modules-2-progress")
    audit(page, "module progress")

    # The homework is on the practitioner's home page.
    page.goto("/today/")
    expect(page.get_by_role("heading", name=re.compile("Homework to review"))).to_be_visible()
    expect(page.get_by_text("Find out when the drop-in centre is open")).to_be_visible()

    # ---- Session 2: the homework review --------------------------------------------------------
    page.goto(f"/clients/{pk}/modules/{enrolment.pk}/")
    page.get_by_role("button", name="Start session 2").click()
    review = step(page, module.agenda[2].title)
    expect(review.locator(".prompt")).to_contain_text(module.agenda[2].prompt)
    expect(review).to_contain_text("Find out when the drop-in centre is open")
    # Checklist answers carry forward from session 1.
    expect(page.locator("#checklist-places").get_by_label(
        places.item("drop_in_centre").text)).to_be_checked()
    # Closing without saying how the homework went is refused, and nothing is saved.
    for s in module.agenda:
        tick(page, s.title)
    step(page, module.agenda[5].title).get_by_role(
        "checkbox", name=module.topics[2].title, exact=True).check()
    step(page, module.agenda[7].title).get_by_label("Note", exact=True).last.fill(
        "No new homework: review questions next time.")
    page.get_by_role("button", name="Close the session").click()
    expect(page.locator(".form-errors")).to_contain_text("say whether it was done")
    assert not SessionRecord.objects.get(number=2).is_closed
    review = step(page, module.agenda[2].title)
    review.get_by_label("How did it go?").select_option("partly")
    review.get_by_label("What got in the way").fill("Felt anxious going in alone.")
    review.get_by_label("Plan").fill("Go with the peer worker on Thursday.")
    step(page, module.agenda[3].title).get_by_label("Progress").select_option(
        label="A little progress")
    for s in module.agenda:  # the failed post re-rendered the form: ticks are kept, check again
        expect(step(page, s.title).get_by_label(f"Done: {s.title}")).to_be_checked()
    screenshot(page, "modules-3-homework-review")
    page.get_by_role("button", name="Close the session").click()
    expect(page.get_by_role("status")).to_contain_text("Session 2 is closed.")
    homework.refresh_from_db()
    assert (homework.status, homework.plan) == ("partly", "Go with the peer worker on Thursday.")
    expect(page.get_by_text("Felt anxious going in alone.")).to_be_visible()

    # The session summary and the handout are PDFs.
    second = SessionRecord.objects.get(number=2)
    for path in (f"{enrolment.pk}/handout.pdf", f"{enrolment.pk}/sessions/{second.pk}/summary.pdf"):
        response = page.request.get(f"/clients/{pk}/modules/{path}")
        assert response.status == 200 and response.body().startswith(b"%PDF")
    # The one console error is the browser logging the refused close (HTTP 400) above.
    assert [e for e in page.console_log.errors() if "status of 400" not in e] == []
    assert not page.console_log.csp_violations()


@pytest.mark.parametrize(
    ("name", "tail"),
    [("modules and goals", ""), ("goals", "goals/"), ("review questions", "{e}/review/"),
     ("closed session", "{e}/sessions/{s}/")],
)
def test_module_pages_pass_axe(page, sign_in, practitioner, client_record, name, tail):
    from ecomap.modules import services

    enrolment = services.enrol(client_record, "imr-building-social-support", actor=practitioner)
    services.add_goal(client_record, actor=practitioner, text="See a friend every week")
    session = services.start_session(enrolment, actor=practitioner)
    steps = {s.key: {"done": False, "note": "Short session."} for s in enrolment.module.agenda}
    services.save_session(session, services.SessionInput(held_on=session.held_on, steps=steps,
                                                         topics=["benefits"]),
                          actor=practitioner, close=True)
    sign_in(page, practitioner)
    response = page.goto(f"/clients/{client_record.pk}/modules/"
                         + tail.format(e=enrolment.pk, s=session.pk))
    assert response.status == 200
    audit(page, name)
