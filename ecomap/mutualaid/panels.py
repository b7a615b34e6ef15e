"""What mutual support contributes to the client overview and to the Today page."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Case, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecomap.clients.models import Client, Status
from ecomap.core.extensions import Panel, client_overview, practitioner_today

from . import warning_signs
from .models import Alert, AlertStatus, FellowshipReferral, Profile, ReferralStatus

SHOWN = 10
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
    """Warning signs of the user's active clients not yet resolved: open ones first, newest first
    within each; two
    queries (the page, then the total when it is longer than a page)."""
    open_first = Case(When(status=AlertStatus.OPEN, then=Value(0)), default=Value(1))
    alerts = (Alert.objects.filter(client__in=_active_clients(request.user))
              .exclude(status=AlertStatus.RESOLVED)
              .select_related("client").order_by(open_first, "-raised_on", "-pk"))
    shown = list(alerts[:SHOWN])
    if not shown:
        return None
    total = len(shown) if len(shown) < SHOWN else alerts.count()
    return Panel(title=_("Warning signs (mutual support)"),
                 template="mutualaid/panels/alerts.html",
                 context={"alerts": shown, "total": total, "rules": warning_signs.rules()},
                 count=total)


@practitioner_today.register(order=40)
def follow_ups_due(request):
    """Mutual-support follow-ups due within a week or overdue, the earliest first: two queries."""
    today = timezone.localdate()
    due = (FellowshipReferral.objects.filter(client__in=_active_clients(request.user),
                                   status=ReferralStatus.ACTIVE,
                                   next_follow_up_on__lte=today + timedelta(days=DUE_SOON_DAYS))
           .select_related("client", "fellowship").order_by("next_follow_up_on", "pk"))
    shown = list(due[:SHOWN])
    if not shown:
        return None
    total = len(shown) if len(shown) < SHOWN else due.count()
    return Panel(title=_("Mutual-support follow-ups due"),
                 template="mutualaid/panels/follow_ups.html",
                 context={"referrals": shown, "total": total, "today": today}, count=total)
