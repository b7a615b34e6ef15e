"""What the consents app contributes to the client overview and to the Today page."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecomap.clients.models import Client, Status
from ecomap.core.extensions import Panel, client_overview, listing, practitioner_today

from .models import Consent, Disclosure

EXPIRING_WITHIN_DAYS = 30


@client_overview.register(order=40)
def consent_panel(request, client):
    """Consents in force with their recipients and expiry, and the number of disclosures: three
    queries, however many consents and disclosures there are."""
    consents = list(
        Consent.objects.filter(client=client).in_force().prefetch_related("recipients")
        .order_by("-signed_on", "-pk")
    )
    disclosures = Disclosure.objects.filter(client=client).count()
    return Panel(title=_("Consent and disclosure"), template="consents/panels/consents.html",
                 context={"consents": consents, "disclosures": disclosures})


@practitioner_today.register(order=40)
def expiring_consents(request):
    """Consents of the user's active clients that expire within 30 days: two queries."""
    today = timezone.localdate()
    consents = (
        Consent.objects.in_force(today)
        .filter(client__in=Client.objects.for_user(request.user).filter(status=Status.ACTIVE),
                expires_on__lte=today + timedelta(days=EXPIRING_WITHIN_DAYS))
        .select_related("client").order_by("expires_on", "pk")
    )
    items = listing(request, consents)
    return Panel(title=_("Consents expiring within 30 days"),
                 template="consents/panels/expiring.html",
                 context={"consents": items.items}, count=items.total, listing=items)
