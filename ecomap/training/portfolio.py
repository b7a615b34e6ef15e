"""The portfolio of continuing professional development, for its page and its PDF: a fixed number
of queries however many reflections, comments and meetings it holds."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Prefetch, Sum

from . import services
from .models import Attendance, Comment, DebatePosition, Meeting, OutcomeRating, Stage


def build(enrolment, viewer, *, everything: bool) -> dict:
    """`everything`: the learner's own choice to include unshared reflections (learner only)."""
    programme = services.content_of(enrolment)
    reflections = services.visible_reflections(enrolment, viewer)
    if not (everything and enrolment.learner_id == viewer.pk):
        reflections = reflections.filter(shared=True)
    reflections = list(reflections.prefetch_related(
        Prefetch("comments", queryset=Comment.objects.select_related("author"))))
    positions = {(p.topic_key, p.stage): p for p in DebatePosition.objects.filter(
        enrolment=enrolment)}
    meetings = list(Meeting.objects.filter(group_id=enrolment.study_group_id)) \
        if enrolment.study_group_id else []
    attended = {a.meeting_id: a.attended for a in Attendance.objects.filter(
        meeting__in=meetings, member__user_id=enrolment.learner_id)}
    ratings = {r.outcome_key: r for r in OutcomeRating.objects.filter(enrolment=enrolment)}
    progress = services.progress_for([enrolment])[enrolment.pk]
    by_topic = {}
    for reflection in reflections:
        by_topic.setdefault(reflection.topic_key, []).append(reflection)
    recorded = services.visible_reflections(enrolment, viewer).aggregate(
        total=Sum("hours"))["total"] or Decimal(0)
    topics = []
    for row in progress:
        topics.append({
            "row": row,
            "before": positions.get((row.topic.key, Stage.BEFORE)),
            "after": positions.get((row.topic.key, Stage.AFTER)),
            "reflections": by_topic.get(row.topic.key, []),
            "meeting": next((m for m in meetings if m.topic_key == row.topic.key), None),
        })
    for item in topics:
        meeting = item["meeting"]
        item["attended"] = attended.get(meeting.pk) if meeting else None
    return {
        "enrolment": enrolment, "programme": programme, "topics": topics,
        "outcomes": [(o, ratings.get(o.key)) for o in programme.outcomes],
        "hours_suggested": programme.suggested_hours, "hours_recorded": recorded,
        "everything": everything and enrolment.learner_id == viewer.pk,
        "complete": bool(progress) and all(row.done for row in progress),
        "scale": programme.scale,
    }
