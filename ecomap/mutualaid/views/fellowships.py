"""The fellowship catalogue (content/fellowships.yaml, synchronised into the database)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render

from ecomap.accounts.models import STAFF_ROLES
from ecomap.core.http import require_roles

from ..models import Fellowship


@require_roles(*STAFF_ROLES)
def fellowship_list(request):
    fellowships = Fellowship.objects.filter(in_catalogue=True).annotate(
        meeting_count=Count("meetings", filter=Q(meetings__active=True)))
    return render(request, "mutualaid/fellowship_list.html", {
        "self_help": [f for f in fellowships if f.audience == "self"],
        "family": [f for f in fellowships if f.audience == "family"],
        "empty": not fellowships,
    })


@require_roles(*STAFF_ROLES)
def fellowship_detail(request, slug):
    fellowship = get_object_or_404(Fellowship, slug=slug)
    feeds = list(fellowship.feeds.all())
    return render(request, "mutualaid/fellowship_detail.html",
                  {"fellowship": fellowship, "facts": fellowship.fact_rows(), "feeds": feeds})
