"""Directory pages: search (any staff role), a service's page, the service-type catalogue, and the
HSDS import (checked, then confirmed) and export for administrators. No client data is shown here."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ecomap.accounts.models import STAFF_ROLES, Role
from ecomap.audit import services as audit
from ecomap.core.http import require_roles
from ecomap.core.imports import ERROR, INFO, WARNING, ImportRefused, ImportReport
from ecomap.core.refusal import Refusal, refused

from . import catalogue, hsds, services
from .forms import ImportForm, SearchForm
from .models import Attribute, PendingImport, Service

PAGE_SIZE = 20
PENDING_HOURS = 24

staff_only = require_roles(*STAFF_ROLES)
admin_only = require_roles(Role.ADMIN)


@staff_only
def search(request):
    form = SearchForm(request.GET or None)
    context = {"form": form, "page": None, "searched": False}
    if request.GET and form.is_valid():
        ids, distances = services.search(form.criteria())
        page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("page"))
        results = services.load(list(page.object_list), distances)
        for result in results:
            result.schedule_lines = [services.schedule_summary(s) for s in result.schedules]
        context.update(page=page, results=results, searched=True)
    status = 400 if request.GET and not form.is_valid() else 200
    return render(request, "directory/search.html", context, status=status)


@staff_only
def service_detail(request, service_id):
    service = get_object_or_404(Service, pk=service_id)
    result = services.load([service.pk])[0]
    attributes = list(Attribute.objects.filter(link_entity="service", link_id=service.pk))
    return render(request, "directory/service.html", {
        "result": result, "service": service, "attributes": attributes,
        "schedule_lines": [services.schedule_summary(s) for s in result.schedules],
        "documents": list(service.required_documents.all()),
        "areas": list(service.service_areas.all()),
        "contacts": list(service.contacts.all()),
    })


@staff_only
def service_types(request):
    data = catalogue.catalogue()
    return render(request, "directory/types.html", {"types": data.types, "domains": data.domains})


def _pending(request, token) -> PendingImport | None:
    try:
        token = uuid.UUID(str(token))
    except ValueError:
        return None
    return PendingImport.objects.filter(token=token, created_by=request.user,
                                        created_at__gte=timezone.now() - timedelta(
                                            hours=PENDING_HOURS)).first()


def _files(uploads) -> tuple[dict[str, bytes], str]:
    if len(uploads) == 1 and uploads[0].name.lower().endswith(".zip"):
        return hsds.read_zip(uploads[0].read(), uploads[0].name), uploads[0].name
    files = {}
    for upload in uploads:
        files[upload.name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]] = upload.read()
    return files, ", ".join(sorted(files))[:200]


def _by_level(report: ImportReport) -> list[tuple[str, str, list]]:
    """The report's lines grouped by level, errors first: (level, heading, lines)."""
    headings = ((ERROR, _("Errors: rows or files refused")),
                (WARNING, _("Warnings: kept, but changed or to check")), (INFO, _("Notes")))
    return [(level, heading, report.lines_at(level)) for level, heading in headings
            if report.lines_at(level)]


@admin_only
@require_http_methods(["GET", "POST"])
def files(request):
    """Export the directory as an HSDS package; import one (check, then confirm)."""
    action = request.POST.get("action")
    form = ImportForm(request.POST if action == "check" else None,
                      request.FILES if action == "check" else None)
    context = {"form": form, "tables": hsds.TABLES}
    if action == "check" and form.is_valid():
        try:
            package, name = _files(form.cleaned_data["files"])
        except ImportRefused as whole:
            result = hsds.CheckResult.refused(whole)
            name = ""
        else:
            result = hsds.check_package(package, name=name)
        report = result.report
        context.update(report=report, result=result, counts=sorted(result.counts().items()),
                       levels=_by_level(report))
        audit.record("ecomap.directory.import_checked", actor=request.user, data={
            "source": name, "accepted": result.total if result.ok else 0,
            "refused": not result.ok, "read": report.read, "rejected": report.rejected,
            "errors": len(report.lines_at("error"))})
        if result.ok and result.total:
            PendingImport.objects.filter(created_at__lt=timezone.now() - timedelta(
                hours=PENDING_HOURS)).delete()
            pending = PendingImport.objects.create(
                token=uuid.uuid4(), created_by=request.user, name=name,
                data=hsds.zip_bytes(result.files))
            context["token"] = pending.token
    if action == "confirm":
        pending = _pending(request, request.POST.get("token"))
        try:
            if pending is None:
                raise services.DirectoryError(_(
                    "The checked package has expired or was already imported. Check the files "
                    "again; nothing was saved."))
            result = hsds.check_package(hsds.read_zip(bytes(pending.data), pending.name),
                                        name=pending.name)
            counts = services.import_package(result, actor=request.user, source=pending.name)
        except Refusal as error:
            return refused(request, error, "directory/files.html", context)
        pending.delete()
        messages.success(request, _(
            "Imported: %(created)s new, %(updated)s updated, %(unchanged)s unchanged rows.") % {
            "created": counts.total_created, "updated": counts.total_updated,
            "unchanged": counts.total_unchanged})
        return redirect("directory:files")
    return render(request, "directory/files.html", context)


@admin_only
@require_POST
def export(request):
    body = services.export_package(actor=request.user)
    stamp = timezone.localdate().isoformat()
    response = HttpResponse(body, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="hsds-directory-{stamp}.zip"'
    return response
