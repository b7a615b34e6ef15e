from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecomap.core.forms import DateInput

from .models import (
    Consent,
    ConsentRecipient,
    ConsentType,
    InformationCategory,
    Method,
    Purpose,
    RecipientKind,
    RevocationMethod,
)
from .notice import (
    DEFAULT_REDISCLOSURE_STATEMENT,
    refusal_consequences_statement,
    revocation_statement,
)
from .services import CONSENT_FIELDS, RECIPIENT_FIELDS, accounting_start, default_discloser


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _now_minute():
    return timezone.localtime().replace(second=0, microsecond=0)


ALWAYS_REQUIRED = ["disclosing_party", "information_description", "categories", "purposes",
                   "revocation_statement", "signed_by", "signature_method", "signed_on"]


class ConsentForm(forms.ModelForm):
    """Every element of 42 CFR 2.31(a); the instance carries the client, so `Consent.clean()`
    reports what is missing field by field."""

    categories = forms.MultipleChoiceField(
        label=_("Categories of information"), required=False,
        choices=InformationCategory.choices, widget=forms.CheckboxSelectMultiple,
        help_text=_("Used to check each disclosure against this consent."),
    )
    purposes = forms.MultipleChoiceField(
        label=_("Purposes"), required=False, choices=Purpose.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Consent
        fields = CONSENT_FIELDS
        widgets = {
            "information_description": forms.Textarea(attrs={"rows": 3}),
            "purpose_description": forms.Textarea(attrs={"rows": 2}),
            "revocation_statement": forms.Textarea(attrs={"rows": 4}),
            "redisclosure_statement": forms.Textarea(attrs={"rows": 4}),
            "refusal_consequences_statement": forms.Textarea(attrs={"rows": 3}),
            "expires_on": DateInput(),
            "signed_on": DateInput(),
        }

    def __init__(self, *args, consent_type: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        agency = default_discloser()  # the agency, never the software's name
        offered = {
            "disclosing_party": agency,
            "revocation_statement": revocation_statement(agency),
            "signed_on": timezone.localdate(),
        }
        if consent_type in ConsentType.values:
            offered["consent_type"] = consent_type
        if consent_type == ConsentType.TPO:
            # The wording the client is shown and signs; offered for a TPO consent only.
            offered.update({
                "redisclosure_statement": DEFAULT_REDISCLOSURE_STATEMENT,
                "refusal_consequences_statement": refusal_consequences_statement(agency),
                "purposes": ["treatment", "payment", "health_care_operations"],
                "expiry_event": _("End of treatment"),
            })
        elif consent_type == ConsentType.SUD_COUNSELING_NOTES:
            offered["categories"] = ["sud_counseling_notes"]
        elif consent_type == ConsentType.LEGAL_PROCEEDINGS:
            offered["purposes"] = ["legal_proceedings"]
        # The instance's empty values would hide a field's initial, so offer them here.
        for name, value in offered.items():
            if not self.initial.get(name) or name == "consent_type":
                self.initial[name] = value
        # Elements every consent needs are marked required, with the model's message.
        messages = Consent(consent_type=ConsentType.GENERAL).element_errors()
        for name in ALWAYS_REQUIRED:
            field = self.fields[name]
            field.required = True
            field.error_messages = {**field.error_messages, "required": messages[name]}

    def _post_clean(self):
        super()._post_clean()
        # Consent.clean() repeats the "required" message of a field left empty: show it once.
        for errors in self._errors.values():
            seen, unique = set(), []
            for error, text in zip(errors.data, list(errors), strict=True):
                if text not in seen:
                    seen.add(text)
                    unique.append(error)
            errors.data = unique


class RecipientForm(forms.ModelForm):
    class Meta:
        model = ConsentRecipient
        fields = RECIPIENT_FIELDS
        widgets = {
            "address": forms.Textarea(attrs={"rows": 2}),
            "participants": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Choose...")), *RecipientKind.choices]


class BaseRecipientFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if any(form.errors for form in self.forms):
            return
        if not self.recipients():
            raise forms.ValidationError(_(
                "Name at least one recipient, or a class of recipients (42 CFR 2.31(a)(4))."))

    def recipients(self) -> list[dict]:
        return [{name: form.cleaned_data[name] for name in RECIPIENT_FIELDS}
                for form in self.forms
                if form.has_changed() and form.cleaned_data.get("name")]


RecipientFormSet = forms.formset_factory(RecipientForm, formset=BaseRecipientFormSet, extra=3,
                                         max_num=20, validate_max=True)


class RevokeForm(forms.Form):
    on = forms.DateField(label=_("Written revocation received on"), widget=DateInput(),
                         initial=timezone.localdate)
    received_via = forms.ChoiceField(
        label=_("Received as"), choices=[("", _("Choose...")), *RevocationMethod.choices],
        help_text=_("A revocation must be in writing (42 CFR 2.31(a)(6)). File the original."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class ExpiryEventForm(forms.Form):
    on = forms.DateField(label=_("The expiry event happened on"), widget=DateInput(),
                         initial=timezone.localdate)


class _DisclosureFields(forms.Form):
    categories = forms.MultipleChoiceField(
        label=_("Categories of information disclosed"), choices=InformationCategory.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(
        label=_("What was disclosed"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A brief description, as the client would read it in an accounting. Disclose "
                    "only what the purpose needs (42 CFR 2.13(a))."),
    )
    method = forms.ChoiceField(label=_("How"), choices=[("", _("Choose...")), *Method.choices])
    recipient_address = forms.CharField(label=_("Recipient's address, if known"), required=False,
                                        max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    disclosed_at = forms.DateTimeField(label=_("Disclosed at"), widget=DateTimeInput(),
                                       initial=_now_minute)

    def clean_disclosed_at(self):
        value = self.cleaned_data["disclosed_at"]
        if value > timezone.now() + timedelta(minutes=5):
            raise forms.ValidationError(_("A disclosure cannot be recorded in advance."))
        return value


class DisclosureForm(_DisclosureFields):
    recipient_name = forms.CharField(label=_("Recipient"), max_length=300,
                                     help_text=_("The person or organisation, as named in the "
                                                 "consent."))
    recipient_kind = forms.ChoiceField(label=_("Kind of recipient"),
                                       choices=[("", _("Choose...")), *RecipientKind.choices])
    purpose = forms.ChoiceField(label=_("Purpose"), choices=[("", _("Choose...")),
                                                             *Purpose.choices])

    field_order = ["recipient_name", "recipient_kind", "recipient_address", "purpose",
                   "categories", "description", "method", "disclosed_at"]


class EmergencyDisclosureForm(_DisclosureFields):
    medical_personnel_name = forms.CharField(label=_("Medical personnel who received it"),
                                             max_length=200)
    medical_facility = forms.CharField(label=_("Their health care facility"), max_length=300)
    emergency_nature = forms.CharField(label=_("Nature of the emergency"), max_length=2000,
                                       widget=forms.Textarea(attrs={"rows": 3}))

    field_order = ["medical_personnel_name", "medical_facility", "recipient_address",
                   "emergency_nature", "categories", "description", "method", "disclosed_at"]


class AccountingForm(forms.Form):
    since = forms.DateField(label=_("From"), required=False, widget=DateInput())
    until = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end of the window must be after its start."))
        return data

    def window(self):
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return data.get("since") or accounting_start(), data.get("until") or timezone.localdate()
