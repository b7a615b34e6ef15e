"""Forms for a client's mutual support: profile, referral, follow-up, alerts; and local contacts."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ecomap.core.forms import BoundedDateField

from . import codes
from .models import (
    DAY_NAMES,
    Barrier,
    Concern,
    DayPart,
    Fellowship,
    FollowUp,
    Handoff,
    Importance,
    LocalContact,
    Meeting,
    Profile,
    ReferralKind,
    Substance,
    Use,
)


def _date(label, required=True, ahead_days=0, **kwargs):
    return BoundedDateField(label=label, required=required, ahead_days=ahead_days, **kwargs)


def _checkboxes(label, choices, required=False, **kwargs):
    return forms.MultipleChoiceField(label=label, choices=choices, required=required,
                                     widget=forms.CheckboxSelectMultiple, **kwargs)


class ProfileForm(forms.ModelForm):
    concerns = _checkboxes(_("Concerns"), Concern.choices)
    substances = _checkboxes(_("Substances"), Substance.choices)
    days = forms.TypedMultipleChoiceField(
        label=_("Days they can go"), required=False, coerce=int,
        widget=forms.CheckboxSelectMultiple, choices=[(i, n) for i, n in enumerate(DAY_NAMES)])
    day_parts = _checkboxes(_("Times of day they can go"), DayPart.choices)
    language = forms.ChoiceField(
        label=_("Meeting language"), required=False,
        choices=[("", _("Any"))] + sorted(((c, str(n)) for c, n in codes.LANGUAGE_TYPES.items()),
                                          key=lambda item: item[1]))
    latitude = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90,
                                help_text=_("Decimal degrees, e.g. 41.88"))
    longitude = forms.FloatField(label=_("Longitude"), required=False, min_value=-180,
                                 max_value=180, help_text=_("Decimal degrees, e.g. -87.63"))
    spirituality = forms.TypedChoiceField(
        label=_("How important spirituality or religion is to them"), required=False,
        coerce=int, empty_value=None, widget=forms.RadioSelect,
        choices=[("", _("Not asked yet"))] + Importance.choices)
    max_km = forms.IntegerField(label=_("How far they can travel (km)"), min_value=1,
                                max_value=200, initial=10)

    class Meta:
        model = Profile
        fields = ["concerns", "concerns_note", "spirituality", "christian_faith", "meditation",
                  "goal", "substances", "takes_medication", "mental_health", "attendance",
                  "gender", "lgbtq", "language", "wheelchair", "days", "day_parts", "max_km",
                  "travel_note", "location_label", "latitude", "longitude"]
        widgets = {"concerns_note": forms.Textarea(attrs={"rows": 3})}

    GROUPS = [
        (_("Concerns and beliefs"), ["concerns", "concerns_note", "spirituality",
                                     "christian_faith", "meditation"]),
        (_("Substances and goal"), ["substances", "goal", "takes_medication", "mental_health"]),
        (_("Preferences"), ["attendance", "gender", "lgbtq", "language", "wheelchair", "days",
                            "day_parts", "max_km", "travel_note"]),
        (_("Where they start from"), ["location_label", "latitude", "longitude"]),
    ]

    def groups(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.GROUPS]

    def clean(self):
        data = super().clean()
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            raise forms.ValidationError(_("Give both the latitude and the longitude of the "
                                          "starting point, or neither."))
        return data


OUTCOMES = [("good", _("It went well")), ("mixed", _("Mixed")), ("poor", _("It went badly"))]


class ExperienceForm(forms.Form):
    fellowship = forms.ModelChoiceField(label=_("Group they went to"), required=False,
                                        queryset=Fellowship.objects.filter(audience="self"))
    outcome = forms.ChoiceField(label=_("How it went"), required=False,
                                choices=[("", "—")] + OUTCOMES)
    note = forms.CharField(label=_("What happened"), required=False, max_length=300)

    def clean(self):
        data = super().clean()
        if data.get("fellowship") and not data.get("outcome"):
            self.add_error("outcome", _("Say how it went."))
        if not data.get("fellowship") and (data.get("outcome") or data.get("note")):
            self.add_error("fellowship", _("Choose the group."))
        return data

    def as_item(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("fellowship"):
            return None
        return {"fellowship": data["fellowship"].slug, "outcome": data["outcome"],
                "note": data.get("note", "")}


ExperienceFormSet = forms.formset_factory(ExperienceForm, extra=0, max_num=10, absolute_max=10,
                                          validate_max=True)


def experience_initial(profile: Profile | None) -> list[dict]:
    items = list(profile.experience) if profile else []
    slugs = {f.slug: f for f in Fellowship.objects.filter(slug__in=[i["fellowship"]
                                                                     for i in items])}
    rows = [{"fellowship": slugs.get(i["fellowship"]), "outcome": i["outcome"],
             "note": i.get("note", "")} for i in items]
    return rows + [{}] * (3 if len(rows) < 7 else 10 - len(rows))


class ChooseForm(forms.Form):
    chosen = forms.ModelMultipleChoiceField(
        label=_("Fellowships the client chooses"), required=False,
        queryset=Fellowship.objects.filter(audience="self", in_catalogue=True),
        widget=forms.CheckboxSelectMultiple)


class PointForm(forms.Form):
    """Search from another point than the profile's (a map pick or a place typed in)."""

    lat = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    lng = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)

    def clean(self):
        data = super().clean()
        if (data.get("lat") is None) != (data.get("lng") is None):
            raise forms.ValidationError(_("Give both latitude and longitude, or neither."))
        return data


class ReferralForm(forms.Form):
    fellowship = forms.ModelChoiceField(
        label=_("Fellowship"), queryset=Fellowship.objects.filter(audience="self",
                                                                  in_catalogue=True))
    kind = forms.ChoiceField(label=_("Kind of referral"), choices=ReferralKind.choices,
                             initial=ReferralKind.INTENSIVE, widget=forms.RadioSelect)
    referred_on = _date(_("Referred on"))
    contact = forms.ModelChoiceField(label=_("Local contact"), required=False,
                                     queryset=LocalContact.objects.none())
    contact_name = forms.CharField(label=_("Or a volunteer not listed (name)"), required=False,
                                   max_length=120)
    handoff = forms.ChoiceField(label=_("Who makes the contact"), choices=Handoff.choices,
                                initial=Handoff.CLIENT, widget=forms.RadioSelect)
    contact_method = forms.ChoiceField(
        label=_("How we contact them (when we make the contact)"), required=False,
        choices=[("phone", _("Telephone")), ("email", _("Email")),
                 ("in_person", _("In person"))], initial="phone")
    first_meeting = forms.ModelChoiceField(label=_("First meeting"), required=False,
                                           queryset=Meeting.objects.none())
    first_meeting_on = _date(_("Date of the first meeting"), required=False, ahead_days=366)
    handoff_note = forms.CharField(label=_("Warm handoff"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
                                   help_text=_("How the client and the volunteer were put in "
                                               "touch, and what was agreed."))
    follow_up_every_days = forms.IntegerField(label=_("Follow up every (days)"), min_value=1,
                                              max_value=90, initial=14)
    next_follow_up_on = _date(_("First follow-up on"), ahead_days=366)

    def __init__(self, *args, meetings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = LocalContact.objects.filter(
            active=True).select_related("fellowship")
        self.fields["first_meeting"].queryset = Meeting.objects.filter(
            pk__in=[m.pk for m in meetings], active=True).select_related("fellowship")
        self.fields["first_meeting"].label_from_instance = _meeting_label





def _meeting_label(meeting: Meeting) -> str:
    when = _("by appointment") if meeting.by_appointment else \
        f"{meeting.day_name} {meeting.time:%H:%M}"
    return f"{meeting.name} ({meeting.fellowship.abbreviation}, {when})"


class FollowUpForm(forms.ModelForm):
    seen_on = _date(_("Date of the visit"))
    sponsor_since = _date(_("Sponsor since"), required=False)
    sponsor_last_contact = _date(_("Last contact with the sponsor"), required=False)
    last_use_on = _date(_("Date of last use"), required=False)
    meetings_attended = forms.IntegerField(label=_("Meetings attended since the last visit"),
                                           min_value=0, max_value=200)
    step = forms.IntegerField(label=_("Step they are working on"), required=False, min_value=1,
                              max_value=12)
    member_contacts = forms.IntegerField(
        label=_("Phone or text contacts with members since the last visit"), required=False,
        min_value=0, max_value=500)
    comfort = forms.TypedChoiceField(
        label=_("Comfort at meetings"), required=False, coerce=int, empty_value=None,
        choices=[("", "—"), (1, _("1 very uneasy")), (2, "2"), (3, "3"), (4, "4"),
                 (5, _("5 at home"))])
    urges = forms.IntegerField(label=_("Urges or cravings (0-10)"), required=False, min_value=0,
                               max_value=10)
    use_since_last = forms.ChoiceField(label=_("Use since the last visit"), choices=Use.choices,
                                       widget=forms.RadioSelect, initial=Use.NONE)
    barriers = _checkboxes(_("Barriers"), Barrier.choices)
    next_follow_up_on = _date(_("Next follow-up"), required=False, ahead_days=366,
                              help_text=_("Empty: the referral's usual interval."))

    class Meta:
        model = FollowUp
        fields = ["seen_on", "meetings_attended", "home_group", "sponsor", "sponsor_since",
                  "sponsor_last_contact", "service", "service_note", "step", "member_contacts",
                  "comfort", "use_since_last", "last_use_on", "urges", "barriers", "reluctant",
                  "extreme_stress", "concerns", "feedback_given"]
        widgets = {"concerns": forms.Textarea(attrs={"rows": 2}),
                   "feedback_given": forms.Textarea(attrs={"rows": 2})}




class EndReferralForm(forms.Form):
    ended_on = _date(_("Ended on"))
    reason = forms.CharField(label=_("Why it ends"), max_length=300)


class ResolveAlertForm(forms.Form):
    resolution = forms.CharField(label=_("What was done"), max_length=2000,
                                 widget=forms.Textarea(attrs={"rows": 2}))


class LocalContactForm(forms.ModelForm):
    verified_on = _date(_("Details last checked"), required=False)

    class Meta:
        model = LocalContact
        fields = ["fellowship", "kind", "name", "role", "phone", "email", "area", "languages",
                  "notes", "verified_on", "active"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

