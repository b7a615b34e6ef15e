"""The module pages through Django's test client: enrol, record a session on one screen, review its
homework at the next, the review questions, goals, PDFs and the panels."""

from __future__ import annotations

from datetime import timedelta
from html import escape

import pytest
from django.utils import timezone

from ecomap.audit.models import AuditEntry
from ecomap.modules import services
from ecomap.modules.models import Enrolment, Goal, Homework, ReviewAttempt, SessionRecord

IMR = "imr-building-social-support"


NO_NEW_HOMEWORK = {"new_0_text": "", "new_0_idea": "", "new_0_item": ""}


def _url(client, tail=""):
    return f"/clients/{client.pk}/modules/{tail}"


def _session_post(session, module, *, close=False, **extra):
    today = session.held_on
    data = {"held_on": today.isoformat(), "version": session.version, "summary": "Good session."}
    for step in module.agenda:
        data[f"step_{step.key}_done"] = "on"
    data["topics"] = ["benefits", "places"]
    data["cl_places"] = ["drop_in_centre", "work"]
    data["cl_places_other"] = "Library reading group"
    data["cl_disclosure_0_person"] = "Ana"
    data["cl_disclosure_0_level"] = "interests"
    data["new_0_text"] = "Find out when the drop-in centre is open"
    data["new_0_idea"] = "find_out_place"
    data["new_0_item"] = "places:drop_in_centre"
    data["new_0_due"] = (today + timedelta(days=7)).isoformat()
    if close:
        data["close"] = "1"
    data.update(extra)
    return data


@pytest.fixture
def enrolled(db, client_record, practitioner):
    return services.enrol(client_record, IMR, actor=practitioner)


@pytest.mark.django_db
def test_enrol_through_the_page(as_user, practitioner, client_record):
    http = as_user(practitioner)
    page = http.get(_url(client_record))
    assert page.status_code == 200 and "Building Social Support" in page.content.decode()
    response = http.post(_url(client_record), {"module": IMR, "started_on": "2026-11-02"})
    enrolment = Enrolment.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"/modules/{enrolment.pk}/")
    again = http.post(_url(client_record), {"module": IMR, "started_on": "2026-11-02"})
    assert again.status_code == 400 and "already working through" in again.content.decode()
    bad = http.post(_url(client_record), {"module": "nope", "started_on": "yesterday"})
    assert bad.status_code == 400 and Enrolment.objects.count() == 1
    assert set(bad.context["form"].errors) == {"module", "started_on"}


@pytest.mark.django_db
def test_a_whole_session_then_the_next_sessions_homework_review(
        as_user, practitioner, client_record, enrolled):
    http = as_user(practitioner)
    module = enrolled.module
    response = http.post(_url(client_record, f"{enrolled.pk}/sessions/new/"))
    session = SessionRecord.objects.get()
    assert response.url.endswith(f"/sessions/{session.pk}/")
    page = http.get(response.url)
    body = page.content.decode()
    for step in module.agenda:  # the eight steps on one screen, in order, with guidance
        assert escape(step.title) in body and escape(step.guidance) in body
    assert body.index(escape(module.agenda[0].title)) < body.index(escape(module.agenda[-1].title))
    assert "Motivational" in body or module.strategies[0].title in body
    assert "Not needed in a first session" in body

    draft = http.post(response.url, _session_post(session, module))
    assert draft.status_code == 302
    session.refresh_from_db()
    assert not session.is_closed and session.topics == ["benefits", "places"]
    assert session.checklists == ["disclosure", "do", "places", "say"]
    homework = Homework.objects.get()
    assert homework.checklist_item == "places:drop_in_centre"

    # Closing with the homework row filled again would set it twice; the form starts empty again.
    session.refresh_from_db()
    closed = http.post(response.url, _session_post(session, module, close=True, **NO_NEW_HOMEWORK))
    assert closed.status_code == 302, closed.context["form"].errors
    session.refresh_from_db()
    assert session.is_closed and Homework.objects.count() == 1
    assert "closed" in http.get(response.url).content.decode()

    # Next session: the homework is waiting, with the praise / problem-solving prompt.
    second_url = http.post(_url(client_record, f"{enrolled.pk}/sessions/new/")).url
    second = SessionRecord.objects.get(number=2)
    body = http.get(second_url).content.decode()
    assert homework.text in body and "Remember:" in body and escape(module.agenda[2].prompt) in body
    # The checklist answers carry forward into the new session's form.
    assert 'value="Ana"' in body and "Library reading group" in body
    data = _session_post(second, module, close=True, **NO_NEW_HOMEWORK)
    data["step_homework_agree_done"] = ""
    data["step_homework_agree_note"] = "Module review next time."
    missing = http.post(second_url, data)
    assert missing.status_code == 400 and "say whether it was done" in missing.content.decode()
    second.refresh_from_db()
    assert not second.is_closed and second.version == 1  # nothing saved
    data[f"hw_{homework.pk}_status"] = "not_done"
    data[f"hw_{homework.pk}_obstacles"] = "The bus was cancelled."
    data[f"hw_{homework.pk}_plan"] = "Phone instead."
    assert http.post(second_url, data).status_code == 302
    homework.refresh_from_db()
    assert (homework.status, homework.obstacles) == ("not_done", "The bus was cancelled.")
    actions = set(AuditEntry.objects.filter(client=client_record).values_list("action", flat=True))
    assert {"ecomap.modules.session_saved", "ecomap.modules.session_closed",
            "ecomap.client.read", "ecomap.modules.session_started"} <= actions


@pytest.mark.django_db
def test_invalid_session_input_saves_nothing(as_user, practitioner, client_record, enrolled):
    http = as_user(practitioner)
    session = services.start_session(enrolled, actor=practitioner)
    url = _url(client_record, f"{enrolled.pk}/sessions/{session.pk}/")
    data = _session_post(session, enrolled.module, cl_places=["moon"], new_0_due="",
                         cl_disclosure_0_level="")
    response = http.post(url, data)
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"cl_places", "new_0_due",
                                                    "cl_disclosure_0_level"}
    assert not Homework.objects.exists() and SessionRecord.objects.get().steps == {}
    measure = http.post(url, _session_post(session, enrolled.module, measure="1", **NO_NEW_HOMEWORK,
                                           cl_places=["work"], new_0_due="",
                                           cl_disclosure_0_level="interests"))
    assert measure.status_code == 302
    assert measure.url == f"/clients/{client_record.pk}/measures/?next=" + url.replace("/", "%2F")
    session.refresh_from_db()
    stale = http.post(url, _session_post(session, enrolled.module, version=99))
    assert stale.status_code == 409 and "Someone else saved" in stale.content.decode()


@pytest.mark.django_db
def test_review_questions_scored_and_kept(as_user, practitioner, client_record, enrolled):
    http = as_user(practitioner)
    url = _url(client_record, f"{enrolled.pk}/review/")
    assert "toll booth" in http.get(url).content.decode()
    incomplete = http.post(url, {"q_sign_of_support": "c"})
    assert incomplete.status_code == 400 and not ReviewAttempt.objects.exists()
    data = {"q_sign_of_support": "c", "q_poor_place": "b", "q_topics_first": "true",
            "q_increase_closeness": "c", "q_personal_information": "a"}
    for q in enrolled.module.review_questions:
        if q.kind == "open":
            data[f"q_{q.key}"] = "An answer"
            data[f"r_{q.key}"] = "1"
    assert http.post(url, data).status_code == 302
    attempt = ReviewAttempt.objects.get()
    assert (attempt.correct, attempt.scored, attempt.open_rating, attempt.open_rating_max) == (
        4, 5, 5, 10)
    assert "4 of 5 correct" in http.get(_url(client_record, f"{enrolled.pk}/")).content.decode()


@pytest.mark.django_db
def test_goals_page_links_goals_to_the_network_plan(as_user, practitioner, client_record):
    from ecomap.network.models import AcceptedIntervention

    plan = AcceptedIntervention.objects.create(
        client=client_record, rule_id="isolated", intervention="Find a group to join",
        reason="Few people", accepted_by=practitioner)
    http = as_user(practitioner)
    page = http.get(_url(client_record, "goals/"))
    assert "Find a group to join" in page.content.decode()
    assert http.post(_url(client_record, "goals/"), {"text": "", "from_intervention": ""}
                     ).status_code == 400
    http.post(_url(client_record, "goals/"), {"text": "Join the walking group",
                                              "from_intervention": plan.pk})
    goal = Goal.objects.get()
    assert goal.from_intervention == plan
    http.post(_url(client_record, f"goals/{goal.pk}/status/"), {"status": "nonsense"})
    goal.refresh_from_db()
    assert goal.status == "active"
    http.post(_url(client_record, f"goals/{goal.pk}/status/"), {"status": "achieved"})
    goal.refresh_from_db()
    assert goal.status == "achieved"


@pytest.mark.django_db
def test_handout_and_session_summary_pdfs(as_user, practitioner, client_record, enrolled):
    http = as_user(practitioner)
    session = services.start_session(enrolled, actor=practitioner)
    http.post(_url(client_record, f"{enrolled.pk}/sessions/{session.pk}/"),
              _session_post(session, enrolled.module))
    for tail in (f"{enrolled.pk}/handout.pdf", f"{enrolled.pk}/sessions/{session.pk}/summary.pdf"):
        response = http.get(_url(client_record, tail))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
    printed = AuditEntry.objects.filter(action="ecomap.client.read", data__page__in=[
        "modules:handout_pdf", "modules:session_pdf"])
    assert printed.count() == 2


@pytest.mark.django_db
def test_pdf_templates_hold_the_checklists_and_the_homework(client_record, practitioner, enrolled):
    from django.template.loader import render_to_string

    from ecomap.modules import views

    session = services.start_session(enrolled, actor=practitioner)
    data = services.SessionInput(
        held_on=session.held_on, steps={}, topics=["places"], choices={"places": ["work"]},
        new_homework=[{"text": "Visit the drop-in", "due_on": session.held_on + timedelta(days=3)}])
    services.save_session(session, data, actor=practitioner)
    context = views._summary_context(client_record, enrolled, session, enrolled.module)
    html = render_to_string("modules/session_pdf.html", context | {"printed_at": timezone.now()})
    assert "Visit the drop-in" in html and "Work" in html
    assert "Done:" not in html  # the practitioner's agenda notes stay out of the client's copy


@pytest.mark.django_db
def test_overview_and_today_show_open_homework_in_fixed_queries(
        as_user, practitioner, client_record, django_assert_max_num_queries):
    from ecomap.testing.factories import ClientFactory

    http = as_user(practitioner)
    for n in range(4):
        client = client_record if n == 0 else ClientFactory(primary_practitioner=practitioner)
        enrolment = services.enrol(client, IMR, actor=practitioner)
        session = services.start_session(enrolment, actor=practitioner)
        services.save_session(session, services.SessionInput(
            held_on=session.held_on, steps={}, topics=[],
            new_homework=[{"text": f"Homework {n}", "due_on": session.held_on}] * 3),
            actor=practitioner)
    today = http.get("/today/").content.decode()
    assert "Homework to review" in today and "Homework 3" in today
    overview = http.get(f"/clients/{client_record.pk}/").content.decode()
    assert "Modules and goals" in overview and "Homework 0" in overview
    with django_assert_max_num_queries(30) as small:
        http.get("/today/")
    for _n in range(5):
        client = ClientFactory(primary_practitioner=practitioner)
        enrolment = services.enrol(client, IMR, actor=practitioner)
        session = services.start_session(enrolment, actor=practitioner)
        services.save_session(session, services.SessionInput(
            held_on=session.held_on, steps={}, topics=[],
            new_homework=[{"text": "More", "due_on": session.held_on}] * 2), actor=practitioner)
    with django_assert_max_num_queries(len(small.captured_queries)):
        http.get("/today/")


@pytest.mark.django_db
def test_session_page_queries_do_not_grow_with_the_record(
        as_user, practitioner, client_record, enrolled, django_assert_max_num_queries):
    http = as_user(practitioner)
    first = services.start_session(enrolled, actor=practitioner)
    url = _url(client_record, f"{enrolled.pk}/sessions/{first.pk}/")
    services.add_goal(client_record, actor=practitioner, text="A first goal")
    # One answer and one homework first: with none at all, some queries are skipped altogether.
    services.save_session(first, services.SessionInput(
        held_on=first.held_on, steps={}, topics=[], choices={"places": ["work"]},
        new_homework=[{"text": "H", "due_on": first.held_on}]), actor=practitioner)
    with django_assert_max_num_queries(40) as small:
        http.get(url)
    for n in range(6):
        services.add_goal(client_record, actor=practitioner, text=f"Goal {n}")
    services.save_session(first, services.SessionInput(
        held_on=first.held_on, steps={}, topics=[], choices={"places": ["work", "club"]},
        new_homework=[{"text": f"H{n}", "due_on": first.held_on} for n in range(5)]),
        actor=practitioner)
    with django_assert_max_num_queries(len(small.captured_queries)):
        http.get(url)


@pytest.mark.django_db
def test_end_the_module(as_user, practitioner, client_record, enrolled):
    http = as_user(practitioner)
    url = _url(client_record, f"{enrolled.pk}/")
    early = http.post(url, {"outcome": "withdrawn", "reason": ""})
    assert early.status_code == 400 and "Say why" in early.content.decode()
    assert early.context["end_form"].errors["reason"]
    enrolled.refresh_from_db()
    assert enrolled.is_active
    http.post(url, {"outcome": "completed", "reason": ""})
    enrolled.refresh_from_db()
    assert enrolled.status == "completed"
    assert "Start session" not in http.get(url).content.decode()


@pytest.mark.django_db
def test_a_session_never_opens_under_another_enrolment(
        as_user, practitioner, client_record, enrolled):
    other = services.enrol(client_record, "test-daily-walks", actor=practitioner)
    session = services.start_session(enrolled, actor=practitioner)
    response = as_user(practitioner).get(_url(client_record, f"{other.pk}/sessions/{session.pk}/"))
    assert response.status_code == 404


@pytest.mark.django_db
def test_a_post_to_a_session_closed_meanwhile_says_so(as_user, practitioner, client_record, enrolled):
    session = services.start_session(enrolled, actor=practitioner)
    url = _url(client_record, f"{enrolled.pk}/sessions/{session.pk}/")
    http = as_user(practitioner)
    data = _session_post(session, enrolled.module)
    SessionRecord.objects.filter(pk=session.pk).update(closed_at=timezone.now())
    response = http.post(url, data)
    assert response.status_code == 409 and "your changes were not saved" in response.content.decode()
    assert not Homework.objects.exists()


@pytest.mark.django_db
def test_a_module_whose_file_is_gone_gives_a_message_not_an_error(
        as_user, practitioner, client_record, enrolled):
    session = services.start_session(enrolled, actor=practitioner)
    Enrolment.objects.filter(pk=enrolled.pk).update(module_slug="gone-module")
    http = as_user(practitioner)
    for tail in (f"{enrolled.pk}/sessions/{session.pk}/", f"{enrolled.pk}/review/",
                 f"{enrolled.pk}/handout.pdf", f"{enrolled.pk}/sessions/{session.pk}/summary.pdf",
                 f"{enrolled.pk}/"):
        response = http.get(_url(client_record, tail))
        assert response.status_code == 400
        assert "no longer installed" in response.content.decode()


@pytest.mark.django_db
def test_a_past_session_summary_shows_the_choices_as_they_were(
        client_record, practitioner, enrolled):
    from ecomap.modules import views

    steps = {s.key: {"done": False, "note": "x"} for s in enrolled.module.agenda}
    first = services.start_session(enrolled, actor=practitioner)
    services.save_session(first, services.SessionInput(
        held_on=first.held_on, steps=steps, topics=[], choices={"places": ["work"]}),
        actor=practitioner, close=True)
    second = services.start_session(enrolled, actor=practitioner)
    services.save_session(second, services.SessionInput(
        held_on=second.held_on, steps=steps, topics=[], choices={"places": ["club"]}),
        actor=practitioner, close=True)
    rows = views._summary_context(client_record, enrolled, first, enrolled.module)["answers"]
    assert [r["text"] for r in rows[0]["rows"]] == ["Work"]


@pytest.mark.django_db
def test_today_puts_overdue_homework_first_and_pages_the_rest(as_user, practitioner,
                                                              client_record):
    from datetime import timedelta

    http = as_user(practitioner)
    held = timezone.localdate() - timedelta(days=10)
    enrolment = services.enrol(client_record, IMR, actor=practitioner, started_on=held)
    session = services.start_session(enrolment, actor=practitioner)
    services.save_session(session, services.SessionInput(
        held_on=held, steps={}, topics=[],
        new_homework=[{"text": f"Due later {n:02}", "due_on": held + timedelta(days=17)}
                      for n in range(11)]
        + [{"text": "Overdue", "due_on": held + timedelta(days=3)}]), actor=practitioner)
    today = http.get("/today/").content.decode()
    assert today.index("Overdue") < today.index("Due later 00")
    assert "Showing 10 of 12: see all" in today and "Due later 10" not in today
    full = http.get("/today/open-homework/").content.decode()
    assert full.index("Overdue") < full.index("Due later 00") and "Due later 10" in full
