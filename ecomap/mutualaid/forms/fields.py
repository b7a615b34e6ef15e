"""Fields the mutual-support forms share."""

from __future__ import annotations

from django import forms

from ecomap.core.forms import BoundedDateField


def date_field(label, required=True, ahead_days=0, **kwargs):
    return BoundedDateField(label=label, required=required, ahead_days=ahead_days, **kwargs)


def checkboxes(label, choices, required=False, **kwargs):
    return forms.MultipleChoiceField(label=label, choices=choices, required=required,
                                     widget=forms.CheckboxSelectMultiple, **kwargs)
