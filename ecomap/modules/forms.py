"""Forms built from a module's definition: the one-screen session record and the review questions."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import definitions, services
from .models import GoalStatus, HomeworkStatus, Progress

NEW_HOMEWORK_ROWS = 2
EXTRA_PEOPLE_ROWS = 2
NOTE = {"rows": 2, "maxlength": 500}


def _normal(label: str) -> str:
    return " ".join(label.split()).casefold()


class SessionForm(forms.Form):
    """Fields are named by step, checklist, homework and goal so that the template can lay them out
    along the agenda; `to_input()` turns the cleaned data into a services.SessionInput."""

    held_on = forms.DateField(label=gettext_lazy("Date of the session"),
                              widget=forms.DateInput(attrs={"type": "date"}))
    summary = forms.CharField(label=gettext_lazy("Summary for the client"), required=False,
                              max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=gettext_lazy("Printed on the client's session summary."))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, module: definitions.ModuleDef, session, members, answers,
                 reviewable, goals, set_here, **kwargs):
        super().__init__(*args, **kwargs)
        self.module, self.session = module, session
        self.members = {_normal(m.label): m for m in members}
        self.reviewable, self.goals, self.set_here = reviewable, goals, set_here
        self.applicable = services.applicable_steps(module, session)
        self.initial.setdefault("held_on", session.held_on)
        self.initial.setdefault("summary", session.summary)
        self.initial.setdefault("version", session.version)

        for step in module.agenda:
            state = session.steps.get(step.key, {})
            self.fields[f"step_{step.key}_done"] = forms.BooleanField(
                label=_("Done"), required=False, initial=state.get("done", False))
            self.fields[f"step_{step.key}_note"] = forms.CharField(
                label=_("Note"), required=False, max_length=500, initial=state.get("note", ""),
                widget=forms.Textarea(attrs=NOTE))
        self.fields["topics"] = forms.MultipleChoiceField(
            label=_("Topics covered"), required=False, initial=session.topics,
            choices=[(t.key, t.title) for t in module.topics],
            widget=forms.CheckboxSelectMultiple)

        for checklist in module.checklists:
            rows = answers.get(checklist.key, [])
            if checklist.kind == "choose":
                self.fields[f"cl_{checklist.key}"] = forms.MultipleChoiceField(
                    label=checklist.title, required=False, widget=forms.CheckboxSelectMultiple,
                    choices=[(i.key, i.text) for i in checklist.items],
                    initial=[a.item_key for a in rows if a.item_key], help_text=checklist.instructions)
                if checklist.allow_other:
                    self.fields[f"cl_{checklist.key}_other"] = forms.CharField(
                        label=_("%(title)s: ideas of the client's own (one per line)")
                        % {"title": checklist.title}, required=False,
                        max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
                        initial="\n".join(a.text for a in rows if not a.item_key))
            else:
                levels = [("", "—")] + [(i.key, i.text) for i in checklist.items]
                for index in range(len(rows) + EXTRA_PEOPLE_ROWS):
                    row = rows[index] if index < len(rows) else None
                    self.fields[f"cl_{checklist.key}_{index}_person"] = forms.CharField(
                        label=_("Person %(n)s") % {"n": index + 1}, required=False, max_length=200,
                        initial=row.text if row else "",
                        widget=forms.TextInput(attrs={"list": "network-members",
                                                      "autocomplete": "off"}))
                    self.fields[f"cl_{checklist.key}_{index}_level"] = forms.ChoiceField(
                        label=_("Level of sharing with person %(n)s") % {"n": index + 1},
                        required=False, choices=levels,
                        initial=row.item_key if row else "")

        statuses = [("", _("Not reviewed yet"))] + [
            (value, label) for value, label in HomeworkStatus.choices if value != HomeworkStatus.OPEN]
        for homework in reviewable:
            done = homework.reviewed_in_id == session.pk
            self.fields[f"hw_{homework.pk}_status"] = forms.ChoiceField(
                label=_("How did it go?"), required=False, choices=statuses,
                initial=homework.status if done else "")
            self.fields[f"hw_{homework.pk}_obstacles"] = forms.CharField(
                label=_("What got in the way"), required=False, max_length=1000,
                initial=homework.obstacles, widget=forms.Textarea(attrs=NOTE))
            self.fields[f"hw_{homework.pk}_plan"] = forms.CharField(
                label=_("Plan"), required=False, max_length=1000, initial=homework.plan,
                widget=forms.Textarea(attrs=NOTE))

        reviews = {r.goal_id: r for g in goals for r in g.reviews.all() if r.session_id == session.pk}
        for goal in goals:
            review = reviews.get(goal.pk)
            self.fields[f"goal_{goal.pk}_progress"] = forms.TypedChoiceField(
                label=_("Progress"), required=False, coerce=int, empty_value=None,
                choices=[("", _("Not rated"))] + list(Progress.choices),
                initial=review.progress if review else "")
            self.fields[f"goal_{goal.pk}_note"] = forms.CharField(
                label=_("Note"), required=False, max_length=300,
                initial=review.note if review else "")

        for homework in set_here:
            self.fields[f"remove_{homework.pk}"] = forms.BooleanField(
                label=_("Remove “%(text)s”") % {"text": homework.text}, required=False)
        ideas = [("", _("(none)"))] + [(i.key, i.text) for i in module.homework_ideas]
        items = [("", _("(none)"))] + [
            (c.title, [(f"{c.key}:{i.key}", i.text) for i in c.items])
            for c in module.checklists if c.kind == "choose"]
        active_goals = [g for g in goals if g.status == GoalStatus.ACTIVE]
        for index in range(NEW_HOMEWORK_ROWS):
            prefix = f"new_{index}_"
            self.fields[prefix + "text"] = forms.CharField(
                label=_("What the client will do"), required=False, max_length=300)
            self.fields[prefix + "idea"] = forms.ChoiceField(
                label=_("From the module's homework ideas"), required=False, choices=ideas)
            self.fields[prefix + "item"] = forms.ChoiceField(
                label=_("Checklist item"), required=False, choices=items)
            self.fields[prefix + "goal"] = forms.TypedChoiceField(
                label=_("Goal it serves"), required=False, coerce=int, empty_value=None,
                choices=[("", _("(none)"))] + [(g.pk, g.text) for g in active_goals])
            self.fields[prefix + "due"] = forms.DateField(
                label=_("Due by"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                initial=session.held_on + timedelta(days=7))

    # Layout helpers for the template -----------------------------------------------------------

    def checklist_fields(self):
        out = []
        for checklist in self.module.checklists:
            if checklist.kind == "choose":
                other = self[f"cl_{checklist.key}_other"] if checklist.allow_other else None
                out.append({"checklist": checklist, "field": self[f"cl_{checklist.key}"],
                            "other": other})
            else:
                rows = []
                index = 0
                while f"cl_{checklist.key}_{index}_person" in self.fields:
                    rows.append((self[f"cl_{checklist.key}_{index}_person"],
                                 self[f"cl_{checklist.key}_{index}_level"]))
                    index += 1
                out.append({"checklist": checklist, "rows": rows})
        return out

    def homework_review_fields(self):
        return [{"homework": h, "status": self[f"hw_{h.pk}_status"],
                 "obstacles": self[f"hw_{h.pk}_obstacles"], "plan": self[f"hw_{h.pk}_plan"]}
                for h in self.reviewable]

    def goal_fields(self):
        return [{"goal": g, "progress": self[f"goal_{g.pk}_progress"],
                 "note": self[f"goal_{g.pk}_note"]} for g in self.goals]

    def new_homework_fields(self):
        return [{name: self[f"new_{i}_{name}"] for name in ("text", "idea", "item", "goal", "due")}
                for i in range(NEW_HOMEWORK_ROWS)]

    def set_here_fields(self):
        return [{"homework": h, "remove": self[f"remove_{h.pk}"]} for h in self.set_here]

    # Validation --------------------------------------------------------------------------------

    def clean(self):
        data = super().clean()
        for checklist in self.module.checklists:
            if checklist.kind != "people":
                continue
            index = 0
            while f"cl_{checklist.key}_{index}_person" in self.fields:
                person = data.get(f"cl_{checklist.key}_{index}_person", "").strip()
                level = data.get(f"cl_{checklist.key}_{index}_level", "")
                if person and not level:
                    self.add_error(f"cl_{checklist.key}_{index}_level",
                                   _("Choose the level of sharing for %(person)s.") % {"person": person})
                elif level and not person:
                    self.add_error(f"cl_{checklist.key}_{index}_person",
                                   _("Name the person this level is for."))
                index += 1
        for index in range(NEW_HOMEWORK_ROWS):
            prefix = f"new_{index}_"
            text = data.get(prefix + "text", "").strip()
            others = any(data.get(prefix + name) for name in ("idea", "item", "goal"))
            if not text and others:
                self.add_error(prefix + "text", _("Say what the client will do."))
            if text and not data.get(prefix + "due"):
                self.add_error(prefix + "due", _("Give a date for the homework."))
        return data

    def to_input(self) -> services.SessionInput:
        data = self.cleaned_data
        steps = {s.key: {"done": data[f"step_{s.key}_done"], "note": data[f"step_{s.key}_note"]}
                 for s in self.module.agenda}
        choices, own, people = {}, {}, {}
        for checklist in self.module.checklists:
            if checklist.kind == "choose":
                choices[checklist.key] = data[f"cl_{checklist.key}"]
                if checklist.allow_other:
                    own[checklist.key] = [line for line in
                                          data[f"cl_{checklist.key}_other"].splitlines() if line.strip()]
            else:
                rows, index = [], 0
                while f"cl_{checklist.key}_{index}_person" in self.fields:
                    person = data[f"cl_{checklist.key}_{index}_person"].strip()
                    if person:
                        rows.append({"label": person, "level": data[f"cl_{checklist.key}_{index}_level"],
                                     "member": self.members.get(_normal(person))})
                    index += 1
                people[checklist.key] = rows
        homework_reviews = {h.pk: {"status": data[f"hw_{h.pk}_status"],
                                   "obstacles": data[f"hw_{h.pk}_obstacles"],
                                   "plan": data[f"hw_{h.pk}_plan"]} for h in self.reviewable}
        goal_reviews = {g.pk: {"progress": data[f"goal_{g.pk}_progress"],
                               "note": data[f"goal_{g.pk}_note"]} for g in self.goals}
        new = []
        for index in range(NEW_HOMEWORK_ROWS):
            prefix = f"new_{index}_"
            if data.get(prefix + "text", "").strip():
                goal = next((g for g in self.goals if g.pk == data[prefix + "goal"]), None)
                new.append({"text": data[prefix + "text"], "idea": data[prefix + "idea"],
                            "checklist_item": data[prefix + "item"], "goal": goal,
                            "due_on": data[prefix + "due"]})
        return services.SessionInput(
            held_on=data["held_on"], steps=steps, topics=data["topics"], summary=data["summary"],
            choices=choices, own_items=own, people=people, homework_reviews=homework_reviews,
            goal_reviews=goal_reviews, new_homework=new,
            remove_homework=[h.pk for h in self.set_here if data.get(f"remove_{h.pk}")])


class ReviewForm(forms.Form):
    """The module's review questions: answers for every kind, a rating for open ones."""

    RATINGS = [("", "—"), (0, gettext_lazy("Not yet")), (1, gettext_lazy("Partly")),
               (2, gettext_lazy("Fully"))]

    def __init__(self, *args, module: definitions.ModuleDef, **kwargs):
        super().__init__(*args, **kwargs)
        self.module = module
        for q in module.review_questions:
            if q.kind == "open":
                self.fields[f"q_{q.key}"] = forms.CharField(
                    label=q.text, required=False, max_length=1000,
                    widget=forms.Textarea(attrs={"rows": 2}), help_text=q.guidance)
                self.fields[f"r_{q.key}"] = forms.TypedChoiceField(
                    label=_("Your rating of the answer to “%(q)s”") % {"q": q.text},
                    choices=self.RATINGS, coerce=int,
                    empty_value=None, required=True)
            elif q.kind == "true_false":
                self.fields[f"q_{q.key}"] = forms.TypedChoiceField(
                    label=q.text, choices=[("true", _("True")), ("false", _("False"))],
                    coerce=lambda v: v == "true", widget=forms.RadioSelect, required=True)
            else:
                self.fields[f"q_{q.key}"] = forms.ChoiceField(
                    label=q.text, choices=[(c.key, c.text) for c in q.choices],
                    widget=forms.RadioSelect, required=True)

    def questions(self):
        return [{"question": q, "answer": self[f"q_{q.key}"],
                 "rating": self[f"r_{q.key}"] if q.kind == "open" else None}
                for q in self.module.review_questions]

    def answers(self) -> tuple[dict, dict]:
        data = self.cleaned_data
        answers = {q.key: data.get(f"q_{q.key}") for q in self.module.review_questions}
        ratings = {q.key: data.get(f"r_{q.key}") for q in self.module.review_questions
                   if q.kind == "open"}
        return answers, ratings


class EnrolForm(forms.Form):
    module = forms.ChoiceField(label=gettext_lazy("Module"))
    started_on = forms.DateField(label=gettext_lazy("Starting on"),
                                 widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].choices = [(m.slug, m.full_title)
                                         for m in definitions.registry().values()]


class GoalForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Goal, in the client's own words"), max_length=300)
    from_intervention = forms.ModelChoiceField(
        label=gettext_lazy("From the network plan"), required=False, queryset=None,
        empty_label=gettext_lazy("(not linked)"),
        help_text=gettext_lazy("A network intervention taken into the plan that this goal serves."))

    def __init__(self, *args, client, **kwargs):
        super().__init__(*args, **kwargs)
        from ecomap.network.models import AcceptedIntervention

        self.fields["from_intervention"].queryset = AcceptedIntervention.objects.filter(client=client)


class EndForm(forms.Form):
    outcome = forms.ChoiceField(label=gettext_lazy("How the module ended"), widget=forms.RadioSelect,
                                choices=[("completed", gettext_lazy("Completed")),
                                         ("withdrawn", gettext_lazy("Stopped early"))])
    reason = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=gettext_lazy("Required when the module stops early."))
