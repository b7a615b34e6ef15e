"""A client's work through a structured module: the enrolment, its sessions (the agenda steps
ticked, topics covered), checklist answers, homework set and reviewed, the client's own goals with
their progress ratings, and the review questions' results.

Records store the definition's keys (module slug, step, topic, checklist item, question), not its
text, so a clinician can improve a module's wording without rewriting history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import definitions


class EnrolmentStatus(models.TextChoices):
    ACTIVE = "active", _("In progress")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Stopped early")


class Enrolment(models.Model):
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="enrolments")
    module_slug = models.SlugField(_("module"), max_length=80)
    status = models.CharField(max_length=12, choices=EnrolmentStatus.choices,
                              default=EnrolmentStatus.ACTIVE)
    started_on = models.DateField(_("started on"), default=timezone.localdate)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.TextField(_("why it ended"), blank=True)
    enrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["client", "module_slug"],
                                    condition=models.Q(status="active"),
                                    name="one_active_enrolment_per_module"),
        ]

    def __str__(self):
        return f"{self.module_slug} ({self.started_on:%Y-%m-%d})"

    @property
    def module(self) -> definitions.ModuleDef | None:
        return definitions.get(self.module_slug)

    @property
    def is_active(self) -> bool:
        return self.status == EnrolmentStatus.ACTIVE


class SessionRecord(models.Model):
    """One session of a module, recorded on one screen along the module's agenda.

    `steps` maps a step key to {"done": bool, "note": str}; `topics` lists the topic keys covered.
    A session is a draft until closed; a closed session no longer changes.
    """

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="sessions")
    number = models.PositiveSmallIntegerField(_("session number"))
    held_on = models.DateField(_("date"), default=timezone.localdate)
    steps = models.JSONField(default=dict)
    topics = models.JSONField(default=list)
    # The checklists this session recorded (even when the client chose nothing on one): the
    # latest session that recorded a checklist holds its current answers.
    checklists = models.JSONField(default=list)
    summary = models.TextField(_("summary for the client"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["enrolment", "number"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "number"], name="one_session_number"),
        ]

    def __str__(self):
        return f"Session {self.number} ({self.held_on:%Y-%m-%d})"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class ChecklistAnswer(models.Model):
    """A checklist item the client chose (kind "choose"), or a person they want to get closer to with
    the level they chose (kind "people"). `item_key` is blank for an item the client wrote in."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="answers")
    session = models.ForeignKey(SessionRecord, on_delete=models.PROTECT, related_name="answers")
    checklist_key = models.CharField(max_length=60)
    item_key = models.CharField(max_length=60, blank=True)
    text = models.CharField(_("the client's own words"), max_length=200, blank=True)
    member = models.ForeignKey("network.NetworkMember", on_delete=models.PROTECT, null=True,
                               blank=True, related_name="+")

    class Meta:
        ordering = ["checklist_key", "pk"]

    def __str__(self):
        return f"{self.checklist_key}:{self.item_key or self.text}"


class GoalStatus(models.TextChoices):
    ACTIVE = "active", _("Working on it")
    ACHIEVED = "achieved", _("Achieved")
    SET_ASIDE = "set_aside", _("Set aside")


class Goal(models.Model):
    """A personal goal in the client's own words, reviewed at every session. It may come from a
    network intervention taken into the plan (network.AcceptedIntervention)."""

    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="goals")
    text = models.CharField(_("goal, in the client's words"), max_length=300)
    status = models.CharField(max_length=12, choices=GoalStatus.choices, default=GoalStatus.ACTIVE)
    set_on = models.DateField(_("set on"), default=timezone.localdate)
    from_intervention = models.ForeignKey(
        "network.AcceptedIntervention", on_delete=models.PROTECT, null=True, blank=True,
        related_name="goals", verbose_name=_("from the network plan"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        ordering = ["status", "set_on", "pk"]

    def __str__(self):
        return self.text


class Progress(models.IntegerChoices):
    NONE = 0, _("No progress yet")
    LITTLE = 1, _("A little progress")
    SOME = 2, _("Some progress")
    LOT = 3, _("A lot of progress")
    ACHIEVED = 4, _("Achieved")


class GoalReview(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="reviews")
    session = models.ForeignKey(SessionRecord, on_delete=models.PROTECT, related_name="goal_reviews")
    progress = models.PositiveSmallIntegerField(choices=Progress.choices)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["session__held_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["goal", "session"], name="one_review_per_goal_session"),
        ]

    def __str__(self):
        return f"{self.goal_id}: {self.get_progress_display()}"


class HomeworkStatus(models.TextChoices):
    OPEN = "open", _("Not yet reviewed")
    DONE = "done", _("Done")
    PARTLY = "partly", _("Partly done")
    NOT_DONE = "not_done", _("Not done")


class Homework(models.Model):
    """Agreed at the end of one session, reviewed at the next."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="homework")
    set_in = models.ForeignKey(SessionRecord, on_delete=models.PROTECT, related_name="homework_set")
    text = models.CharField(_("what the client will do"), max_length=300)
    idea_key = models.CharField(max_length=60, blank=True)
    checklist_item = models.CharField(max_length=121, blank=True)  # "checklist:item"
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="homework")
    due_on = models.DateField(_("due by"))
    status = models.CharField(max_length=10, choices=HomeworkStatus.choices,
                              default=HomeworkStatus.OPEN)
    reviewed_in = models.ForeignKey(SessionRecord, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="homework_reviewed")
    obstacles = models.TextField(_("what got in the way"), blank=True)
    plan = models.TextField(_("plan"), blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self):
        return self.text

    @property
    def is_open(self) -> bool:
        return self.status == HomeworkStatus.OPEN


class ReviewAttempt(models.Model):
    """The review questions answered at the end of a module, scored and kept.

    `answers` holds, per question, the key, kind, answer, whether it was correct (auto-scored kinds)
    and the practitioner's rating (open questions); the scores are stored too, so a later change to
    the module file never changes a past result.
    """

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="reviews")
    taken_on = models.DateField(default=timezone.localdate)
    answers = models.JSONField()
    correct = models.PositiveSmallIntegerField()
    scored = models.PositiveSmallIntegerField()
    open_rating = models.PositiveSmallIntegerField()
    open_rating_max = models.PositiveSmallIntegerField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-taken_on", "-pk"]

    def __str__(self):
        return f"{self.taken_on:%Y-%m-%d}: {self.correct}/{self.scored}"
