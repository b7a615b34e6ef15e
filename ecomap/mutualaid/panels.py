"""What mutual support contributes to the client overview and to the Today page."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Case, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecomap.clients.models import Client, Status
from ecomap.core.extensions import Panel, client_overview, listing, practitioner_today

from . import warning_signs
from .models import Alert, AlertStatus, FellowshipReferral, Profile, ReferralStatus

DUE_SOON_DAYS = 7


@client_overview.register(order=45)
def mutual_support_panel(request, client):
    """Active referrals with their next follow-up, and open warning signs: three queries."""
    referrals = list(FellowshipReferral.objects.filter(client=client, status=ReferralStatus.ACTIVE)
                     .select_related("fellowship"))
    alerts = Alert.objects.filter(client=client, status=AlertStatus.OPEN).count()
    has_profile = Profile.objects.filter(client=client).exists()
    return Panel(title=_("Mutual support"), template="mutualaid/panels/overview.html", context={
        "client": client, "referrals": referrals, "alerts": alerts, "has_profile": has_profile,
        "today": timezone.localdate(),
        "url": reverse("mutualaid_client:home", kwargs={"client_pk": client.pk}),
    }, count=alerts or None)


def _active_clients(user):
    return Client.objects.for_user(user).filter(status=Status.ACTIVE)


@practitioner_today.register(order=20)
def warning_signs_today(request):
    """Warning signs of the user's active clients not yet resolved. On Today: the open ones in full,
    the oldest first, and the acknowledged ones folded into a count (three queries). On the panel's
    own page: every unresolved one, open first, or the acknowledged ones only (`?show=acknowledged`)."""
    unresolved = (Alert.objects.filter(client__in=_active_clients(request.user))
                  .exclude(status=AlertStatus.RESOLVED).select_related("client"))
    full = getattr(request, "today_full", False)  # the panel's own page (core.extensions)
    acknowledged_only = full and request.GET.get("show") == "acknowledged"
    by_age = ("raised_on", "pk")  # the oldest first: it has waited longest
    if acknowledged_only:
        shown = unresolved.filter(status=AlertStatus.ACKNOWLEDGED).order_by(*by_age)
    elif full:
        open_first = Case(When(status=AlertStatus.OPEN, then=Value(0)), default=Value(1))
        shown = unresolved.order_by(open_first, *by_age)
    else:
        shown = unresolved.filter(status=AlertStatus.OPEN).order_by(*by_age)
    items = listing(request, shown)
    acknowledged = 0 if full else unresolved.filter(status=AlertStatus.ACKNOWLEDGED).count()
    if not items.total and not acknowledged:
        return None
    return Panel(title=_("Warning signs (mutual support)"),
                 template="mutualaid/panels/alerts.html",
                 context={"alerts": items.items, "acknowledged": acknowledged,
                          "rules": warning_signs.rules()},
                 count=None if acknowledged_only else items.total or None, listing=items)


@practitioner_today.register(order=40)
def follow_ups_due(request):
    """Mutual-support follow-ups due within a week or overdue, the earliest (overdue) first: two
    queries."""
    today = timezone.localdate()
    due = (FellowshipReferral.objects.filter(client__in=_active_clients(request.user),
                                   status=ReferralStatus.ACTIVE,
                                   next_follow_up_on__lte=today + timedelta(days=DUE_SOON_DAYS))
           .select_related("client", "fellowship").order_by("next_follow_up_on", "pk"))
    items = listing(request, due)
    if not items.total:
        return None
    return Panel(title=_("Mutual-support follow-ups due"),
                 template="mutualaid/panels/follow_ups.html",
                 context={"referrals": items.items, "today": today}, count=items.total,
                 listing=items)
