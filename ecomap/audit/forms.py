from __future__ import annotations

from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Outcome

SORTABLE = ["seq", "occurred_at", "actor_username", "actor_role", "client", "action", "outcome",
            "object_type", "object_id", "ip", "request_id", "purpose", "path"]


class AuditSearchForm(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")  # the filter bar's labels have no colon
        super().__init__(*args, **kwargs)

    since = forms.DateField(label=_("From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    user = forms.CharField(label=_("User name"), required=False, max_length=150)
    client = forms.CharField(label=_("Client record number or id"), required=False,
                             max_length=20)
    action = forms.CharField(label=_("Action starts with"), required=False, max_length=100,
                             help_text=_("For example ecomap.client or ecomap.auth.login"))
    outcome = forms.ChoiceField(label=_("Outcome"), required=False,
                                choices=[("", _("Any")), *Outcome.choices])
    request_id = forms.CharField(label=_("Request id"), required=False, max_length=64)
    sort = forms.ChoiceField(required=False, choices=[(f, f) for f in SORTABLE]
                             + [(f"-{f}", f"-{f}") for f in SORTABLE])

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end of the window is before its start."))
        return data

    def window(self):
        """The time window as aware datetimes; the last 7 days when none is given."""
        today = timezone.localdate()
        since = self.cleaned_data.get("since") or (today - timedelta(days=7))
        until = self.cleaned_data.get("until") or today
        tz = timezone.get_current_timezone()
        return (datetime.combine(since, time.min, tz),
                datetime.combine(until + timedelta(days=1), time.min, tz))
