"""What casework contributes to the client overview and to the Today page. Each runs a fixed number
of queries, whatever the size of the caseload or the record."""

from __future__ import annotations

from django.db.models import F
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecomap.clients.models import Client, Status
from ecomap.core.extensions import Panel, client_overview, listing, practitioner_today

from . import content, services
from .models import (
    OPEN_STATUSES,
    Cadence,
    Involvement,
    NeedsAssessment,
    Priority,
    ServiceReferral,
    Task,
)


def _active_clients(user):
    return Client.objects.for_user(user).filter(status=Status.ACTIVE)


@client_overview.register(order=45)
def casework_panel(request, client):
    """Needs rated high, open referrals (overdue ones flagged), open tasks, the keep-in-touch
    reminder and family involvement: six queries."""
    today = timezone.localdate()
    assessment = (NeedsAssessment.objects.filter(client=client).prefetch_related("ratings")
                  .first())
    domains = content.domain_map()
    high = []
    if assessment:
        high = [domains[r.domain].name for r in assessment.ratings.all()
                if r.priority == Priority.HIGH and r.domain in domains]
    referrals = list(ServiceReferral.objects.filter(client=client, status__in=OPEN_STATUSES))
    for referral in referrals:
        referral.overdue = referral.overdue_reason(today)
    tasks = Task.objects.filter(client=client, done_on__isnull=True).count()
    cadence = Cadence.objects.filter(client=client).first()
    involved = Involvement.objects.filter(client=client).count()
    overdue = sum(1 for r in referrals if r.overdue)
    return Panel(title=_("Case management"), template="casework/panels/overview.html", context={
        "client": client, "assessment": assessment, "high": high, "referrals": referrals,
        "tasks": tasks, "cadence": cadence, "involved": involved, "today": today,
        "url": reverse("casework:home", kwargs={"client_pk": client.pk}),
    }, count=overdue or None)


@practitioner_today.register(order=25)
def overdue_referrals(request):
    """Referrals of the user's active clients sent and not answered, or accepted and not enrolled,
    the longest overdue first: two queries."""
    today = timezone.localdate()
    referrals = (services.overdue_referrals(_active_clients(request.user), today)
                 .select_related("client")
                 .order_by(Coalesce(F("enrol_by"), F("respond_by")), "pk"))
    items = listing(request, referrals)
    if not items.total:
        return None
    for referral in items.items:
        referral.overdue = referral.overdue_reason(today)
    return Panel(title=_("Referrals to chase"), template="casework/panels/overdue_referrals.html",
                 context={"referrals": items.items}, count=items.total, listing=items)


@practitioner_today.register(order=26)
def overdue_tasks(request):
    """The user's own casework tasks past their due date, the longest overdue first: two
    queries."""
    tasks = (services.overdue_tasks(request.user).select_related("client", "referral")
             .order_by("due_on", "pk"))
    items = listing(request, tasks)
    if not items.total:
        return None
    return Panel(title=_("Overdue casework tasks"), template="casework/panels/overdue_tasks.html",
                 context={"tasks": items.items}, count=items.total, listing=items)


@practitioner_today.register(order=27)
def out_of_touch(request):
    """Active clients not contacted within their keep-in-touch cadence, the longest overdue
    first: two queries."""
    cadences = (services.out_of_touch(_active_clients(request.user))
                .select_related("client").order_by("next_due_on", "pk"))
    items = listing(request, cadences)
    if not items.total:
        return None
    return Panel(title=_("Keep in touch"), template="casework/panels/out_of_touch.html",
                 context={"cadences": items.items, "today": timezone.localdate()},
                 count=items.total, listing=items)
