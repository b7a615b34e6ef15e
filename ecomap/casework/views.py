"""Casework pages. Each view resolves the client through `client_view` (outsiders get 404, and
every request records its one read) and every nested object through that client (another client's
referral is 404), calls one service function, and turns a refusal into messages on the form
(`refused`: the page again, with 400), changing nothing. No view decides a disclosure: the
services (services.py, family.py, letters.py) do, through the consents."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ecomap.clients.access import client_view
from ecomap.consents.models import InformationCategory
from ecomap.core.refusal import Refusal, refused
from ecomap.directory import catalogue
from ecomap.directory import services as directory
from ecomap.directory.models import Service
from ecomap.mutualaid.models import Fellowship
from ecomap.network.models import NetworkMember
from ecomap.reports.pdf import PdfUnavailable

from . import checkin_chart, content, family, letters, services
from .forms import (
    STEP_FORMS,
    AddDocumentForm,
    CadenceForm,
    CheckInForm,
    ContactForm,
    DocumentsForm,
    FamilyLetterForm,
    FamilySessionForm,
    FindServiceForm,
    InvolveForm,
    NeedsForm,
    NewReferralForm,
    SummaryForm,
    TaskForm,
)
from .models import (
    PRIORITY_RANK,
    Cadence,
    CaregiverCheckIn,
    ContactEntry,
    FamilySession,
    Involvement,
    Letter,
    NeedsAssessment,
    Priority,
    ServiceReferral,
    Task,
)

FIND_PAGE_SIZE = 10
CONTACTS_PAGE_SIZE = 25
RECENT = 5


def _status(form_or_flag) -> int:
    return 400 if form_or_flag else 200


def directory_url(service_type: str = "", text: str = "") -> str:
    query = {k: v for k, v in (("service_type", service_type), ("text", text)) if v}
    return reverse("directory:search") + "?" + urlencode(query)


def find_url(client, *, service_type: str = "", need: str = "") -> str:
    query = {k: v for k, v in (("service_type", service_type), ("need", need)) if v}
    return reverse("casework:find", kwargs={"client_pk": client.pk}) + "?" + urlencode(query)


# --- objects through their client -----------------------------------------------------------


def _referral(client, pk) -> ServiceReferral:
    return get_object_or_404(ServiceReferral.objects.filter(client=client), pk=pk)


def _assessment(client, pk) -> NeedsAssessment:
    return get_object_or_404(
        NeedsAssessment.objects.filter(client=client).select_related("assessed_by")
        .prefetch_related("ratings"), pk=pk)


def _member(client, pk) -> NetworkMember:
    return get_object_or_404(NetworkMember.objects.filter(client=client), pk=pk)


def _letter(client, pk) -> Letter:
    return get_object_or_404(Letter.objects.filter(client=client).select_related(
        "disclosure", "disclosure__consent", "created_by"), pk=pk)


# --- needs ----------------------------------------------------------------------------------


def _needs_rows(assessment, previous=None, client=None) -> list[dict]:
    """Each domain with its priority (and the previous one), note and recommended types."""
    ratings = {r.domain: r for r in assessment.ratings.all()} if assessment else {}
    before = {r.domain: r for r in previous.ratings.all()} if previous else {}
    rows = []
    for domain in content.domains():
        rating, earlier = ratings.get(domain.key), before.get(domain.key)
        rows.append({
            "domain": domain, "rating": rating, "previous": earlier,
            "changed": bool(rating and earlier and rating.priority != earlier.priority),
            "types": [{"type": t, "directory": directory_url(t.key),
                       "find": find_url(client, service_type=t.key, need=domain.key)
                       if client else ""} for t in domain.service_types],
        })
    rows.sort(key=lambda r: -PRIORITY_RANK.get(r["rating"].priority, 0) if r["rating"] else 0)
    return rows


@client_view
@require_http_methods(["GET", "POST"])
def needs_new(request, client):
    previous = (NeedsAssessment.objects.filter(client=client).prefetch_related("ratings")
                .first())
    form = NeedsForm(request.POST or None, previous=previous)
    context = {"client": client, "form": form, "previous": previous}
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assess_needs(
                client, actor=request.user, assessed_on=form.cleaned_data["assessed_on"],
                ratings=form.ratings(), note=form.cleaned_data["note"])
        except Refusal as error:
            return refused(request, error, "casework/needs_form.html", context, form=form)
        messages.success(request, _("Needs assessment saved."))
        return redirect("casework:needs", client_pk=client.pk, needs_pk=assessment.pk)
    return render(request, "casework/needs_form.html", context,
                  status=_status(request.method == "POST"))


@client_view
@require_GET
def needs_detail(request, client, needs_pk):
    assessment = _assessment(client, needs_pk)
    history = list(NeedsAssessment.objects.filter(client=client).select_related("assessed_by"))
    older = [a for a in history if (a.assessed_on, a.pk) < (assessment.assessed_on,
                                                             assessment.pk)]
    previous = None
    if older:
        previous = NeedsAssessment.objects.prefetch_related("ratings").get(pk=older[0].pk)
    return render(request, "casework/needs_detail.html", {
        "client": client, "assessment": assessment, "previous": previous,
        "rows": _needs_rows(assessment, previous, client), "history": history,
        "sources": sorted({f"{d.source.title}, {d.source.publisher}"
                           for d in content.domains()}),
    })


# --- home -----------------------------------------------------------------------------------


@client_view
@require_GET
def home(request, client):
    return render(request, "casework/home.html", _home_context(request, client))


def _home_context(request, client) -> dict:
    today = timezone.localdate()
    assessment = (NeedsAssessment.objects.filter(client=client).select_related("assessed_by")
                  .prefetch_related("ratings").first())
    needs = [r for r in _needs_rows(assessment, client=client)
             if r["rating"] and r["rating"].priority != Priority.NONE] if assessment else []
    referrals = list(ServiceReferral.objects.filter(client=client).prefetch_related("documents"))
    tasks = list(Task.objects.filter(client=client, done_on__isnull=True)
                 .select_related("owner", "referral"))
    contacts = list(ContactEntry.objects.filter(client=client).select_related("member")
                    [:RECENT])
    cadence = Cadence.objects.filter(client=client).first()
    involvements = list(Involvement.objects.filter(client=client).select_related("member"))
    consent_views = family.consent_views(client, involvements, today)
    for involvement in involvements:
        involvement.consent_view = consent_views[involvement.member_id]
    for referral in referrals:
        referral.overdue = referral.overdue_reason(today)
        docs = list(referral.documents.all())
        referral.docs_open = sum(1 for d in docs if d.status in ("needed", "requested"))
    return {
        "client": client, "today": today, "assessment": assessment, "needs": needs,
        "open_referrals": [r for r in referrals if r.is_open],
        "closed_referrals": [r for r in referrals if not r.is_open],
        "tasks": tasks, "contacts": contacts, "cadence": cadence,
        "involvements": involvements,
        "task_form": TaskForm(owners=services.possible_owners(client),
                              referrals=ServiceReferral.objects.filter(client=client),
                              initial={"owner": request.user}),
    }


# --- referrals ------------------------------------------------------------------------------


@client_view
@require_http_methods(["GET", "POST"])
def find(request, client):
    """Find a service in the directory and make a draft referral to it."""
    if request.method == "POST":
        form = NewReferralForm(request.POST)
        try:
            referral = _create_referral(request, client, form)
        except Refusal as error:
            return refused(request, error, "casework/find.html", {
                "client": client, "form": FindServiceForm(), "results": [], "page": None,
                "searched": False, "need": None, "new_form": form})
        messages.success(request, _("Draft referral made. Check the documents, then send it."))
        return redirect("casework:referral", client_pk=client.pk, case_referral_pk=referral.pk)
    query = request.GET.copy()
    need = query.pop("need", [""])[-1]
    form = FindServiceForm(query or None)
    results, page = [], None
    if query and form.is_valid():
        ids, distances = directory.search(form.criteria())
        page = Paginator(ids, FIND_PAGE_SIZE).get_page(request.GET.get("page"))
        results = directory.load(list(page.object_list), distances)
    domain = content.domain_map().get(need)
    service_type = form.cleaned_data.get("service_type", "") if form.is_bound and \
        form.is_valid() else ""
    return render(request, "casework/find.html", {
        "client": client, "form": form, "results": results, "page": page,
        "searched": bool(query) and form.is_valid(), "need": domain,
        "new_form": NewReferralForm(initial={"need_domain": need,
                                             "service_type": service_type}),
    }, status=_status(bool(query) and not form.is_valid()))


def _create_referral(request, client, form: NewReferralForm) -> ServiceReferral:
    """The draft referral the form asks for; a Refusal naming each field's problem otherwise."""
    if not form.is_valid():
        raise Refusal([f"{form.fields[name].label}: {' '.join(errors)}" if name != "__all__"
                       else " ".join(errors) for name, errors in form.errors.items()])
    service = Service.objects.select_related("organization").filter(
        pk=form.cleaned_data["service"]).first()
    if service is None:
        raise Refusal(_("This service is not in the directory."))
    return services.create_referral(
        client, actor=request.user, service=service, reason=form.cleaned_data["reason"],
        need_domain=form.cleaned_data["need_domain"],
        service_type=form.cleaned_data["service_type"])


def _referral_context(request, client, referral, **extra) -> dict:
    documents = list(referral.documents.all())
    today = timezone.localdate()
    labels = services.action_labels()
    return {
        "client": client, "referral": referral, "today": today,
        "overdue": referral.overdue_reason(today),
        "events": list(referral.events.select_related("actor")),
        "actions": [(a, labels[a]) for a in services.allowed_actions(referral.status)],
        "documents_form": extra.pop("documents_form", None) or DocumentsForm(
            documents=documents),
        "add_document_form": extra.pop("add_document_form", None) or AddDocumentForm(),
        "tasks": list(referral.tasks.select_related("owner")),
        "letters": list(referral.letters.select_related("created_by")),
        "disclosure": referral.disclosure,
        "need": content.domain_map().get(referral.need_domain),
        "service_type": _type_name(referral.service_type),
        "service_exists": referral.service_id is not None,
        **extra,
    }


def _type_name(key: str) -> str:
    found = catalogue.catalogue().by_key().get(key)
    return found.name if found else ""


@client_view
@require_GET
def referral_detail(request, client, case_referral_pk):
    referral = get_object_or_404(
        ServiceReferral.objects.filter(client=client).select_related("disclosure"),
        pk=case_referral_pk)
    return render(request, "casework/referral.html",
                  _referral_context(request, client, referral))


@client_view
@require_http_methods(["GET", "POST"])
def referral_step(request, client, case_referral_pk, transition):
    """One step of the lifecycle (send, accept, decline, enrol, complete, revoke)."""
    referral = _referral(client, case_referral_pk)
    if transition not in services.TRANSITIONS:
        raise Http404(_("No such step."))
    form_class = STEP_FORMS[transition]
    initial = {}
    if transition == "send":
        # Pre-ticked for a Part 2 client: record_disclosure adds substance use whatever is ticked.
        initial = {"recipient_name": referral.organization_name or referral.service_name,
                   "recipient_kind": "organisation",
                   "categories": [InformationCategory.SUBSTANCE_USE] if client.is_part2 else []}
    form = form_class(request.POST or None, initial=initial)
    allowed = services.can(referral.status, transition)
    context = {
        "client": client, "referral": referral, "form": form, "transition": transition,
        "title": services.action_labels()[transition], "allowed": allowed,
        "substance_use_programme": client.is_part2,
    }
    if request.method == "POST":
        if form.is_valid():
            try:
                referral = services.STEP_FUNCTIONS[transition](
                    referral, actor=request.user, **form.cleaned_data)
            except Refusal as error:
                return refused(request, error, "casework/referral_step.html", context,
                               form=form)
            messages.success(request, _("Referral: %(status)s.") % {
                "status": referral.get_status_display()})
            return redirect("casework:referral", client_pk=client.pk,
                            case_referral_pk=referral.pk)
    elif not allowed:
        messages.info(request, _("A referral that is %(status)s cannot take this step now.") % {
            "status": referral.get_status_display().lower()})
    return render(request, "casework/referral_step.html", context,
                  status=_status(request.method == "POST"))


@client_view
@require_POST
def referral_documents(request, client, case_referral_pk):
    """Save the checklist's statuses, or add a document."""
    referral = _referral(client, case_referral_pk)
    documents = list(referral.documents.all())
    if "label" in request.POST:
        form = AddDocumentForm(request.POST)
        if form.is_valid():
            try:
                services.add_document(referral, actor=request.user,
                                      label=form.cleaned_data["label"])
            except Refusal as error:
                return refused(request, error, "casework/referral.html", _referral_context(
                    request, client, referral, add_document_form=form), form=form)
            messages.success(request, _("Document added to the checklist."))
            return redirect("casework:referral", client_pk=client.pk,
                            case_referral_pk=referral.pk)
        return render(request, "casework/referral.html", _referral_context(
            request, client, referral, add_document_form=form), status=400)
    form = DocumentsForm(request.POST, documents=documents)
    if form.is_valid():
        try:
            changed = services.set_document_statuses(referral, actor=request.user,
                                                     statuses=form.statuses())
        except Refusal as error:
            return refused(request, error, "casework/referral.html", _referral_context(
                request, client, referral, documents_form=form), form=form)
        messages.success(request, _("Checklist saved (%(n)s changed).") % {"n": changed})
        return redirect("casework:referral", client_pk=client.pk, case_referral_pk=referral.pk)
    return render(request, "casework/referral.html", _referral_context(
        request, client, referral, documents_form=form), status=400)


@client_view
@require_http_methods(["GET", "POST"])
def referral_summary(request, client, case_referral_pk):
    """A summary of the referral for the receiving service: a disclosure, with its notice."""
    referral = _referral(client, case_referral_pk)
    categories = list(referral.shared_categories) or (
        [InformationCategory.SUBSTANCE_USE] if client.is_part2 else [])
    form = SummaryForm(request.POST or None, initial={
        "recipient_name": referral.recipient_name or referral.organization_name
        or referral.service_name,
        "recipient_kind": referral.recipient_kind or "organisation", "categories": categories})
    context = {
        "client": client, "referral": referral, "form": form,
        "title": _("Referral summary for %(service)s") % {"service": referral.service_name},
        "back": reverse("casework:referral", kwargs={"client_pk": client.pk,
                                                     "case_referral_pk": referral.pk}),
    }
    if request.method == "POST" and form.is_valid():
        try:
            letter = letters.referral_summary(referral, actor=request.user,
                                              **form.cleaned_data)
        except (Refusal, PdfUnavailable) as error:
            return refused(request, _unmade(error), "casework/letter_form.html", context,
                           form=form)
        messages.success(request, _("Referral summary made and logged as a disclosure. Send "
                                    "the notice with it."))
        return redirect("casework:letter", client_pk=client.pk, letter_pk=letter.pk)
    if request.method == "GET" and not referral.is_open:
        messages.info(request, _("A summary is made only for an open referral; this one is "
                                 "%(status)s.") % {"status": referral.get_status_display().lower()})
    return render(request, "casework/letter_form.html", context,
                  status=_status(request.method == "POST"))


def _unmade(error) -> Refusal:
    """A document that could not be made: the rule's refusal, or no PDF on this server."""
    if isinstance(error, PdfUnavailable):
        return Refusal([str(error), _("Nothing was disclosed or logged.")])
    return error


# --- tasks ----------------------------------------------------------------------------------


@client_view
@require_http_methods(["GET", "POST"])
def task_new(request, client):
    referrals = ServiceReferral.objects.filter(client=client)
    form = TaskForm(request.POST or None, owners=services.possible_owners(client),
                    referrals=referrals,
                    initial={"owner": request.user, "referral": request.GET.get("referral")})
    context = {"client": client, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            task = services.add_task(client, actor=request.user, **form.cleaned_data)
        except Refusal as error:
            return refused(request, error, "casework/task_form.html", context, form=form)
        messages.success(request, _("Task added."))
        if task.referral_id:
            return redirect("casework:referral", client_pk=client.pk,
                            case_referral_pk=task.referral_id)
        return redirect("casework:home", client_pk=client.pk)
    return render(request, "casework/task_form.html", context,
                  status=_status(request.method == "POST"))


@client_view
@require_POST
def task_done(request, client, task_pk):
    task = get_object_or_404(Task.objects.filter(client=client), pk=task_pk)
    try:
        services.complete_task(task, actor=request.user)
    except Refusal as error:
        return refused(request, error, "casework/home.html", _home_context(request, client))
    messages.success(request, _("Task done: %(title)s.") % {"title": task.title})
    if task.referral_id:
        return redirect("casework:referral", client_pk=client.pk,
                        case_referral_pk=task.referral_id)
    return redirect("casework:home", client_pk=client.pk)


# --- contacts -------------------------------------------------------------------------------


def _members(client) -> list[NetworkMember]:
    return list(NetworkMember.objects.filter(client=client, active=True, kind="person"))


def _contacts_context(request, client, form, cadence_form=None) -> dict:
    cadence = Cadence.objects.filter(client=client).first()
    page = Paginator(ContactEntry.objects.filter(client=client).select_related(
        "member", "created_by", "disclosure"), CONTACTS_PAGE_SIZE).get_page(
        request.GET.get("page"))
    return {
        "client": client, "form": form, "page": page, "cadence": cadence,
        "cadence_form": cadence_form or CadenceForm(initial={
            "every_days": cadence.every_days if cadence else None}),
        "today": timezone.localdate(),
    }


@client_view
@require_http_methods(["GET", "POST"])
def contacts(request, client):
    form = ContactForm(request.POST or None, members=_members(client))
    if request.method == "POST" and form.is_valid():
        try:
            services.log_contact(client, actor=request.user, **form.values())
        except Refusal as error:
            return refused(request, error, "casework/contacts.html",
                           _contacts_context(request, client, form), form=form)
        messages.success(request, _("Contact logged."))
        return redirect("casework:contacts", client_pk=client.pk)
    return render(request, "casework/contacts.html", _contacts_context(request, client, form),
                  status=_status(request.method == "POST"))


@client_view
@require_POST
def cadence(request, client):
    form = CadenceForm(request.POST)
    context = _contacts_context(request, client, ContactForm(members=_members(client)), form)
    if not form.is_valid():
        return render(request, "casework/contacts.html", context, status=400)
    try:
        services.set_cadence(client, actor=request.user,
                             every_days=form.cleaned_data["every_days"])
    except Refusal as error:
        return refused(request, error, "casework/contacts.html", context)
    messages.success(request, _("Keep-in-touch reminder saved."))
    return redirect("casework:contacts", client_pk=client.pk)


# --- family ---------------------------------------------------------------------------------


@client_view
@require_GET
def family_page(request, client):
    members = _members(client)
    involvements = {i.member_id: i for i in Involvement.objects.filter(client=client)
                    .select_related("member")}
    views = family.consent_views(client, list(involvements.values()))
    rows = [{"member": m, "involvement": involvements.get(m.pk), "consent": views.get(m.pk),
             "kin": family.is_kin(m)} for m in members]
    rows.sort(key=lambda r: (not r["involvement"], not r["kin"], r["member"].label))
    return render(request, "casework/family.html", {"client": client, "rows": rows})


def _member_context(request, client, member, **extra) -> dict:
    involvement = Involvement.objects.filter(member=member).first()
    view = family.consent_views(client, [involvement])[member.pk] if involvement else None
    checkins = list(CaregiverCheckIn.objects.filter(member=member).order_by("checked_on", "pk"))
    definition = content.checkin()
    latest = checkins[-1] if checkins else None
    return {
        "client": client, "member": member, "involvement": involvement, "consent": view,
        "kin": family.is_kin(member),
        "form": extra.pop("form", None) or InvolveForm(initial={
            "full_name": involvement.full_name if involvement else member.label,
            "caregiver": involvement.caregiver if involvement else False,
            "note": involvement.note if involvement else ""}),
        "sessions": list(FamilySession.objects.filter(member=member).select_related(
            "disclosure")),
        "contacts": list(ContactEntry.objects.filter(member=member)[:RECENT]),
        "checkins": list(reversed(checkins)), "latest": latest, "definition": definition,
        "chart": checkin_chart.svg(checkins, definition) if len(checkins) > 1 else "",
        "supports": [{"support": s, "url": directory_url(s.service_type, s.search_text)}
                     for s in definition.supports],
        "fellowships": list(Fellowship.objects.filter(audience="family", in_catalogue=True)
                            .order_by("name")),
        "letters": list(Letter.objects.filter(member=member).select_related("created_by")),
        **extra,
    }


@client_view
@require_GET
def member_page(request, client, member_pk):
    member = _member(client, member_pk)
    return render(request, "casework/member.html", _member_context(request, client, member))


@client_view
@require_POST
def involve(request, client, member_pk):
    member = _member(client, member_pk)
    form = InvolveForm(request.POST)
    if form.is_valid():
        try:
            family.involve(member, actor=request.user, **form.cleaned_data)
        except Refusal as error:
            return refused(request, error, "casework/member.html",
                           _member_context(request, client, member, form=form), form=form)
        messages.success(request, _("Involvement in care recorded."))
        return redirect("casework:member", client_pk=client.pk, member_pk=member.pk)
    return render(request, "casework/member.html",
                  _member_context(request, client, member, form=form), status=400)


def _family_form(request, client, member_pk, form_class, action, template, success, **kw):
    member = _member(client, member_pk)
    involvement = Involvement.objects.filter(member=member).first()
    form = form_class(request.POST or None, **kw)
    context = {"client": client, "member": member, "involvement": involvement, "form": form,
               "definition": content.checkin()}
    if request.method == "POST" and form.is_valid():
        try:
            result = action(member, form)
        except (Refusal, PdfUnavailable) as error:
            return refused(request, _unmade(error), template, context, form=form)
        messages.success(request, success)
        if isinstance(result, Letter):
            return redirect("casework:letter", client_pk=client.pk, letter_pk=result.pk)
        return redirect("casework:member", client_pk=client.pk, member_pk=member.pk)
    return render(request, template, context, status=_status(request.method == "POST"))


@client_view
@require_http_methods(["GET", "POST"])
def session_new(request, client, member_pk):
    return _family_form(
        request, client, member_pk, FamilySessionForm,
        lambda member, form: family.record_session(member, actor=request.user,
                                                   **form.cleaned_data),
        "casework/session_form.html", _("Session recorded and logged as a disclosure."),
        initial={"kind": "family_psychoeducation"})


@client_view
@require_http_methods(["GET", "POST"])
def checkin_new(request, client, member_pk):
    return _family_form(
        request, client, member_pk, CheckInForm,
        lambda member, form: family.record_checkin(
            member, actor=request.user, checked_on=form.cleaned_data["checked_on"],
            answers=form.answers(), note=form.cleaned_data["note"]),
        "casework/checkin_form.html", _("Check-in recorded."))


@client_view
@require_http_methods(["GET", "POST"])
def family_letter(request, client, member_pk):
    return _family_form(
        request, client, member_pk, FamilyLetterForm,
        lambda member, form: letters.family_letter(member, actor=request.user,
                                                   **form.cleaned_data),
        "casework/family_letter_form.html",
        _("Letter made and logged as a disclosure. Send the notice with it."),
        initial={"categories": [InformationCategory.ATTENDANCE]})


# --- letters --------------------------------------------------------------------------------


def _letter_context(client, letter) -> dict:
    return {"client": client, "letter": letter, "c": letter.content,
            "disclosure": letter.disclosure}


@client_view
@require_GET
def letter_detail(request, client, letter_pk):
    letter = _letter(client, letter_pk)
    return render(request, "casework/letter.html", _letter_context(client, letter))


@client_view
@require_GET
def letter_pdf(request, client, letter_pk):
    """The letter printed again, when the consents still permit it (letters.print_again)."""
    letter = _letter(client, letter_pk)
    try:
        pdf = letters.print_again(letter, actor=request.user)
    except (Refusal, PdfUnavailable) as error:
        if isinstance(error, PdfUnavailable):
            error = Refusal(str(error))
        return refused(request, error, "casework/letter.html", _letter_context(client, letter))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (f'inline; filename="{letter.kind}-'
                                       f'{client.record_number}-{letter.pk}.pdf"')
    return response
