"""Demo training: the Psycho-social interventions programme in progress in the North team. Pat has
finished the first topic (a debate before and after, shared reflections) and asked for a review;
Alex is starting; the study group has a past meeting with attendance and future ones."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from ecomap.core.demo import DemoAgency, demo_builder

from . import content, services
from .models import Meeting

SLUG = "psychosocial-interventions"


def _past_meeting(group, topic_key: str, days_ago: int, place: str) -> Meeting:
    # The service refuses a new meeting in the past; the demo's history is written directly.
    when = timezone.now().replace(hour=16, minute=0, second=0, microsecond=0)
    return Meeting.objects.create(group=group, topic_key=topic_key, place=place,
                                  starts_at=when - timedelta(days=days_ago))


@demo_builder
def build_training(agency: DemoAgency, rng: random.Random) -> None:
    users = agency.users
    if content.programme(SLUG) is None or not {"admin", "supervisor", "practitioner",
                                                "alex.kim"} <= set(users):
        return
    admin, supervisor, pat, alex = (users["admin"], users["supervisor"], users["practitioner"],
                                    users["alex.kim"])
    programme = services.publish(SLUG, actor=admin)
    topics = [t.key for t in content.programme(SLUG).topics]

    mine = services.enrol(programme, pat, actor=pat)
    services.record_prerequisite(mine, actor=pat, evidence="Talking to People, completed in "
                                 "the spring; certificate on file with the training lead.")
    theirs = services.enrol(programme, alex, actor=supervisor)
    services.waive_prerequisite(theirs, actor=supervisor,
                                reason="Alex completed an equivalent course at a previous post.")
    if "jordan.lee" in users:
        services.enrol(programme, users["jordan.lee"], actor=users["jordan.lee"])

    group = services.create_group(mine, actor=pat, name="North peer group", kind="peer")
    services.add_member(group, actor=pat, user=alex)
    services.add_member(group, actor=pat, outside_name="Dr Lin (day centre)")
    theirs.refresh_from_db()
    first = _past_meeting(group, topics[0], days_ago=9, place="North team room")
    services.plan_meeting(group, actor=pat, topic_key=topics[1],
                          starts_at=timezone.now() + timedelta(days=5), place="North team room")
    services.plan_meeting(group, actor=alex, topic_key=topics[2],
                          starts_at=timezone.now() + timedelta(days=26),
                          online_link="https://meet.example.invalid/north-peers")
    members = list(group.members.all())
    services.record_attendance(first, actor=pat,
                               present_member_ids=[m.pk for m in members if m.user_id != alex.pk])
    services.add_note(group, actor=pat, private=False,
                      text="We practised the readiness ruler on each other; agreed to bring one "
                           "real (de-identified) example next time.")
    services.add_note(group, actor=pat, private=True,
                      text="I rush to advice when a person sounds unsure. Slow down.")

    # Pat: the first topic finished, with the debate before and after the study group.
    services.save_explore(mine, actor=pat, topic_key=topics[0], resources_used=[0], answers=[
        "It tells me where to start and what not to push yet.",
        "The readiness ruler in the session; SOCRATES when there is time.",
        "A low score means building reasons before plans.",
        "I review the ruler at each review and change the plan with it."])
    services.save_position(mine, actor=pat, topic_key=topics[0], stage="before", stance="agree",
                           strength=4, arguments_for="Trust is built one to one.",
                           arguments_against="Groups give hope from peers.",
                           evidence="My own caseload; the MI introduction.")
    services.save_position(mine, actor=pat, topic_key=topics[0], stage="after",
                           stance="disagree", strength=3,
                           arguments_for="Some people only open up alone.",
                           arguments_against="Group MI and peers can motivate as well.",
                           evidence="Discussion in the study group.",
                           what_changed="Hearing Dr Lin describe motivational groups at the day "
                                        "centre.")
    for task, did, learnt in (
            ("explore", "Read the MI introduction and tried the ruler.",
             "The ruler is quick and opens a conversation."),
            ("debate", "Wrote my position before and after the group.",
             "I held the motion more firmly than the evidence does."),
            ("study_group", "Met the peer group and practised.",
             "Practising with colleagues feels safer than I expected.")):
        services.write_reflection(mine, actor=pat, topic_key=topics[0], task_key=task, did=did,
                                  learnt=learnt, will_change="Ask the ruler question early.",
                                  hours=2, shared=task != "debate")
    services.save_explore(mine, actor=pat, topic_key=topics[1], resources_used=[0],
                          answers=["Family and one friend from work.", "", ""])
    ratings = {o.key: 2 for o in content.programme(SLUG).outcomes}
    services.rate_outcomes(mine, actor=pat, stage="before", ratings=ratings)
    services.rate_outcomes(mine, actor=pat, stage="after",
                           ratings={key: value + 1 for key, value in ratings.items()})
    services.request_review(mine, actor=pat)
    shared = mine.reflections.filter(shared=True).first()
    services.comment(shared, actor=supervisor,
                     text="Good to see you using the ruler; let us look at one together.")
    services.log_practice(mine, actor=pat, skill="Readiness ruler", setting="Outpatient clinic",
                          what_happened="A man in his forties rated his readiness 4, then "
                                        "explained why it was not lower.",
                          what_learnt="Asking why not lower brought out his own reasons.",
                          tried_on=agency.today - timedelta(days=3))

    # Alex: starting the first topic.
    services.save_explore(theirs, actor=alex, topic_key=topics[0], resources_used=[0],
                          answers=["It sets the pace.", "", "", ""])
    services.write_reflection(theirs, actor=alex, topic_key=topics[0], task_key="explore",
                              did="Looked at the MI resources.", learnt="Motivation changes.",
                              will_change="Check readiness at each contact.", hours=1)
