from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ecomap.core.extensions import Panel, client_overview

from .models import Assessment, NetworkMember


@client_overview.register(order=30)
def network_panel(request, client):
    members = NetworkMember.objects.filter(client=client, active=True)
    by_circle = {1: 0, 2: 0, 3: 0}
    for circle in members.values_list("circle", flat=True):
        by_circle[circle] += 1
    last = Assessment.objects.filter(client=client).order_by("-assessed_on", "-pk").only(
        "assessed_on").first()
    return Panel(title=_("Network"), template="network/panel.html", context={
        "size": sum(by_circle.values()), "by_circle": by_circle, "last": last,
        "url": reverse("network:home", kwargs={"client_pk": client.pk}),
        "interview_url": reverse("network:interview", kwargs={"client_pk": client.pk}),
    })
