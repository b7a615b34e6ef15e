"""The questionnaires panel on the client overview: the latest score of each questionnaire the
client has completed, with its band and the change since the first time (one query)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from ecomap.core.extensions import Panel, client_overview

from . import services


@client_overview.register(order=35)
def measures_panel(request, client):
    history = reverse("measures:history", kwargs={"client_pk": client.pk})
    rows = [{"entry": entry, "history_url": f"{history}?{urlencode({'instrument': entry.slug})}"}
            for entry in services.latest_by_instrument(client)]
    return Panel(title=_("Questionnaires"), template="measures/panel.html", context={
        "rows": rows, "url": reverse("measures:index", kwargs={"client_pk": client.pk})})
