from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecomap.consents.models import Purpose, RecipientKind
from ecomap.core.forms import DateInput

from .choices import Circle, Relationship, SupportFunction
from .models import NetworkMember, Supporter, SupporterReview, SupportKind


class AnswerForm(forms.Form):
    label = forms.CharField(label=_("Name, initials or role"), max_length=80)
    relationship = forms.ChoiceField(label=_("Relationship"))

    def __init__(self, *args, prompt, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Relationship.choices)
        self.fields["relationship"].choices = [(r, labels[r]) for r in prompt.relationships]
        self.fields["relationship"].initial = prompt.default_relationship
        self.fields["label"].widget.attrs.update({"autofocus": True, "autocomplete": "off"})


class MemberForm(forms.ModelForm):
    support_received = forms.MultipleChoiceField(
        label=_("Support the client receives from them"), required=False,
        choices=SupportFunction.choices, widget=forms.CheckboxSelectMultiple)
    support_given = forms.MultipleChoiceField(
        label=_("Support the client gives them"), required=False,
        choices=SupportFunction.choices, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = NetworkMember
        fields = ["label", "kind", "relationship", "circle", "contact", "support_received",
                  "support_given", "valence", "substance_use", "recovery_stance",
                  "could_join_sessions", "notes"]
        widgets = {"circle": forms.RadioSelect, "notes": forms.Textarea(attrs={"rows": 3})}


class CircleForm(forms.Form):
    circle = forms.TypedChoiceField(choices=Circle.choices, coerce=int)


class TiesForm(forms.Form):
    knows = forms.TypedMultipleChoiceField(coerce=int, required=False)

    def __init__(self, *args, others, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["knows"].choices = [(m.pk, m.label) for m in others]


class AssessmentForm(forms.Form):
    assessed_on = forms.DateField(label=_("Date of the assessment"), widget=DateInput(),
                                  initial=timezone.localdate)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=2000,
                            widget=forms.Textarea(attrs={"rows": 3}))

    def clean_assessed_on(self):
        value = self.cleaned_data["assessed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("An assessment cannot be dated in the future."))
        return value


class ReviewForm(forms.Form):
    still_in_life = forms.TypedChoiceField(
        label=_("Still in the client's life?"), coerce=lambda v: v == "yes",
        choices=[("yes", _("Yes")), ("no", _("No"))], widget=forms.RadioSelect)
    circle = forms.TypedChoiceField(label=_("Circle now"), choices=Circle.choices, coerce=int,
                                    required=False)


class SupporterForm(forms.ModelForm):
    support_kinds = forms.MultipleChoiceField(label=_("Kinds of support agreed"),
                                              choices=SupportKind.choices,
                                              widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Supporter
        fields = ["role", "support_kinds", "attitude_to_use", "contact_details", "agreed_task"]
        widgets = {"agreed_task": forms.Textarea(attrs={"rows": 3})}


class SupporterReviewForm(forms.ModelForm):
    class Meta:
        model = SupporterReview
        fields = ["reviewed_on", "outcome", "note", "next_task"]
        widgets = {"reviewed_on": DateInput(), "outcome": forms.RadioSelect,
                   "note": forms.Textarea(attrs={"rows": 2}),
                   "next_task": forms.Textarea(attrs={"rows": 2})}


class ExportForm(forms.Form):
    FORMATS = [("nc_csv", _("Network Canvas CSV (zip)")), ("graphml", _("GraphML"))]
    format = forms.ChoiceField(label=_("Format"), choices=FORMATS, initial="nc_csv")
    source = forms.ChoiceField(label=_("Network"))
    redact_labels = forms.BooleanField(
        label=_("Replace members' names with Person 1, Person 2, ..."), required=False,
        initial=True, help_text=_("Members are third parties: keep their names in the agency."))
    recipient_name = forms.CharField(
        label=_("Recipient outside the agency"), required=False, max_length=200,
        help_text=_("Leave empty when the file stays in the agency. A file that leaves it is a "
                    "disclosure: it is made only under a consent naming the recipient."))
    recipient_kind = forms.ChoiceField(label=_("Kind of recipient"), required=False,
                                       choices=[("", _("Choose...")), *RecipientKind.choices])
    purpose = forms.ChoiceField(label=_("Purpose"), required=False,
                                choices=[("", _("Choose...")), *Purpose.choices])

    def __init__(self, *args, assessments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [("live", _("The network now"))] + [
            (str(a.pk), _("Assessment of %(date)s") % {"date": a.assessed_on.isoformat()})
            for a in assessments]

    def clean(self):
        data = super().clean()
        if data.get("recipient_name", "").strip():
            for name in ("recipient_kind", "purpose"):
                if not data.get(name):
                    self.add_error(name, _("Say this for a file that leaves the agency."))
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File (.zip or .graphml)"))

    def clean_file(self):
        from .interchange import MAX_IMPORT_BYTES

        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than %(mb)s MB.") % {
                "mb": MAX_IMPORT_BYTES // 1_000_000})
        return upload
