"""Fellowships, meeting feeds, the meetings they list, and the record of each import.

Agency-level data: meetings are public listings, not client records, so nothing here belongs to a
client. A Meeting keeps every field of the Meeting Guide specification; its type codes are kept as
codes, in the vocabulary of its fellowship (codes.py), unknown codes verbatim.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import catalogue, codes


class Philosophy(models.TextChoices):
    SPIRITUAL_12_STEP = "spiritual_12_step", _("Spiritual 12-step")
    SECULAR_CBT = "secular_cbt", _("Secular, cognitive-behavioural")
    SELF_EMPOWERMENT = "self_empowerment", _("Self-empowerment")
    RELIGIOUS = "religious", _("Religious")
    BUDDHIST = "buddhist", _("Buddhist")


class Abstinence(models.TextChoices):
    AIM = "aim", _("Abstinence is the aim")
    FLEXIBLE = "flexible", _("Abstinence-oriented; other goals accepted")
    MODERATION = "moderation", _("Moderation is the aim")
    NOT_APPLICABLE = "not_applicable", _("Not applicable (a group for families)")
    NOT_STATED = "not_stated", _("Not stated")


class Medication(models.TextChoices):
    SUPPORTIVE = "supportive", _("Supportive of medication")
    ACCEPTS_PRESCRIBED = "accepts_prescribed", _("Accepts prescribed medication; groups vary")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")
    NOT_STATED = "not_stated", _("Not stated")


class Audience(models.TextChoices):
    SELF = "self", _("People with the problem")
    FAMILY = "family", _("Families and friends")


ADDRESS_LABELS = {
    "alcohol": _("Alcohol"), "drugs": _("Drugs"), "any_addiction": _("Any addiction"),
    "co_occurring": _("Co-occurring disorders"), "families": _("Families"),
}


class Fellowship(models.Model):
    """A mutual support organisation, copied from content/fellowships.yaml by `sync_fellowships`."""

    slug = models.SlugField(_("key"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    abbreviation = models.CharField(_("abbreviation"), max_length=30)
    program = models.CharField(_("meeting-type vocabulary"), max_length=40)
    audience = models.CharField(_("for"), max_length=10, choices=Audience.choices)
    website = models.URLField(_("website"))
    philosophy = models.CharField(_("philosophy"), max_length=20, choices=Philosophy.choices)
    addresses = models.JSONField(_("addresses"), default=list)
    abstinence = models.CharField(_("abstinence"), max_length=20, choices=Abstinence.choices)
    medication = models.CharField(_("medication for addiction treatment"), max_length=20,
                                  choices=Medication.choices)
    # Every fact with its note, sources and whether it is unverified (catalogue.Entry.as_data()).
    facts = models.JSONField(_("facts and sources"), default=dict)
    in_catalogue = models.BooleanField(_("in the current catalogue"), default=True)
    synced_at = models.DateTimeField(_("synchronised"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("fellowship")

    def __str__(self):
        return self.name

    @property
    def address_labels(self) -> list[str]:
        return [str(ADDRESS_LABELS.get(a, a)) for a in self.addresses]

    @property
    def unverified_facts(self) -> list[str]:
        return [name for name, fact in self.facts.items() if fact.get("unverified")]

    def fact_rows(self) -> list[dict]:
        labels = {"philosophy": _("Philosophy"), "addresses": _("Addresses"),
                  "abstinence": _("Abstinence"), "medication": _("Medication")}
        shown = {"philosophy": self.get_philosophy_display(), "addresses": ", ".join(
            self.address_labels), "abstinence": self.get_abstinence_display(),
            "medication": self.get_medication_display()}
        return [{"name": name, "label": labels[name], "value": shown[name], **self.facts.get(name, {})}
                for name in catalogue.FACTS]


class FeedFormat(models.TextChoices):
    MEETING_GUIDE = "meetingguide", _("Meeting Guide JSON")
    BMLT = "bmlt", _("BMLT (Basic Meeting List Toolbox) JSON")


class MeetingFeed(models.Model):
    """A source of meetings, imported as one fellowship (type codes mean what that fellowship says)."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    fellowship = models.ForeignKey(Fellowship, verbose_name=_("fellowship"),
                                   on_delete=models.PROTECT, related_name="feeds")
    format = models.CharField(_("format"), max_length=20, choices=FeedFormat.choices,
                              default=FeedFormat.MEETING_GUIDE)
    source_url = models.URLField(_("address"), max_length=500, blank=True)
    source_name = models.CharField(_("last file or address imported"), max_length=500, blank=True)
    timezone = models.CharField(_("time zone for meetings that name none"), max_length=64)
    last_import_at = models.DateTimeField(_("last import"), null=True, blank=True)
    meetings_active = models.PositiveIntegerField(_("active meetings"), default=0)
    meetings_inactive = models.PositiveIntegerField(_("inactive meetings"), default=0)
    records_last = models.PositiveIntegerField(_("records in the last import"), default=0)
    rejected_last = models.PositiveIntegerField(_("records rejected in the last import"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("meeting feed")

    def __str__(self):
        return self.name


class Attendance(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    HYBRID = "hybrid", _("Hybrid")
    ONLINE = "online", _("Online")
    INACTIVE = "inactive", _("Inactive (temporarily closed)")


DAY_NAMES = [_("Sunday"), _("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"),
             _("Saturday")]


class Meeting(models.Model):
    """One weekly meeting (or a meeting by appointment) as a feed listed it."""

    feed = models.ForeignKey(MeetingFeed, on_delete=models.PROTECT, related_name="meetings")
    fellowship = models.ForeignKey(Fellowship, on_delete=models.PROTECT, related_name="meetings")
    # Upsert key within the feed: the slug (or BMLT id); `<slug>/d<day>` for each day of a meeting
    # whose `day` was an array; a derived key for a differing duplicate slug.
    key = models.CharField(_("key in the feed"), max_length=300)
    slug = models.CharField(_("slug"), max_length=255)
    name = models.CharField(_("name"), max_length=255)
    day = models.PositiveSmallIntegerField(_("day"), null=True, blank=True,
                                           help_text=_("0 = Sunday ... 6 = Saturday"))
    time = models.TimeField(_("time"), null=True, blank=True)
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    timezone = models.CharField(_("time zone"), max_length=64)
    timezone_from_feed = models.BooleanField(_("time zone is the feed's default"), default=False)
    formatted_address = models.CharField(_("address"), max_length=500, blank=True)
    address = models.CharField(_("street address"), max_length=255, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    state = models.CharField(_("state"), max_length=120, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=30, blank=True)
    country = models.CharField(_("country"), max_length=80, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    approximate = models.BooleanField(_("approximate location"), null=True, blank=True)
    region = models.CharField(_("region"), max_length=255, blank=True)
    sub_region = models.CharField(_("sub-region"), max_length=255, blank=True)
    regions = models.JSONField(_("regions"), default=list, blank=True)
    location = models.CharField(_("location"), max_length=255, blank=True)
    location_notes = models.TextField(_("location notes"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    group = models.CharField(_("group"), max_length=255, blank=True)
    group_notes = models.TextField(_("group notes"), blank=True)
    types = models.JSONField(_("types"), default=list, blank=True)
    # "|O|C|X|": lets the database narrow a search by type on SQLite and PostgreSQL alike; the
    # search then checks `types` exactly.
    types_text = models.CharField(max_length=500, blank=True, editable=False)
    unknown_types = models.JSONField(_("unknown type codes"), default=list, blank=True)
    conference_url = models.URLField(_("conference link"), max_length=1000, blank=True)
    conference_url_notes = models.TextField(_("conference link notes"), blank=True)
    conference_phone = models.CharField(_("conference phone"), max_length=255, blank=True)
    conference_phone_notes = models.TextField(_("conference phone notes"), blank=True)
    attendance_option = models.CharField(_("attendance"), max_length=10,
                                         choices=Attendance.choices, default=Attendance.IN_PERSON)
    updated = models.DateTimeField(_("updated at the source"), null=True, blank=True)
    updated_raw = models.CharField(_("updated, as sent"), max_length=60, blank=True)
    url = models.URLField(_("page"), max_length=1000, blank=True)
    edit_url = models.URLField(_("edit page"), max_length=1000, blank=True)
    feedback_emails = models.JSONField(_("feedback e-mails"), default=list, blank=True)
    feedback_url = models.URLField(_("feedback page"), max_length=1000, blank=True)
    venmo = models.CharField(max_length=255, blank=True)
    square = models.CharField(max_length=255, blank=True)
    paypal = models.CharField(max_length=255, blank=True)
    homegroup_online = models.CharField(max_length=255, blank=True)
    entity = models.CharField(_("service body"), max_length=255, blank=True)
    entity_email = models.CharField(max_length=255, blank=True)
    entity_location = models.CharField(max_length=255, blank=True)
    entity_logo = models.CharField(max_length=1000, blank=True)
    entity_phone = models.CharField(max_length=255, blank=True)
    entity_website_url = models.CharField(max_length=1000, blank=True)
    # contact_1_name/email/phone ... contact_3_*: [{"name", "email", "phone"}, ...]
    contacts = models.JSONField(_("group contacts"), default=list, blank=True)
    extra = models.JSONField(_("other fields in the feed"), default=dict, blank=True)
    active = models.BooleanField(_("in the feed"), default=True)
    import_hash = models.CharField(max_length=64, editable=False)
    first_seen_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)
    deactivated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("meeting")
        constraints = [models.UniqueConstraint(fields=["feed", "key"], name="meeting_feed_key")]
        indexes = [
            models.Index(fields=["latitude", "longitude"], name="meeting_lat_lng"),
            models.Index(fields=["active", "day", "time"], name="meeting_active_day_time"),
            models.Index(fields=["fellowship", "active"], name="meeting_fellowship_active"),
        ]

    def __str__(self):
        return self.name

    @property
    def by_appointment(self) -> bool:
        return self.day is None or self.time is None

    @property
    def day_name(self) -> str:
        return "" if self.day is None else str(DAY_NAMES[self.day])

    @property
    def type_labels(self) -> list[tuple[str, str]]:
        program = self.fellowship.program if self.fellowship_id else ""
        return [(code, codes.label(code, program)) for code in self.types]

    @property
    def ends_next_day(self) -> bool:
        return bool(self.time and self.end_time and self.end_time < self.time)

    @property
    def duration(self) -> timedelta | None:
        if not (self.time and self.end_time):
            return None
        start = datetime.combine(datetime.min, self.time)
        end = datetime.combine(datetime.min, self.end_time)
        return end - start + (timedelta(days=1) if end < start else timedelta())


class ImportStatus(models.TextChoices):
    IMPORTED = "imported", _("Imported")
    REFUSED = "refused", _("Refused (nothing changed)")


class ImportRun(models.Model):
    """One import of a feed, with its validation report."""

    feed = models.ForeignKey(MeetingFeed, on_delete=models.CASCADE, related_name="runs")
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField(max_length=150, blank=True)
    source = models.CharField(_("file or address"), max_length=500)
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices)
    error = models.TextField(_("why the file was refused"), blank=True)
    records = models.PositiveIntegerField(_("records in the file"), default=0)
    records_imported = models.PositiveIntegerField(_("records imported"), default=0)
    records_rejected = models.PositiveIntegerField(_("records rejected"), default=0)
    records_with_warnings = models.PositiveIntegerField(_("records with warnings"), default=0)
    meetings = models.PositiveIntegerField(_("meetings in the file"), default=0)
    created = models.PositiveIntegerField(_("new"), default=0)
    updated = models.PositiveIntegerField(_("changed"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    reactivated = models.PositiveIntegerField(_("back in the feed"), default=0)
    deactivated = models.PositiveIntegerField(_("gone from the feed (now inactive)"), default=0)
    # {"notes": [...], "warning_counts": {code: n}, "entries": [{record, key, name, outcome,
    #  reason, warnings: [{code, message}]}]}: entries only for records with something to say.
    report = models.JSONField(_("validation report"), default=dict)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("meeting import")

    def __str__(self):
        return f"{self.feed} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def refused(self) -> bool:
        return self.status == ImportStatus.REFUSED
