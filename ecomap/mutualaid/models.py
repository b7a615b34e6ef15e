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
    source_name = models.TextField(_("last file or address imported"), blank=True)
    refresh_hours = models.PositiveSmallIntegerField(
        _("refresh every (hours)"), default=0,
        help_text=_("0: only when an administrator imports. Needs an address; `manage.py "
                    "mutualaid_refresh`, run on a schedule, refreshes the feeds that are due."))
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
    # What a feed sends is kept whole: its text columns have no length limit, so no import ever
    # cuts a value (a real feed sends conference links of more than 1,000 characters).
    name = models.TextField(_("name"))
    day = models.PositiveSmallIntegerField(_("day"), null=True, blank=True,
                                           help_text=_("0 = Sunday ... 6 = Saturday"))
    time = models.TimeField(_("time"), null=True, blank=True)
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    timezone = models.CharField(_("time zone"), max_length=64)
    timezone_from_feed = models.BooleanField(_("time zone is the feed's default"), default=False)
    formatted_address = models.TextField(_("address"), blank=True)
    address = models.TextField(_("street address"), blank=True)
    city = models.TextField(_("city"), blank=True)
    state = models.TextField(_("state"), blank=True)
    postal_code = models.TextField(_("postal code"), blank=True)
    country = models.TextField(_("country"), blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    approximate = models.BooleanField(_("approximate location"), null=True, blank=True)
    region = models.TextField(_("region"), blank=True)
    sub_region = models.TextField(_("sub-region"), blank=True)
    regions = models.JSONField(_("regions"), default=list, blank=True)
    location = models.TextField(_("location"), blank=True)
    location_notes = models.TextField(_("location notes"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    group = models.TextField(_("group"), blank=True)
    group_notes = models.TextField(_("group notes"), blank=True)
    types = models.JSONField(_("types"), default=list, blank=True)
    # "|O|C|X|": lets the database narrow a search by type on SQLite and PostgreSQL alike; the
    # search then checks `types` exactly.
    types_text = models.TextField(blank=True, editable=False)
    unknown_types = models.JSONField(_("unknown type codes"), default=list, blank=True)
    conference_url = models.TextField(_("conference link"), blank=True)
    conference_url_notes = models.TextField(_("conference link notes"), blank=True)
    conference_phone = models.TextField(_("conference phone"), blank=True)
    conference_phone_notes = models.TextField(_("conference phone notes"), blank=True)
    attendance_option = models.CharField(_("attendance"), max_length=10,
                                         choices=Attendance.choices, default=Attendance.IN_PERSON)
    updated = models.DateTimeField(_("updated at the source"), null=True, blank=True)
    updated_raw = models.TextField(_("updated, as sent"), blank=True)
    url = models.TextField(_("page"), blank=True)
    edit_url = models.TextField(_("edit page"), blank=True)
    feedback_emails = models.JSONField(_("feedback e-mails"), default=list, blank=True)
    feedback_url = models.TextField(_("feedback page"), blank=True)
    venmo = models.TextField(blank=True)
    square = models.TextField(blank=True)
    paypal = models.TextField(blank=True)
    homegroup_online = models.TextField(blank=True)
    entity = models.TextField(_("service body"), blank=True)
    entity_email = models.TextField(blank=True)
    entity_location = models.TextField(blank=True)
    entity_logo = models.TextField(blank=True)
    entity_phone = models.TextField(blank=True)
    entity_website_url = models.TextField(blank=True)
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
    source = models.TextField(_("file or address"))
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


# --- local contacts (agency-level) -----------------------------------------------------------


class ContactKind(models.TextChoices):
    COMMITTEE = "committee", _("Committee (cooperation with the professional community, public "
                               "information, hospitals and institutions)")
    VOLUNTEER = "volunteer", _("Volunteer who meets newcomers (temporary sponsor, bridging)")
    SERVICE_BODY = "service_body", _("Service office or intergroup")


class LocalContact(models.Model):
    """Someone in a local fellowship who helps providers connect clients to meetings (the AA and NA
    committees that work with professionals, volunteers who take newcomers to a first meeting).
    Agency data, kept by staff; not a client record."""

    fellowship = models.ForeignKey(Fellowship, verbose_name=_("fellowship"),
                                   on_delete=models.PROTECT, related_name="local_contacts")
    kind = models.CharField(_("kind"), max_length=20, choices=ContactKind.choices)
    name = models.CharField(_("name"), max_length=120,
                            help_text=_("As the contact wishes to be named (often a first name)."))
    role = models.CharField(_("role"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    area = models.CharField(_("area served"), max_length=200, blank=True)
    languages = models.CharField(_("languages"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    verified_on = models.DateField(_("details last checked"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["fellowship__name", "name", "pk"]
        verbose_name = _("local contact")

    def __str__(self):
        return f"{self.name} ({self.fellowship.abbreviation})"

    def clean(self):
        from django.core.exceptions import ValidationError

        if not (self.phone or self.email):
            raise ValidationError(_("Give a phone number or an e-mail address."))


# --- the client's side -----------------------------------------------------------------------


class Importance(models.IntegerChoices):
    NOT_AT_ALL = 0, _("Not at all important")
    A_LITTLE = 1, _("A little important")
    SOMEWHAT = 2, _("Somewhat important")
    VERY = 3, _("Very important")


class Goal(models.TextChoices):
    ABSTINENCE = "abstinence", _("Stop using altogether")
    MODERATION = "moderation", _("Cut down (moderation)")
    UNDECIDED = "undecided", _("Not decided")


class AttendancePreference(models.TextChoices):
    ANY = "any", _("In person or online")
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")


class GroupGender(models.TextChoices):
    ANY = "", _("No preference")
    WOMEN = "W", _("Women only")
    MEN = "M", _("Men only")


class Substance(models.TextChoices):
    ALCOHOL = "alcohol", _("Alcohol")
    OPIOIDS = "opioids", _("Opioids")
    COCAINE = "cocaine", _("Cocaine or crack")
    METHAMPHETAMINE = "methamphetamine", _("Methamphetamine")
    CANNABIS = "cannabis", _("Cannabis")
    SEDATIVES = "sedatives", _("Sedatives or tranquillisers")
    OTHER_DRUGS = "other_drugs", _("Other drugs")


class Concern(models.TextChoices):
    RELIGION = "religion", _("Religion or a 'higher power'")
    SPEAKING = "speaking", _("Speaking in a group")
    ANONYMITY = "anonymity", _("Being recognised (anonymity)")
    MEDICATION = "medication", _("Being judged for taking medication")
    GENDER = "gender", _("Mixed-gender groups")
    LABEL = "label", _("Having to call themselves an alcoholic or addict")
    STIGMA = "stigma", _("What others will think")
    TRANSPORT = "transport", _("Getting there")


class DayPart(models.TextChoices):
    MORNING = "morning", _("Morning (before noon)")
    AFTERNOON = "afternoon", _("Afternoon (noon to 5 pm)")
    EVENING = "evening", _("Evening (after 5 pm)")


class Profile(models.Model):
    """A client's mutual-aid profile: past experience, concerns, beliefs, preferences, substances
    (shared/content/002: ask about experiences, concerns and misconceptions, and beliefs)."""

    client = models.OneToOneField("clients.Client", on_delete=models.PROTECT,
                                  related_name="mutualaid_profile")
    # [{"fellowship": slug or "", "name": free text, "outcome": good|mixed|poor, "note": ""}]
    experience = models.JSONField(_("past experience with groups"), default=list, blank=True)
    concerns = models.JSONField(_("concerns"), default=list, blank=True)
    concerns_note = models.TextField(_("concerns and misconceptions, in their words"), blank=True)
    spirituality = models.PositiveSmallIntegerField(
        _("how important spirituality or religion is to them"), choices=Importance.choices,
        null=True, blank=True)
    christian_faith = models.BooleanField(
        _("wants a group grounded in the Christian faith"), default=False)
    meditation = models.BooleanField(_("interested in meditation or Buddhist practice"),
                                     default=False)
    goal = models.CharField(_("their goal"), max_length=12, choices=Goal.choices,
                            default=Goal.UNDECIDED)
    substances = models.JSONField(_("substances"), default=list, blank=True)
    takes_medication = models.BooleanField(
        _("takes medication for addiction treatment (e.g. buprenorphine, methadone, naltrexone)"),
        default=False)
    mental_health = models.BooleanField(
        _("wants a group that also addresses mental health (co-occurring disorders)"),
        default=False)
    attendance = models.CharField(_("in person or online"), max_length=10,
                                  choices=AttendancePreference.choices,
                                  default=AttendancePreference.ANY)
    gender = models.CharField(_("women or men only"), max_length=1, choices=GroupGender.choices,
                              blank=True, default="")
    lgbtq = models.BooleanField(_("prefers an LGBTQ+ meeting"), default=False)
    language = models.CharField(_("meeting language"), max_length=8, blank=True,
                                help_text=_("A language code of the meeting types (EN, S, ...)."))
    wheelchair = models.BooleanField(_("needs wheelchair access"), default=False)
    days = models.JSONField(_("days they can go"), default=list, blank=True)
    day_parts = models.JSONField(_("times of day they can go"), default=list, blank=True)
    max_km = models.PositiveSmallIntegerField(_("how far they can travel (km)"), default=10)
    travel_note = models.CharField(_("how they travel"), max_length=200, blank=True)
    location_label = models.CharField(_("starting point"), max_length=120, blank=True,
                                      help_text=_("A neighbourhood or landmark, not a home "
                                                  "address."))
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    chosen = models.ManyToManyField(Fellowship, verbose_name=_("fellowships chosen"),
                                    blank=True, related_name="+")
    planned_meetings = models.ManyToManyField(Meeting, verbose_name=_("meetings they plan to "
                                                                      "attend"),
                                              blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        verbose_name = _("mutual-aid profile")

    def __str__(self):
        return f"mutual-aid profile of client {self.client_id}"

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class ReferralKind(models.TextChoices):
    INTENSIVE = "intensive", _("Intensive: linked to a named volunteer, first meeting planned")
    STANDARD = "standard", _("Standard: meeting list and encouragement (weaker evidence)")


class Handoff(models.TextChoices):
    PRACTITIONER = "practitioner", _("We contact the volunteer for the client (needs consent)")
    CLIENT = "client", _("The client contacts the volunteer themselves")
    NONE = "none", _("No volunteer contact")


class ReferralStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")


class FellowshipReferral(models.Model):
    """A referral to a fellowship, with the elements of intensive referral (shared/research/
    clinical.md 4.2: a named volunteer, a planned first meeting, a warm handoff)."""

    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT,
                               related_name="mutualaid_referrals")
    fellowship = models.ForeignKey(Fellowship, verbose_name=_("fellowship"),
                                   on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind of referral"), max_length=10, choices=ReferralKind.choices,
                            default=ReferralKind.INTENSIVE)
    referred_on = models.DateField(_("referred on"))
    contact = models.ForeignKey(LocalContact, verbose_name=_("local contact"), null=True,
                                blank=True, on_delete=models.PROTECT, related_name="referrals")
    contact_name = models.CharField(_("volunteer or contact (if not listed)"), max_length=120,
                                    blank=True)
    handoff = models.CharField(_("who makes the contact"), max_length=12,
                               choices=Handoff.choices, default=Handoff.CLIENT)
    disclosure = models.ForeignKey("consents.Disclosure", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("disclosure to the volunteer"))
    first_meeting = models.ForeignKey(Meeting, verbose_name=_("first meeting"), null=True,
                                      blank=True, on_delete=models.PROTECT, related_name="+")
    first_meeting_on = models.DateField(_("date of the first meeting"), null=True, blank=True)
    handoff_note = models.TextField(_("warm handoff"), blank=True,
                                    help_text=_("How the client and the volunteer were put in "
                                                "touch, and what was agreed."))
    follow_up_every_days = models.PositiveSmallIntegerField(_("follow up every (days)"),
                                                            default=14)
    next_follow_up_on = models.DateField(_("next follow-up"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=ReferralStatus.choices,
                              default=ReferralStatus.ACTIVE)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("why it ended"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-referred_on", "-pk"]
        verbose_name = _("mutual-aid referral")
        indexes = [models.Index(fields=["status", "next_follow_up_on"],
                                name="ma_referral_status_due")]
        constraints = [models.UniqueConstraint(
            fields=["client", "fellowship"], condition=models.Q(status="active"),
            name="ma_one_active_referral_per_fellowship")]

    def __str__(self):
        return f"{self.fellowship} ({self.referred_on})"

    @property
    def volunteer(self) -> str:
        return self.contact.name if self.contact_id else self.contact_name


class Sponsor(models.TextChoices):
    NONE = "none", _("No sponsor")
    TEMPORARY = "temporary", _("Temporary sponsor")
    SPONSOR = "sponsor", _("Sponsor")


class Use(models.TextChoices):
    NONE = "none", _("No use")
    SLIP = "slip", _("A slip (brief use)")
    RELAPSE = "relapse", _("A relapse (return to regular use)")


class Barrier(models.TextChoices):
    TRANSPORT = "transport", _("Transport")
    TIMES = "times", _("Meeting times")
    BELIEFS = "beliefs", _("Beliefs or spirituality don't fit")
    ANXIETY = "anxiety", _("Anxiety in groups")
    CHILDCARE = "childcare", _("Childcare")
    WORK = "work", _("Work")
    OTHER = "other", _("Other")


class FollowUp(models.Model):
    """A follow-up visit about the client's mutual-aid participation. The fields follow what
    predicts benefit (shared/research/clinical.md 4.2-4.3: attendance, a sponsor, service, step
    work, an abstinence-supportive network, comfort at meetings)."""

    referral = models.ForeignKey(FellowshipReferral, on_delete=models.PROTECT, related_name="follow_ups")
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT,
                               related_name="mutualaid_follow_ups")
    seen_on = models.DateField(_("date of the visit"))
    meetings_attended = models.PositiveSmallIntegerField(_("meetings attended since the last "
                                                           "visit"))
    home_group = models.BooleanField(_("has a home group"), default=False)
    sponsor = models.CharField(_("sponsor"), max_length=10, choices=Sponsor.choices,
                               default=Sponsor.NONE)
    sponsor_since = models.DateField(_("sponsor since"), null=True, blank=True)
    sponsor_last_contact = models.DateField(_("last contact with the sponsor"), null=True,
                                            blank=True)
    service = models.BooleanField(_("does service (set-up, coffee, greeting, ...)"),
                                  default=False)
    service_note = models.CharField(_("what service"), max_length=200, blank=True)
    step = models.PositiveSmallIntegerField(_("step they are working on"), null=True, blank=True)
    member_contacts = models.PositiveSmallIntegerField(
        _("phone or text contacts with members since the last visit"), null=True, blank=True)
    comfort = models.PositiveSmallIntegerField(_("comfort at meetings (1 = very uneasy, "
                                                 "5 = at home)"), null=True, blank=True)
    use_since_last = models.CharField(_("use since the last visit"), max_length=8,
                                      choices=Use.choices, default=Use.NONE)
    last_use_on = models.DateField(_("date of last use"), null=True, blank=True)
    urges = models.PositiveSmallIntegerField(_("urges or cravings (0-10)"), null=True, blank=True)
    barriers = models.JSONField(_("barriers"), default=list, blank=True)
    reluctant = models.BooleanField(_("reluctant to talk about the group"), default=False)
    extreme_stress = models.BooleanField(_("going through a period of extreme stress"),
                                         default=False)
    concerns = models.TextField(_("concerns"), blank=True)
    feedback_given = models.TextField(_("positive feedback given"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-seen_on", "-pk"]
        verbose_name = _("mutual-aid follow-up")

    def __str__(self):
        return f"follow-up {self.seen_on}"


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    RESOLVED = "resolved", _("Resolved")


class Alert(models.Model):
    """A warning sign of relapse, raised by a rule of content/warning_signs.yaml with its reason."""

    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT,
                               related_name="mutualaid_alerts")
    referral = models.ForeignKey(FellowshipReferral, on_delete=models.PROTECT, related_name="alerts")
    follow_up = models.ForeignKey(FollowUp, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="alerts")
    rule = models.CharField(_("rule"), max_length=40)
    reason = models.TextField(_("reason"))
    # One alert per cause: "<rule>:<follow-up pk>" or "missed:<due date>".
    key = models.CharField(max_length=80, editable=False)
    raised_on = models.DateField(_("raised on"))
    status = models.CharField(_("status"), max_length=12, choices=AlertStatus.choices,
                              default=AlertStatus.OPEN)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    resolution = models.TextField(_("what was done"), blank=True)

    class Meta:
        ordering = ["-raised_on", "-pk"]
        verbose_name = _("warning-sign alert")
        constraints = [models.UniqueConstraint(fields=["referral", "key"],
                                               name="ma_alert_once_per_cause")]
        indexes = [models.Index(fields=["status", "client"], name="ma_alert_status_client")]

    def __str__(self):
        return f"{self.rule} ({self.raised_on})"
