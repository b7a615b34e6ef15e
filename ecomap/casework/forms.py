"""Casework forms: they read and bound the input; the rules live in services.py and family.py."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecomap.consents.models import InformationCategory, RecipientKind
from ecomap.core import forms as core_forms
from ecomap.directory import catalogue
from ecomap.directory.forms import SearchForm

from . import content
from .models import ContactKind, DocumentStatus, Priority, SessionKind
from .services import DEFAULT_ENROL_DAYS, DEFAULT_RESPOND_DAYS, MAX_CADENCE, MAX_DURATION
from .validation import EARLIEST, NOTE_MAX

LATEST_YEARS = 2


class BoundedDateField(core_forms.BoundedDateField):
    """A date between 2000 and two years from now."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("earliest", EARLIEST)
        kwargs.setdefault("ahead_days", 365 * LATEST_YEARS)
        super().__init__(*args, **kwargs)


def _today() -> date:
    return timezone.localdate()


def _note_field(label=None, required=False, rows=2):
    return forms.CharField(label=label or _("Note"), required=required, max_length=NOTE_MAX,
                           widget=forms.Textarea(attrs={"rows": rows}))


def _categories(label=None, help_text=""):
    label = label or _("Information from the client's record it shares")
    return forms.MultipleChoiceField(label=label, required=False, help_text=help_text,
                                     choices=InformationCategory.choices,
                                     widget=forms.CheckboxSelectMultiple)


def _domain_choices():
    return [("", _("(none)"))] + [(d.key, d.name) for d in content.domains()]


def _type_choices():
    return [("", _("(any)"))] + [(t.key, ("— " if t.parent else "") + t.name)
                            for t in catalogue.service_types()]


# --- needs ----------------------------------------------------------------------------------


class NeedsForm(forms.Form):
    """One priority and one note per domain of content/needs.yaml."""

    assessed_on = BoundedDateField(label=_("Date of the assessment"), initial=_today)
    note = _note_field(_("Overall note"))

    def __init__(self, *args, previous=None, **kwargs):
        super().__init__(*args, **kwargs)
        earlier = {r.domain: r for r in previous.ratings.all()} if previous else {}
        self.domains = []
        for domain in content.domains():
            rating = earlier.get(domain.key)
            self.fields[f"{domain.key}_priority"] = forms.ChoiceField(
                label=domain.name, choices=Priority.choices, widget=forms.RadioSelect,
                initial=rating.priority if rating else Priority.NONE, help_text=domain.prompt)
            self.fields[f"{domain.key}_note"] = forms.CharField(
                label=_("Note on %(domain)s") % {"domain": domain.name}, required=False,
                max_length=NOTE_MAX, initial=rating.note if rating else "")
            self.domains.append(domain)

    def domain_rows(self):
        return [(d, self[f"{d.key}_priority"], self[f"{d.key}_note"]) for d in self.domains]

    def ratings(self) -> dict[str, dict]:
        d = self.cleaned_data
        return {x.key: {"priority": d[f"{x.key}_priority"], "note": d[f"{x.key}_note"]}
                for x in self.domains}


# --- referrals ------------------------------------------------------------------------------


class FindServiceForm(SearchForm):
    """The directory search, reduced to what a case manager filters by when referring."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("latitude", "longitude", "radius_km", "eligibility", "free_only",
                     "include_inactive"):
            del self.fields[name]


class NewReferralForm(forms.Form):
    service = forms.CharField(widget=forms.HiddenInput, max_length=100)
    need_domain = forms.ChoiceField(label=_("Need it addresses"), required=False)
    service_type = forms.ChoiceField(label=_("Service type"), required=False)
    reason = _note_field(_("Reason for the referral"), required=True, rows=3)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need_domain"].choices = _domain_choices()
        self.fields["service_type"].choices = _type_choices()


class SendForm(forms.Form):
    on = BoundedDateField(label=_("Sent on"), initial=_today)
    respond_by = BoundedDateField(
        label=_("Answer expected by"),
        initial=lambda: _today() + timedelta(days=DEFAULT_RESPOND_DAYS),
        help_text=_("If there is no answer by then, the referral shows on Today."))
    recipient_name = forms.CharField(
        label=_("Recipient"), max_length=300,
        help_text=_("As named on the client's consent, when information is shared."))
    recipient_kind = forms.ChoiceField(label=_("Kind of recipient"), choices=[
        (RecipientKind.ORGANISATION, RecipientKind.ORGANISATION.label),
        (RecipientKind.PROVIDER, RecipientKind.PROVIDER.label)])
    categories = _categories(help_text=_(
        "Tick what goes with the referral. Anything ticked is checked against the client's "
        "consents and logged as a disclosure; substance-use information needs a consent naming "
        "the recipient (42 CFR Part 2)."))
    note = _note_field()


class AcceptForm(forms.Form):
    on = BoundedDateField(label=_("Accepted on"), initial=_today)
    enrol_by = BoundedDateField(
        label=_("Enrolment expected by"),
        initial=lambda: _today() + timedelta(days=DEFAULT_ENROL_DAYS),
        help_text=_("If the client is not enrolled by then, the referral shows on Today."))
    note = _note_field()


class DeclineForm(forms.Form):
    on = BoundedDateField(label=_("Declined on"), initial=_today)
    reason = _note_field(_("Reason given"), required=True)


class EnrolForm(forms.Form):
    on = BoundedDateField(label=_("Enrolled on"), initial=_today)
    note = _note_field()


class CompleteForm(forms.Form):
    on = BoundedDateField(label=_("Completed on"), initial=_today)
    outcome = _note_field(_("Outcome"), required=True)


class RevokeForm(forms.Form):
    on = BoundedDateField(label=_("Revoked on"), initial=_today)
    reason = _note_field(_("Reason for revoking"), required=True)


STEP_FORMS = {"send": SendForm, "accept": AcceptForm, "decline": DeclineForm,
              "enrol": EnrolForm, "complete": CompleteForm, "revoke": RevokeForm}


class DocumentsForm(forms.Form):
    """A status for each document of the checklist."""

    def __init__(self, *args, documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.documents = list(documents)
        for document in self.documents:
            self.fields[f"doc_{document.pk}"] = forms.ChoiceField(
                label=document.label, choices=DocumentStatus.choices, initial=document.status)

    def rows(self):
        return [(d, self[f"doc_{d.pk}"]) for d in self.documents]

    def statuses(self) -> dict[int, str]:
        return {d.pk: self.cleaned_data[f"doc_{d.pk}"] for d in self.documents}


class AddDocumentForm(forms.Form):
    label = forms.CharField(label=_("Another document"), max_length=200)


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=200)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None)
    due_on = BoundedDateField(label=_("Due on"), initial=lambda: _today() + timedelta(days=7))
    referral = forms.ModelChoiceField(label=_("Referral"), queryset=None, required=False,
                                      empty_label=_("(none)"))

    def __init__(self, *args, owners, referrals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["referral"].queryset = referrals
        self.fields["referral"].label_from_instance = lambda r: r.service_name


# --- contacts -------------------------------------------------------------------------------


class ContactForm(forms.Form):
    occurred_on = BoundedDateField(label=_("Date"), initial=_today)
    kind = forms.ChoiceField(label=_("Kind of contact"), choices=ContactKind.choices)
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=0,
                                          max_value=MAX_DURATION, initial=15)
    with_whom = forms.ChoiceField(label=_("With"), required=False)
    categories = _categories(
        label=_("What was discussed about the client"),
        help_text=_("Only for a contact with a network member: checked against the client's "
                    "consents and logged as a disclosure."))
    note = _note_field()

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {str(m.pk): m for m in members}
        self.fields["with_whom"].choices = [("", _("The client"))] + [
            (str(m.pk), f"{m.label} ({m.get_relationship_display()})") for m in members]

    def values(self) -> dict:
        d = self.cleaned_data
        return {"occurred_on": d["occurred_on"], "kind": d["kind"],
                "duration_minutes": d["duration_minutes"], "note": d["note"],
                "member": self.members.get(d["with_whom"]), "categories": d["categories"]}


class CadenceForm(forms.Form):
    every_days = forms.IntegerField(
        label=_("Keep in touch every (days)"), min_value=1, max_value=MAX_CADENCE,
        required=False, help_text=_("Leave empty to stop the reminder."))


# --- family ---------------------------------------------------------------------------------


class InvolveForm(forms.Form):
    full_name = forms.CharField(label=_("Full name, as on the consent"), max_length=300)
    caregiver = forms.BooleanField(label=_("Cares for the client"), required=False)
    note = _note_field()


class FamilySessionForm(forms.Form):
    attended_on = BoundedDateField(label=_("Date"), initial=_today)
    kind = forms.ChoiceField(label=_("Kind of session"), choices=SessionKind.choices)
    provider = forms.CharField(label=_("Run by"), max_length=200, required=False)
    categories = _categories(label=_("What it covered about the client"))
    note = _note_field()


class CheckInForm(forms.Form):
    checked_on = BoundedDateField(label=_("Date"), initial=_today)
    note = _note_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        definition = content.checkin()
        self.items = []
        for key, text in definition.items:
            self.fields[f"item_{key}"] = forms.TypedChoiceField(
                label=text, coerce=int, widget=forms.RadioSelect,
                choices=[(v, label) for v, label in definition.scale])
            self.items.append(key)
        self.order_fields(["checked_on", *[f"item_{k}" for k in self.items], "note"])

    def answers(self) -> dict[str, int]:
        return {key: self.cleaned_data[f"item_{key}"] for key in self.items}


class SummaryForm(forms.Form):
    """A referral summary for the receiving service (a disclosure)."""

    recipient_name = forms.CharField(label=_("Recipient"), max_length=300)
    recipient_kind = SendForm.base_fields["recipient_kind"]
    categories = _categories(label=_("Information the summary contains"), help_text=_(
        "The client's name and date of birth are always in it. The reason for the referral, the "
        "need and the documents' status are printed only if the client's record category is "
        "ticked (substance use for a substance-use or co-occurring programme, which is always "
        "added; mental health otherwise); contact details only if ticked."))
    body = forms.CharField(label=_("Further information for the service"), required=False,
                           max_length=4000, widget=forms.Textarea(attrs={"rows": 4}),
                           help_text=_("Only what the service needs (minimum necessary)."))


class FamilyLetterForm(forms.Form):
    categories = _categories(label=_("Information the letter contains"))
    body = forms.CharField(label=_("Letter"), max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 8}))
