"""Training's business rules: every change is one function that checks, writes in a transaction,
and audits it as a staff record (`ecomap.training.*`, no client). A rule that says no raises
`Refusal` before anything is written."""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecomap.accounts.models import Role
from ecomap.audit import services as audit
from ecomap.clients.models import Client
from ecomap.core.refusal import Conflict, Problems, Refusal
from ecomap.mutualaid.models import Meeting as FeedMeeting

from . import content
from .access import supervises, team_learners
from .models import (
    Attendance,
    Comment,
    DebatePosition,
    Enrolment,
    ExploreWork,
    GroupMember,
    GroupNote,
    Meeting,
    OutcomeRating,
    PracticeEntry,
    Prerequisite,
    Programme,
    Reflection,
    ReviewRequest,
    Stage,
    StudyGroup,
    Visit,
)

DUE_SOON = timedelta(days=14)

# Meeting Guide's type code for a meeting closed to visitors (members only).
CLOSED_MEETING = "C"


def _audit(action: str, actor, obj, **data):
    audit.record(f"ecomap.training.{action}", actor=actor, obj=obj, data=data)


def record_read(actor, obj, page: str, **data):
    """One read entry per page of someone's training record (staff record: no client)."""
    _audit("read", actor, obj, page=page, **data)


def content_of(enrolment_or_programme) -> content.ProgrammeContent:
    programme = getattr(enrolment_or_programme, "programme", enrolment_or_programme)
    found = content.programme(programme.slug)
    if found is None:
        raise Refusal(_("The programme's file is no longer installed."))
    return found


def _topic(programme_content, key: str):
    topic = programme_content.topic(key)
    if topic is None:
        raise Refusal({"topic_key": _("Choose a topic of this programme.")})
    return topic


def _require_learner(enrolment, actor):
    if enrolment.learner_id != actor.pk:
        raise Refusal(_("Only the learner can change their own training record."))


# --- programmes and enrolment -----------------------------------------------------------------


def publish(slug: str, *, actor) -> Programme:
    if not actor.is_admin:
        raise Refusal(_("Only an administrator publishes programmes."))
    found = content.programme(slug)
    if found is None:
        raise Refusal(_("There is no programme file with that name."))
    with transaction.atomic():
        programme, _created = Programme.objects.get_or_create(slug=slug,
                                                               defaults={"title": found.title})
        if programme.is_published:
            raise Conflict(_("This programme is already published."))
        programme.title, programme.published_at, programme.published_by = (
            found.title, timezone.now(), actor)
        programme.save()
        _audit("programme_published", actor, programme, slug=slug)
    return programme


def enrol(programme: Programme, learner, *, actor) -> Enrolment:
    """Enrol yourself, or (a supervisor) a practitioner of your team."""
    if not programme.is_published:
        raise Refusal(_("This programme is not published yet."))
    if learner.pk != actor.pk and not supervises(actor, learner):
        raise Refusal(_("You can enrol yourself, or a practitioner of the team you supervise."))
    if learner.role not in (Role.PRACTITIONER, Role.SUPERVISOR):
        raise Refusal({"learner": _("Only practitioners and supervisors take training.")})
    if Enrolment.objects.filter(programme=programme, learner=learner).exists():
        raise Conflict(_("%(name)s is already enrolled on %(programme)s.")
                       % {"name": learner, "programme": programme})
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(
                programme=programme, learner=learner,
                assigned_by=None if learner.pk == actor.pk else actor)
            _audit("enrolled", actor, enrolment, learner=learner.pk, programme=programme.slug)
    except IntegrityError:  # a second request won the race
        raise Conflict(_("%(name)s is already enrolled on %(programme)s.")
                       % {"name": learner, "programme": programme}) from None
    return enrolment


def record_prerequisite(enrolment, *, actor, evidence: str) -> None:
    _require_learner(enrolment, actor)
    if not evidence.strip():
        raise Refusal({"evidence": _("Say how you completed it (a certificate, a date, a course).")})
    with transaction.atomic():
        enrolment.prerequisite, enrolment.prerequisite_evidence = Prerequisite.COMPLETED, evidence
        enrolment.save(update_fields=["prerequisite", "prerequisite_evidence"])
        _audit("prerequisite_completed", actor, enrolment)


def waive_prerequisite(enrolment, *, actor, reason: str) -> None:
    if not supervises(actor, enrolment.learner):
        raise Refusal(_("Only the learner's supervisor can waive the prerequisite."))
    if not reason.strip():
        raise Refusal({"reason": _("Give the reason for the waiver.")})
    with transaction.atomic():
        enrolment.prerequisite, enrolment.waiver_reason = Prerequisite.WAIVED, reason
        enrolment.waived_by = actor
        enrolment.save(update_fields=["prerequisite", "waiver_reason", "waived_by"])
        _audit("prerequisite_waived", actor, enrolment)


# --- study groups --------------------------------------------------------------------------------


def is_member(group, user) -> bool:
    return group.members.filter(user=user).exists()


def _require_member(group, actor):
    if not is_member(group, actor):
        raise Refusal(_("Only the members of a study group can write to it."))


def create_group(enrolment, *, actor, name: str, kind: str) -> StudyGroup:
    _require_learner(enrolment, actor)
    if not name.strip():
        raise Refusal({"name": _("Give the group a name.")})
    with transaction.atomic():
        group = StudyGroup.objects.create(programme=enrolment.programme, name=name, kind=kind,
                                          convener=actor)
        GroupMember.objects.create(group=group, user=actor)
        enrolment.study_group = group
        enrolment.save(update_fields=["study_group"])
        _audit("group_created", actor, group)
    return group


def add_member(group, *, actor, user=None, outside_name: str = "") -> GroupMember:
    _require_member(group, actor)
    outside_name = outside_name.strip()
    if (user is None) == (not outside_name):
        raise Refusal(_("Choose an ecomap user or name someone outside ecomap (one of the two)."))
    if user is not None and is_member(group, user):
        raise Conflict(_("%(name)s is already a member.") % {"name": user})
    with transaction.atomic():
        member = GroupMember.objects.create(group=group, user=user, outside_name=outside_name)
        if user is not None:  # their enrolment on the programme now follows this group's dates
            Enrolment.objects.filter(programme=group.programme, learner=user,
                                     study_group__isnull=True).update(study_group=group)
        _audit("member_added", actor, group, member=member.pk)
    return member


def plan_meeting(group, *, actor, topic_key: str, starts_at: datetime, place: str = "",
                 online_link: str = "") -> Meeting:
    """A new meeting for a topic; its date is the topic's deadline, so it must be in the future."""
    _require_member(group, actor)
    _topic(content_of(group.programme), topic_key)
    problems = Problems()
    if starts_at is None or starts_at <= timezone.now():
        problems.add(_("A new meeting must be in the future."), field="starts_at")
    if not place.strip() and not online_link.strip():
        problems.add(_("Give a place or an online link."), field="place")
    if Meeting.objects.filter(group=group, topic_key=topic_key).exists():
        problems.add(_("This group already has a meeting for that topic; change that one."),
                     field="topic_key")
    problems.refuse_if_any()
    with transaction.atomic():
        meeting = Meeting.objects.create(group=group, topic_key=topic_key, starts_at=starts_at,
                                         place=place, online_link=online_link)
        _audit("meeting_planned", actor, meeting, topic=topic_key)
    return meeting


def record_attendance(meeting, *, actor, present_member_ids) -> None:
    _require_member(meeting.group, actor)
    if meeting.starts_at > timezone.now():
        raise Refusal(_("Attendance is recorded once the meeting has taken place."))
    present = {int(pk) for pk in present_member_ids}
    members = list(meeting.group.members.all())
    with transaction.atomic():
        for member in members:
            Attendance.objects.update_or_create(meeting=meeting, member=member,
                                                defaults={"attended": member.pk in present})
        _audit("attendance_recorded", actor, meeting, present=sorted(present))


def add_note(group, *, actor, text: str, private: bool) -> GroupNote:
    _require_member(group, actor)
    if not text.strip():
        raise Refusal({"text": _("Write the note first.")})
    with transaction.atomic():
        note = GroupNote.objects.create(group=group, author=actor, text=text, private=private)
        _audit("note_added", actor, note, private=private)
    return note


def visible_notes(group, viewer):
    """Shared notes for members; a private note for its author alone."""
    if not is_member(group, viewer):
        return GroupNote.objects.none()
    from django.db.models import Q

    return group.notes.filter(Q(private=False) | Q(author=viewer)).select_related("author")


# --- the tasks -------------------------------------------------------------------------------


def save_explore(enrolment, *, actor, topic_key: str, resources_used, answers) -> ExploreWork:
    _require_learner(enrolment, actor)
    topic = _topic(content_of(enrolment), topic_key)
    used = sorted({int(i) for i in resources_used if 0 <= int(i) < len(topic.resources)})
    answers = [str(a).strip() for a in answers][: len(topic.questions)]
    if not used and not any(answers):
        raise Refusal(_("Tick a resource you used or answer a guiding question."))
    with transaction.atomic():
        work, _created = ExploreWork.objects.update_or_create(
            enrolment=enrolment, topic_key=topic_key,
            defaults={"resources_used": used, "answers": answers})
        _audit("explore_saved", actor, work, topic=topic_key)
    return work


def save_position(enrolment, *, actor, topic_key: str, stage: str, **fields) -> DebatePosition:
    _require_learner(enrolment, actor)
    _topic(content_of(enrolment), topic_key)
    if stage == Stage.AFTER and not DebatePosition.objects.filter(
            enrolment=enrolment, topic_key=topic_key, stage=Stage.BEFORE).exists():
        raise Refusal(_("Record your first position before the revised one."))
    if stage == Stage.AFTER and not fields.get("what_changed", "").strip():
        raise Refusal({"what_changed": _("Say what changed your mind, or why it did not change.")})
    with transaction.atomic():
        position, _created = DebatePosition.objects.update_or_create(
            enrolment=enrolment, topic_key=topic_key, stage=stage, defaults=fields)
        _audit("position_saved", actor, position, topic=topic_key, stage=stage)
    return position


def _task_work_done(enrolment, topic_key: str, task_key: str) -> bool:
    if task_key == "explore":
        return ExploreWork.objects.filter(enrolment=enrolment, topic_key=topic_key).exists()
    if task_key == "debate":
        return DebatePosition.objects.filter(enrolment=enrolment, topic_key=topic_key).exists()
    return Meeting.objects.filter(group_id=enrolment.study_group_id, topic_key=topic_key).exists()


def write_reflection(enrolment, *, actor, topic_key: str, task_key: str, did: str, learnt: str,
                     will_change: str, hours=None, shared: bool = False) -> Reflection:
    """The reflection that completes a task: all three parts written, after the task's work."""
    _require_learner(enrolment, actor)
    _topic(content_of(enrolment), topic_key)
    if task_key not in content.TASK_KEYS:
        raise Refusal({"task_key": _("Choose one of the topic's tasks.")})
    problems = Problems()
    for name, value, message in (
            ("did", did, _("Say what you did.")),
            ("learnt", learnt, _("Say what you learnt.")),
            ("will_change", will_change, _("Say what you will change in your practice."))):
        if not (value or "").strip():
            problems.add(message, field=name)
    if not _task_work_done(enrolment, topic_key, task_key):
        problems.add({
            "explore": _("Record the resources you used or your answers first."),
            "debate": _("Record your position on the motion first."),
            "study_group": _("Plan the study-group meeting for this topic first."),
        }[task_key])
    problems.refuse_if_any()
    with transaction.atomic():
        reflection, created = Reflection.objects.update_or_create(
            enrolment=enrolment, topic_key=topic_key, task_key=task_key,
            defaults={"did": did, "learnt": learnt, "will_change": will_change, "hours": hours,
                      "shared": shared})
        _audit("reflection_written" if created else "reflection_changed", actor, reflection,
               topic=topic_key, task=task_key, shared=shared)
    return reflection


def share_reflection(reflection, *, actor, shared: bool) -> None:
    _require_learner(reflection.enrolment, actor)
    with transaction.atomic():
        reflection.shared = shared
        reflection.save(update_fields=["shared", "updated_at"])
        _audit("reflection_shared" if shared else "reflection_unshared", actor, reflection)


def visible_reflections(enrolment, viewer):
    """All of them for the learner; the shared ones for their supervisor; none for anyone else."""
    if enrolment.learner_id == viewer.pk:
        return enrolment.reflections.all()
    if supervises(viewer, enrolment.learner):
        return enrolment.reflections.filter(shared=True)
    return Reflection.objects.none()


def comment(reflection, *, actor, text: str) -> Comment:
    enrolment = reflection.enrolment
    allowed = enrolment.learner_id == actor.pk or (
        reflection.shared and supervises(actor, enrolment.learner))
    if not allowed:
        raise Refusal(_("Only the learner and, on a shared reflection, their supervisor comment."))
    if not text.strip():
        raise Refusal({"text": _("Write the comment first.")})
    with transaction.atomic():
        made = Comment.objects.create(reflection=reflection, author=actor, text=text)
        _audit("reflection_commented", actor, reflection, comment=made.pk)
    return made


def plan_visit(enrolment, *, actor, topic_key: str, meeting_url: str, title: str,
               planned_for) -> Visit:
    """An open meeting chosen in the meeting search (its page's address), on the timetable."""
    from urllib.parse import urlparse

    from django.urls import Resolver404, resolve

    _require_learner(enrolment, actor)
    topic = _topic(content_of(enrolment), topic_key)
    problems = Problems()
    if not topic.open_meetings:
        problems.add(_("This topic does not plan visits to open meetings."))
    match = None
    with contextlib.suppress(Resolver404):
        match = resolve(urlparse(meeting_url.strip()).path)
    meeting = None
    if match is None or match.view_name != "mutualaid:meeting":
        problems.add(_("Paste the address of a meeting's page from the meeting search."),
                     field="meeting_url")
    else:
        # A real meeting of the imported feeds, still listed, and open to visitors.
        meeting = FeedMeeting.objects.filter(pk=match.kwargs["meeting_pk"], active=True).first()
        if meeting is None:
            problems.add(_("That meeting is not (or no longer) in the imported meeting feeds."),
                         field="meeting_url")
        elif CLOSED_MEETING in (meeting.types or []):
            problems.add(_("That meeting is closed to visitors: choose an open meeting."),
                         field="meeting_url")
    title = title.strip() or (meeting.name if meeting is not None else "")
    if not title:
        problems.add(_("Name the meeting."), field="title")
    if planned_for is None or planned_for <= timezone.now():
        problems.add(_("A planned visit must be in the future."), field="planned_for")
    problems.refuse_if_any()
    with transaction.atomic():
        visit = Visit.objects.create(enrolment=enrolment, topic_key=topic_key,
                                     meeting_url=urlparse(meeting_url.strip()).path,
                                     meeting_pk=meeting.pk, title=title,
                                     planned_for=planned_for)
        _audit("visit_planned", actor, visit, meeting=visit.meeting_pk)
    return visit


def log_visit(visit, *, actor, note: str = "") -> None:
    _require_learner(visit.enrolment, actor)
    if visit.planned_for > timezone.now():
        raise Refusal(_("Log the visit once the meeting has taken place."))
    with transaction.atomic():
        visit.went, visit.went_note = True, note
        visit.save(update_fields=["went", "went_note"])
        _audit("visit_logged", actor, visit)


# --- outcomes and review ---------------------------------------------------------------------


def _check_ratings(programme, ratings: dict) -> None:
    """Every outcome rated, each a whole number on the programme's scale."""
    scale = programme.scale
    problems = Problems()
    for outcome in programme.outcomes:
        value = ratings.get(outcome.key)
        try:
            ok = value is not None and scale.minimum <= int(value) <= scale.maximum
        except (TypeError, ValueError):
            ok = False
        if not ok:
            problems.add(_("Rate every outcome from %(min)s to %(max)s.")
                         % {"min": scale.minimum, "max": scale.maximum}, field=outcome.key)
    problems.refuse_if_any()


def rate_outcomes(enrolment, *, actor, stage: str, ratings: dict[str, int]) -> None:
    _require_learner(enrolment, actor)
    programme = content_of(enrolment)
    _check_ratings(programme, ratings)
    field_name = "before" if stage == Stage.BEFORE else "after"
    with transaction.atomic():
        for outcome in programme.outcomes:
            OutcomeRating.objects.update_or_create(
                enrolment=enrolment, outcome_key=outcome.key,
                defaults={field_name: int(ratings[outcome.key])})
        _audit("outcomes_rated", actor, enrolment, stage=stage)


def request_review(enrolment, *, actor) -> ReviewRequest:
    _require_learner(enrolment, actor)
    reviewer = team_supervisor(enrolment.learner)
    if reviewer is None:
        raise Refusal(_("Your team has no supervisor to ask."))
    if not OutcomeRating.objects.filter(enrolment=enrolment, after__isnull=False).exists():
        raise Refusal(_("Rate yourself on the outcomes after the programme first."))
    if enrolment.reviews.filter(completed_at__isnull=True).exists():
        raise Conflict(_("You have already asked for a review; it is waiting."))
    with transaction.atomic():
        review = ReviewRequest.objects.create(enrolment=enrolment, reviewer=reviewer)
        _audit("review_requested", actor, review, reviewer=reviewer.pk)
    return review


def team_supervisor(learner):
    from django.contrib.auth import get_user_model

    if learner.team_id is None:
        return None
    return (get_user_model().objects.filter(team_id=learner.team_id, role=Role.SUPERVISOR,
                                            is_active=True).exclude(pk=learner.pk)
            .order_by("pk").first())


def review(enrolment, *, actor, ratings: dict[str, int], comments: dict[str, str]) -> None:
    if not supervises(actor, enrolment.learner):
        raise Refusal(_("Only the learner's supervisor reviews their outcomes."))
    programme = content_of(enrolment)
    _check_ratings(programme, ratings)
    with transaction.atomic():
        for outcome in programme.outcomes:
            OutcomeRating.objects.update_or_create(
                enrolment=enrolment, outcome_key=outcome.key,
                defaults={"supervisor_rating": int(ratings[outcome.key]),
                          "supervisor_comment": comments.get(outcome.key, ""),
                          "reviewed_by": actor})
        enrolment.reviews.filter(completed_at__isnull=True).update(completed_at=timezone.now())
        _audit("outcomes_reviewed", actor, enrolment)


# --- the practice log ------------------------------------------------------------------------


def _caseload_names(user) -> list[str]:
    names = set()
    for row in Client.objects.for_user(user).values_list("legal_first_name", "legal_last_name",
                                                         "preferred_name"):
        names.update(name.strip() for name in row if name and len(name.strip()) > 1)
    return sorted(names, key=len, reverse=True)


def names_a_client(text: str, names) -> bool:
    return any(re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE)
               for name in names)


def log_practice(enrolment, *, actor, skill: str, setting: str, what_happened: str,
                 what_learnt: str, tried_on: date) -> PracticeEntry:
    """A de-identified entry: text naming a client on the learner's caseload is refused (the
    reason names the field, never the name found)."""
    _require_learner(enrolment, actor)
    fields = {"skill": skill, "setting": setting, "what_happened": what_happened,
              "what_learnt": what_learnt}
    problems = Problems()
    names = _caseload_names(actor)
    for name, value in fields.items():
        if not value.strip():
            problems.add(_("This field is required."), field=name)
        elif names_a_client(value, names):
            problems.add(_("This names a client on your caseload. The practice log is "
                           "de-identified: describe the person without their name."), field=name)
    if tried_on is None or tried_on > timezone.localdate():
        problems.add(_("Give the date you tried it (not in the future)."), field="tried_on")
    problems.refuse_if_any()
    with transaction.atomic():
        entry = PracticeEntry.objects.create(enrolment=enrolment, tried_on=tried_on, **fields)
        _audit("practice_logged", actor, entry)
    return entry


# --- progress, the timeline and the team matrix -----------------------------------------------


@dataclass
class TopicProgress:
    topic: content.Topic
    deadline: datetime | None
    tasks: dict[str, str] = field(default_factory=dict)  # task key -> done / due / overdue

    @property
    def done(self) -> bool:
        return all(status == "done" for status in self.tasks.values())

    @property
    def status(self) -> str:
        if self.done:
            return "done"
        return next(s for s in ("overdue", "due", "unplanned") if s in self.tasks.values())


def _status(done: bool, deadline, now) -> str:
    if done:
        return "done"
    if deadline is None:
        return "unplanned"
    return "overdue" if deadline < now else "due"


def progress_for(enrolments) -> dict[int, list[TopicProgress]]:
    """Each enrolment's topics with their deadline and task statuses: two queries, whatever the
    number of enrolments."""
    enrolments = list(enrolments)
    ids = [e.pk for e in enrolments]
    done = set(Reflection.objects.filter(enrolment_id__in=ids)
               .values_list("enrolment_id", "topic_key", "task_key"))
    group_ids = {e.study_group_id for e in enrolments if e.study_group_id}
    deadlines = {(g, t): when for g, t, when in Meeting.objects.filter(group_id__in=group_ids)
                 .values_list("group_id", "topic_key", "starts_at")}
    now = timezone.now()
    result = {}
    for enrolment in enrolments:
        found = content.programme(enrolment.programme.slug)
        rows = []
        for topic in (found.topics if found else ()):
            deadline = deadlines.get((enrolment.study_group_id, topic.key))
            rows.append(TopicProgress(topic, deadline, {
                task.key: _status((enrolment.pk, topic.key, task.key) in done, deadline, now)
                for task in topic.tasks}))
        result[enrolment.pk] = rows
    return result


def is_complete(enrolment) -> bool:
    rows = progress_for([enrolment])[enrolment.pk]
    return bool(rows) and all(row.done for row in rows)


def team_matrix(supervisor, programme: Programme):
    """(learner, enrolment, topic rows) for the supervisor's team on one programme: three queries."""
    enrolments = list(Enrolment.objects.filter(programme=programme,
                                               learner__in=team_learners(supervisor))
                      .select_related("learner", "programme", "study_group")
                      .order_by("learner__last_name", "learner__first_name", "learner__pk"))
    progress = progress_for(enrolments)
    return [(e.learner, e, progress[e.pk]) for e in enrolments]


def due_items(user, horizon=DUE_SOON):
    """The learner's tasks not done whose deadline is past or within the horizon."""
    enrolments = list(Enrolment.objects.filter(learner=user).select_related("programme"))
    now = timezone.now()
    items = []
    progress = progress_for(enrolments)
    for enrolment in enrolments:
        for row in progress[enrolment.pk]:
            if not row.done and row.deadline is not None and row.deadline <= now + horizon:
                items.append((enrolment, row))
    items.sort(key=lambda item: item[1].deadline)
    return items
