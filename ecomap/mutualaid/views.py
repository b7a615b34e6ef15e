"""Agency-level mutual-aid pages for staff: the fellowship catalogue, meeting feeds with each import's
validation report, and meeting search. Meetings are public listings, not client records; importing
(uploading a feed file) is for administrators only."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ecomap.accounts.models import STAFF_ROLES
from ecomap.core.http import require_roles

from . import schedule, services
from .client_forms import LocalContactForm
from .forms import MeetingSearchForm, NewFeedForm, ReimportForm
from .models import Fellowship, ImportRun, LocalContact, Meeting, MeetingFeed
from .search import Query, search

REPORT_PAGE = 100


@require_roles(*STAFF_ROLES)
def fellowship_list(request):
    fellowships = Fellowship.objects.filter(in_catalogue=True).annotate(
        meeting_count=Count("meetings", filter=Q(meetings__active=True)))
    return render(request, "mutualaid/fellowship_list.html", {
        "self_help": [f for f in fellowships if f.audience == "self"],
        "family": [f for f in fellowships if f.audience == "family"],
        "empty": not fellowships,
    })


@require_roles(*STAFF_ROLES)
def fellowship_detail(request, slug):
    fellowship = get_object_or_404(Fellowship, slug=slug)
    feeds = list(fellowship.feeds.all())
    return render(request, "mutualaid/fellowship_detail.html",
                  {"fellowship": fellowship, "facts": fellowship.fact_rows(), "feeds": feeds})


def _read_upload(form) -> tuple[bytes, bytes | None]:
    formats = form.cleaned_data.get("formats")
    return form.cleaned_data["file"].read(), formats.read() if formats else None


@require_roles(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def feed_list(request):
    form = None
    if request.user.is_admin:
        form = NewFeedForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data, formats = _read_upload(form)
            try:
                run = services.new_feed_from_upload(
                    actor=request.user, name=form.cleaned_data["name"],
                    fellowship=form.cleaned_data["fellowship"],
                    format=form.cleaned_data["format"],
                    timezone_name=form.cleaned_data["timezone"], data=data,
                    filename=form.cleaned_data["file"].name, formats=formats)
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            except services.MutualAidError as error:
                form.add_error("file", str(error))
            else:
                messages.success(request, _("Feed created and imported."))
                return redirect("mutualaid:run", feed_pk=run.feed_id, run_pk=run.pk)
    elif request.method == "POST":
        raise PermissionDenied(_("Only administrators import feeds."))
    feeds = list(MeetingFeed.objects.select_related("fellowship"))
    return render(request, "mutualaid/feed_list.html", {"feeds": feeds, "form": form},
                  status=400 if form is not None and form.errors else 200)


@require_roles(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def feed_detail(request, feed_pk):
    feed = get_object_or_404(MeetingFeed.objects.select_related("fellowship"), pk=feed_pk)
    form = None
    if request.user.is_admin:
        form = ReimportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data, formats = _read_upload(form)
            run = services.import_feed(feed, actor=request.user, data=data, formats=formats,
                                       source=form.cleaned_data["file"].name)
            if run.refused:
                messages.error(request, _("The file was refused; nothing changed."))
            else:
                messages.success(request, _("Imported."))
            return redirect("mutualaid:run", feed_pk=feed.pk, run_pk=run.pk)
    elif request.method == "POST":
        raise PermissionDenied(_("Only administrators import feeds."))
    runs = list(feed.runs.defer("report")[:50])
    return render(request, "mutualaid/feed_detail.html", {"feed": feed, "runs": runs,
                                                          "form": form},
                  status=400 if form is not None and form.errors else 200)


@require_roles(*STAFF_ROLES)
def run_detail(request, feed_pk, run_pk):
    run = get_object_or_404(ImportRun.objects.select_related("feed__fellowship"), pk=run_pk,
                            feed_id=feed_pk)
    entries = run.report.get("entries", [])
    show = request.GET.get("show", "")
    code = request.GET.get("code", "")
    if show == "rejected":
        entries = [e for e in entries if e["outcome"] == "rejected"]
    if code:
        entries = [e for e in entries if any(w["code"] == code for w in e["warnings"])]
    page = Paginator(entries, REPORT_PAGE).get_page(request.GET.get("page"))
    return render(request, "mutualaid/run_detail.html", {
        "run": run, "feed": run.feed, "page": page, "show": show, "code": code,
        "warning_counts": run.report.get("warning_counts", {}),
        "rejection_counts": run.report.get("rejection_counts", {}),
        "notes": run.report.get("notes", []),
    })


def _query(data) -> Query:
    return Query(lat=data.get("lat"), lng=data.get("lng"), radius_km=data.get("radius_km") or 10,
                 days=frozenset(data.get("days") or ()), time_from=data.get("time_from"),
                 time_to=data.get("time_to"), types=frozenset(data.get("types") or ()),
                 languages=frozenset(data.get("languages") or ()),
                 attendance=data.get("attendance") or "any",
                 fellowships=frozenset(f.pk for f in data.get("fellowships") or ()), limit=50)


@require_roles(*STAFF_ROLES)
def meeting_search(request):
    form = MeetingSearchForm(request.GET or None)
    result = None
    if request.GET and form.is_valid():
        result = search(_query(form.cleaned_data), timezone.now())
    return render(request, "mutualaid/meeting_search.html", {"form": form, "result": result},
                  status=400 if form.errors else 200)


@require_roles(*STAFF_ROLES)
def meeting_detail(request, meeting_pk):
    meeting = get_object_or_404(Meeting.objects.select_related("feed", "fellowship"),
                                pk=meeting_pk)
    upcoming = schedule.occurrences(meeting, timezone.now(), 4)
    return render(request, "mutualaid/meeting_detail.html", {
        "meeting": meeting, "upcoming": upcoming, "feed": meeting.feed})


@require_roles(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def contact_list(request):
    """Local contacts: committee members and volunteers who help providers connect clients to
    meetings (shared/content/002: establish contacts in local mutual support groups)."""
    form = LocalContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        contact = services.save_contact(form, actor=request.user)
        messages.success(request, _("Contact %(name)s added.") % {"name": contact.name})
        return redirect("mutualaid:contacts")
    contacts = list(LocalContact.objects.select_related("fellowship"))
    return render(request, "mutualaid/contact_list.html", {"contacts": contacts, "form": form},
                  status=400 if form.errors else 200)


@require_roles(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def contact_edit(request, contact_pk):
    contact = get_object_or_404(LocalContact, pk=contact_pk)
    form = LocalContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        services.save_contact(form, actor=request.user)
        messages.success(request, _("Contact saved."))
        return redirect("mutualaid:contacts")
    return render(request, "mutualaid/contact_form.html", {"contact": contact, "form": form},
                  status=400 if form.errors else 200)
