from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecomap.core.forms import DateInput

from .instruments import Instrument

ITEM_PREFIX = "item_"


class AnswersForm(forms.Form):
    """One radio group per question. Every field is optional here: a draft may be partial; the
    service decides what a completed questionnaire needs and says so per question.

    A field is named by its item's key, as the service names it in a refusal; on the page (input
    names and ids) it is `item_<key>`."""

    def __init__(self, *args, instrument: Instrument, **kwargs):
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        for item in instrument.items:
            self.fields[item.key] = forms.ChoiceField(
                label=item.text, required=False, widget=forms.RadioSelect,
                choices=[(str(option.value), option.display) for option in item.scale.options],
                error_messages={"invalid_choice": _("Question %(n)s: choose one of the answers "
                                                    "given.") % {"n": item.number}})

    def add_prefix(self, field_name):
        return ITEM_PREFIX + field_name

    def answers(self) -> dict:
        return {key: value for key, value in self.cleaned_data.items() if value not in (None, "")}

    def rows(self):
        """(item, bound field) per question, in order, for the template."""
        return [(item, self[item.key]) for item in self.instrument.items]

    def error_summary(self):
        """(anchor, message) for every problem, for the summary at the top of the form."""
        found = [("", error) for error in self.non_field_errors()]
        for item, field in self.rows():
            for error in field.errors:
                found.append((f"q-{item.key}", error))
        return found


class DetailsForm(forms.Form):
    administered_on = forms.DateField(label=_("Date given"), widget=DateInput)
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["administered_on"].initial = timezone.localdate()


class EnteredInErrorForm(forms.Form):
    reason = forms.CharField(label=_("Why was this entered in error?"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2}))
