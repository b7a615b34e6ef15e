from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecomap.accounts.models import User
from ecomap.core.forms import DateInput

from .models import CaseloadRole, Client, Programme, Status
from .services import EDITABLE_FIELDS, assignable_practitioners


class PractitionerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj} ({obj.get_role_display()})"


class ClientForm(forms.ModelForm):
    """Editing a client's details. `version` is the record version the form was opened at."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Client
        fields = EDITABLE_FIELDS
        widgets = {
            "date_of_birth": DateInput(),
            "admitted_on": DateInput(),
            "address": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        self.fields["preferred_language"].widget.attrs["list"] = "languages"
        self.fields["email"].widget.attrs["autocomplete"] = "off"


class NewClientForm(ClientForm):
    primary_practitioner = PractitionerChoiceField(queryset=User.objects.none(),
                                                   label=_("Primary practitioner"))
    secondary_practitioner = PractitionerChoiceField(
        queryset=User.objects.none(), required=False, label=_("Secondary practitioner"))

    class Meta(ClientForm.Meta):
        fields = EDITABLE_FIELDS + ["primary_practitioner", "secondary_practitioner"]

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        choices = assignable_practitioners(actor).order_by("last_name", "first_name")
        self.fields["primary_practitioner"].queryset = choices
        self.fields["secondary_practitioner"].queryset = choices
        self.fields["primary_practitioner"].initial = actor.pk
        self.fields["admitted_on"].initial = timezone.localdate()

    def clean(self):
        data = super().clean()
        primary, secondary = data.get("primary_practitioner"), data.get("secondary_practitioner")
        if primary and secondary and primary == secondary:
            self.add_error("secondary_practitioner", _(
                "The secondary practitioner must be someone other than the primary practitioner."))
        return data


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class DischargeForm(VersionedForm):
    on = forms.DateField(label=_("Discharge date"), widget=DateInput(), initial=timezone.localdate)
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args, client: Client, **kwargs):
        super().__init__(*args, **kwargs)
        self.client = client

    def clean_on(self):
        on = self.cleaned_data["on"]
        if on > timezone.localdate():
            raise forms.ValidationError(_("The discharge date cannot be in the future."))
        if on < self.client.admitted_on:
            raise forms.ValidationError(_("The discharge date cannot be before the admission date."))
        return on


class ReadmitForm(VersionedForm):
    on = forms.DateField(label=_("Readmission date"), widget=DateInput(),
                         initial=timezone.localdate)

    def clean_on(self):
        on = self.cleaned_data["on"]
        if on > timezone.localdate():
            raise forms.ValidationError(_("The readmission date cannot be in the future."))
        return on


class ArchiveForm(VersionedForm):
    reason = forms.CharField(label=_("Reason for archiving"), max_length=300)


class TransferForm(VersionedForm):
    role = forms.ChoiceField(label=_("Role to transfer"), choices=CaseloadRole.choices)
    to = PractitionerChoiceField(queryset=User.objects.none(), required=False,
                                 label=_("Transfer to"),
                                 help_text=_("Leave empty to remove the secondary practitioner."))
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = assignable_practitioners(actor).order_by(
            "last_name", "first_name")


class CaseloadFilterForm(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")  # the filter bar's labels have no colon
        super().__init__(*args, **kwargs)

    q = forms.CharField(label=_("Search by name or record number"), required=False,
                        max_length=100)
    programme = forms.ChoiceField(label=_("Programme"), required=False,
                                  choices=[("", _("All programmes")), *Programme.choices])
    status = forms.ChoiceField(
        label=_("Status"), required=False,
        choices=[("", _("Active and discharged")), *Status.choices, ("all", _("All"))],
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=[
        ("name", _("Name (A-Z)")), ("-name", _("Name (Z-A)")),
        ("-admitted", _("Admitted (newest)")), ("admitted", _("Admitted (oldest)")),
        ("-updated", _("Recently updated")), ("record", _("Record number")),
    ])
