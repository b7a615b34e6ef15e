"""What the modules app contributes to the client overview and to the Today page."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecomap.clients.models import Client, Status
from ecomap.core.extensions import Panel, client_overview, listing, practitioner_today

from .models import Enrolment, EnrolmentStatus, Goal, GoalStatus, Homework, HomeworkStatus


@client_overview.register(order=35)
def modules_panel(request, client):
    """Modules in progress with their session count, open homework and active goals: three queries."""
    enrolments = list(Enrolment.objects.filter(client=client, status=EnrolmentStatus.ACTIVE)
                      .prefetch_related("sessions"))
    homework = list(Homework.objects.filter(enrolment__client=client, status=HomeworkStatus.OPEN,
                                            enrolment__status=EnrolmentStatus.ACTIVE)
                    .order_by("due_on", "pk"))
    goals = Goal.objects.filter(client=client, status=GoalStatus.ACTIVE).count()
    return Panel(title=_("Modules and goals"), template="modules/panels/modules.html", context={
        "client": client, "enrolments": enrolments, "homework": homework, "goals": goals,
        "today": timezone.localdate(),
        "url": reverse("modules:home", kwargs={"client_pk": client.pk}),
    }, count=len(homework) or None)


@practitioner_today.register(order=30)
def open_homework(request):
    """Open homework of the user's active clients, the earliest due (overdue) first: two
    queries."""
    homework = (Homework.objects.filter(
        status=HomeworkStatus.OPEN, enrolment__status=EnrolmentStatus.ACTIVE,
        enrolment__client__in=Client.objects.for_user(request.user).filter(status=Status.ACTIVE))
        .select_related("enrolment__client", "set_in").order_by("due_on", "pk"))
    items = listing(request, homework)
    if not items.total:
        return None
    return Panel(title=_("Homework to review"), template="modules/panels/homework.html",
                 context={"homework": items.items, "today": timezone.localdate()},
                 count=items.total, listing=items)
