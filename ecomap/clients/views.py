"""Client views: each checks access through `client_view`/`get_client_for`, calls a service and
renders a page (or, for htmx, the page's partial)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ecomap.accounts.models import STAFF_ROLES
from ecomap.audit import services as audit
from ecomap.core.extensions import client_overview
from ecomap.core.http import require_roles
from ecomap.core.refusal import refused

from . import services
from .access import client_view, require_manager
from .forms import (
    ArchiveForm,
    CaseloadFilterForm,
    ClientForm,
    DischargeForm,
    NewClientForm,
    ReadmitForm,
    TransferForm,
    VersionedForm,
)


@require_roles(*STAFF_ROLES)
def caseload(request):
    form = CaseloadFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    clients = services.caseload(request.user, **{k: v for k, v in filters.items() if v})
    page = Paginator(clients, settings.CASELOAD_PAGE_SIZE).get_page(request.GET.get("page"))
    audit.record(
        "ecomap.caseload.searched", actor=request.user,
        data={"filters": {k: v for k, v in filters.items() if v}, "page": page.number,
              "client_ids": [c.pk for c in page.object_list]},
    )
    context = {"form": form, "page": page, "total": page.paginator.count}
    template = "clients/caseload.html#results" if request.htmx else "clients/caseload.html"
    return render(request, template, context)


@require_roles(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def client_create(request):
    form = NewClientForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            client = services.create_client(actor=request.user, data=data)
        except ValidationError as error:  # a Refusal, or full_clean()'s field errors
            return refused(request, error, "clients/client_form.html",
                           {"creating": True}, form=form)
        else:
            messages.success(request, _("Client record created."))
            return redirect("clients:overview", client_pk=client.pk)
    return render(request, "clients/client_form.html", {"form": form, "creating": True})


@client_view
def overview(request, client):
    panels = client_overview.render(request, client)
    return render(request, "clients/overview.html", {"client": client, "panels": panels})


@client_view
@require_http_methods(["GET", "POST"])
def client_edit(request, client):
    form = ClientForm(request.POST or None, instance=client)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.update_client(client, actor=request.user, data=data,
                                   expected_version=form.cleaned_data.get("version"))
        except ValidationError as error:
            return refused(request, error, "clients/client_form.html", {"client": client},
                           form=form)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("clients:overview", client_pk=client.pk)
    return render(request, "clients/client_form.html", {"form": form, "client": client})


def _status_change(request, client, form, action, title, button, *, manager_only=False):
    """The shared shape of discharge, readmit, archive, unarchive and transfer: a small form
    that calls one service function and reports its refusal in the form."""
    if manager_only:
        require_manager(request.user)
    context = {"client": client, "title": title, "button": button}
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        try:
            action(client, actor=request.user, expected_version=version, **data)
        except ValidationError as error:
            return refused(request, error, "clients/status_form.html", context, form=form)
        else:
            messages.success(request, _("%(what)s: done.") % {"what": title})
            return redirect("clients:overview", client_pk=client.pk)
    if request.method == "GET":
        form.initial.setdefault("version", client.version)
    return render(request, "clients/status_form.html", context | {"form": form})


@client_view
@require_http_methods(["GET", "POST"])
def discharge(request, client):
    form = DischargeForm(request.POST or None, client=client)
    return _status_change(request, client, form, services.discharge_client,
                          _("Discharge"), _("Discharge client"))


@client_view
@require_http_methods(["GET", "POST"])
def readmit(request, client):
    form = ReadmitForm(request.POST or None)
    return _status_change(request, client, form, services.readmit_client,
                          _("Readmit"), _("Readmit client"))


@client_view
@require_http_methods(["GET", "POST"])
def archive(request, client):
    form = ArchiveForm(request.POST or None)
    return _status_change(request, client, form, services.archive_client,
                          _("Archive record"), _("Archive record"), manager_only=True)


@client_view
@require_http_methods(["GET", "POST"])
def unarchive(request, client):
    form = VersionedForm(request.POST or None)
    return _status_change(request, client, form, services.unarchive_client,
                          _("Restore from archive"), _("Restore record"), manager_only=True)


@client_view
@require_http_methods(["GET", "POST"])
def transfer(request, client):
    # Managers only: checked in _status_change before the form is used.
    form = TransferForm(request.POST or None, actor=request.user)
    return _status_change(request, client, form, services.transfer_client,
                          _("Transfer"), _("Transfer"), manager_only=True)
