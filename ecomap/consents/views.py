"""Consent and disclosure views: each resolves the client through `client_view`, fetches nested
objects through that client (another client's consent is 404), calls a service and renders."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ecomap.clients.access import client_view
from ecomap.core.refusal import refused

from . import services
from .forms import (
    AccountingForm,
    ConsentForm,
    DisclosureForm,
    EmergencyDisclosureForm,
    ExpiryEventForm,
    RecipientFormSet,
    RevokeForm,
)
from .models import Consent, Disclosure

STATUS_ORDER = {"active": 0, "not_yet_signed": 1, "expired": 2, "revoked": 3}


def _consent_for(client, consent_pk) -> Consent:
    return get_object_or_404(
        Consent.objects.filter(client=client).select_related("created_by", "revoked_by")
        .prefetch_related("recipients"),
        pk=consent_pk,
    )


def _disclosure_for(client, disclosure_pk) -> Disclosure:
    return get_object_or_404(
        Disclosure.objects.filter(client=client).select_related("consent", "disclosed_by"),
        pk=disclosure_pk,
    )


@client_view
@require_GET
def consent_list(request, client):
    today = timezone.localdate()
    consents = list(Consent.objects.filter(client=client).prefetch_related("recipients"))
    groups = {"active": [], "not_yet_signed": [], "expired": [], "revoked": []}
    for consent in consents:
        groups[consent.status(today)].append(consent)
    sections = [
        ("active", _("In force"), groups["active"] + groups["not_yet_signed"]),
        ("expired", _("Expired"), groups["expired"]),
        ("revoked", _("Revoked"), groups["revoked"]),
    ]
    return render(request, "consents/consent_list.html",
                  {"client": client, "sections": sections, "total": len(consents)})


@client_view
@require_http_methods(["GET", "POST"])
def consent_create(request, client):
    consent_type = request.GET.get("type", "")
    instance = Consent(client=client, created_by=request.user)
    form = ConsentForm(request.POST or None, instance=instance, consent_type=consent_type)
    formset = RecipientFormSet(request.POST or None, prefix="recipients")
    if request.method == "POST":
        form_ok, formset_ok = form.is_valid(), formset.is_valid()
        if form_ok and formset_ok:
            data = {name: form.cleaned_data[name] for name in services.CONSENT_FIELDS}
            try:
                consent = services.create_consent(client, actor=request.user, data=data,
                                                  recipients=formset.recipients())
            except ValidationError as error:
                return refused(request, error, "consents/consent_form.html",
                               {"client": client, "formset": formset}, form=form)
            else:
                messages.success(request, _("Consent recorded."))
                return redirect("consents:detail", client_pk=client.pk, consent_pk=consent.pk)
    return render(request, "consents/consent_form.html",
                  {"client": client, "form": form, "formset": formset})


@client_view
@require_GET
def consent_detail(request, client, consent_pk):
    consent = _consent_for(client, consent_pk)
    recipients = list(consent.recipients.all())
    disclosures = list(consent.disclosures.select_related("disclosed_by")[:50])
    return render(request, "consents/consent_detail.html", {
        "client": client, "consent": consent, "recipients": recipients,
        "disclosures": disclosures, "scope": consent.scope_summary(recipients),
        "missing": consent.missing_elements(recipients),
    })


def _consent_action(request, client, consent, form, action, title, button, done):
    """Revoke and record-the-expiry-event share this shape: a small form, one service call."""
    context = {"client": client, "consent": consent, "title": title, "button": button}
    if request.method == "POST" and form.is_valid():
        try:
            action(consent, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            return refused(request, error, "consents/consent_action.html", context, form=form)
        else:
            messages.success(request, done)
            return redirect("consents:detail", client_pk=client.pk, consent_pk=consent.pk)
    return render(request, "consents/consent_action.html", context | {"form": form})


@client_view
@require_http_methods(["GET", "POST"])
def consent_revoke(request, client, consent_pk):
    consent = _consent_for(client, consent_pk)
    form = RevokeForm(request.POST or None)
    return _consent_action(request, client, consent, form, services.revoke_consent,
                           _("Record a revocation"), _("Record the revocation"),
                           _("Revocation recorded: the consent permits no further disclosure."))


@client_view
@require_http_methods(["GET", "POST"])
def consent_expiry_event(request, client, consent_pk):
    consent = _consent_for(client, consent_pk)
    form = ExpiryEventForm(request.POST or None)
    return _consent_action(request, client, consent, form, services.record_expiry_event,
                           _("Record the expiry event"), _("Record the event"),
                           _("Expiry event recorded: the consent has ended."))


@client_view
@require_http_methods(["GET", "POST"])
def disclosure_create(request, client):
    form = DisclosureForm(request.POST or None)
    context = {"client": client, "emergency": False}
    if request.method == "POST" and form.is_valid():
        try:
            disclosure = services.record_disclosure(client, actor=request.user, **form.cleaned_data)
        except services.DisclosureRefused as error:
            # Not the form's fault: the page says "do not disclose" and the alert gives why.
            return refused(request, error, "consents/disclosure_form.html",
                           context | {"form": form})
        except ValidationError as error:
            return refused(request, error, "consents/disclosure_form.html", context, form=form)
        else:
            messages.success(request, _("Disclosure recorded. Send the notice with it."))
            return redirect("consents:disclosure_detail", client_pk=client.pk,
                            disclosure_pk=disclosure.pk)
    return render(request, "consents/disclosure_form.html", context | {"form": form})


@client_view
@require_http_methods(["GET", "POST"])
def emergency_disclosure_create(request, client):
    form = EmergencyDisclosureForm(request.POST or None)
    context = {"client": client, "emergency": True}
    if request.method == "POST" and form.is_valid():
        try:
            disclosure = services.record_emergency_disclosure(client, actor=request.user,
                                                              **form.cleaned_data)
        except ValidationError as error:
            return refused(request, error, "consents/disclosure_form.html", context, form=form)
        else:
            messages.success(request, _("Emergency disclosure documented."))
            return redirect("consents:disclosure_detail", client_pk=client.pk,
                            disclosure_pk=disclosure.pk)
    return render(request, "consents/disclosure_form.html", context | {"form": form})


@client_view
@require_GET
def disclosure_detail(request, client, disclosure_pk):
    disclosure = _disclosure_for(client, disclosure_pk)
    return render(request, "consents/disclosure_detail.html",
                  {"client": client, "disclosure": disclosure})


@client_view
@require_GET
def accounting(request, client):
    form = AccountingForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "consents/accounting.html",
                      {"client": client, "form": form, "disclosures": None}, status=400)
    since, until = form.window()
    if not form.is_bound:
        form = AccountingForm(initial={"since": since, "until": until})
    disclosures = list(services.accounting(client, since=since, until=until))
    return render(request, "consents/accounting.html", {
        "client": client, "form": form, "disclosures": disclosures, "since": since,
        "until": until, "generated_at": timezone.now(),
    })
