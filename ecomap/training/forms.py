"""Training's forms. Rules that need the database (a past meeting, an empty reflection, a name from
the caseload) are the services'; the forms only shape the input, so many fields are optional here
and the service's refusal puts its message on the field."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from ecomap.accounts.models import STAFF_ROLES

from .models import DebatePosition, GroupKind, PracticeEntry, Stance


class EnrolForm(forms.Form):
    learner = forms.ModelChoiceField(queryset=get_user_model().objects.none(), required=False,
                                     label=_("Practitioner to enrol"),
                                     help_text=_("Leave empty to enrol yourself."))

    def __init__(self, *args, learners=None, **kwargs):
        super().__init__(*args, **kwargs)
        if learners is None:
            del self.fields["learner"]
        else:
            self.fields["learner"].queryset = learners


class EvidenceForm(forms.Form):
    evidence = forms.CharField(label=_("Evidence that you completed it"), required=False,
                               widget=forms.Textarea(attrs={"rows": 2}))


class WaiverForm(forms.Form):
    reason = forms.CharField(label=_("Reason for waiving the prerequisite"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Group name"), max_length=120, required=False)
    kind = forms.ChoiceField(label=_("Kind of group"), choices=GroupKind.choices)


class MemberForm(forms.Form):
    user = forms.ModelChoiceField(
        queryset=get_user_model().objects.filter(role__in=STAFF_ROLES, is_active=True),
        required=False, label=_("An ecomap user"))
    outside_name = forms.CharField(label=_("Or someone outside ecomap (their name)"),
                                   max_length=120, required=False)


class MeetingForm(forms.Form):
    topic_key = forms.ChoiceField(label=_("Topic"))
    starts_at = forms.DateTimeField(label=_("Date and time"), required=False,
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                               format="%Y-%m-%dT%H:%M"))
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    online_link = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")

    def __init__(self, *args, topics=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic_key"].choices = [(t.key, t.title) for t in topics]


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    private = forms.BooleanField(label=_("Private: only I will see this note"), required=False)


class ExploreForm(forms.Form):
    def __init__(self, *args, topic, work=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = topic.questions
        self.fields["resources"] = forms.TypedMultipleChoiceField(
            label=_("Resources I used"), required=False, coerce=int,
            widget=forms.CheckboxSelectMultiple,
            choices=[(i, r.title) for i, r in enumerate(topic.resources)],
            initial=work.resources_used if work else [])
        answers = work.answers if work else []
        for i, question in enumerate(topic.questions):
            self.fields[f"answer_{i}"] = forms.CharField(
                label=question, required=False, widget=forms.Textarea(attrs={"rows": 2}),
                initial=answers[i] if i < len(answers) else "")

    def answers(self):
        return [self.cleaned_data.get(f"answer_{i}", "") for i in range(len(self.questions))]


class PositionForm(forms.ModelForm):
    class Meta:
        model = DebatePosition
        fields = ["stance", "strength", "arguments_for", "arguments_against", "evidence",
                  "what_changed"]
        widgets = {
            "stance": forms.RadioSelect,
            "strength": forms.NumberInput(attrs={"min": 1, "max": 5}),
            "arguments_for": forms.Textarea(attrs={"rows": 3}),
            "arguments_against": forms.Textarea(attrs={"rows": 3}),
            "evidence": forms.Textarea(attrs={"rows": 2}),
            "what_changed": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, after: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stance"].choices = Stance.choices
        if not after:
            del self.fields["what_changed"]


class ReflectionForm(forms.Form):
    did = forms.CharField(label=_("What I did"), required=False,
                          widget=forms.Textarea(attrs={"rows": 2}))
    learnt = forms.CharField(label=_("What I learnt"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))
    will_change = forms.CharField(label=_("What I will change in my practice"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    hours = forms.DecimalField(label=_("Hours I spent"), required=False, min_value=0,
                               max_digits=5, decimal_places=1)
    shared = forms.BooleanField(label=_("Share this reflection with my supervisor"),
                                required=False)


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class RatingForm(forms.Form):
    """One rating per outcome on the programme's scale."""

    def __init__(self, *args, programme, comments: bool = False, initial_ratings=None, **kwargs):
        super().__init__(*args, **kwargs)
        initial_ratings = initial_ratings or {}
        self.outcomes = programme.outcomes
        for outcome in programme.outcomes:
            self.fields[outcome.key] = forms.TypedChoiceField(
                label=outcome.text, choices=programme.scale.choices(), coerce=int,
                widget=forms.RadioSelect, required=False,
                initial=initial_ratings.get(outcome.key))
            if comments:
                self.fields[f"{outcome.key}__comment"] = forms.CharField(
                    label=_("Comment on: %(outcome)s") % {"outcome": outcome.text},
                    required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def ratings(self):
        return {o.key: self.cleaned_data.get(o.key) for o in self.outcomes
                if self.cleaned_data.get(o.key) not in (None, "")}

    def comments(self):
        return {o.key: self.cleaned_data.get(f"{o.key}__comment", "") for o in self.outcomes}


class PracticeForm(forms.ModelForm):
    class Meta:
        model = PracticeEntry
        fields = ["skill", "setting", "what_happened", "what_learnt", "tried_on"]
        widgets = {
            "tried_on": forms.DateInput(attrs={"type": "date"}),
            "what_happened": forms.Textarea(attrs={"rows": 3}),
            "what_learnt": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"what_happened": _("Do not name the client: describe them instead.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.fields:
            self.fields[name].required = False


class VisitForm(forms.Form):
    meeting_url = forms.CharField(label=_("The meeting's page (its address in the meeting search)"),
                                  max_length=300, required=False)
    title = forms.CharField(label=_("Meeting"), max_length=200, required=False)
    planned_for = forms.DateTimeField(label=_("When I will go"), required=False,
                                      widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                                 format="%Y-%m-%dT%H:%M"))


class VisitLogForm(forms.Form):
    note = forms.CharField(label=_("What I heard (no names)"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
