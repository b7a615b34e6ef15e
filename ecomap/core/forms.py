"""Form fields shared by the apps."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

EARLIEST = date(1900, 1, 1)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class BoundedDateField(forms.DateField):
    """A date typed by hand, from `earliest` to `ahead_days` days after today (0: not in the
    future). Anything else (year 9999, a typo) is refused with a message before it reaches a
    service."""

    widget = DateInput

    def __init__(self, *args, earliest: date = EARLIEST, ahead_days: int = 0, **kwargs):
        self.earliest, self.ahead_days = earliest, ahead_days
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        latest = timezone.localdate() + timedelta(days=self.ahead_days)
        if value is not None and not self.earliest <= value <= latest:
            raise forms.ValidationError(_("Enter a date between %(start)s and %(end)s.") % {
                "start": self.earliest.isoformat(), "end": latest.isoformat()})
        return value
