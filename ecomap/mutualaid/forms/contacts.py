"""Local contacts: volunteers and committee members of local groups."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import LocalContact
from .fields import date_field


class LocalContactForm(forms.ModelForm):
    verified_on = date_field(_("Details last checked"), required=False)

    class Meta:
        model = LocalContact
        fields = ["fellowship", "kind", "name", "role", "phone", "email", "area", "languages",
                  "notes", "verified_on", "active"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
