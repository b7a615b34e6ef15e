"""A follow-up visit on a referral."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Barrier, FollowUp, Use
from .fields import checkboxes, date_field


class FollowUpForm(forms.ModelForm):
    seen_on = date_field(_("Date of the visit"))
    sponsor_since = date_field(_("Sponsor since"), required=False)
    sponsor_last_contact = date_field(_("Last contact with the sponsor"), required=False)
    last_use_on = date_field(_("Date of last use"), required=False)
    meetings_attended = forms.IntegerField(label=_("Meetings attended since the last visit"),
                                           min_value=0, max_value=200)
    step = forms.IntegerField(label=_("Step they are working on"), required=False, min_value=1,
                              max_value=12)
    member_contacts = forms.IntegerField(
        label=_("Phone or text contacts with members since the last visit"), required=False,
        min_value=0, max_value=500)
    comfort = forms.TypedChoiceField(
        label=_("Comfort at meetings"), required=False, coerce=int, empty_value=None,
        choices=[("", "—"), (1, _("1 very uneasy")), (2, "2"), (3, "3"), (4, "4"),
                 (5, _("5 at home"))])
    urges = forms.IntegerField(label=_("Urges or cravings (0-10)"), required=False, min_value=0,
                               max_value=10)
    use_since_last = forms.ChoiceField(label=_("Use since the last visit"), choices=Use.choices,
                                       widget=forms.RadioSelect, initial=Use.NONE)
    barriers = checkboxes(_("Barriers"), Barrier.choices)
    next_follow_up_on = date_field(_("Next follow-up"), required=False, ahead_days=366,
                              help_text=_("Empty: the referral's usual interval."))

    class Meta:
        model = FollowUp
        fields = ["seen_on", "meetings_attended", "home_group", "sponsor", "sponsor_since",
                  "sponsor_last_contact", "service", "service_note", "step", "member_contacts",
                  "comfort", "use_since_last", "last_use_on", "urges", "barriers", "reluctant",
                  "extreme_stress", "concerns", "feedback_given"]
        widgets = {"concerns": forms.Textarea(attrs={"rows": 2}),
                   "feedback_given": forms.Textarea(attrs={"rows": 2})}
