from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from . import catalogue, hsds
from .services import Criteria


class SearchForm(forms.Form):
    text = forms.CharField(label=_("Name or description"), required=False, max_length=200)
    service_type = forms.ChoiceField(label=_("Service type"), required=False)
    area = forms.CharField(label=_("City or postal code"), required=False, max_length=100)
    latitude = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    radius_km = forms.FloatField(label=_("Within (km)"), required=False, min_value=0.1,
                                 max_value=500)
    age = forms.IntegerField(label=_("Client's age"), required=False, min_value=0, max_value=150)
    eligibility = forms.CharField(label=_("Eligibility mentions"), required=False, max_length=200)
    language = forms.CharField(label=_("Language"), required=False, max_length=100,
                               help_text=_("A language name or ISO code, e.g. Spanish or es."))
    insurance = forms.CharField(label=_("Insurance accepted"), required=False, max_length=100)
    free_only = forms.BooleanField(label=_("Free services only"), required=False)
    include_inactive = forms.BooleanField(label=_("Include inactive services"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_type"].choices = [("", _("Any type"))] + [
            (t.key, ("— " if t.parent else "") + t.name) for t in catalogue.service_types()]

    def clean(self):
        data = super().clean()
        point = [data.get(n) for n in ("latitude", "longitude", "radius_km")]
        if any(v is not None for v in point) and not all(v is not None for v in point):
            raise forms.ValidationError(_("To search by distance, give latitude, longitude and a "
                                          "distance in km."))
        return data

    def criteria(self) -> Criteria:
        d = self.cleaned_data
        return Criteria(service_type=d.get("service_type") or "", area=d.get("area") or "",
                        latitude=d.get("latitude"), longitude=d.get("longitude"),
                        radius_km=d.get("radius_km"), age=d.get("age"),
                        eligibility=d.get("eligibility") or "", language=d.get("language") or "",
                        insurance=d.get("insurance") or "", free_only=bool(d.get("free_only")),
                        text=d.get("text") or "", include_inactive=bool(d.get("include_inactive")))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple) and data:
            return [single(d, initial) for d in data]
        if isinstance(data, list | tuple):
            data = None
        return [single(data, initial)]


class ImportForm(forms.Form):
    files = MultipleFileField(
        label=_("Package (a .zip, or datapackage.json with its CSV files)"),
        help_text=_("An Open Referral HSDS data package. Nothing is saved until you have seen the "
                    "check and confirmed."))

    def clean_files(self):
        uploads = self.cleaned_data["files"]
        if sum(u.size for u in uploads) > hsds.MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The files are larger than %(mb)s MB.") % {
                "mb": hsds.MAX_IMPORT_BYTES // 1_000_000})
        if len(uploads) > 1 and any(u.name.lower().endswith(".zip") for u in uploads):
            raise forms.ValidationError(_("Upload either one zip file or the package's separate "
                                          "files, not both."))
        return uploads
