"""Network views: the interview, the network page with its eco-map, assessments and their
comparison, re-assessment, and the network-for-change plan. Every view resolves the client
through `client_view`, and every member or assessment through that client."""

from __future__ import annotations

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from ecomap.clients.access import client_view
from ecomap.consents.notice import STATEMENT_2
from ecomap.core.refusal import Refusal, refused
from ecomap.reports.pdf import PdfUnavailable, render_pdf

from . import (
    ecomap_drawing,
    ecomap_layout,
    ecomap_text,
    exports,
    interchange,
    interventions,
    metrics,
    services,
    summary,
)
from .forms import (
    AnswerForm,
    AssessmentForm,
    CircleForm,
    ExportForm,
    ImportForm,
    MemberForm,
    ReviewForm,
    SupporterForm,
    SupporterReviewForm,
    TiesForm,
)
from .graph import Network
from .models import Assessment, NetworkMember, Supporter
from .prompts import BY_SLUG, PROMPTS

STEPS = [("prompts", gettext_lazy("1. Who is in your life")),
         ("circles", gettext_lazy("2. Circles of closeness")),
         ("ties", gettext_lazy("3. Who knows whom")), ("details", gettext_lazy("4. Details"))]


MAP_COLUMNS = [("label", gettext_lazy("Member")), ("relationship_label", gettext_lazy("Relationship")),
               ("sector_label", gettext_lazy("Sector")), ("circle_label", gettext_lazy("Circle")),
               ("contact_label", gettext_lazy("Contact")),
               ("support_received", gettext_lazy("Support received")),
               ("support_given", gettext_lazy("Support given")),
               ("valence_label", gettext_lazy("Quality")), ("strength_label", gettext_lazy("Tie"))]
CHANGE_COLUMN = ("change_label", gettext_lazy("Change"))


def people_changes(before, after) -> dict:
    """The comparison's people, by label, for the table next to the map."""
    diff = ecomap_layout.diff(before, after)
    labels = {m.key: m.label for m in (*before.members, *after.members)}
    return {
        "diff": diff,
        "added": [labels[k] for k in diff.added],
        "gone": [labels[k] for k in diff.gone],
        "moved": [{"label": labels[k], "from_circle": a, "to_circle": b} for k, a, b in diff.moved],
        "valence_changed": [{"label": labels[k], "before": a, "after": b}
                            for k, a, b in diff.valence_changed],
        "ties_added": len(diff.ties_added), "ties_gone": len(diff.ties_gone),
    }


def _member(client, member_pk) -> NetworkMember:
    return get_object_or_404(NetworkMember, client=client, pk=member_pk)


def _home_context(client, form=None) -> dict:
    network = services.current_network(client)
    profile = metrics.profile(network)
    return {
        "client": client, "network": network, "profile": profile,
        "svg": ecomap_drawing.render(network, client_label=client.display_name, id_prefix="live"),
        "rows": ecomap_text.text_alternative(network), "map_columns": MAP_COLUMNS,
        "measures": summary.rows(profile),
        "recommendations": interventions.recommend(
            interventions.client_profile(client, profile), accepted=set(
            client.accepted_interventions.values_list("rule_id", flat=True))),
        "accepted": list(client.accepted_interventions.all()),
        "assessments": list(client.network_assessments.all()[:20]),
        "form": form or AssessmentForm(),
    }


@client_view
def home(request, client):
    """The network now: eco-map, text alternative, measures, recommendations, history."""
    return render(request, "network/home.html", _home_context(client))


@client_view
@require_http_methods(["GET", "POST"])
def interview(request, client):
    step = request.GET.get("step", "prompts")
    if step not in dict(STEPS):
        step = "prompts"
    prompt = BY_SLUG.get(request.GET.get("prompt", ""), PROMPTS[0])
    form = AnswerForm(request.POST or None, prompt=prompt)
    # htmx swaps only 2xx answers, so the prompt area answers 200 with the form's errors in it.
    template = "network/interview.html#prompt-area" if request.htmx else "network/interview.html"
    if request.method == "POST" and form.is_valid():
        try:
            member, created = services.answer_prompt(
                client, actor=request.user, prompt=prompt.slug,
                label=form.cleaned_data["label"],
                relationship=form.cleaned_data["relationship"])
        except ValidationError as error:
            response = refused(request, error, template,
                               _interview_context(client, step, prompt, form), form=form)
            if request.htmx:
                response.status_code = 200
            return response
        note = _("%(name)s added.") if created else _("%(name)s: noted under this question too.")
        form = AnswerForm(prompt=prompt)
        form.status = note % {"name": member.label}
    status = 400 if form.errors and not request.htmx else 200
    return render(request, template, _interview_context(client, step, prompt, form), status=status)


def _interview_context(client, step, prompt, form):
    members = list(services.members_of(client))
    index = PROMPTS.index(prompt)
    context = {"client": client, "step": step, "steps": STEPS, "prompt": prompt, "form": form,
               "prompts": PROMPTS, "members": members, "prompt_number": index + 1,
               "next_prompt": PROMPTS[index + 1] if index + 1 < len(PROMPTS) else None,
               "previous_prompt": PROMPTS[index - 1] if index > 0 else None}
    if step == "ties":
        # Each pair once: a member's row lists the members after them, so ticking a box never
        # depends on another row's state.
        ties = services.tie_map(client)
        context["tie_rows"] = [
            (m, [(o, o.pk in ties.get(m.pk, set())) for o in members[i + 1:]])
            for i, m in enumerate(members[:-1])]
    return context


@client_view
@require_POST
def set_circle(request, client, member_pk):
    member = _member(client, member_pk)
    form = CircleForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Choose the inner, middle or outer circle."))
    member = services.update_member(member, actor=request.user,
                                    data={"circle": form.cleaned_data["circle"]})
    if request.htmx:
        return render(request, "network/interview.html#circle-row", {"client": client,
                                                                     "member": member})
    return redirect(f"{request.path.rsplit('/members/', 1)[0]}/interview/?step=circles")


@client_view
@require_POST
def set_ties(request, client, member_pk):
    member = _member(client, member_pk)
    members = list(services.members_of(client))
    if member not in members:
        return HttpResponseBadRequest(_("This member has left the network."))
    row = members[members.index(member) + 1:]  # the pairs this row of the grid shows
    form = TiesForm(request.POST, others=row)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Choose people from this client's network."))
    services.set_ties(member, actor=request.user, knows=set(form.cleaned_data["knows"]),
                      among={m.pk for m in row})
    if request.htmx:
        return render(request, "network/interview.html#ties-saved", {"member": member})
    return redirect(f"{request.path.rsplit('/members/', 1)[0]}/interview/?step=ties")


@client_view
@require_http_methods(["GET", "POST"])
def member_edit(request, client, member_pk):
    member = _member(client, member_pk)
    form = MemberForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_member(member, actor=request.user, data={
                name: form.cleaned_data[name] for name in services.MEMBER_FIELDS})
        except ValidationError as error:
            member.refresh_from_db()
            return refused(request, error, "network/member_form.html",
                           {"client": client, "member": member}, form=form)
        messages.success(request, _("%(name)s saved.") % {"name": member.label})
        return redirect(reverse("network:interview", kwargs={"client_pk": client.pk})
                        + "?step=details")
    member.refresh_from_db()
    return render(request, "network/member_form.html", {"client": client, "member": member,
                                                        "form": form},
                  status=400 if form.errors else 200)


@client_view
@require_POST
def member_leave(request, client, member_pk):
    member = _member(client, member_pk)
    try:
        services.remove_member(member, actor=request.user)
    except Refusal as error:
        return refused(request, error, "network/home.html", _home_context(client))
    messages.success(request, _("%(name)s is no longer shown in the network.") % {
        "name": member.label})
    return redirect("network:home", client_pk=client.pk)


@client_view
@require_POST
def assessment_create(request, client):
    form = AssessmentForm(request.POST)
    if not form.is_valid():
        return render(request, "network/home.html", _home_context(client, form), status=400)
    try:
        assessment = services.save_assessment(
            client, actor=request.user, on=form.cleaned_data["assessed_on"],
            notes=form.cleaned_data["notes"])
    except ValidationError as error:
        return refused(request, error, "network/home.html", _home_context(client, form),
                       form=form)
    messages.success(request, _("Assessment saved."))
    return redirect("network:assessment", client_pk=client.pk, assessment_pk=assessment.pk)


@client_view
def assessment_detail(request, client, assessment_pk):
    assessment = get_object_or_404(Assessment, client=client, pk=assessment_pk)
    network = assessment.network
    return render(request, "network/assessment.html", {
        "client": client, "assessment": assessment, "network": network,
        "svg": ecomap_drawing.render(network, client_label=client.display_name, id_prefix="a"),
        "rows": ecomap_text.text_alternative(network), "map_columns": MAP_COLUMNS,
        "measures": summary.rows(assessment.metrics),
        "others": client.network_assessments.exclude(pk=assessment.pk),
    })


@client_view
def compare(request, client):
    """Two assessments side by side: who came and went, who moved, every measure's change."""
    chosen = client.network_assessments.filter(pk__in=[request.GET.get("before") or 0,
                                                       request.GET.get("after") or 0])
    pair = sorted(chosen, key=lambda a: (a.assessed_on, a.pk))
    if len(pair) != 2:
        messages.error(request, _("Choose two different assessments of this client to compare."))
        return redirect("network:home", client_pk=client.pk)
    before, after = pair
    return render(request, "network/compare.html", {
        "client": client, "before": before, "after": after,
        "people": people_changes(before.network, after.network),
        "map_columns": [*MAP_COLUMNS, CHANGE_COLUMN],
        "svg": ecomap_drawing.render(after.network, client_label=client.display_name,
                                 compare_to=before.network, id_prefix="cmp"),
        "rows": ecomap_text.text_alternative(after.network, compare_to=before.network),
        "changes": summary.changes(before.metrics, after.metrics),
    })


@client_view
@require_http_methods(["GET", "POST"])
def review(request, client):
    """Re-assessment: go through the last assessment's people. 'Is X still in your life, and in
    which circle now?'"""
    last = services.last_assessment(client)
    if last is None:
        messages.info(request, _("There is no earlier assessment yet: start with the interview."))
        return redirect("network:interview", client_pk=client.pk)
    keys = [m["key"] for m in last.snapshot["members"]]
    members = {str(m.key): m for m in NetworkMember.objects.filter(client=client, key__in=keys)}
    rows = []
    for key in keys:
        member = members.get(key)
        if member is None:
            continue
        form = ReviewForm(request.POST or None, prefix=f"m{member.pk}", initial={
            "still_in_life": "yes" if member.active else "no", "circle": member.circle})
        rows.append((member, form))
    if request.method == "POST" and all(form.is_valid() for _member, form in rows):
        for member, form in rows:
            services.review_member(member, actor=request.user,
                                   still_in_life=form.cleaned_data["still_in_life"],
                                   circle=form.cleaned_data["circle"])
        messages.success(request, _("Network updated from the last assessment. Add anyone new, "
                                    "then save the new assessment."))
        return redirect("network:interview", client_pk=client.pk)
    return render(request, "network/review.html", {"client": client, "last": last, "rows": rows},
                  status=400 if request.method == "POST" else 200)


@client_view
@require_http_methods(["GET", "POST"])
def supporters(request, client):
    """The SBNT network for change: supporters the client chose, their role and agreed task."""
    candidates = services.members_of(client).filter(supporter__isnull=True)
    member = None
    if request.method == "POST":
        member = get_object_or_404(candidates, pk=request.POST.get("member") or 0)
    form = SupporterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_supporter(member, actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            return refused(request, error, "network/supporters.html",
                           _supporters_context(client, form, member), form=form)
        messages.success(request, _("%(name)s added to the network for change.") % {
            "name": member.label})
        return redirect("network:supporters", client_pk=client.pk)
    status = 400 if form.errors else 200
    return render(request, "network/supporters.html", _supporters_context(client, form, member),
                  status=status)


def _supporters_context(client, form, member=None, review_form=None) -> dict:
    return {
        "client": client, "form": form, "selected": member,
        "supporters": list(Supporter.objects.filter(member__client=client)
                           .select_related("member").prefetch_related("reviews")),
        "candidates": services.members_of(client).filter(supporter__isnull=True),
        "review_form": review_form or SupporterReviewForm(),
    }


@client_view
@require_POST
def supporter_review(request, client, supporter_pk):
    supporter = get_object_or_404(Supporter, member__client=client, pk=supporter_pk)
    form = SupporterReviewForm(request.POST)
    context = _supporters_context(client, SupporterForm(), review_form=form)
    if not form.is_valid():
        # The page shows one review form per supporter: the errors go in the alert box.
        return refused(request, Refusal([e for errors in form.errors.values() for e in errors]),
                       "network/supporters.html", context)
    try:
        services.review_supporter(supporter, actor=request.user, data=form.cleaned_data)
    except ValidationError as error:
        return refused(request, error, "network/supporters.html", context)
    messages.success(request, _("Review saved."))
    return redirect("network:supporters", client_pk=client.pk)


@client_view
@require_POST
def accept(request, client):
    """Take a recommended intervention into the client's plan (the rule is re-checked now)."""
    profile = interventions.client_profile(client, metrics.profile(services.current_network(client)))
    match = next((m for m in interventions.recommend(profile)
                  if m.rule.id == request.POST.get("rule")), None)
    try:
        if match is None:
            raise services.NetworkError(_("That recommendation no longer applies to this network."))
        services.accept_intervention(client, actor=request.user, rule_id=match.rule.id,
                                     intervention=str(match.rule.intervention),
                                     reason=match.reason, note=request.POST.get("note", "")[:2000])
    except Refusal as error:
        return refused(request, error, "network/home.html", _home_context(client))
    messages.success(request, _("Added to the client's plan."))
    return redirect("network:home", client_pk=client.pk)


IMPORT_SALT = "ecomap.network.import"


def _import_file(upload):
    data = upload.read()
    if upload.name.lower().endswith(".zip"):
        return interchange.import_network_canvas_zip(data, name=upload.name)
    return interchange.import_graphml(data, name=upload.name)


def _preview(client, network) -> dict:
    existing = {services.normal(m.label) for m in services.members_of(client)}
    return {
        "members": [m for m in network.members if services.normal(m.label) not in existing],
        "skipped": [m.label for m in network.members if services.normal(m.label) in existing],
        "payload": signing.dumps(network.to_dict(), salt=IMPORT_SALT, compress=True),
    }


@client_view
@require_http_methods(["GET", "POST"])
def export_import(request, client):
    """Files for research tools out, and such files in (checked, then confirmed)."""
    assessments = list(client.network_assessments.all()[:50])
    action = request.POST.get("action")
    export_form = ExportForm(request.POST if action == "export" else None, assessments=assessments)
    import_form = ImportForm(request.POST if action == "check" else None,
                             request.FILES if action == "check" else None)
    context = {"client": client, "export_form": export_form, "import_form": import_form}
    if action == "export":
        if not export_form.is_valid():
            return render(request, "network/export.html", context, status=400)
        data = export_form.cleaned_data
        try:
            made = exports.export_network_file(
                client, actor=request.user, format=data["format"], source=data["source"],
                redact_labels=data["redact_labels"], recipient_name=data["recipient_name"],
                recipient_kind=data["recipient_kind"], purpose=data["purpose"])
        except Refusal as error:
            return refused(request, error, "network/export.html", context, form=export_form)
        response = HttpResponse(made.body, content_type=made.content_type)
        response["Content-Disposition"] = f'attachment; filename="{made.filename}"'
        return response
    if action == "check" and import_form.is_valid():
        result = _import_file(import_form.cleaned_data["file"])
        context["report"] = result.report
        if result.ok and result.network is not None and result.network.n:
            context["preview"] = _preview(client, result.network)
    if action == "confirm":
        try:
            try:
                network = Network.from_dict(signing.loads(
                    request.POST.get("payload", ""), salt=IMPORT_SALT, max_age=3600))
            except (signing.BadSignature, ValueError, TypeError, KeyError):
                raise services.NetworkError(_("The checked file has expired or was altered. "
                                              "Check the file again; nothing was saved.")) from None
            created, _skipped = services.import_network(client, actor=request.user,
                                                        network=network)
        except ValidationError as error:
            return refused(request, error, "network/export.html", context)
        messages.success(request, _("%(n)s members added.") % {"n": len(created)})
        return redirect("network:home", client_pk=client.pk)
    return render(request, "network/export.html", context)


@client_view
def assessment_pdf(request, client, assessment_pk):
    """The assessment as a printable PDF: the same eco-map SVG, the member table, the measures."""
    assessment = get_object_or_404(Assessment, client=client, pk=assessment_pk)
    network = assessment.network
    notice = STATEMENT_2 if client.is_part2 else ""
    try:
        pdf = render_pdf("network/assessment_pdf.html", {
            "client": client, "assessment": assessment, "printed_at": timezone.now(),
            "svg": ecomap_drawing.render(network, client_label=client.display_name, id_prefix="pdf"),
            "rows": ecomap_text.text_alternative(network), "map_columns": MAP_COLUMNS,
            "measures": summary.rows(assessment.metrics), "part2_notice": notice,
        })
    except PdfUnavailable as error:
        messages.error(request, str(error))
        return redirect("network:assessment", client_pk=client.pk, assessment_pk=assessment.pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="network-{client.record_number}-{assessment.assessed_on}.pdf"')
    return response
