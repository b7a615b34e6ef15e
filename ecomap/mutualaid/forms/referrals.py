"""A referral to a fellowship, and its end."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Fellowship, Handoff, LocalContact, Meeting, ReferralKind
from .fields import date_field


class ReferralForm(forms.Form):
    fellowship = forms.ModelChoiceField(
        label=_("Fellowship"), queryset=Fellowship.objects.filter(audience="self",
                                                                  in_catalogue=True))
    kind = forms.ChoiceField(label=_("Kind of referral"), choices=ReferralKind.choices,
                             initial=ReferralKind.INTENSIVE, widget=forms.RadioSelect)
    referred_on = date_field(_("Referred on"))
    contact = forms.ModelChoiceField(label=_("Local contact"), required=False,
                                     queryset=LocalContact.objects.none())
    contact_name = forms.CharField(label=_("Or a volunteer not listed (name)"), required=False,
                                   max_length=120)
    handoff = forms.ChoiceField(label=_("Who makes the contact"), choices=Handoff.choices,
                                initial=Handoff.CLIENT, widget=forms.RadioSelect)
    contact_method = forms.ChoiceField(
        label=_("How we contact them (when we make the contact)"), required=False,
        choices=[("phone", _("Telephone")), ("email", _("Email")),
                 ("in_person", _("In person"))], initial="phone")
    first_meeting = forms.ModelChoiceField(label=_("First meeting"), required=False,
                                           queryset=Meeting.objects.none())
    first_meeting_on = date_field(_("Date of the first meeting"), required=False, ahead_days=366)
    handoff_note = forms.CharField(label=_("Warm handoff"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
                                   help_text=_("How the client and the volunteer were put in "
                                               "touch, and what was agreed."))
    follow_up_every_days = forms.IntegerField(label=_("Follow up every (days)"), min_value=1,
                                              max_value=90, initial=14)
    next_follow_up_on = date_field(_("First follow-up on"), ahead_days=366)

    def __init__(self, *args, meetings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = LocalContact.objects.filter(
            active=True).select_related("fellowship")
        self.fields["first_meeting"].queryset = Meeting.objects.filter(
            pk__in=[m.pk for m in meetings], active=True).select_related("fellowship")
        self.fields["first_meeting"].label_from_instance = _meeting_label


def _meeting_label(meeting: Meeting) -> str:
    when = _("by appointment") if meeting.by_appointment else \
        f"{meeting.day_name} {meeting.time:%H:%M}"
    return f"{meeting.name} ({meeting.fellowship.abbreviation}, {when})"


class EndReferralForm(forms.Form):
    ended_on = date_field(_("Ended on"))
    reason = forms.CharField(label=_("Why it ends"), max_length=300)
