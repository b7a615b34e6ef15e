"""Meeting search, and the feed upload forms (administrators)."""

from __future__ import annotations

from zoneinfo import available_timezones

from django import forms
from django.utils.translation import gettext_lazy as _

from .. import codes
from ..feeds.fetch import MAX_BYTES
from ..models import DAY_NAMES, FeedFormat, Fellowship

ATTENDANCE = [("any", _("In person or online")), ("in_person", _("In person (or hybrid)")),
              ("online", _("Online (or hybrid)"))]


def _timezones():
    return [(z, z) for z in sorted(available_timezones()) if "/" in z or z == "UTC"]


class MeetingSearchForm(forms.Form):
    lat = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90,
                           help_text=_("Decimal degrees, e.g. 41.8800"))
    lng = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180,
                           help_text=_("Decimal degrees, e.g. -87.6300"))
    radius_km = forms.FloatField(label=_("Within (km)"), required=False, min_value=0.1,
                                 max_value=500, initial=10)
    attendance = forms.ChoiceField(label=_("How"), choices=ATTENDANCE, required=False)
    fellowships = forms.ModelMultipleChoiceField(
        label=_("Fellowships"), required=False, queryset=Fellowship.objects.none(),
        widget=forms.CheckboxSelectMultiple)
    days = forms.TypedMultipleChoiceField(
        label=_("Days"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple,
        choices=[(i, name) for i, name in enumerate(DAY_NAMES)])
    time_from = forms.TimeField(label=_("From (local time)"), required=False,
                                widget=forms.TimeInput(attrs={"type": "time"}))
    time_to = forms.TimeField(label=_("Until (local time)"), required=False,
                              widget=forms.TimeInput(attrs={"type": "time"}))
    types = forms.MultipleChoiceField(
        label=_("Meeting types (all of them)"), required=False,
        choices=sorted(((c, f"{n} ({c})") for c, n in codes.SPEC_TYPES.items()),
                       key=lambda item: str(item[1])))
    languages = forms.MultipleChoiceField(
        label=_("Languages (any of them)"), required=False,
        choices=sorted(((c, f"{n} ({c})") for c, n in codes.LANGUAGE_TYPES.items()),
                       key=lambda item: str(item[1])))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fellowships"].queryset = Fellowship.objects.filter(
            feeds__isnull=False).distinct().order_by("name")

    def clean(self):
        data = super().clean()
        if (data.get("lat") is None) != (data.get("lng") is None):
            raise forms.ValidationError(_("Give both latitude and longitude, or neither."))
        return data


class _FileMixin:
    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than %(max)s MB.")
                                        % {"max": MAX_BYTES // (1024 * 1024)})
        return upload


class NewFeedForm(_FileMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120,
                           help_text=_("e.g. the intergroup or service body that publishes it"))
    fellowship = forms.ModelChoiceField(
        label=_("Fellowship"), queryset=Fellowship.objects.filter(in_catalogue=True),
        help_text=_("Type codes mean what this fellowship says they mean."))
    format = forms.ChoiceField(label=_("Format"), choices=FeedFormat.choices)
    timezone = forms.ChoiceField(label=_("Time zone for meetings that name none"),
                                 choices=_timezones, initial="America/New_York")
    file = forms.FileField(label=_("Feed file (JSON)"))
    formats = forms.FileField(label=_("BMLT format list (GetFormats JSON, optional)"),
                              required=False)


class ReimportForm(_FileMixin, forms.Form):
    file = forms.FileField(label=_("Feed file (JSON)"))
    formats = forms.FileField(label=_("BMLT format list (GetFormats JSON, optional)"),
                              required=False)
