"""Demo module work: three clients at different points of IMR "Building Social Support" (one
between sessions with homework open, one with homework overdue, one who finished the module and
answered the review questions), each with personal goals."""

from __future__ import annotations

from datetime import timedelta

from ecomap.core.demo import demo_builder

IMR = "imr-building-social-support"


def _all_steps(module, note=""):
    return {s.key: {"done": True, "note": note} for s in module.agenda}


def _session(enrolment, actor, held_on, *, topics, choices=None, people=None, homework=None,
             goals=None, reviews=None, notes=None, close=True):
    from . import services

    session = services.start_session(enrolment, actor=actor, held_on=held_on)
    module = enrolment.module
    steps = _all_steps(module)
    if session.number == 1:
        for key in ("review", "homework_review"):
            steps[key] = {"done": False, "note": "First session."}
    for key, note in (notes or {}).items():
        steps[key] = {"done": False, "note": note}
    data = services.SessionInput(
        held_on=held_on, steps=steps, topics=topics, summary="We talked about " + ", ".join(
            module.topic(t).title.lower() for t in topics) + ".",
        choices=choices or {}, people=people or {}, new_homework=homework or [],
        homework_reviews=reviews or {}, goal_reviews=goals or {})
    return services.save_session(session, data, actor=actor, close=close)


@demo_builder
def build_modules(agency, rng):
    from . import definitions, services

    if definitions.get(IMR) is None:
        return
    clients = [c for c in agency.clients if c.status == "active"][4:7]
    today = agency.today
    for index, client in enumerate(clients):
        actor = client.primary_practitioner
        first = today - timedelta(days=21 + 7 * index)
        goal = services.add_goal(client, actor=actor, text="Have a friend to see at the weekend",
                                 set_on=first)
        work = services.add_goal(client, actor=actor, text="Get back to work part-time", set_on=first)
        enrolment = services.enrol(client, IMR, actor=actor, started_on=first)
        s1 = _session(
            enrolment, actor, first, topics=["benefits", "places"],
            choices={"places": ["drop_in_centre", "exercise_class"]},
            homework=[{"text": "Find the drop-in centre's opening hours", "idea": "find_out_place",
                       "checklist_item": "places:drop_in_centre", "goal": goal,
                       "due_on": first + timedelta(days=7)}],
            goals={goal.pk: {"progress": 0, "note": ""}, work.pk: {"progress": 0, "note": ""}})
        if index == 1:
            continue  # homework from session 1 is now overdue: it shows on the Today page
        second = first + timedelta(days=7)
        homework = s1.homework_set.get()
        _session(
            enrolment, actor, second, topics=["conversations", "closeness"],
            choices={"places": ["drop_in_centre", "exercise_class"], "say": ["say_hello", "compliment"],
                     "do": ["invite_activity"]},
            reviews={homework.pk: {"status": "done", "obstacles": "", "plan": "Go on Thursday."}},
            homework=[{"text": "Start two short conversations at the drop-in centre",
                       "idea": "start_conversations", "checklist_item": "say:say_hello",
                       "goal": goal, "due_on": today + timedelta(days=3)}],
            goals={goal.pk: {"progress": 1, "note": "Went once."},
                   work.pk: {"progress": 0, "note": ""}})
        if index == 2:
            third = second + timedelta(days=7)
            homework = enrolment.homework.filter(status="open").get()
            _session(
                enrolment, actor, third, topics=["disclosure"],
                people={"disclosure": [{"label": "Neighbour at the drop-in", "level": "interests",
                                        "member": None}]},
                reviews={homework.pk: {"status": "partly", "obstacles": "Felt shy the first time.",
                                       "plan": "Practise a greeting first."}},
                goals={goal.pk: {"progress": 2, "note": ""}, work.pk: {"progress": 1, "note": ""}},
                notes={"homework_agree": "Last session: review questions instead."})
            module = enrolment.module
            answers = {q.key: (q.answer if q.kind != "open" else "An answer in the client's words.")
                       for q in module.review_questions}
            answers["poor_place"] = "a"  # one wrong answer, so the score means something
            services.record_review(enrolment, actor=actor, answers=answers,
                                   ratings={q.key: 2 for q in module.review_questions
                                            if q.kind == "open"}, taken_on=third)
            services.end_enrolment(enrolment, actor=actor, completed=True, ended_on=third)
