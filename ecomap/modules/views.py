"""Module views: enrol, the module's progress page, the one-screen session record, review questions,
goals, and the two PDFs (handout, session summary). Every view resolves the client through
`client_view`, and every enrolment, session and goal through that client."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.db.models import prefetch_related_objects
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ecomap.clients.access import client_view
from ecomap.core.refusal import refused
from ecomap.network.models import NetworkMember
from ecomap.reports.pdf import PdfUnavailable, render_pdf

from . import definitions, services
from .forms import EndForm, EnrolForm, GoalForm, ReviewForm, SessionForm
from .models import Enrolment, Goal, GoalReview, GoalStatus, Homework, SessionRecord


def _enrolment(client, enrolment_pk) -> Enrolment:
    return get_object_or_404(Enrolment, client=client, pk=enrolment_pk)


def _session(enrolment, session_pk) -> SessionRecord:
    return get_object_or_404(SessionRecord.objects.select_related("enrolment__client"),
                             enrolment=enrolment, pk=session_pk)


def _home_context(client, form=None) -> dict:
    form = form or EnrolForm(initial={"started_on": timezone.localdate()})
    return {"client": client, "form": form,
            "enrolments": list(Enrolment.objects.filter(client=client)),
            "goals": list(Goal.objects.filter(client=client, status=GoalStatus.ACTIVE)),
            "modules": list(definitions.registry().values())}


def _refused_home(request, client, error):
    """A refusal about the module as a whole (its file is gone): the modules page says why."""
    return refused(request, error, "modules/home.html", _home_context(client))


def _part2_notice(client) -> str:
    if client.is_part2:
        from ecomap.consents.notice import STATEMENT_2

        return STATEMENT_2
    return ""


@client_view
@require_http_methods(["GET", "POST"])
def home(request, client):
    """The client's modules (in progress and past) and their goals; enrol in a module."""
    form = EnrolForm(request.POST or None, initial={"started_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            enrolment = services.enrol(client, form.cleaned_data["module"], actor=request.user,
                                       started_on=form.cleaned_data["started_on"])
        except services.ModuleError as error:
            return refused(request, error, "modules/home.html", _home_context(client, form),
                           form=form)
        messages.success(request, _("Enrolled in %(module)s.") % {"module": enrolment.module})
        return redirect("modules:enrolment", client_pk=client.pk, enrolment_pk=enrolment.pk)
    return render(request, "modules/home.html", _home_context(client, form),
                  status=400 if form.errors else 200)


@client_view
@require_http_methods(["GET", "POST"])
def enrolment_detail(request, client, enrolment_pk):
    enrolment = _enrolment(client, enrolment_pk)
    end_form = EndForm(request.POST or None)
    if request.method == "POST" and end_form.is_valid():
        try:
            services.end_enrolment(enrolment, actor=request.user,
                                   completed=end_form.cleaned_data["outcome"] == "completed",
                                   reason=end_form.cleaned_data["reason"])
        except services.ModuleError as error:
            return _enrolment_page(request, client, enrolment, end_form, error)
        messages.success(request, _("The module is marked as ended."))
        return redirect("modules:enrolment", client_pk=client.pk, enrolment_pk=enrolment.pk)
    return _enrolment_page(request, client, enrolment, end_form)


def _enrolment_page(request, client, enrolment, end_form=None, error=None):
    """The module's progress page; with `error`, showing that refusal (on the end form if given)."""
    try:
        progress = services.progress(enrolment)
    except services.ModuleError as gone:
        return _refused_home(request, client, gone)
    homework = list(Homework.objects.filter(enrolment=enrolment).select_related("set_in",
                                                                                "reviewed_in", "goal"))
    answers = services.current_answers(enrolment)
    context = {
        "client": client, "enrolment": enrolment, "module": progress.module, "progress": progress,
        "homework": homework, "answers": _answer_view(progress.module, answers),
        "reviews": list(enrolment.reviews.all()[:5]), "end_form": end_form or EndForm(),
    }
    if error is not None:
        return refused(request, error, "modules/enrolment.html", context, form=end_form)
    return render(request, "modules/enrolment.html", context,
                  status=400 if context["end_form"].errors else 200)


def _answer_view(module, answers) -> list[dict]:
    """Checklist answers as text, for pages and PDFs; a retired key shows as such, never vanishes."""
    out = []
    for checklist in module.checklists:
        rows = []
        for answer in answers.get(checklist.key, []):
            item = checklist.item(answer.item_key) if answer.item_key else None
            label = item.text if item else (answer.item_key and _("%(key)s (retired item)")
                                             % {"key": answer.item_key})
            if checklist.kind == "people":
                rows.append({"person": answer.text, "level": label,
                             "in_network": bool(answer.member_id)})
            else:
                rows.append({"text": label or answer.text, "own": not answer.item_key})
        out.append({"checklist": checklist, "rows": rows})
    known = {c.key for c in module.checklists}
    for key in sorted(set(answers) - known):  # a checklist the module file no longer has
        retired = definitions.Checklist(key, _("%(key)s (retired checklist)") % {"key": key},
                                        "choose", "", False, ())
        out.append({"checklist": retired, "rows": [
            {"text": " ".join(filter(None, (a.text, a.item_key))), "own": False}
            for a in answers[key]]})
    return out


@client_view
@require_POST
def session_start(request, client, enrolment_pk):
    enrolment = _enrolment(client, enrolment_pk)
    try:
        session = services.start_session(enrolment, actor=request.user)
    except services.ModuleError as error:
        return _enrolment_page(request, client, enrolment, error=error)
    return redirect("modules:session", client_pk=client.pk, enrolment_pk=enrolment.pk,
                    session_pk=session.pk)


def _session_form(request, client, enrolment, session, module):
    goals = services.goals_to_review(client, session)
    prefetch_related_objects(goals, "reviews")
    members = list(NetworkMember.objects.filter(client=client, active=True).only("pk", "label"))
    form = SessionForm(request.POST or None, module=module, session=session, members=members,
                       answers=services.current_answers(enrolment, upto=session),
                       reviewable=services.homework_to_review(session), goals=goals,
                       set_here=list(Homework.objects.filter(set_in=session)))
    return form, members


@client_view
@require_http_methods(["GET", "POST"])
def session_detail(request, client, enrolment_pk, session_pk):
    """The one screen a session is recorded on, following the module's agenda."""
    enrolment = _enrolment(client, enrolment_pk)
    session = _session(enrolment, session_pk)
    try:
        module = services.module_of(enrolment)
    except services.ModuleError as error:
        return _refused_home(request, client, error)
    previous = SessionRecord.objects.filter(enrolment=enrolment, number=session.number - 1).first()
    if session.is_closed:
        context = _summary_context(client, enrolment, session, module) | {"previous": previous}
        if request.method == "POST":  # closed in another tab or by a colleague meanwhile
            return refused(request, services.SessionConflict(_(
                "This session was closed meanwhile; your changes were not saved.")),
                "modules/session_closed.html", context)
        return render(request, "modules/session_closed.html", context)
    form, members = _session_form(request, client, enrolment, session, module)
    status = 200
    context = {
        "client": client, "enrolment": enrolment, "module": module, "session": session,
        "form": form, "members": members, "previous": previous,
        "steps": [{"step": s, "done": form[f"step_{s.key}_done"], "note": form[f"step_{s.key}_note"],
                   "applicable": s.key in form.applicable} for s in module.agenda],
    }
    if request.method == "POST":
        close = "close" in request.POST
        if form.is_valid():
            try:
                services.save_session(session, form.to_input(), actor=request.user, close=close,
                                      expected_version=form.cleaned_data["version"])
            except services.ModuleError as error:
                return refused(request, error, "modules/session.html", context, form=form)
            else:
                if close:
                    messages.success(request, _("Session %(n)s is closed.") % {"n": session.number})
                    return redirect("modules:enrolment", client_pk=client.pk,
                                    enrolment_pk=enrolment.pk)
                messages.success(request, _("Saved. The session is still open."))
                if "measure" in request.POST:
                    return redirect(reverse("measures:index", kwargs={"client_pk": client.pk})
                                    + "?" + urlencode({"next": request.path}))
                return redirect("modules:session", client_pk=client.pk, enrolment_pk=enrolment.pk,
                                session_pk=session.pk)
        else:
            messages.error(request, _("Nothing was saved: please correct the fields marked below."))
            status = 400
    return render(request, "modules/session.html", context, status=status)


def _summary_context(client, enrolment, session, module) -> dict:
    homework_set = list(Homework.objects.filter(set_in=session).select_related("goal"))
    reviewed = list(Homework.objects.filter(reviewed_in=session))
    goal_reviews = list(GoalReview.objects.filter(session=session).select_related("goal"))
    answers = _answer_view(module, services.current_answers(enrolment, upto=session))
    step_titles = {s.key: s.title for s in module.agenda}
    return {
        "client": client, "enrolment": enrolment, "module": module, "session": session,
        "topics": [t for t in module.topics if t.key in session.topics],
        "steps": [{"title": step_titles.get(k, k), **v} for k, v in session.steps.items()],
        "homework_set": homework_set, "reviewed": reviewed, "goal_reviews": goal_reviews,
        "answers": [a for a in answers if a["rows"]],
    }


@client_view
def session_pdf(request, client, enrolment_pk, session_pk):
    """The session summary for the client: topics, their choices, goals and the agreed homework."""
    enrolment = _enrolment(client, enrolment_pk)
    session = _session(enrolment, session_pk)
    try:
        module = services.module_of(enrolment)
    except services.ModuleError as error:
        return _refused_home(request, client, error)
    context = _summary_context(client, enrolment, session, module) | {
        "printed_at": timezone.now(), "part2_notice": _part2_notice(client)}
    return _pdf(request, client, "modules/session_pdf.html", context, session,
                f"session-{client.record_number}-{session.held_on}.pdf",
                ("modules:session", {"enrolment_pk": enrolment.pk, "session_pk": session.pk}))


@client_view
def handout_pdf(request, client, enrolment_pk):
    """The module's client handout with its checklists, ticked where the client has chosen."""
    enrolment = _enrolment(client, enrolment_pk)
    try:
        module = services.module_of(enrolment)
    except services.ModuleError as error:
        return _refused_home(request, client, error)
    answers = services.current_answers(enrolment)
    chosen = {f"{key}:{a.item_key}" for key, rows in answers.items() for a in rows if a.item_key}
    context = {"client": client, "module": module, "enrolment": enrolment, "chosen_keys": chosen,
               "answers": _answer_view(module, answers), "printed_at": timezone.now(),
               "part2_notice": _part2_notice(client)}
    return _pdf(request, client, "modules/handout_pdf.html", context, enrolment,
                f"handout-{module.slug}-{client.record_number}.pdf",
                ("modules:enrolment", {"enrolment_pk": enrolment.pk}))


def _pdf(request, client, template, context, obj, filename, back):
    try:
        pdf = render_pdf(template, context)
    except PdfUnavailable as error:
        messages.error(request, str(error))
        return redirect(back[0], client_pk=client.pk, **back[1])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@client_view
@require_http_methods(["GET", "POST"])
def review(request, client, enrolment_pk):
    """The module's review questions: answered, auto-scored where they can be, rated where open."""
    enrolment = _enrolment(client, enrolment_pk)
    try:
        module = services.module_of(enrolment)
    except services.ModuleError as error:
        return _refused_home(request, client, error)
    form = ReviewForm(request.POST or None, module=module)
    context = {"client": client, "enrolment": enrolment, "module": module, "form": form}
    status = 200
    if request.method == "POST":
        if form.is_valid():
            answers, ratings = form.answers()
            try:
                attempt = services.record_review(enrolment, actor=request.user, answers=answers,
                                                 ratings=ratings)
            except services.ModuleError as error:
                return refused(request, error, "modules/review.html", context, form=form)
            else:
                messages.success(request, _("Review recorded: %(c)s of %(n)s correct.")
                                 % {"c": attempt.correct, "n": attempt.scored})
                return redirect("modules:enrolment", client_pk=client.pk, enrolment_pk=enrolment.pk)
        else:
            messages.error(request, _("Nothing was saved: please answer the questions marked below."))
            status = 400
    return render(request, "modules/review.html", context, status=status)


@client_view
@require_http_methods(["GET", "POST"])
def goals(request, client):
    form = GoalForm(request.POST or None, client=client)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_goal(client, actor=request.user, text=form.cleaned_data["text"],
                              from_intervention=form.cleaned_data["from_intervention"])
        except services.ModuleError as error:
            return refused(request, error, "modules/goals.html", _goals_context(client, form),
                           form=form)
        messages.success(request, _("Goal added."))
        return redirect("modules:goals", client_pk=client.pk)
    return render(request, "modules/goals.html", _goals_context(client, form),
                  status=400 if form.errors else 200)


def _goals_context(client, form) -> dict:
    from ecomap.network.models import AcceptedIntervention

    all_goals = list(Goal.objects.filter(client=client).select_related("from_intervention")
                     .prefetch_related("reviews__session"))
    linked = {g.from_intervention_id for g in all_goals}
    suggestions = [a for a in AcceptedIntervention.objects.filter(client=client) if a.pk not in linked]
    return {"client": client, "form": form, "goals": all_goals, "suggestions": suggestions,
            "statuses": GoalStatus.choices}


@client_view
@require_POST
def goal_status(request, client, goal_pk):
    goal = get_object_or_404(Goal, client=client, pk=goal_pk)
    try:
        services.set_goal_status(goal, request.POST.get("status", ""), actor=request.user)
    except services.ModuleError as error:
        return refused(request, error, "modules/goals.html",
                       _goals_context(client, GoalForm(client=client)))
    messages.success(request, _("Goal updated."))
    return redirect("modules:goals", client_pk=client.pk)
