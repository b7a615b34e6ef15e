"""Meeting feeds and each import's report. Importing (uploading a feed file) is for administrators."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ecomap.accounts.models import STAFF_ROLES
from ecomap.core.http import require_roles
from ecomap.core.refusal import refused

from .. import services
from ..forms.meetings import NewFeedForm, ReimportForm
from ..models import ImportRun, MeetingFeed

REPORT_PAGE = 100


def _read_upload(form) -> tuple[bytes, bytes | None]:
    formats = form.cleaned_data.get("formats")
    return form.cleaned_data["file"].read(), formats.read() if formats else None


@require_roles(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def feed_list(request):
    if request.method == "POST" and not request.user.is_admin:
        raise PermissionDenied(_("Only administrators import feeds."))
    form = NewFeedForm(request.POST or None, request.FILES or None) \
        if request.user.is_admin else None
    context = {"feeds": list(MeetingFeed.objects.select_related("fellowship")), "form": form}
    if request.method == "POST" and form.is_valid():
        data, formats = _read_upload(form)
        try:
            run = services.new_feed_from_upload(
                actor=request.user, name=form.cleaned_data["name"],
                fellowship=form.cleaned_data["fellowship"], format=form.cleaned_data["format"],
                timezone_name=form.cleaned_data["timezone"], data=data,
                filename=form.cleaned_data["file"].name, formats=formats)
        except ValidationError as error:  # a Refusal, or a model's full_clean()
            return refused(request, error, "mutualaid/feed_list.html", context, form=form)
        messages.success(request, _("Feed created and imported."))
        return redirect("mutualaid:run", feed_pk=run.feed_id, run_pk=run.pk)
    return render(request, "mutualaid/feed_list.html", context,
                  status=400 if form is not None and form.errors else 200)


@require_roles(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def feed_detail(request, feed_pk):
    if request.method == "POST" and not request.user.is_admin:
        raise PermissionDenied(_("Only administrators import feeds."))
    feed = get_object_or_404(MeetingFeed.objects.select_related("fellowship"), pk=feed_pk)
    form = ReimportForm(request.POST or None, request.FILES or None) \
        if request.user.is_admin else None
    if request.method == "POST" and form.is_valid():
        data, formats = _read_upload(form)
        run = services.import_feed(feed, actor=request.user, data=data, formats=formats,
                                   source=form.cleaned_data["file"].name)
        # A refused file is kept as a run that says why: its page shows the reason.
        if run.refused:
            messages.error(request, _("The file was refused; nothing changed."))
        else:
            messages.success(request, _("Imported."))
        return redirect("mutualaid:run", feed_pk=feed.pk, run_pk=run.pk)
    runs = list(feed.runs.defer("report")[:50])
    return render(request, "mutualaid/feed_detail.html",
                  {"feed": feed, "runs": runs, "form": form},
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
