"""A client's mutual-support profile, the fellowships they choose, and a point to search from."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .. import codes
from ..models import DAY_NAMES, Concern, DayPart, Fellowship, Importance, Profile, Substance
from .fields import checkboxes


class ProfileForm(forms.ModelForm):
    concerns = checkboxes(_("Concerns"), Concern.choices)
    substances = checkboxes(_("Substances"), Substance.choices)
    days = forms.TypedMultipleChoiceField(
        label=_("Days they can go"), required=False, coerce=int,
        widget=forms.CheckboxSelectMultiple, choices=[(i, n) for i, n in enumerate(DAY_NAMES)])
    day_parts = checkboxes(_("Times of day they can go"), DayPart.choices)
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
