"""The pages: who sees what, refusals answered with 400 and changing nothing, reads audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ecomap.audit.models import AuditEntry
from ecomap.training import services
from ecomap.training.models import Enrolment, GroupNote, Meeting, Reflection

from .conftest import SLUG, TOPICS, complete_topic, soon

pytestmark = pytest.mark.django_db


def url(name, **kwargs):
    return reverse(f"training:{name}", kwargs=kwargs)


def test_the_learner_sees_every_page(as_user, practitioner, enrolment, group):
    complete_topic(enrolment, practitioner, TOPICS[0])
    web = as_user(practitioner)
    reflection = Reflection.objects.first()
    pages = [url("home"), url("programme", slug=SLUG), url("enrolment", enrolment_pk=enrolment.pk),
             url("topic", enrolment_pk=enrolment.pk, topic_key=TOPICS[0]),
             url("reflection", enrolment_pk=enrolment.pk, reflection_pk=reflection.pk),
             url("outcomes", enrolment_pk=enrolment.pk), url("practice", enrolment_pk=enrolment.pk),
             url("portfolio", enrolment_pk=enrolment.pk), url("group", group_pk=group.pk),
             reverse("site:today")]
    for page in pages:
        response = web.get(page)
        assert response.status_code == 200, page
    topic = web.get(pages[3]).content.decode()
    assert "Motivational interviewing" in topic
    assert "link not yet checked" in topic  # no date is claimed for a link nobody opened


def test_a_page_read_is_audited_once_as_a_staff_record(as_user, supervisor, enrolment):
    before = AuditEntry.objects.count()
    as_user(supervisor).get(url("enrolment", enrolment_pk=enrolment.pk))
    entries = [e for e in AuditEntry.objects.order_by("seq")[before:]
               if e.action.startswith("ecomap.training.")]
    assert [(e.action, e.data["page"], e.client_id) for e in entries] == [
        ("ecomap.training.read", "training:enrolment", None)]


def test_outsiders_and_administrators_do_not_see_a_training_record(
        as_user, enrolment, practitioner, outsider, other_supervisor, admin_user, colleague, group):
    complete_topic(enrolment, practitioner, TOPICS[0])
    reflection = Reflection.objects.first()
    services.add_note(group, actor=practitioner, text="my private worry", private=True)
    for user in (outsider, other_supervisor, admin_user, colleague):
        web = as_user(user)
        for page in (url("enrolment", enrolment_pk=enrolment.pk),
                     url("portfolio", enrolment_pk=enrolment.pk),
                     url("reflection", enrolment_pk=enrolment.pk, reflection_pk=reflection.pk),
                     url("group", group_pk=group.pk)):
            assert web.get(page).status_code == 404, (user, page)


def test_the_supervisor_sees_shared_reflections_only(as_user, enrolment, group, practitioner,
                                                     supervisor):
    complete_topic(enrolment, practitioner, TOPICS[0])
    first, second = Reflection.objects.all()[:2]
    services.share_reflection(first, actor=practitioner, shared=True)
    web = as_user(supervisor)
    assert web.get(url("reflection", enrolment_pk=enrolment.pk,
                       reflection_pk=second.pk)).status_code == 404
    page = web.get(url("reflection", enrolment_pk=enrolment.pk, reflection_pk=first.pk))
    assert page.status_code == 200
    response = web.post(url("reflection", enrolment_pk=enrolment.pk, reflection_pk=first.pk),
                        {"text": "Well observed"})
    assert response.status_code == 302 and first.comments.get().text == "Well observed"
    team = web.get(url("team")).content.decode()
    assert str(practitioner) in team and "Reflections shared with me" in team
    portfolio = web.get(url("portfolio", enrolment_pk=enrolment.pk) + "?reflections=all")
    assert portfolio.context["topics"][0]["reflections"] == [first]


def test_the_administrator_publishes_and_sees_who_is_enrolled(as_user, admin_user, practitioner):
    web = as_user(admin_user)
    assert web.post(url("publish", slug=SLUG)).status_code == 302
    as_user(practitioner).post(url("enrol", slug=SLUG))
    page = as_user(admin_user).get(url("programme", slug=SLUG))
    assert [e.learner for e in page.context["enrolled"]] == [practitioner]


def test_a_duplicate_enrolment_gets_a_message(as_user, enrolment, practitioner):
    response = as_user(practitioner).post(url("enrol", slug=SLUG))
    assert response.status_code == 409
    assert "already enrolled" in response.content.decode()
    assert Enrolment.objects.count() == 1


def test_a_past_meeting_gets_a_message_and_changes_nothing(as_user, practitioner, group):
    past = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = as_user(practitioner).post(url("group_post", group_pk=group.pk, action="meeting"),
                                          {"topic_key": TOPICS[0], "starts_at": past,
                                           "place": "Room 1"})
    assert response.status_code == 400
    assert "must be in the future" in response.content.decode()
    assert not Meeting.objects.exists()
    future = (timezone.localtime() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    response = as_user(practitioner).post(url("group_post", group_pk=group.pk, action="meeting"),
                                          {"topic_key": TOPICS[0], "starts_at": future,
                                           "place": "Room 1"})
    assert response.status_code == 302 and Meeting.objects.count() == 1


def test_a_non_member_writing_to_a_group_is_refused(as_user, group, supervisor):
    web = as_user(supervisor)  # the supervisor may look at the group, not write in it
    assert web.get(url("group", group_pk=group.pk)).status_code == 200
    response = web.post(url("group_post", group_pk=group.pk, action="note"),
                        {"text": "hello"})
    assert response.status_code == 400 and "Only the members" in response.content.decode()
    assert not GroupNote.objects.exists()


def test_an_empty_reflection_gets_a_message(as_user, practitioner, enrolment):
    web = as_user(practitioner)
    web.post(url("topic_post", enrolment_pk=enrolment.pk, topic_key=TOPICS[0], action="explore"),
             {"resources": ["0"], "answer_0": "It decides where I start"})
    response = web.post(url("topic_post", enrolment_pk=enrolment.pk, topic_key=TOPICS[0],
                            action="reflect_explore"), {"explore-did": " "})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Say what you did." in body and "Say what you learnt." in body
    assert not Reflection.objects.exists()
    response = web.post(url("topic_post", enrolment_pk=enrolment.pk, topic_key=TOPICS[0],
                            action="reflect_explore"),
                        {"explore-did": "Read", "explore-learnt": "Much",
                         "explore-will_change": "Ask", "explore-shared": "on"})
    assert response.status_code == 302 and Reflection.objects.get().shared


def test_the_debate_is_shown_side_by_side(as_user, practitioner, enrolment):
    web = as_user(practitioner)
    base = {"stance": "agree", "strength": "3", "arguments_for": "Rapport",
            "arguments_against": "Groups work", "evidence": "Project MATCH"}
    web.post(url("topic_post", enrolment_pk=enrolment.pk, topic_key=TOPICS[0], action="before"),
             {f"before-{k}": v for k, v in base.items()})
    web.post(url("topic_post", enrolment_pk=enrolment.pk, topic_key=TOPICS[0], action="after"),
             {f"after-{k}": v for k, v in {**base, "stance": "disagree",
                                           "what_changed": "The group"}.items()})
    page = web.get(url("topic", enrolment_pk=enrolment.pk, topic_key=TOPICS[0]))
    assert page.context["before"].stance == "agree" and page.context["after"].stance == "disagree"
    assert 'class="debate-columns"' in page.content.decode()


def test_the_practice_log_refuses_a_client_name_on_the_form(as_user, practitioner, enrolment,
                                                           client_record):
    response = as_user(practitioner).post(url("practice", enrolment_pk=enrolment.pk), {
        "skill": "Readiness ruler", "setting": "Clinic", "what_happened": "Robin rated 7",
        "what_learnt": "Ask why not lower", "tried_on": timezone.localdate().isoformat()})
    assert response.status_code == 400
    assert "names a client on your caseload" in response.content.decode()
    assert not enrolment.practice.exists()


def test_the_calendar_holds_the_study_group_meetings(as_user, practitioner, enrolment, group):
    services.plan_meeting(group, actor=practitioner, topic_key=TOPICS[0], starts_at=soon(),
                          place="Room 1")
    response = as_user(practitioner).get(url("calendar", enrolment_pk=enrolment.pk))
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in body and "Study group: Motivational interviewing" in body


def test_the_today_panel_shows_what_is_due(as_user, practitioner, enrolment, group):
    services.plan_meeting(group, actor=practitioner, topic_key=TOPICS[0], starts_at=soon(3),
                          place="Room 1")
    page = as_user(practitioner).get(reverse("site:today")).content.decode()
    assert "Training" in page and "Motivational interviewing" in page


def test_the_portfolio_pdf_and_the_certificate(as_user, practitioner, enrolment, group):
    pytest.importorskip("weasyprint")
    web = as_user(practitioner)
    response = web.get(url("portfolio_pdf", enrolment_pk=enrolment.pk))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    refused = web.get(url("certificate", enrolment_pk=enrolment.pk))
    assert refused.status_code == 400 and "once every task" in refused.content.decode()
    for topic in TOPICS:
        complete_topic(enrolment, practitioner, topic)
    response = web.get(url("certificate", enrolment_pk=enrolment.pk))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_the_portfolio_page_runs_a_constant_number_of_queries(as_user, practitioner, enrolment,
                                                              group):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    web = as_user(practitioner)
    complete_topic(enrolment, practitioner, TOPICS[0], shared=True)
    with CaptureQueriesContext(connection) as small:
        web.get(url("portfolio", enrolment_pk=enrolment.pk))
    for topic in TOPICS[1:]:
        complete_topic(enrolment, practitioner, topic, shared=True)
    for reflection in Reflection.objects.all():
        services.comment(reflection, actor=practitioner, text="note")
    with CaptureQueriesContext(connection) as large:
        web.get(url("portfolio", enrolment_pk=enrolment.pk))
    assert len(large) == len(small), "\n".join(q["sql"][:150] for q in large.captured_queries)


def test_the_team_page_runs_a_constant_number_of_queries(as_user, supervisor, programme, north):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ecomap.accounts.models import Role
    from ecomap.testing.factories import UserFactory

    def add(n):
        for _i in range(n):
            learner = UserFactory(role=Role.PRACTITIONER, team=north)
            enrolment = services.enrol(programme, learner, actor=learner)
            services.create_group(enrolment, actor=learner, name="g", kind="peer")
            complete_topic(enrolment, learner, TOPICS[0], shared=True)
            services.rate_outcomes(enrolment, actor=learner, stage="after", ratings={
                "motivation": 3, "interventions": 3, "mutual_aid": 3})
            services.request_review(enrolment, actor=learner)

    web = as_user(supervisor)
    add(2)
    with CaptureQueriesContext(connection) as small:
        web.get(url("team"))
    add(28)
    with CaptureQueriesContext(connection) as large:
        response = web.get(url("team"))
    assert len(response.context["matrices"][0][2]) == 30
    assert len(large) == len(small)
