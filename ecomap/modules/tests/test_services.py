"""Module delivery rules: enrolment, sessions along the agenda, homework, goals, review scoring."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from ecomap.audit.models import AuditEntry
from ecomap.modules import definitions, services
from ecomap.modules.models import (
    ChecklistAnswer,
    EnrolmentStatus,
    GoalStatus,
    Homework,
    HomeworkStatus,
    SessionRecord,
)
from ecomap.modules.services import ModuleError, SessionInput

SMALL = "test-daily-walks"
DAY = date(2026, 11, 2)


def _input(held_on=DAY, **kwargs):
    """Every step of the small module done, unless `steps` says otherwise for some."""
    steps = {key: {"done": True, "note": ""}
             for key in ("homework_review", "goals", "teach", "homework_agree")}
    return SessionInput(held_on=held_on, steps=steps | kwargs.pop("steps", {}),
                        topics=kwargs.pop("topics", ["routes"]), **kwargs)


def _homework(text="Walk twice", due=DAY + timedelta(days=7), **extra):
    return {"text": text, "idea": "walk_twice", "checklist_item": "routes:park", "goal": None,
            "due_on": due, **extra}


@pytest.fixture
def enrolment(db, client_record, practitioner):
    return services.enrol(client_record, SMALL, actor=practitioner, started_on=DAY)


@pytest.mark.django_db
def test_enrol_refuses_unknown_modules_a_second_enrolment_and_inactive_clients(
        enrolment, client_record, practitioner):
    with pytest.raises(ModuleError, match="no module called"):
        services.enrol(client_record, "nope", actor=practitioner)
    with pytest.raises(ModuleError, match="already working through"):
        services.enrol(client_record, SMALL, actor=practitioner)
    client_record.status = "discharged"
    with pytest.raises(ModuleError, match="active client"):
        services.enrol(client_record, "imr-building-social-support", actor=practitioner)
    assert AuditEntry.objects.filter(action="ecomap.modules.enrolled").count() == 1


@pytest.mark.django_db
def test_one_open_session_at_a_time_numbered_in_order(enrolment, practitioner):
    first = services.start_session(enrolment, actor=practitioner, held_on=DAY)
    with pytest.raises(ModuleError, match="Session 1 is still open"):
        services.start_session(enrolment, actor=practitioner)
    services.save_session(first, _input(new_homework=[_homework()]), actor=practitioner, close=True)
    second = services.start_session(enrolment, actor=practitioner)
    assert (first.number, second.number) == (1, 2)


@pytest.mark.django_db
def test_closing_needs_every_step_done_or_explained(enrolment, practitioner):
    session = services.start_session(enrolment, actor=practitioner, held_on=DAY)
    steps = {"homework_review": {"done": False, "note": ""}, "teach": {"done": True, "note": ""},
             "homework_agree": {"done": True, "note": ""}}
    with pytest.raises(ModuleError) as raised:
        services.save_session(session, _input(steps=steps, topics=[]), actor=practitioner,
                              close=True)
    # Homework review is not asked of a first session: nothing was set before it.
    assert raised.value.messages == [
        "New material: tick the topics covered.",
        "Homework: add the homework agreed, or note why none was set."]
    session.refresh_from_db()
    assert not session.is_closed and session.steps == {} and session.version == 1  # nothing saved
    steps["homework_agree"]["note"] = "Client chose to rest this week."
    closed = services.save_session(session, _input(steps=steps), actor=practitioner, close=True)
    assert closed.is_closed
    with pytest.raises(ModuleError, match="closed"):
        services.save_session(closed, _input(), actor=practitioner)
    entry = AuditEntry.objects.get(action="ecomap.modules.session_closed")
    assert entry.client_id == enrolment.client_id and "topics" in entry.changes


@pytest.mark.django_db
def test_first_session_of_imr_needs_no_review_steps(client_record, practitioner):
    enrolment = services.enrol(client_record, "imr-building-social-support", actor=practitioner)
    session = services.start_session(enrolment, actor=practitioner)
    module = enrolment.module
    assert "review" not in services.applicable_steps(module, session)
    steps = {s.key: {"done": True, "note": ""} for s in module.agenda
             if s.key not in ("review", "homework_review")}
    data = SessionInput(held_on=session.held_on, steps=steps, topics=["benefits"],
                        new_homework=[_homework(text="Tick the places checklist",
                                                idea="finish_checklists", checklist_item="",
                                                due=session.held_on + timedelta(days=7))])
    assert services.save_session(session, data, actor=practitioner, close=True).is_closed


@pytest.mark.django_db
def test_unknown_keys_and_early_due_dates_are_refused_whole(enrolment, practitioner):
    session = services.start_session(enrolment, actor=practitioner, held_on=DAY)
    bad = _input(topics=["routes", "swimming"], choices={"routes": ["park", "moon"]},
                 people={"companions": [{"label": "Ana", "level": "daily", "member": None}]},
                 new_homework=[_homework(due=DAY - timedelta(days=1))])
    with pytest.raises(ModuleError) as raised:
        services.save_session(session, bad, actor=practitioner)
    assert len(raised.value.messages) == 4
    assert not ChecklistAnswer.objects.exists() and not Homework.objects.exists()


@pytest.mark.django_db
def test_homework_is_reviewed_at_the_next_session(enrolment, practitioner, client_record):
    goal = services.add_goal(client_record, actor=practitioner, text="Walk every day")
    first = services.start_session(enrolment, actor=practitioner, held_on=DAY)
    services.save_session(first, _input(new_homework=[_homework(goal=goal)],
                                        goal_reviews={goal.pk: {"progress": 0, "note": ""}},
                                        steps={"homework_review": {"done": False, "note": "n/a"},
                                               "teach": {"done": True, "note": ""},
                                               "homework_agree": {"done": True, "note": ""}}),
                          actor=practitioner, close=True)
    homework = Homework.objects.get()
    assert homework.is_open and homework.goal == goal
    second = services.start_session(enrolment, actor=practitioner, held_on=DAY + timedelta(days=7))
    assert services.homework_to_review(second) == [homework]
    with pytest.raises(ModuleError, match="say whether it was done"):
        services.save_session(second, _input(held_on=second.held_on, steps={
            "homework_review": {"done": True, "note": ""}, "teach": {"done": True, "note": ""},
            "homework_agree": {"done": False, "note": "Last session."}}), actor=practitioner,
            close=True)
    review = {homework.pk: {"status": "partly", "obstacles": "Rain", "plan": "Walk indoors"}}
    services.save_session(second, _input(held_on=second.held_on, homework_reviews=review,
                                         goal_reviews={goal.pk: {"progress": 4, "note": ""}},
                                         steps={"homework_review": {"done": True, "note": ""},
                                                "teach": {"done": True, "note": ""},
                                                "homework_agree": {"done": False,
                                                                   "note": "Last session."}}),
                          actor=practitioner, close=True)
    homework.refresh_from_db()
    goal.refresh_from_db()
    assert (homework.status, homework.reviewed_in_id, homework.plan) == (
        HomeworkStatus.PARTLY, second.pk, "Walk indoors")
    assert goal.status == GoalStatus.ACHIEVED
    assert [r.progress for r in goal.reviews.order_by("session__number")] == [0, 4]


@pytest.mark.django_db
def test_checklist_answers_carry_forward_and_each_session_keeps_its_own(enrolment, practitioner):
    first = services.start_session(enrolment, actor=practitioner, held_on=DAY)
    services.save_session(first, _input(
        choices={"routes": ["park"]}, own_items={"routes": ["Canal path"]},
        people={"companions": [{"label": "Ana", "level": "weekly", "member": None}]},
        new_homework=[_homework()]), actor=practitioner, close=True)
    current = services.current_answers(enrolment)
    assert {a.item_key or a.text for a in current["routes"]} == {"park", "Canal path"}
    second = services.start_session(enrolment, actor=practitioner, held_on=DAY + timedelta(days=7))
    # The client changes their mind: no routes now, Ana every week still.
    services.save_session(second, _input(held_on=second.held_on, choices={"routes": []},
                                         people={"companions": [{"label": "Ana", "level": "weekly",
                                                                 "member": None}]}),
                          actor=practitioner)
    current = services.current_answers(enrolment)
    assert current["routes"] == [] and [a.text for a in current["companions"]] == ["Ana"]
    before = services.current_answers(enrolment, before=second)
    assert {a.item_key or a.text for a in before["routes"]} == {"park", "Canal path"}
    assert ChecklistAnswer.objects.filter(session=first).count() == 3  # the closed session's stay


@pytest.mark.django_db
def test_progress_counts_sessions_topics_and_checklists(enrolment, practitioner):
    first = services.start_session(enrolment, actor=practitioner, held_on=DAY)
    services.save_session(first, _input(choices={"routes": ["river"]}, new_homework=[_homework()]),
                          actor=practitioner, close=True)
    services.start_session(enrolment, actor=practitioner)
    progress = services.progress(enrolment)
    assert (progress.closed, progress.open_session.number, progress.next_number) == (1, 2, 3)
    assert [t.key for t in progress.topics_done] == ["routes"] and progress.topics_left == []
    assert [c.key for c in progress.checklists_done] == ["routes"]
    assert [c.key for c in progress.checklists_left] == ["companions"]
    assert progress.open_homework == 1


def test_review_scoring_by_hand():
    module = definitions.load_file(definitions.CONTENT_DIR / "imr_building_social_support.yaml")
    answers = {"sign_of_support": "c", "poor_place": "a", "topics_first": True,
               "increase_closeness": "a", "personal_information": "b",
               "supportive_people": "My sister", "places_to_meet": "", "start_conversation": "Hi",
               "say_closeness": "Thanks", "do_care": "Help"}
    ratings = {"supportive_people": 2, "places_to_meet": 0, "start_conversation": 1,
               "say_closeness": 2, "do_care": 2}
    result = services.score_review(module, answers, ratings)
    # Correct: sign_of_support (c), topics_first (True), increase_closeness (a) = 3 of 5.
    assert (result["correct"], result["scored"]) == (3, 5)
    # Open ratings 2+0+1+2+2 = 7 of 5 questions x 2 = 10.
    assert (result["open_rating"], result["open_rating_max"]) == (7, 10)
    assert [r["correct"] for r in result["answers"] if r["kind"] != "open"] == [
        True, False, True, True, False]


def test_review_scoring_refuses_missing_and_invalid_answers():
    module = definitions.get("test-daily-walks")
    with pytest.raises(ModuleError) as raised:
        services.score_review(module, {"best_time": "dawn", "shoes": None}, {"favourite": 7})
    assert raised.value.messages == [
        "“Which route did you like best?”: rate the answer.",
        "“A good time to walk is”: choose one of the answers shown.",
        "“Comfortable shoes help.”: choose an answer."]


@pytest.mark.django_db
def test_a_review_is_kept_with_the_module_and_the_module_ends(enrolment, practitioner):
    attempt = services.record_review(enrolment, actor=practitioner,
                                     answers={"best_time": "noon", "shoes": False,
                                              "favourite": "River"}, ratings={"favourite": 1})
    assert (attempt.correct, attempt.scored, attempt.open_rating, attempt.open_rating_max) == (
        1, 2, 1, 2)
    assert attempt.answers[0] == {"key": "favourite", "kind": "open", "answer": "River",
                                  "correct": None, "rating": 1}
    services.start_session(enrolment, actor=practitioner)
    with pytest.raises(ModuleError, match="open session"):
        services.end_enrolment(enrolment, actor=practitioner, completed=True)
    SessionRecord.objects.filter(enrolment=enrolment).delete()
    with pytest.raises(ModuleError, match="why"):
        services.end_enrolment(enrolment, actor=practitioner, completed=False, reason=" ")
    ended = services.end_enrolment(enrolment, actor=practitioner, completed=False,
                                   reason="Moved away")
    assert ended.status == EnrolmentStatus.WITHDRAWN
    with pytest.raises(ModuleError, match="no more sessions"):
        services.start_session(ended, actor=practitioner)


@pytest.mark.django_db
def test_goals_link_to_the_network_plan_of_the_same_client_only(
        client_record, outsider_client, practitioner, outsider):
    from ecomap.network.models import AcceptedIntervention

    theirs = AcceptedIntervention.objects.create(
        client=outsider_client, rule_id="r", intervention="x", reason="y", accepted_by=outsider)
    with pytest.raises(ModuleError, match="someone else"):
        services.add_goal(client_record, actor=practitioner, text="Goal", from_intervention=theirs)
    with pytest.raises(ModuleError, match="own words"):
        services.add_goal(client_record, actor=practitioner, text="   ")
    mine = AcceptedIntervention.objects.create(
        client=client_record, rule_id="r", intervention="Join a group", reason="y",
        accepted_by=practitioner)
    goal = services.add_goal(client_record, actor=practitioner, text="Go to the walking group",
                             from_intervention=mine)
    assert list(mine.goals.all()) == [goal]


@pytest.mark.django_db
def test_session_dates_must_fall_within_the_module(enrolment, practitioner):
    session = services.start_session(enrolment, actor=practitioner, held_on=DAY)
    for held_on, message in ((DAY - timedelta(days=1), "before the module started"),
                             (date(9999, 12, 31), "in the future")):
        with pytest.raises(ModuleError, match=message):
            services.save_session(session, _input(held_on=held_on), actor=practitioner)


@pytest.mark.django_db
def test_goal_ratings_can_be_cleared_in_a_draft_and_achieved_only_at_close(
        enrolment, practitioner, client_record):
    goal = services.add_goal(client_record, actor=practitioner, text="Walk")
    session = services.start_session(enrolment, actor=practitioner, held_on=DAY)
    services.save_session(session, _input(goal_reviews={goal.pk: {"progress": 4, "note": ""}}),
                          actor=practitioner)
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ACTIVE and goal.reviews.count() == 1  # a draft decides nothing
    services.save_session(session, _input(goal_reviews={goal.pk: {"progress": None, "note": ""}}),
                          actor=practitioner)
    assert goal.reviews.count() == 0
    steps = {"homework_review": {"done": True, "note": ""}, "teach": {"done": True, "note": ""},
             "homework_agree": {"done": False, "note": "None"}, "goals": {"done": True, "note": ""}}
    with pytest.raises(ModuleError, match="rate the progress"):
        services.save_session(session, _input(steps=steps), actor=practitioner, close=True)
    services.save_session(session, _input(steps=steps, goal_reviews={
        goal.pk: {"progress": 4, "note": ""}}), actor=practitioner, close=True)
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ACHIEVED
    assert AuditEntry.objects.filter(action="ecomap.modules.goal_status").exists()


@pytest.mark.django_db
def test_the_audit_entry_holds_checklists_homework_and_ratings(enrolment, practitioner):
    session = services.start_session(enrolment, actor=practitioner, held_on=DAY)
    services.save_session(session, _input(choices={"routes": ["park"]},
                                          new_homework=[_homework()]), actor=practitioner)
    homework = Homework.objects.get()
    services.save_session(session, _input(choices={"routes": ["river"]},
                                          remove_homework=[homework.pk]), actor=practitioner)
    entry = AuditEntry.objects.filter(action="ecomap.modules.session_saved").order_by("seq").last()
    assert entry.changes["checklist_answers"] == [["routes:park:"], ["routes:river:"]]
    assert entry.data["homework_removed"] == ["Walk twice"]
