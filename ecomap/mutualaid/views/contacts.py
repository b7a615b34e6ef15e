"""Local contacts: committee members and volunteers who help providers connect clients to meetings
(shared/content/002: establish contacts in local mutual support groups)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ecomap.accounts.models import STAFF_ROLES
from ecomap.core.http import require_roles

from .. import services
from ..forms.contacts import LocalContactForm
from ..models import LocalContact


@require_roles(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def contact_list(request):
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
