from __future__ import annotations

import csv

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from ecomap.core.http import require_roles

from . import services
from .forms import AuditSearchForm
from .models import AuditEntry

# The admin role by its value: accounts sits above audit (it audits log-ins), so no import of it.
ADMIN = "admin"

HEADERS = [
    ("seq", _("No.")), ("occurred_at", _("Time (UTC)")), ("actor_username", _("User")),
    ("actor_role", _("Role")), ("client", _("Client")), ("action", _("Action")),
    ("outcome", _("Outcome")), ("object_type", _("Object")), ("ip", _("Source")),
    ("request_id", _("Request")),
]
COLUMNS = ["seq", "occurred_at", "actor_username", "actor_role", "client_id", "action",
           "outcome", "object_type", "object_id", "purpose", "request_id", "path", "ip",
           "user_agent", "changes", "data"]


def search(form: AuditSearchForm):
    since, until = form.window()
    entries = AuditEntry.objects.filter(occurred_at__gte=since, occurred_at__lt=until)
    data = form.cleaned_data
    if data.get("user"):
        entries = entries.filter(actor_username__iexact=data["user"])
    if data.get("client"):
        value = data["client"].strip()
        match = Q(client__record_number__iexact=value)
        if value.isdigit():
            match |= Q(client_id=int(value))
        entries = entries.filter(match)
    if data.get("action"):
        entries = entries.filter(action__startswith=data["action"])
    if data.get("outcome"):
        entries = entries.filter(outcome=data["outcome"])
    if data.get("request_id"):
        entries = entries.filter(request_id=data["request_id"])
    sort = data.get("sort") or "-seq"
    field = sort.lstrip("-")
    key = "client__record_number" if field == "client" else field
    prefix = "-" if sort.startswith("-") else ""
    return entries.select_related("client").order_by(f"{prefix}{key}", f"{prefix}seq")


@require_roles(ADMIN)
def audit_log(request):
    """Admins search the log over a time window and sort by any column (ONC 170.315(d)(3))."""
    form = AuditSearchForm(request.GET or None)
    if request.GET and not form.is_valid():
        return render(request, "audit/log.html", {"form": form, "page": None}, status=400)
    if not request.GET:
        form = AuditSearchForm({})
        form.is_valid()
    entries = search(form)
    services.record("ecomap.audit.searched", actor=request.user,
                    data={"filters": {k: str(v) for k, v in form.cleaned_data.items() if v}})
    if request.GET.get("format") == "csv":
        return _csv(entries)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {
        "form": form, "page": page, "sort": form.cleaned_data.get("sort") or "-seq",
        "columns": HEADERS,
    })


@require_roles(ADMIN)
def verify(request):
    report = services.verify_chain()
    services.record("ecomap.audit.verified", actor=request.user,
                    data={"ok": report.ok, "checked": report.checked})
    return render(request, "audit/verify.html", {"report": report})


class _Echo:
    def write(self, value):
        return value


def _csv(entries):
    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow(COLUMNS)
        for entry in entries.iterator(chunk_size=2000):
            yield writer.writerow([getattr(entry, column) for column in COLUMNS])

    response = StreamingHttpResponse(rows(), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="ecomap-audit.csv"'
    return response
