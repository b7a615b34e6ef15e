"""Delivering a structured module: enrol, record sessions along the agenda, set and review homework,
keep goals and their progress, score the review questions, finish the module.

Every function checks its input against the module's definition, runs in one transaction, writes an
audit entry with the actor passed in, and raises ModuleError (a `Refusal`: every reason, on its field
when one applies) when a rule refuses the change (nothing is saved then).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ecomap.audit import services as audit
from ecomap.clients.models import Status
from ecomap.core.refusal import Conflict, Problems, Refusal

from . import definitions
from .models import (
    ChecklistAnswer,
    Enrolment,
    EnrolmentStatus,
    Goal,
    GoalReview,
    GoalStatus,
    Homework,
    HomeworkStatus,
    Progress,
    ReviewAttempt,
    SessionRecord,
)

OPEN_RATING_MAX = 2  # per open question: 0 not yet, 1 partly, 2 fully
OWN_ITEM_MAX = 200


class ModuleError(Refusal):
    """A rule refused the change; `messages` are for the user."""


class SessionConflict(Conflict, ModuleError):
    """The session changed since the form was opened: closed, or saved by someone else (409)."""


def _record(action, *, actor, client, obj=None, changes=None, data=None):
    audit.record(f"ecomap.modules.{action}", actor=actor, client=client, obj=obj,
                 changes=changes, data=data)


def module_of(enrolment: Enrolment) -> definitions.ModuleDef:
    module = enrolment.module
    if module is None:
        raise ModuleError(_("The module %(slug)s is no longer installed.")
                          % {"slug": enrolment.module_slug})
    return module


# Enrolment ----------------------------------------------------------------------------------------

def enrol(client, slug: str, *, actor, started_on: date | None = None) -> Enrolment:
    module = definitions.get(slug)
    if module is None:
        raise ModuleError({"module": _("There is no module called %(slug)s.") % {"slug": slug}})
    if client.status != Status.ACTIVE:
        raise ModuleError(_("Only an active client can start a module."))
    already = ModuleError(_("%(client)s is already working through %(module)s.")
                          % {"client": client, "module": module.title})
    try:
        with transaction.atomic():
            if Enrolment.objects.filter(client=client, module_slug=slug,
                                        status=EnrolmentStatus.ACTIVE).exists():
                raise already
            enrolment = Enrolment.objects.create(client=client, module_slug=slug, enrolled_by=actor,
                                                 started_on=started_on or timezone.localdate())
            _record("enrolled", actor=actor, client=client, obj=enrolment, data={"module": slug})
    except IntegrityError:  # a second request enrolled the client at the same moment
        raise already from None
    return enrolment


def end_enrolment(enrolment: Enrolment, *, actor, completed: bool, reason: str = "",
                  ended_on: date | None = None) -> Enrolment:
    if not completed and not reason.strip():
        raise ModuleError({"reason": _("Say why the module is stopping early.")})
    with transaction.atomic():
        locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if not locked.is_active:
            raise ModuleError(_("This module has already ended."))
        if SessionRecord.objects.filter(enrolment=locked, closed_at__isnull=True).exists():
            raise ModuleError(_("Close or finish the open session first."))
        locked.status = EnrolmentStatus.COMPLETED if completed else EnrolmentStatus.WITHDRAWN
        locked.ended_on = ended_on or timezone.localdate()
        locked.end_reason = reason.strip()
        locked.save(update_fields=["status", "ended_on", "end_reason"])
        _record("completed" if completed else "withdrawn", actor=actor, client=locked.client,
                obj=locked, changes={"status": ["active", locked.status]})
    return locked


# Sessions -----------------------------------------------------------------------------------------

def start_session(enrolment: Enrolment, *, actor, held_on: date | None = None) -> SessionRecord:
    module_of(enrolment)
    with transaction.atomic():
        locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if not locked.is_active:
            raise ModuleError(_("This module has ended; no more sessions can be added."))
        open_session = SessionRecord.objects.filter(enrolment=enrolment,
                                                    closed_at__isnull=True).first()
        if open_session is not None:
            raise ModuleError(_("Session %(n)s is still open: finish it before starting another.")
                              % {"n": open_session.number})
        last = SessionRecord.objects.filter(enrolment=enrolment).aggregate(n=Max("number"))["n"]
        session = SessionRecord.objects.create(
            enrolment=enrolment, number=(last or 0) + 1, held_on=held_on or timezone.localdate(),
            recorded_by=actor)
        _record("session_started", actor=actor, client=enrolment.client, obj=session,
                data={"number": session.number})
    return session


def applicable_steps(module: definitions.ModuleDef, session: SessionRecord) -> list[str]:
    """The steps that can be done: the first session has no previous session or homework to review."""
    first = session.number == 1
    return [s.key for s in module.agenda
            if not (first and s.key in ("review", "homework_review"))]


def homework_to_review(session: SessionRecord) -> list[Homework]:
    """Homework set in earlier sessions that is still open, or was reviewed in this session."""
    from django.db.models import Q

    return list(Homework.objects.filter(enrolment_id=session.enrolment_id,
                                        set_in__number__lt=session.number)
                .filter(Q(status=HomeworkStatus.OPEN) | Q(reviewed_in=session))
                .select_related("goal", "set_in"))


def goals_to_review(client, session: SessionRecord) -> list[Goal]:
    from django.db.models import Q

    return list(Goal.objects.filter(client=client)
                .filter(Q(status=GoalStatus.ACTIVE) | Q(reviews__session=session)).distinct())


@dataclass
class SessionInput:
    """What the session screen sends, already parsed into Python values by the form."""

    held_on: date
    steps: dict[str, dict]                              # key -> {"done": bool, "note": str}
    topics: list[str]
    summary: str = ""
    choices: dict[str, list[str]] = field(default_factory=dict)  # checklist -> item keys
    own_items: dict[str, list[str]] = field(default_factory=dict)  # checklist -> client's own items
    people: dict[str, list[dict]] = field(default_factory=dict)  # checklist -> [{label, member, level}]
    homework_reviews: dict[int, dict] = field(default_factory=dict)  # pk -> {status, obstacles, plan}
    goal_reviews: dict[int, dict] = field(default_factory=dict)      # pk -> {progress, note}
    new_homework: list[dict] = field(default_factory=list)  # {text, idea, checklist_item, goal, due_on}
    remove_homework: list[int] = field(default_factory=list)


def _check_session_input(problems: Problems, module, session, data: SessionInput, reviewable,
                         goals) -> None:
    today = timezone.localdate()
    if data.held_on < session.enrolment.started_on:
        problems.add(_("The session date is before the module started (%(d)s).")
                     % {"d": session.enrolment.started_on.isoformat()}, field="held_on")
    elif data.held_on > today + timedelta(days=1):
        problems.add(_("The session date is in the future."), field="held_on")
    steps = {s.key for s in module.agenda}
    for key in data.steps:
        if key not in steps:
            problems.add(_("Unknown step %(key)s.") % {"key": key})
    for key in data.topics:
        if module.topic(key) is None:
            problems.add(_("Unknown topic %(key)s.") % {"key": key})
    for key, items in data.choices.items():
        checklist = module.checklist(key)
        if checklist is None or checklist.kind != "choose":
            problems.add(_("Unknown checklist %(key)s.") % {"key": key})
            continue
        for item in items:
            if checklist.item(item) is None:
                problems.add(_("%(item)s is not on the checklist %(title)s.")
                             % {"item": item, "title": checklist.title})
    for key, texts in data.own_items.items():
        checklist = module.checklist(key)
        if checklist is None or not checklist.allow_other:
            problems.add(_("The checklist %(key)s takes no items of the client's own.")
                         % {"key": key})
        for text in texts:
            if len(text.strip()) > OWN_ITEM_MAX:
                problems.add(_("Keep each of the client's own items under %(n)s characters.")
                             % {"n": OWN_ITEM_MAX})
    for key, rows in data.people.items():
        checklist = module.checklist(key)
        if checklist is None or checklist.kind != "people":
            problems.add(_("Unknown checklist %(key)s.") % {"key": key})
            continue
        for row in rows:
            if checklist.item(row["level"]) is None:
                problems.add(_("Choose a level from %(title)s for %(person)s.")
                             % {"title": checklist.title, "person": row["label"]})
    reviewable_ids = {h.pk for h in reviewable}
    for pk, review in data.homework_reviews.items():
        if pk not in reviewable_ids:
            problems.add(_("That homework is not due for review in this session."))
        elif review.get("status") not in ("", None, *HomeworkStatus.values):
            problems.add(_("Choose how the homework went from the list."))
    goal_ids = {g.pk for g in goals}
    for pk, review in data.goal_reviews.items():
        if pk not in goal_ids:
            problems.add(_("That goal is not being worked on."))
        elif review["progress"] is not None and review["progress"] not in Progress.values:
            problems.add(_("Choose a progress rating from the list."))
    for row in data.new_homework:
        if row.get("idea") and module.idea(row["idea"]) is None:
            problems.add(_("Unknown homework idea %(key)s.") % {"key": row["idea"]})
        if row.get("checklist_item"):
            checklist_key, _sep, item_key = row["checklist_item"].partition(":")
            checklist = module.checklist(checklist_key)
            if checklist is None or checklist.item(item_key) is None:
                problems.add(_("Unknown checklist item %(key)s.") % {"key": row["checklist_item"]})
        goal = row.get("goal")
        if goal is not None and goal.client_id != session.enrolment.client_id:
            problems.add(_("That goal belongs to someone else."))
        if row["due_on"] < data.held_on:
            problems.add(_("Homework “%(text)s” is due before the session it is set in.")
                         % {"text": row["text"]})


def _closing_problems(problems: Problems, module, session, data: SessionInput, reviewable, goals,
                      set_here: int) -> None:
    """What still stops the session from closing: every step done, or a note on why not."""
    applicable = applicable_steps(module, session)
    for step in module.agenda:
        if step.key not in applicable:
            continue
        state = data.steps.get(step.key, {})
        if not state.get("done") and not state.get("note", "").strip():
            problems.add(_("Step “%(title)s”: tick it, or note why it was not done.")
                         % {"title": step.title})
    if data.steps.get("homework_review", {}).get("done"):
        unreviewed = ("", None, HomeworkStatus.OPEN)
        missing = [h.text for h in reviewable
                   if data.homework_reviews.get(h.pk, {}).get("status") in unreviewed]
        for text in missing:
            problems.add(_("Homework “%(text)s”: say whether it was done.") % {"text": text})
    if data.steps.get("goals", {}).get("done"):
        for goal in goals:
            if (goal.status == GoalStatus.ACTIVE
                    and data.goal_reviews.get(goal.pk, {}).get("progress") is None):
                problems.add(_("Goal “%(text)s”: rate the progress.") % {"text": goal.text})
    if data.steps.get("teach", {}).get("done") and not data.topics:
        problems.add(_("New material: tick the topics covered."))
    if (data.steps.get("homework_agree", {}).get("done") and set_here == 0
            and not data.steps["homework_agree"].get("note", "").strip()):
        problems.add(_("Homework: add the homework agreed, or note why none was set."))


def save_session(session: SessionRecord, data: SessionInput, *, actor, close: bool = False,
                 expected_version: int | None = None) -> SessionRecord:
    enrolment = session.enrolment
    module = module_of(enrolment)
    client = enrolment.client
    with transaction.atomic():
        current = SessionRecord.objects.select_for_update().get(pk=session.pk)
        if current.is_closed:
            raise SessionConflict(_("This session is closed and can no longer change."))
        if expected_version is not None and current.version != expected_version:
            raise SessionConflict(_("Someone else saved this session while you were editing it. "
                                    "Reload the page to see their changes, then make yours again."))
        reviewable = homework_to_review(current)
        goals = goals_to_review(client, current)
        problems = Problems()
        _check_session_input(problems, module, current, data, reviewable, goals)
        removable = {h.pk: h for h in current.homework_set.all()}
        for pk in data.remove_homework:
            if pk not in removable:
                problems.add(_("Only homework set in this session can be removed."))
        kept = len(removable) - len(set(data.remove_homework)) + len(data.new_homework)
        if close:
            _closing_problems(problems, module, current, data, reviewable, goals, kept)
        problems.refuse_if_any(ModuleError)

        fields = ["held_on", "steps", "topics", "summary"]
        before = audit.snapshot(current, fields) | {"checklist_answers": _answers_of(current)}
        removed = [removable[pk].text for pk in data.remove_homework]
        current.held_on = data.held_on
        current.steps = {key: {"done": bool(v.get("done")), "note": v.get("note", "").strip()}
                         for key, v in data.steps.items()}
        current.topics = list(dict.fromkeys(data.topics))
        current.summary = data.summary.strip()
        current.checklists = sorted({*data.choices, *data.own_items, *data.people})
        current.version = F("version") + 1
        if close:
            current.closed_at = timezone.now()
        current.save()
        current.refresh_from_db()

        _save_answers(current, data)
        for pk, review in data.homework_reviews.items():
            _review_homework(next(h for h in reviewable if h.pk == pk), current, review)
        for pk, review in data.goal_reviews.items():
            _review_goal(pk, current, review)
        if close:  # a goal rated "achieved" in a closed session is achieved
            for goal in goals:
                rating = data.goal_reviews.get(goal.pk, {}).get("progress")
                if rating == Progress.ACHIEVED and goal.status == GoalStatus.ACTIVE:
                    set_goal_status(goal, GoalStatus.ACHIEVED, actor=actor)
        if data.remove_homework:
            Homework.objects.filter(pk__in=data.remove_homework, set_in=current).delete()
        for row in data.new_homework:
            Homework.objects.create(
                enrolment=enrolment, set_in=current, text=row["text"].strip(),
                idea_key=row.get("idea") or "", checklist_item=row.get("checklist_item") or "",
                goal=row.get("goal"), due_on=row["due_on"])
        after = audit.snapshot(current, fields) | {"checklist_answers": _answers_of(current)}
        _record("session_closed" if close else "session_saved", actor=actor, client=client,
                obj=current, changes=audit.diff(before, after), data={
                    "number": current.number,
                    "homework_set": [row["text"].strip() for row in data.new_homework],
                    "homework_reviewed": {str(pk): r.get("status") or HomeworkStatus.OPEN
                                          for pk, r in data.homework_reviews.items()},
                    "goal_ratings": {str(pk): r["progress"] for pk, r in data.goal_reviews.items()},
                    "homework_removed": removed})
    return current


def _save_answers(session: SessionRecord, data: SessionInput) -> None:
    """A draft session's checklist answers are replaced by what was sent; earlier sessions' stay."""
    ChecklistAnswer.objects.filter(session=session).delete()
    rows = []
    for key, items in data.choices.items():
        rows += [ChecklistAnswer(enrolment_id=session.enrolment_id, session=session,
                                 checklist_key=key, item_key=item) for item in dict.fromkeys(items)]
    for key, texts in data.own_items.items():
        rows += [ChecklistAnswer(enrolment_id=session.enrolment_id, session=session,
                                 checklist_key=key, text=text.strip())
                 for text in dict.fromkeys(texts) if text.strip()]
    for key, people in data.people.items():
        rows += [ChecklistAnswer(enrolment_id=session.enrolment_id, session=session,
                                 checklist_key=key, item_key=row["level"],
                                 text=row["label"].strip()[:200], member=row.get("member"))
                 for row in people]
    ChecklistAnswer.objects.bulk_create(rows)


def _review_homework(homework: Homework, session: SessionRecord, review: dict) -> None:
    status = review.get("status") or HomeworkStatus.OPEN
    homework.status = status
    homework.reviewed_in = None if status == HomeworkStatus.OPEN else session
    homework.obstacles = review.get("obstacles", "").strip()
    homework.plan = review.get("plan", "").strip()
    homework.save(update_fields=["status", "reviewed_in", "obstacles", "plan"])


def _review_goal(pk: int, session: SessionRecord, review: dict) -> None:
    """Rate a goal in this session; no rating clears an earlier rating of this (draft) session."""
    if review.get("progress") is None:
        GoalReview.objects.filter(goal_id=pk, session=session).delete()
        return
    GoalReview.objects.update_or_create(
        goal_id=pk, session=session,
        defaults={"progress": review["progress"], "note": review.get("note", "").strip()[:300]})


def _answers_of(session: SessionRecord) -> list[str]:
    """A session's checklist answers as short strings, for the audit entry's before and after."""
    return sorted(f"{a.checklist_key}:{a.item_key}:{a.text}"
                  for a in ChecklistAnswer.objects.filter(session=session))


def current_answers(enrolment: Enrolment, before: SessionRecord | None = None,
                    upto: SessionRecord | None = None) -> dict[str, list[ChecklistAnswer]]:
    """Each checklist's answers as the latest session that recorded it left them (optionally only
    sessions before `before`, or up to and including `upto`): two queries."""
    sessions = SessionRecord.objects.filter(enrolment=enrolment).order_by("number")
    if before is not None:
        sessions = sessions.filter(number__lt=before.number)
    if upto is not None:
        sessions = sessions.filter(number__lte=upto.number)
    source: dict[str, int] = {}
    for pk, keys in sessions.values_list("pk", "checklists"):
        for key in keys:
            source[key] = pk
    current: dict[str, list[ChecklistAnswer]] = {key: [] for key in source}
    for answer in (ChecklistAnswer.objects.filter(session_id__in=set(source.values()))
                   .select_related("member").order_by("pk")):
        if source.get(answer.checklist_key) == answer.session_id:
            current[answer.checklist_key].append(answer)
    return current


# Goals --------------------------------------------------------------------------------------------

def add_goal(client, *, actor, text: str, from_intervention=None,
             set_on: date | None = None) -> Goal:
    text = " ".join(text.split())
    if not text:
        raise ModuleError({"text": _("Write the goal in the client's own words.")})
    if from_intervention is not None and from_intervention.client_id != client.pk:
        raise ModuleError({"from_intervention": _("That recommendation belongs to someone else.")})
    with transaction.atomic():
        goal = Goal.objects.create(client=client, text=text[:300], created_by=actor,
                                   from_intervention=from_intervention,
                                   set_on=set_on or timezone.localdate())
        _record("goal_added", actor=actor, client=client, obj=goal,
                data={"from_intervention": getattr(from_intervention, "pk", None)})
    return goal


def set_goal_status(goal: Goal, status: str, *, actor) -> Goal:
    if status not in GoalStatus.values:
        raise ModuleError(_("Choose a status from the list."))
    with transaction.atomic():
        before = goal.status
        goal.status = status
        goal.save(update_fields=["status"])
        _record("goal_status", actor=actor, client=goal.client, obj=goal,
                changes={"status": [before, status]})
    return goal


# Review questions ---------------------------------------------------------------------------------

def score_review(module: definitions.ModuleDef, answers: dict[str, object],
                 ratings: dict[str, int]) -> dict:
    """Score a set of answers; raises ModuleError naming every unanswered or invalid question."""
    problems, rows = Problems(), []
    for question in module.review_questions:
        on = f"q_{question.key}"  # the review form's field
        given = answers.get(question.key)
        row = {"key": question.key, "kind": question.kind, "answer": given, "correct": None,
               "rating": None}
        if question.kind == "open":
            rating = ratings.get(question.key)
            if rating not in range(OPEN_RATING_MAX + 1):
                problems.add(_("“%(q)s”: rate the answer.") % {"q": question.text},
                             field=f"r_{question.key}")
            row["answer"] = (given or "").strip() if isinstance(given, str) else ""
            row["rating"] = rating
        elif given is None or given == "":
            problems.add(_("“%(q)s”: choose an answer.") % {"q": question.text}, field=on)
        elif question.kind == "true_false":
            if given not in (True, False):
                problems.add(_("“%(q)s”: answer true or false.") % {"q": question.text}, field=on)
            row["correct"] = given is question.answer
        else:
            if given not in {c.key for c in question.choices}:
                problems.add(_("“%(q)s”: choose one of the answers shown.") % {"q": question.text},
                             field=on)
            row["correct"] = given == question.answer
        rows.append(row)
    problems.refuse_if_any(ModuleError)
    scored = [r for r in rows if r["kind"] != "open"]
    rated = [r for r in rows if r["kind"] == "open"]
    return {"answers": rows, "correct": sum(1 for r in scored if r["correct"]),
            "scored": len(scored), "open_rating": sum(r["rating"] for r in rated),
            "open_rating_max": OPEN_RATING_MAX * len(rated)}


def record_review(enrolment: Enrolment, *, actor, answers: dict, ratings: dict,
                  taken_on: date | None = None) -> ReviewAttempt:
    module = module_of(enrolment)
    if not module.review_questions:
        raise ModuleError(_("This module has no review questions."))
    result = score_review(module, answers, ratings)
    with transaction.atomic():
        attempt = ReviewAttempt.objects.create(
            enrolment=enrolment, taken_on=taken_on or timezone.localdate(), recorded_by=actor,
            **result)
        _record("review_recorded", actor=actor, client=enrolment.client, obj=attempt, data={
            "correct": result["correct"], "scored": result["scored"],
            "open_rating": result["open_rating"]})
    return attempt


# Where the client is ------------------------------------------------------------------------------

@dataclass
class ModuleProgress:
    module: definitions.ModuleDef
    sessions: list[SessionRecord]
    closed: int
    open_session: SessionRecord | None
    topics_done: list[definitions.Topic]
    topics_left: list[definitions.Topic]
    checklists_done: list[definitions.Checklist]
    checklists_left: list[definitions.Checklist]
    open_homework: int

    @property
    def next_number(self) -> int:
        return len(self.sessions) + 1


def progress(enrolment: Enrolment) -> ModuleProgress:
    """Session n of min-max, topics and checklists done: four queries."""
    module = module_of(enrolment)
    sessions = list(enrolment.sessions.all())
    covered = {key for s in sessions for key in s.topics}
    answered = {key for key, rows in current_answers(enrolment).items() if rows}
    open_homework = Homework.objects.filter(enrolment=enrolment, status=HomeworkStatus.OPEN).count()
    return ModuleProgress(
        module=module, sessions=sessions, closed=sum(1 for s in sessions if s.is_closed),
        open_session=next((s for s in sessions if not s.is_closed), None),
        topics_done=[t for t in module.topics if t.key in covered],
        topics_left=[t for t in module.topics if t.key not in covered],
        checklists_done=[c for c in module.checklists if c.key in answered],
        checklists_left=[c for c in module.checklists if c.key not in answered],
        open_homework=open_homework)
