"""Training pages. Views check who may see, call a service, and render; every read of a training
record is audited once (`ecomap.training.read`, a staff record) and refusals re-render with 400."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ecomap.accounts.models import STAFF_ROLES, Role
from ecomap.core.http import require_roles
from ecomap.core.refusal import Refusal, refused
from ecomap.reports.pdf import PdfUnavailable, render_pdf

from . import content, ics, services
from . import portfolio as portfolio_data
from .access import enrolment_for, supervises, team_learners
from .forms import (
    CommentForm,
    EnrolForm,
    EvidenceForm,
    ExploreForm,
    GroupForm,
    MeetingForm,
    MemberForm,
    NoteForm,
    PositionForm,
    PracticeForm,
    RatingForm,
    ReflectionForm,
    VisitForm,
    VisitLogForm,
    WaiverForm,
)
from .models import (
    Attendance,
    DebatePosition,
    Enrolment,
    ExploreWork,
    Meeting,
    OutcomeRating,
    Programme,
    Reflection,
    ReviewRequest,
    Stage,
    StudyGroup,
    Visit,
)

staff_only = require_roles(*STAFF_ROLES)


def _read(request, obj, **data):
    services.record_read(request.user, obj, page=request.resolver_match.view_name, **data)


# --- programmes ----------------------------------------------------------------------------


@staff_only
@require_GET
def home(request):
    rows = {p.slug: p for p in Programme.objects.all()}
    programmes = [(c, rows.get(c.slug)) for c in content.programmes().values()]
    mine = list(Enrolment.objects.filter(learner=request.user).select_related("programme"))
    progress = services.progress_for(mine)
    return render(request, "training/home.html", {
        "programmes": programmes, "mine": [(e, progress[e.pk]) for e in mine],
        "reviews": ReviewRequest.objects.filter(reviewer=request.user,
                                                completed_at__isnull=True).count(),
    })


def _programme_context(request, slug, **forms):
    found = content.programme(slug)
    if found is None:
        raise Http404
    row = Programme.objects.filter(slug=slug).first()
    learners = team_learners(request.user) if request.user.is_supervisor else None
    context = {"content": found, "programme": row,
               "enrol_form": forms.get("enrol_form") or EnrolForm(learners=None),
               "assign_form": forms.get("assign_form") or (
                   EnrolForm(learners=learners) if learners is not None else None),
               "mine": row and Enrolment.objects.filter(programme=row,
                                                        learner=request.user).first()}
    if request.user.is_admin and row:  # an administrator sees who is enrolled, nothing more
        context["enrolled"] = list(row.enrolments.select_related("learner", "learner__team"))
    return context


@staff_only
@require_GET
def programme(request, slug):
    return render(request, "training/programme.html", _programme_context(request, slug))


@staff_only
@require_POST
def publish(request, slug):
    try:
        services.publish(slug, actor=request.user)
    except Refusal as error:
        return refused(request, error, "training/programme.html",
                       _programme_context(request, slug))
    messages.success(request, _("The programme is published: practitioners can enrol."))
    return redirect("training:programme", slug=slug)


@staff_only
@require_POST
def enrol(request, slug):
    row = Programme.objects.filter(slug=slug).first()
    learners = team_learners(request.user) if request.user.is_supervisor else None
    form = EnrolForm(request.POST, learners=learners)
    if row is None:
        raise Http404
    if not form.is_valid():
        return render(request, "training/programme.html",
                      _programme_context(request, slug, assign_form=form), status=400)
    learner = form.cleaned_data.get("learner") or request.user
    try:
        enrolment = services.enrol(row, learner, actor=request.user)
    except Refusal as error:
        return refused(request, error, "training/programme.html",
                       _programme_context(request, slug))
    if learner.pk == request.user.pk:
        messages.success(request, _("You are enrolled. Plan your study-group meetings next."))
        return redirect("training:enrolment", enrolment_pk=enrolment.pk)
    messages.success(request, _("%(name)s is enrolled.") % {"name": learner})
    return redirect("training:programme", slug=slug)


# --- the learner's timeline ------------------------------------------------------------------


def _timeline_context(request, enrolment, **forms):
    rows = services.progress_for([enrolment])[enrolment.pk]
    group = enrolment.study_group
    return {
        "enrolment": enrolment, "programme": services.content_of(enrolment), "rows": rows,
        "learner_view": enrolment.learner_id == request.user.pk,
        "supervisor_view": supervises(request.user, enrolment.learner),
        "group": group, "now": timezone.now(),
        "evidence_form": forms.get("evidence_form") or EvidenceForm(),
        "waiver_form": forms.get("waiver_form") or WaiverForm(),
        "group_form": forms.get("group_form") or GroupForm(),
        "complete": bool(rows) and all(r.done for r in rows),
        "visits": list(enrolment.visits.all()),
    }


@staff_only
@require_GET
def timeline(request, enrolment_pk):
    enrolment = enrolment_for(request.user, enrolment_pk)
    _read(request, enrolment)
    return render(request, "training/timeline.html", _timeline_context(request, enrolment))


@staff_only
@require_POST
def prerequisite(request, enrolment_pk):
    enrolment = enrolment_for(request.user, enrolment_pk)
    waiving = "reason" in request.POST
    form = (WaiverForm if waiving else EvidenceForm)(request.POST)
    form.is_valid()
    try:
        if waiving:
            services.waive_prerequisite(enrolment, actor=request.user,
                                        reason=form.cleaned_data.get("reason", ""))
        else:
            services.record_prerequisite(enrolment, actor=request.user,
                                         evidence=form.cleaned_data.get("evidence", ""))
    except Refusal as error:
        key = "waiver_form" if waiving else "evidence_form"
        return refused(request, error, "training/timeline.html",
                       _timeline_context(request, enrolment, **{key: form}), form=form)
    messages.success(request, _("The prerequisite is recorded."))
    return redirect("training:enrolment", enrolment_pk=enrolment.pk)


@staff_only
@require_POST
def group_new(request, enrolment_pk):
    enrolment = enrolment_for(request.user, enrolment_pk)
    form = GroupForm(request.POST)
    try:
        if not form.is_valid():
            raise Refusal(_("Check the group's details."))
        group = services.create_group(enrolment, actor=request.user, **form.cleaned_data)
    except Refusal as error:
        return refused(request, error, "training/timeline.html",
                       _timeline_context(request, enrolment, group_form=form), form=form)
    messages.success(request, _("Study group created. Add its members and plan its meetings."))
    return redirect("training:group", group_pk=group.pk)


@staff_only
@require_GET
def calendar(request, enrolment_pk):
    enrolment = enrolment_for(request.user, enrolment_pk)
    _read(request, enrolment)
    meetings = list(Meeting.objects.filter(group_id=enrolment.study_group_id)
                    .select_related("group")) if enrolment.study_group_id else []
    body = ics.calendar(services.content_of(enrolment), meetings, timezone.now(),
                        domain=request.get_host().split(":")[0],
                        visits=list(enrolment.visits.all()))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="training-timetable.ics"'
    return response


# --- a topic and its three tasks --------------------------------------------------------------


def _topic_or_404(enrolment, topic_key):
    topic = services.content_of(enrolment).topic(topic_key)
    if topic is None:
        raise Http404
    return topic


def _topic_context(request, enrolment, topic, **forms):
    learner_view = enrolment.learner_id == request.user.pk
    work = ExploreWork.objects.filter(enrolment=enrolment, topic_key=topic.key).first()
    positions = {p.stage: p for p in DebatePosition.objects.filter(enrolment=enrolment,
                                                                  topic_key=topic.key)}
    reflections = {r.task_key: r for r in services.visible_reflections(enrolment, request.user)
                   .filter(topic_key=topic.key)}
    meeting = (Meeting.objects.filter(group_id=enrolment.study_group_id, topic_key=topic.key)
               .first() if enrolment.study_group_id else None)
    reflection_forms = {}
    for task in topic.tasks:
        existing = reflections.get(task.key)
        reflection_forms[task.key] = forms.get(f"reflect_{task.key}") or ReflectionForm(
            prefix=task.key, initial={"did": existing.did, "learnt": existing.learnt,
                                      "will_change": existing.will_change, "hours": existing.hours,
                                      "shared": existing.shared} if existing else None)
    tasks = [{"task": task, "reflection": reflections.get(task.key),
              "form": reflection_forms[task.key]} for task in topic.tasks]
    return {
        "enrolment": enrolment, "programme": services.content_of(enrolment), "topic": topic,
        "learner_view": learner_view, "tasks": {t["task"].key: t for t in tasks},
        "explore_form": forms.get("explore_form") or ExploreForm(topic=topic, work=work),
        "work": work, "before": positions.get(Stage.BEFORE), "after": positions.get(Stage.AFTER),
        "before_form": forms.get("before_form") or PositionForm(
            instance=positions.get(Stage.BEFORE), after=False, prefix="before"),
        "after_form": forms.get("after_form") or PositionForm(
            instance=positions.get(Stage.AFTER), after=True, prefix="after"),
        "meeting": meeting,
        "visits": list(enrolment.visits.filter(topic_key=topic.key)) if topic.open_meetings
        else [],
        "visit_form": forms.get("visit_form") or VisitForm(), "visit_log_form": VisitLogForm(),
        "now": timezone.now(),
    }


@staff_only
@require_GET
def topic(request, enrolment_pk, topic_key):
    enrolment = enrolment_for(request.user, enrolment_pk)
    found = _topic_or_404(enrolment, topic_key)
    _read(request, enrolment, topic=topic_key)
    return render(request, "training/topic.html", _topic_context(request, enrolment, found))


@staff_only
@require_POST
def topic_post(request, enrolment_pk, topic_key, action):
    """explore, before, after (the debate), or reflect_<task>."""
    enrolment = enrolment_for(request.user, enrolment_pk)
    found = _topic_or_404(enrolment, topic_key)
    user, key = request.user, found.key
    if action == "explore":
        form = ExploreForm(request.POST, topic=found)
        save = lambda: services.save_explore(  # noqa: E731
            enrolment, actor=user, topic_key=key, resources_used=form.cleaned_data["resources"],
            answers=form.answers())
        done = _("Your notes on the resources are saved. Now write your reflection.")
    elif action in (Stage.BEFORE, Stage.AFTER):
        form = PositionForm(request.POST, after=action == Stage.AFTER, prefix=action)
        save = lambda: services.save_position(  # noqa: E731
            enrolment, actor=user, topic_key=key, stage=action, **form.cleaned_data)
        done = _("Your position is saved.")
    elif action == "visit":
        form = VisitForm(request.POST)
        save = lambda: services.plan_visit(  # noqa: E731
            enrolment, actor=user, topic_key=key, **form.cleaned_data)
        done = _("The visit is on your timetable.")
    elif action == "visit_log":
        form = VisitLogForm(request.POST)
        visit = get_object_or_404(Visit, enrolment=enrolment, pk=request.POST.get("visit"))
        save = lambda: services.log_visit(  # noqa: E731
            visit, actor=user, note=form.cleaned_data.get("note", ""))
        done = _("Your visit is logged.")
    elif action.startswith("reflect_") and action[8:] in content.TASK_KEYS:
        task_key = action[8:]
        form = ReflectionForm(request.POST, prefix=task_key)
        save = lambda: services.write_reflection(  # noqa: E731
            enrolment, actor=user, topic_key=key, task_key=task_key, **form.cleaned_data)
        done = _("Your reflection is saved: the task is complete.")
    else:
        raise Http404
    key_of_form = {"explore": "explore_form", "before": "before_form", "after": "after_form",
                   "visit": "visit_form"}.get(action, action)
    try:
        if not form.is_valid():
            raise Refusal(_("Check the form: some answers are not valid."))
        save()
    except Refusal as error:
        return refused(request, error, "training/topic.html",
                       _topic_context(request, enrolment, found, **{key_of_form: form}),
                       form=form)
    messages.success(request, done)
    return redirect("training:topic", enrolment_pk=enrolment.pk, topic_key=key)


# --- reflections -------------------------------------------------------------------------------


def _reflection_context(request, enrolment, reflection, form=None):
    return {"enrolment": enrolment, "reflection": reflection,
            "programme": services.content_of(enrolment),
            "topic": services.content_of(enrolment).topic(reflection.topic_key),
            "task_label": content.TASK_LABELS.get(reflection.task_key, reflection.task_key),
            "comments": list(reflection.comments.select_related("author")),
            "learner_view": enrolment.learner_id == request.user.pk,
            "form": form or CommentForm()}


@staff_only
@require_http_methods(["GET", "POST"])
def reflection(request, enrolment_pk, reflection_pk):
    enrolment = enrolment_for(request.user, enrolment_pk)
    found = get_object_or_404(services.visible_reflections(enrolment, request.user),
                              pk=reflection_pk)
    found.enrolment = enrolment
    if request.method == "GET":
        _read(request, found)
        return render(request, "training/reflection.html",
                      _reflection_context(request, enrolment, found))
    form = None
    try:
        if "share" in request.POST:
            services.share_reflection(found, actor=request.user,
                                      shared=request.POST["share"] == "1")
            messages.success(request, _("Sharing changed."))
        else:
            form = CommentForm(request.POST)
            form.is_valid()
            services.comment(found, actor=request.user, text=form.cleaned_data.get("text", ""))
            messages.success(request, _("Comment added."))
    except Refusal as error:
        return refused(request, error, "training/reflection.html",
                       _reflection_context(request, enrolment, found, form), form=form)
    if not found.shared and enrolment.learner_id != request.user.pk:
        return redirect("training:team")
    return redirect("training:reflection", enrolment_pk=enrolment.pk, reflection_pk=found.pk)


# --- outcomes and review -----------------------------------------------------------------------


def _outcomes_context(request, enrolment, **forms):
    programme = services.content_of(enrolment)
    ratings = {r.outcome_key: r for r in OutcomeRating.objects.filter(enrolment=enrolment)}
    return {
        "enrolment": enrolment, "programme": programme,
        "rows": [(o, ratings.get(o.key)) for o in programme.outcomes],
        "learner_view": enrolment.learner_id == request.user.pk,
        "supervisor_view": supervises(request.user, enrolment.learner),
        "before_form": forms.get("before_form") or RatingForm(
            programme=programme, prefix="before",
            initial_ratings={k: r.before for k, r in ratings.items()}),
        "after_form": forms.get("after_form") or RatingForm(
            programme=programme, prefix="after",
            initial_ratings={k: r.after for k, r in ratings.items()}),
        "review_form": forms.get("review_form") or RatingForm(
            programme=programme, prefix="review", comments=True,
            initial_ratings={k: r.supervisor_rating for k, r in ratings.items()}),
        "open_review": enrolment.reviews.filter(completed_at__isnull=True).first(),
    }


@staff_only
@require_http_methods(["GET", "POST"])
def outcomes(request, enrolment_pk):
    enrolment = enrolment_for(request.user, enrolment_pk)
    programme = services.content_of(enrolment)
    if request.method == "GET":
        _read(request, enrolment)
        return render(request, "training/outcomes.html", _outcomes_context(request, enrolment))
    action = request.POST.get("action", "")
    form, key = None, None
    try:
        if action in (Stage.BEFORE, Stage.AFTER):
            form, key = RatingForm(request.POST, programme=programme, prefix=action), \
                f"{action}_form"
            form.is_valid()
            services.rate_outcomes(enrolment, actor=request.user, stage=action,
                                   ratings=form.ratings())
            messages.success(request, _("Your ratings are saved."))
        elif action == "ask":
            services.request_review(enrolment, actor=request.user)
            messages.success(request, _("Your supervisor has been asked for a review."))
        elif action == "review":
            form, key = RatingForm(request.POST, programme=programme, prefix="review",
                                   comments=True), "review_form"
            form.is_valid()
            services.review(enrolment, actor=request.user, ratings=form.ratings(),
                            comments=form.comments())
            messages.success(request, _("Your review is recorded beside the learner's ratings."))
        else:
            raise Http404
    except Refusal as error:
        forms = {key: form} if key else {}
        return refused(request, error, "training/outcomes.html",
                       _outcomes_context(request, enrolment, **forms), form=form)
    return redirect("training:outcomes", enrolment_pk=enrolment.pk)


# --- the practice log -------------------------------------------------------------------------


@staff_only
@require_http_methods(["GET", "POST"])
def practice(request, enrolment_pk):
    enrolment = enrolment_for(request.user, enrolment_pk)
    if enrolment.learner_id != request.user.pk:
        raise Http404  # the practice log is the learner's own notebook
    form = PracticeForm(request.POST or None)
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise Refusal(_("Check the entry: some answers are not valid."))
            services.log_practice(enrolment, actor=request.user, **form.cleaned_data)
        except Refusal as error:
            return refused(request, error, "training/practice.html",
                           {"enrolment": enrolment, "entries": list(enrolment.practice.all()),
                            "programme": services.content_of(enrolment)}, form=form)
        messages.success(request, _("Practice log entry saved."))
        return redirect("training:practice", enrolment_pk=enrolment.pk)
    _read(request, enrolment)
    return render(request, "training/practice.html", {
        "enrolment": enrolment, "entries": list(enrolment.practice.all()), "form": form,
        "programme": services.content_of(enrolment)})


# --- the portfolio and the certificate ---------------------------------------------------------


def _portfolio(request, enrolment):
    everything = request.GET.get("reflections") == "all"
    return portfolio_data.build(enrolment, request.user, everything=everything)


@staff_only
@require_GET
def portfolio(request, enrolment_pk):
    enrolment = enrolment_for(request.user, enrolment_pk)
    _read(request, enrolment)
    context = _portfolio(request, enrolment)
    context["learner_view"] = enrolment.learner_id == request.user.pk
    return render(request, "training/portfolio.html", context)


def _pdf(request, template, context, filename):
    try:
        body = render_pdf(template, context)
    except PdfUnavailable as error:
        return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@staff_only
@require_GET
def portfolio_pdf(request, enrolment_pk):
    enrolment = enrolment_for(request.user, enrolment_pk)
    _read(request, enrolment, document="portfolio")
    return _pdf(request, "training/portfolio_pdf.html", _portfolio(request, enrolment),
                "portfolio.pdf")


@staff_only
@require_GET
def certificate(request, enrolment_pk):
    enrolment = enrolment_for(request.user, enrolment_pk)
    if not services.is_complete(enrolment):
        return refused(request, Refusal(_("The certificate is issued once every task of every "
                                          "topic has its reflection.")),
                       "training/timeline.html", _timeline_context(request, enrolment))
    _read(request, enrolment, document="certificate")
    latest = enrolment.reflections.order_by("-written_at").values_list("written_at", flat=True)
    return _pdf(request, "training/certificate_pdf.html", {
        "enrolment": enrolment, "programme": services.content_of(enrolment),
        "completed_on": timezone.localtime(latest.first()).date()}, "certificate.pdf")


# --- study groups ----------------------------------------------------------------------------


def _group_or_404(user, group_pk):
    group = get_object_or_404(StudyGroup.objects.select_related("programme", "convener"),
                              pk=group_pk)
    member = services.is_member(group, user)
    if not member and not supervises(user, group.convener):
        raise Http404
    return group, member


def _group_context(request, group, member, **forms):
    found = content.programme(group.programme.slug)
    meetings = list(group.meetings.prefetch_related(
        Prefetch("attendance", queryset=Attendance.objects.select_related("member__user"))))
    for meeting in meetings:
        meeting.topic = found.topic(meeting.topic_key) if found else None
        meeting.present = {a.member_id for a in meeting.attendance.all() if a.attended}
    return {
        "group": group, "member": member, "members": list(group.members.select_related("user")),
        "meetings": meetings, "now": timezone.now(),
        "notes": list(services.visible_notes(group, request.user)),
        "member_form": forms.get("member_form") or MemberForm(),
        "meeting_form": forms.get("meeting_form") or MeetingForm(topics=found.topics if found
                                                                 else ()),
        "note_form": forms.get("note_form") or NoteForm(),
        "enrolment": Enrolment.objects.filter(learner=request.user,
                                              programme=group.programme).first(),
    }


@staff_only
@require_GET
def group(request, group_pk):
    found, member = _group_or_404(request.user, group_pk)
    _read(request, found)
    return render(request, "training/group.html", _group_context(request, found, member))


@staff_only
@require_POST
def group_post(request, group_pk, action):
    """member, meeting, note, or attendance (with `meeting`)."""
    found, member = _group_or_404(request.user, group_pk)
    programme = content.programme(found.programme.slug)
    user, form = request.user, None
    try:
        if action == "member":
            form = MemberForm(request.POST)
            if not form.is_valid():
                raise Refusal(_("Check the member's details."))
            services.add_member(found, actor=user, **form.cleaned_data)
            done = _("Member added.")
        elif action == "meeting":
            form = MeetingForm(request.POST, topics=programme.topics if programme else ())
            if not form.is_valid():
                raise Refusal(_("Check the meeting's details."))
            services.plan_meeting(found, actor=user, **form.cleaned_data)
            done = _("Meeting planned: its date is the topic's deadline.")
        elif action == "note":
            form = NoteForm(request.POST)
            form.is_valid()
            services.add_note(found, actor=user, **form.cleaned_data)
            done = _("Note added.")
        elif action == "attendance":
            meeting = get_object_or_404(found.meetings, pk=request.POST.get("meeting"))
            services.record_attendance(meeting, actor=user,
                                       present_member_ids=request.POST.getlist("present"))
            done = _("Attendance recorded.")
        else:
            raise Http404
    except Refusal as error:
        forms = {f"{action}_form": form} if form is not None else {}
        return refused(request, error, "training/group.html",
                       _group_context(request, found, member, **forms),
                       form=form if member else None)
    messages.success(request, done)
    return redirect("training:group", group_pk=found.pk)


# --- the supervisor's team ---------------------------------------------------------------------


@require_roles(Role.SUPERVISOR)
@require_GET
def team(request):
    """The matrix of the team's practitioners by topic and task, the reflections shared with me
    and the reviews asked of me: a fixed number of queries for any size of team."""
    learners = team_learners(request.user)
    programmes = list(Programme.objects.filter(enrolments__learner__in=learners).distinct())
    matrices = []
    for row in programmes:
        found = content.programme(row.slug)
        if found is not None:
            matrices.append((row, found, services.team_matrix(request.user, row)))
    shared = list(Reflection.objects.filter(shared=True, enrolment__learner__in=learners)
                  .select_related("enrolment__learner", "enrolment__programme")
                  .annotate(comment_count=Count("comments")).order_by("-updated_at")[:50])
    for reflection in shared:
        found = content.programme(reflection.enrolment.programme.slug)
        topic_ = found.topic(reflection.topic_key) if found else None
        reflection.topic_title = topic_.title if topic_ else reflection.topic_key
        reflection.task_label = content.TASK_LABELS.get(reflection.task_key, "")
    reviews = list(ReviewRequest.objects.filter(reviewer=request.user, completed_at__isnull=True,
                                                enrolment__learner__in=learners)
                   .select_related("enrolment__learner", "enrolment__programme"))
    groups = list(StudyGroup.objects.filter(Q(convener__in=learners) | Q(members__user=request.user))
                  .distinct().annotate(meeting_count=Count("meetings", distinct=True),
                                       member_count=Count("members", distinct=True))
                  .select_related("convener"))
    services.record_read(request.user, None, page="training:team",
                         learners=sum(len(m[2]) for m in matrices))
    return render(request, "training/team.html", {
        "matrices": matrices, "shared": shared, "reviews": reviews, "groups": groups,
        "task_labels": content.TASK_SHORT})

