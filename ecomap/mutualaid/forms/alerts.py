"""Resolving a warning-sign alert."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ResolveAlertForm(forms.Form):
    resolution = forms.CharField(label=_("What was done"), max_length=2000,
                                 widget=forms.Textarea(attrs={"rows": 2}))
