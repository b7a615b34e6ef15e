"""Practitioner training: programmes (their text is content, see content.py), enrolments, the study
groups whose meetings are the deadlines, the work of each task, reflections, outcome ratings and a
de-identified practice log. These are staff records: no client is named anywhere in them."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

User = settings.AUTH_USER_MODEL


class Programme(models.Model):
    """A programme file's row: an administrator publishes it before anyone can enrol."""

    slug = models.SlugField(_("programme"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")

    class Meta:
        ordering = ["title"]
        verbose_name = _("training programme")

    def __str__(self):
        return self.title

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Prerequisite(models.TextChoices):
    PENDING = "pending", _("Not yet recorded")
    COMPLETED = "completed", _("Completed")
    WAIVED = "waived", _("Waived by the supervisor")


class Enrolment(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="enrolments")
    learner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="training_enrolments",
                                verbose_name=_("learner"))
    assigned_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("assigned by"))
    enrolled_at = models.DateTimeField(_("enrolled"), auto_now_add=True)
    prerequisite = models.CharField(_("prerequisite"), max_length=12, choices=Prerequisite.choices,
                                    default=Prerequisite.PENDING)
    prerequisite_evidence = models.TextField(_("evidence"), blank=True)
    waiver_reason = models.TextField(_("reason for the waiver"), blank=True)
    waived_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    study_group = models.ForeignKey("StudyGroup", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="enrolments", verbose_name=_("study group"))

    class Meta:
        ordering = ["programme", "learner"]
        verbose_name = _("enrolment")
        constraints = [models.UniqueConstraint(fields=["programme", "learner"],
                                               name="training_one_enrolment_per_learner")]

    def __str__(self):
        return f"{self.learner} · {self.programme}"


class GroupKind(models.TextChoices):
    PEER = "peer", _("A peer group")
    COLLEAGUE = "colleague", _("One colleague")
    SUPERVISOR = "supervisor", _("A trusted supervisor")


class StudyGroup(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="groups")
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind of group"), max_length=12, choices=GroupKind.choices,
                            default=GroupKind.PEER)
    convener = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("study group")

    def __str__(self):
        return self.name


class GroupMember(models.Model):
    """An ecomap user, or a person outside ecomap named by the group."""

    group = models.ForeignKey(StudyGroup, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="training_memberships", verbose_name=_("ecomap user"))
    outside_name = models.CharField(_("name (someone outside ecomap)"), max_length=120, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], condition=Q(user__isnull=False),
                                    name="training_member_once"),
            models.CheckConstraint(condition=Q(user__isnull=False) | ~Q(outside_name=""),
                                   name="training_member_named"),
        ]

    def __str__(self):
        return str(self.user) if self.user_id else self.outside_name


class Meeting(models.Model):
    """A study-group meeting for one topic: its date is that topic's deadline."""

    group = models.ForeignKey(StudyGroup, on_delete=models.CASCADE, related_name="meetings")
    topic_key = models.CharField(_("topic"), max_length=60)
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_link = models.URLField(_("online link"), blank=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [models.UniqueConstraint(fields=["group", "topic_key"],
                                               name="training_one_meeting_per_topic")]

    def __str__(self):
        return f"{self.group} · {self.topic_key} · {self.starts_at:%Y-%m-%d}"


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(GroupMember, on_delete=models.CASCADE, related_name="attendance")
    attended = models.BooleanField(_("attended"), default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "member"],
                                               name="training_attendance_once")]

    def __str__(self):
        return f"{self.member} · {self.meeting_id}"


class GroupNote(models.Model):
    """Shared notes every member sees; private notes only their author sees (nobody else, ever)."""

    group = models.ForeignKey(StudyGroup, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("note"))
    private = models.BooleanField(_("private (only I see it)"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.group} · {self.author}"


class ExploreWork(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="explore")
    topic_key = models.CharField(max_length=60)
    resources_used = models.JSONField(default=list)  # indexes of the topic's resources
    answers = models.JSONField(default=list)  # one short note per guiding question
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["enrolment", "topic_key"],
                                               name="training_explore_once")]

    def __str__(self):
        return f"{self.enrolment} · {self.topic_key}"


class Stage(models.TextChoices):
    BEFORE = "before", _("Before the study group")
    AFTER = "after", _("After the study group")


class Stance(models.TextChoices):
    AGREE = "agree", _("Agree")
    UNDECIDED = "undecided", _("Undecided")
    DISAGREE = "disagree", _("Disagree")


class DebatePosition(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="positions")
    topic_key = models.CharField(max_length=60)
    stage = models.CharField(_("stage"), max_length=8, choices=Stage.choices)
    stance = models.CharField(_("my position on the motion"), max_length=10,
                              choices=Stance.choices)
    strength = models.PositiveSmallIntegerField(
        _("how strongly (1 slightly to 5 very strongly)"),
        validators=[MinValueValidator(1), MaxValueValidator(5)])
    arguments_for = models.TextField(_("arguments for the motion"), blank=True)
    arguments_against = models.TextField(_("arguments against the motion"), blank=True)
    evidence = models.TextField(_("evidence I cite"), blank=True)
    what_changed = models.TextField(_("what changed my mind (or did not)"), blank=True)
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["enrolment", "topic_key", "stage"],
                                               name="training_position_once")]

    def __str__(self):
        return f"{self.enrolment} · {self.topic_key} · {self.stage}"


class Reflection(models.Model):
    """Written after each task; private unless the learner shares it with their supervisor."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="reflections")
    topic_key = models.CharField(max_length=60)
    task_key = models.CharField(max_length=20)
    did = models.TextField(_("What I did"))
    learnt = models.TextField(_("What I learnt"))
    will_change = models.TextField(_("What I will change in my practice"))
    hours = models.DecimalField(_("hours spent"), max_digits=5, decimal_places=1, null=True,
                                blank=True, validators=[MinValueValidator(0)])
    shared = models.BooleanField(_("shared with my supervisor"), default=False)
    written_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["written_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["enrolment", "topic_key", "task_key"],
                                               name="training_reflection_once")]

    def __str__(self):
        return f"{self.enrolment} · {self.topic_key} · {self.task_key}"


class Comment(models.Model):
    reflection = models.ForeignKey(Reflection, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.author} · {self.reflection_id}"


class OutcomeRating(models.Model):
    """The learner's own rating of one outcome before and after, and the supervisor's beside it."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="ratings")
    outcome_key = models.CharField(max_length=60)
    before = models.PositiveSmallIntegerField(_("before"), null=True, blank=True)
    after = models.PositiveSmallIntegerField(_("after"), null=True, blank=True)
    supervisor_rating = models.PositiveSmallIntegerField(_("supervisor's rating"), null=True,
                                                         blank=True)
    supervisor_comment = models.TextField(_("supervisor's comment"), blank=True)
    reviewed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["enrolment", "outcome_key"],
                                               name="training_rating_once")]

    def __str__(self):
        return f"{self.enrolment} · {self.outcome_key}"


class ReviewRequest(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(User, on_delete=models.CASCADE, related_name="training_reviews")
    requested_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self):
        return f"{self.enrolment} · {self.reviewer}"


class PracticeEntry(models.Model):
    """Trying a skill with a client, written without naming them (services.py checks)."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="practice")
    skill = models.CharField(_("skill"), max_length=200)
    setting = models.CharField(_("setting"), max_length=200)
    what_happened = models.TextField(_("what happened"))
    what_learnt = models.TextField(_("what I learnt"))
    tried_on = models.DateField(_("date"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-tried_on", "-pk"]
        verbose_name = _("practice log entry")

    def __str__(self):
        return f"{self.skill} · {self.tried_on}"


class Visit(models.Model):
    """A visit to an open mutual-aid meeting chosen in the meeting search, on the timetable; the
    learner logs going. The meeting is checked against the imported feeds when it is planned (it
    must be listed and open to visitors) and named by its ecomap page."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="visits")
    topic_key = models.CharField(max_length=60)
    meeting_url = models.CharField(_("the meeting's page in ecomap"), max_length=300)
    meeting_pk = models.PositiveIntegerField()
    title = models.CharField(_("meeting"), max_length=200)
    planned_for = models.DateTimeField(_("date and time"))
    went = models.BooleanField(_("I went"), default=False)
    went_note = models.TextField(_("what I heard"), blank=True)

    class Meta:
        ordering = ["planned_for", "pk"]

    def __str__(self):
        return f"{self.title} · {self.planned_for:%Y-%m-%d}"
