"""What the clients app contributes to the client overview and to the Today page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecomap.accounts.models import CASELOAD_ROLES, Role, User
from ecomap.core.extensions import Panel, client_overview, listing, practitioner_today

from .models import CaseloadRole, CaseloadTransfer, Client, Status


@client_overview.register(order=10)
def details_panel(request, client):
    return Panel(title=_("Details"), template="clients/panels/details.html",
                 context={"client": client})


@client_overview.register(order=20)
def care_team_panel(request, client):
    transfers = list(
        CaseloadTransfer.objects.filter(client=client)
        .select_related("from_practitioner", "to_practitioner", "transferred_by")[:5]
    )
    return Panel(title=_("Care team"), template="clients/panels/care_team.html",
                 context={"client": client, "transfers": transfers})


@dataclass
class Assignment:
    """A client who came to the user: a new client (`transfer` None) or a transfer in."""

    client: Client
    role: str
    on: datetime
    transfer: CaseloadTransfer | None = None


def assignments(user, since: datetime) -> list[Assignment]:
    """New clients with the user as primary or secondary practitioner, and clients transferred to
    them, since `since`, the oldest first, a client once (as they came last): two queries. A new
    client was recorded and admitted since then (a record entered now for a client admitted long
    ago, e.g. moved from paper, is not new)."""
    mine = Q(primary_practitioner=user) | Q(secondary_practitioner=user)
    found = {}
    for client in Client.objects.filter(mine, created_at__gte=since, status=Status.ACTIVE,
                                        admitted_on__gte=timezone.localdate(since)):
        role = (CaseloadRole.PRIMARY if client.primary_practitioner_id == user.pk
                else CaseloadRole.SECONDARY)
        found[client.pk] = Assignment(client, role, client.created_at)
    for transfer in (CaseloadTransfer.objects.filter(to_practitioner=user, transferred_at__gte=since)
                     .select_related("client", "transferred_by").order_by("transferred_at", "pk")):
        found[transfer.client_id] = Assignment(transfer.client, transfer.role,
                                               transfer.transferred_at, transfer)
    return sorted(found.values(), key=lambda a: (a.on, a.client.pk))


@practitioner_today.register(order=10)
def newly_assigned(request):
    """New clients and clients transferred in over the last 14 days: two queries."""
    items = listing(request, assignments(request.user, timezone.now() - timedelta(days=14)))
    return Panel(title=_("Assigned to you in the last 14 days"),
                 template="clients/panels/newly_assigned.html",
                 context={"assignments": items.items}, count=items.total, listing=items)


@practitioner_today.register(order=80)
def team_panel(request):
    """A supervisor sees their team's practitioners and how many active clients each holds."""
    user = request.user
    if user.role != Role.SUPERVISOR or user.team_id is None:
        return None
    members = list(User.objects.filter(team_id=user.team_id, is_active=True,
                                       role__in=CASELOAD_ROLES).order_by("last_name", "first_name"))
    ids = [m.pk for m in members]
    active = Client.objects.filter(status=Status.ACTIVE)
    # Two grouped counts: one join over both roles would multiply the rows.
    primary = dict(active.filter(primary_practitioner__in=ids).values_list("primary_practitioner")
                   .annotate(n=Count("pk")).values_list("primary_practitioner", "n"))
    secondary = dict(active.filter(secondary_practitioner__in=ids)
                     .values_list("secondary_practitioner").annotate(n=Count("pk"))
                     .values_list("secondary_practitioner", "n"))
    for member in members:
        member.primary, member.secondary = primary.get(member.pk, 0), secondary.get(member.pk, 0)
    return Panel(title=_("Your team: %(team)s") % {"team": user.team},
                 template="clients/panels/team.html", context={"members": members})


@practitioner_today.register(order=90)
def caseload_summary(request):
    counts = Client.objects.for_user(request.user).aggregate(
        active=Count("pk", filter=Q(status=Status.ACTIVE)),
        discharged=Count("pk", filter=Q(status=Status.DISCHARGED)),
    )
    titles = {Role.ADMIN: _("All clients"), Role.SUPERVISOR: _("Your team's clients")}
    return Panel(title=titles.get(request.user.role, _("Your caseload")),
                 template="clients/panels/caseload_summary.html",
                 context={"counts": counts, "caseload_url": reverse("clients:caseload")})
