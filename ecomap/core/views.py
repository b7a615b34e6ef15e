from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from ecomap.accounts.models import STAFF_ROLES, Role

from .extensions import practitioner_today


@never_cache
def healthz(request):
    """For load balancers and the benchmark's baseline: no database, no template."""
    return HttpResponse("ok", content_type="text/plain")


def today(request):
    """The practitioner's home page: what needs attention, contributed by each app."""
    if request.user.role not in STAFF_ROLES:
        return render(request, "core/no_portal.html", status=403)
    panels = practitioner_today.render(request)
    return render(request, "core/today.html", {"panels": panels})


def home(request):
    if request.user.role == Role.CLIENT:
        return render(request, "core/no_portal.html", status=403)
    return redirect("core:today")
