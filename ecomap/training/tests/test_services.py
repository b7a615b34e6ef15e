"""The rules: enrolment, the timetable, the tasks, completion, privacy and de-identification."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ecomap.accounts.models import Role
from ecomap.audit.models import AuditEntry
from ecomap.core.refusal import Conflict, Refusal
from ecomap.testing.factories import ClientFactory, UserFactory
from ecomap.training import services
from ecomap.training.models import (
    Enrolment,
    GroupNote,
    Meeting,
    PracticeEntry,
    Prerequisite,
    Programme,
    Reflection,
)

from .conftest import SLUG, TOPICS, complete_topic, soon

pytestmark = pytest.mark.django_db


def test_an_administrator_publishes_and_nobody_enrols_before(admin_user, practitioner):
    with pytest.raises(Refusal):
        services.publish(SLUG, actor=practitioner)
    row = Programme.objects.create(slug=SLUG, title="x")
    with pytest.raises(Refusal, match="not published"):
        services.enrol(row, practitioner, actor=practitioner)
    services.publish(SLUG, actor=admin_user)
    assert Programme.objects.get(slug=SLUG).is_published
    assert services.enrol(Programme.objects.get(slug=SLUG), practitioner, actor=practitioner)
    assert AuditEntry.objects.filter(action="ecomap.training.programme_published",
                                     client=None).exists()


def test_a_duplicate_enrolment_is_refused_and_changes_nothing(enrolment, practitioner,
                                                              programme, supervisor):
    for actor in (practitioner, supervisor):
        with pytest.raises(Conflict, match="already enrolled"):
            services.enrol(programme, practitioner, actor=actor)
    assert Enrolment.objects.count() == 1


def test_a_supervisor_assigns_only_their_own_team(programme, supervisor, colleague, outsider):
    enrolment = services.enrol(programme, colleague, actor=supervisor)
    assert enrolment.assigned_by == supervisor
    with pytest.raises(Refusal, match="team you supervise"):
        services.enrol(programme, outsider, actor=supervisor)
    with pytest.raises(Refusal):
        services.enrol(programme, outsider, actor=colleague)


def test_the_prerequisite_completed_with_evidence_or_waived_with_a_reason(
        enrolment, practitioner, supervisor, other_supervisor):
    with pytest.raises(Refusal):
        services.record_prerequisite(enrolment, actor=practitioner, evidence=" ")
    with pytest.raises(Refusal):
        services.waive_prerequisite(enrolment, actor=practitioner, reason="I know it")
    with pytest.raises(Refusal):
        services.waive_prerequisite(enrolment, actor=other_supervisor, reason="Fine")
    with pytest.raises(Refusal, match="reason"):
        services.waive_prerequisite(enrolment, actor=supervisor, reason="")
    enrolment.refresh_from_db()
    assert enrolment.prerequisite == Prerequisite.PENDING
    services.waive_prerequisite(enrolment, actor=supervisor, reason="Ten years of practice")
    enrolment.refresh_from_db()
    assert (enrolment.prerequisite, enrolment.waived_by) == (Prerequisite.WAIVED, supervisor)


def test_a_meeting_in_the_past_is_refused(group, practitioner):
    with pytest.raises(Refusal) as error:
        services.plan_meeting(group, actor=practitioner, topic_key=TOPICS[0],
                              starts_at=timezone.now() - timedelta(hours=1), place="Room 2")
    assert "future" in str(error.value)
    assert not Meeting.objects.exists()
    services.plan_meeting(group, actor=practitioner, topic_key=TOPICS[0], starts_at=soon(),
                          place="Room 2")
    with pytest.raises(Refusal, match="already has a meeting"):
        services.plan_meeting(group, actor=practitioner, topic_key=TOPICS[0], starts_at=soon(8),
                              online_link="https://meet.example.invalid/x")


def test_a_non_member_writing_to_a_group_is_refused(group, practitioner, colleague, supervisor):
    for action in (
            lambda u: services.add_note(group, actor=u, text="hello", private=False),
            lambda u: services.plan_meeting(group, actor=u, topic_key=TOPICS[0],
                                            starts_at=soon(), place="x"),
            lambda u: services.add_member(group, actor=u, outside_name="Pat")):
        with pytest.raises(Refusal, match="Only the members"):
            action(colleague)
        with pytest.raises(Refusal, match="Only the members"):
            action(supervisor)
    assert not GroupNote.objects.exists() and group.members.count() == 1


def test_members_are_users_or_outsiders_and_notes_shared_or_private(
        group, practitioner, colleague, programme):
    theirs = services.enrol(programme, colleague, actor=colleague)
    services.add_member(group, actor=practitioner, user=colleague)
    services.add_member(group, actor=practitioner, outside_name="Pat from the day centre")
    theirs.refresh_from_db()
    assert theirs.study_group == group  # the colleague's deadlines follow the group's meetings
    with pytest.raises(Refusal):
        services.add_member(group, actor=practitioner)
    shared = services.add_note(group, actor=practitioner, text="Bring the SOCRATES", private=False)
    mine = services.add_note(group, actor=practitioner, text="I felt unsure", private=True)
    assert set(services.visible_notes(group, practitioner)) == {shared, mine}
    assert list(services.visible_notes(group, colleague)) == [shared]
    with pytest.raises(Refusal):
        services.add_note(group, actor=colleague, text="  ", private=False)


def test_attendance_is_recorded_after_the_meeting(group, practitioner):
    meeting = services.plan_meeting(group, actor=practitioner, topic_key=TOPICS[0],
                                    starts_at=soon(), place="x")
    member = group.members.get()
    with pytest.raises(Refusal):
        services.record_attendance(meeting, actor=practitioner, present_member_ids=[member.pk])
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(days=1))
    meeting.refresh_from_db()
    services.record_attendance(meeting, actor=practitioner, present_member_ids=[member.pk])
    assert meeting.attendance.get().attended


def test_an_empty_reflection_is_refused_and_a_task_completes_with_its_reflection(
        enrolment, group, practitioner):
    topic = TOPICS[0]
    with pytest.raises(Refusal) as error:
        services.write_reflection(enrolment, actor=practitioner, topic_key=topic,
                                  task_key="explore", did="", learnt=" ", will_change="")
    assert set(error.value.by_field()) >= {"did", "learnt", "will_change"}
    with pytest.raises(Refusal, match="resources you used"):  # the task's work comes first
        services.write_reflection(enrolment, actor=practitioner, topic_key=topic,
                                  task_key="explore", did="a", learnt="b", will_change="c")
    assert not Reflection.objects.exists()
    services.save_explore(enrolment, actor=practitioner, topic_key=topic, resources_used=[0],
                          answers=["x"])
    rows = services.progress_for([enrolment])[enrolment.pk]
    assert rows[0].tasks["explore"] == "unplanned"  # work without a reflection is not done
    services.write_reflection(enrolment, actor=practitioner, topic_key=topic, task_key="explore",
                              did="a", learnt="b", will_change="c")
    rows = services.progress_for([enrolment])[enrolment.pk]
    assert rows[0].tasks == {"explore": "done", "debate": "unplanned",
                             "study_group": "unplanned"}


def test_due_and_overdue_follow_the_study_group_meetings(enrolment, group, practitioner):
    services.plan_meeting(group, actor=practitioner, topic_key=TOPICS[0], starts_at=soon(3),
                          place="x")
    services.plan_meeting(group, actor=practitioner, topic_key=TOPICS[1], starts_at=soon(3),
                          place="x")
    Meeting.objects.filter(topic_key=TOPICS[1]).update(
        starts_at=timezone.now() - timedelta(days=2))
    enrolment.refresh_from_db()
    rows = {r.topic.key: r for r in services.progress_for([enrolment])[enrolment.pk]}
    assert rows[TOPICS[0]].status == "due" and rows[TOPICS[1]].status == "overdue"
    assert rows[TOPICS[2]].status == "unplanned"
    assert [row.topic.key for _e, row in services.due_items(practitioner)] == [TOPICS[1], TOPICS[0]]


def test_the_debate_before_then_after(enrolment, practitioner):
    with pytest.raises(Refusal, match="first position"):
        services.save_position(enrolment, actor=practitioner, topic_key=TOPICS[0], stage="after",
                               stance="disagree", strength=4, what_changed="The group")
    services.save_position(enrolment, actor=practitioner, topic_key=TOPICS[0], stage="before",
                           stance="agree", strength=2)
    with pytest.raises(Refusal):
        services.save_position(enrolment, actor=practitioner, topic_key=TOPICS[0], stage="after",
                               stance="disagree", strength=4, what_changed="")
    after = services.save_position(enrolment, actor=practitioner, topic_key=TOPICS[0],
                                   stage="after", stance="disagree", strength=4,
                                   what_changed="Group work in the evidence")
    assert after.stance == "disagree"


def test_unshared_reflections_are_seen_by_nobody_else(enrolment, group, practitioner, supervisor,
                                                     admin_user, colleague, other_supervisor):
    complete_topic(enrolment, practitioner, TOPICS[0])
    mine = list(services.visible_reflections(enrolment, practitioner))
    assert len(mine) == 3
    for viewer in (supervisor, admin_user, colleague, other_supervisor):
        assert list(services.visible_reflections(enrolment, viewer)) == []
    services.share_reflection(mine[0], actor=practitioner, shared=True)
    assert list(services.visible_reflections(enrolment, supervisor)) == [mine[0]]
    for viewer in (admin_user, colleague, other_supervisor):
        assert list(services.visible_reflections(enrolment, viewer)) == []
    with pytest.raises(Refusal):
        services.comment(mine[1], actor=supervisor, text="Good")  # not shared
    with pytest.raises(Refusal):
        services.comment(mine[0], actor=other_supervisor, text="Good")
    assert services.comment(mine[0], actor=supervisor, text="Good").author == supervisor
    with pytest.raises(Refusal):
        services.share_reflection(mine[1], actor=supervisor, shared=True)


def test_outcomes_rated_before_and_after_and_reviewed_beside(enrolment, practitioner, supervisor,
                                                             other_supervisor):
    with pytest.raises(Refusal, match="Rate every outcome"):
        services.rate_outcomes(enrolment, actor=practitioner, stage="before",
                               ratings={"motivation": 9})
    services.rate_outcomes(enrolment, actor=practitioner, stage="before",
                           ratings={"motivation": 1, "interventions": 2, "mutual_aid": 1})
    with pytest.raises(Refusal, match="after the programme"):
        services.request_review(enrolment, actor=practitioner)
    services.rate_outcomes(enrolment, actor=practitioner, stage="after",
                           ratings={"motivation": 4, "interventions": 4, "mutual_aid": 3})
    review = services.request_review(enrolment, actor=practitioner)
    assert review.reviewer == supervisor
    with pytest.raises(Conflict):
        services.request_review(enrolment, actor=practitioner)
    with pytest.raises(Refusal):
        services.review(enrolment, actor=other_supervisor, ratings={}, comments={})
    services.review(enrolment, actor=supervisor, comments={"motivation": "Seen in supervision"},
                    ratings={"motivation": 3, "interventions": 4, "mutual_aid": 3})
    rating = enrolment.ratings.get(outcome_key="motivation")
    assert (rating.before, rating.after, rating.supervisor_rating) == (1, 4, 3)
    review.refresh_from_db()
    assert review.completed_at is not None


@pytest.mark.parametrize("text", ["I asked robin how it went", "TESTCASE said no",
                                  "Bobby agreed", "We met; Robin."])
def test_the_practice_log_refuses_a_client_name(enrolment, practitioner, client_record, text):
    client_record.preferred_name = "Bobby"
    client_record.save()
    outsider_client = ClientFactory(legal_first_name="Morgana", legal_last_name="Zed")
    with pytest.raises(Refusal) as error:
        services.log_practice(enrolment, actor=practitioner, skill="Readiness ruler",
                              setting="Clinic", what_happened=text, what_learnt="x",
                              tried_on=timezone.localdate())
    assert "names a client on your caseload" in str(error.value)
    assert "Robin" not in str(error.value) and "Morgana" not in str(error.value)
    assert not PracticeEntry.objects.exists()
    # a word that merely contains a name, and names of clients not on my caseload, pass
    services.log_practice(enrolment, actor=practitioner, skill="Readiness ruler",
                          setting="Clinic", what_happened="Robinson Crusoe; Morgana",
                          what_learnt="x", tried_on=timezone.localdate())
    assert PracticeEntry.objects.count() == 1 and outsider_client.pk


def test_the_team_matrix_runs_a_constant_number_of_queries(programme, supervisor, north,
                                                           django_assert_num_queries):
    def add(n):
        for _i in range(n):
            learner = UserFactory(role=Role.PRACTITIONER, team=north)
            enrolment = services.enrol(programme, learner, actor=learner)
            services.create_group(enrolment, actor=learner, name="g", kind="peer")
            complete_topic(enrolment, learner, TOPICS[0], shared=True)

    add(2)
    with django_assert_num_queries(3):
        small = services.team_matrix(supervisor, programme)
    add(28)
    with django_assert_num_queries(3):
        matrix = services.team_matrix(supervisor, programme)
    assert len(small) == 2 and len(matrix) == 30
    assert all(rows[0].tasks["explore"] == "done" and rows[0].deadline for _l, _e, rows in matrix)


def test_every_change_is_audited_as_a_staff_record(enrolment, group, practitioner):
    complete_topic(enrolment, practitioner, TOPICS[0])
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"ecomap.training.enrolled", "ecomap.training.group_created",
            "ecomap.training.explore_saved", "ecomap.training.position_saved",
            "ecomap.training.reflection_written"} <= actions
    assert not AuditEntry.objects.filter(action__startswith="ecomap.training.",
                                         client__isnull=False).exists()
    # the audit holds ids and keys, never the reflection's text
    assert not any("Ask first" in str(e.data) for e in AuditEntry.objects.all())


def test_completion_needs_every_task_of_every_topic(enrolment, group, practitioner):
    for topic in TOPICS[:-1]:
        complete_topic(enrolment, practitioner, topic)
    assert not services.is_complete(enrolment)
    complete_topic(enrolment, practitioner, TOPICS[-1])
    assert services.is_complete(enrolment)


@pytest.fixture
def feed_meetings(db):
    """An imported feed with an open meeting, a closed one and one gone from the feed."""
    from ecomap.mutualaid import services as mutualaid
    from ecomap.mutualaid.models import Fellowship
    from ecomap.mutualaid.tests.conftest import feed_bytes, meeting

    mutualaid.sync_fellowships(actor="system:test")
    feed = mutualaid.create_feed(actor="system:test", name="Test feed",
                                 fellowship=Fellowship.objects.get(slug="aa"),
                                 format="meetingguide", timezone_name="America/Chicago")
    mutualaid.import_feed(feed, actor="system:test", source="t.json", data=feed_bytes([
        meeting("open", name="Serenity Group"), meeting("closed", name="Members", types=["C"]),
        meeting("gone", name="Gone")]))
    mutualaid.import_feed(feed, actor="system:test", source="t.json", data=feed_bytes([
        meeting("open", name="Serenity Group"), meeting("closed", name="Members", types=["C"])]))
    return {m.slug: m for m in feed.meetings.all()}


def test_a_visit_to_an_open_meeting_is_planned_and_logged(enrolment, practitioner, feed_meetings):
    def page(slug):
        return f"http://testserver/mutualaid/meetings/{feed_meetings[slug].pk}/"

    with pytest.raises(Refusal) as error:
        services.plan_visit(enrolment, actor=practitioner, topic_key="mutual_aid",
                            meeting_url="/training/", title="", planned_for=soon(-1))
    assert set(error.value.by_field()) == {"meeting_url", "title", "planned_for"}
    with pytest.raises(Refusal, match="does not plan visits"):
        services.plan_visit(enrolment, actor=practitioner, topic_key=TOPICS[0],
                            meeting_url=page("open"), title="x", planned_for=soon())
    with pytest.raises(Refusal, match="closed to visitors"):
        services.plan_visit(enrolment, actor=practitioner, topic_key="mutual_aid",
                            meeting_url=page("closed"), title="", planned_for=soon())
    with pytest.raises(Refusal, match="no longer"):
        services.plan_visit(enrolment, actor=practitioner, topic_key="mutual_aid",
                            meeting_url=page("gone"), title="", planned_for=soon())
    assert not enrolment.visits.exists()
    visit = services.plan_visit(enrolment, actor=practitioner, topic_key="mutual_aid",
                                meeting_url=page("open"), title="", planned_for=soon(2))
    assert visit.title == "Serenity Group"  # the feed's name when none is typed
    assert (visit.meeting_pk, visit.meeting_url) == (
        feed_meetings["open"].pk, f"/mutualaid/meetings/{feed_meetings['open'].pk}/")
    with pytest.raises(Refusal, match="once the meeting has taken place"):
        services.log_visit(visit, actor=practitioner)
    visit.planned_for = timezone.now() - timedelta(hours=2)
    visit.save()
    services.log_visit(visit, actor=practitioner, note="Warm welcome for newcomers")
    visit.refresh_from_db()
    assert visit.went
