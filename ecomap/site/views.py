from __future__ import annotations

from django.shortcuts import redirect, render

from ecomap.accounts.models import STAFF_ROLES, Role
from ecomap.core.extensions import practitioner_today


def today(request):
    """The practitioner's home page: what needs attention, contributed by each app."""
    if request.user.role not in STAFF_ROLES:
        return render(request, "site/no_portal.html", status=403)
    panels = practitioner_today.render(request)
    return render(request, "site/today.html", {"panels": panels})


def home(request):
    if request.user.role == Role.CLIENT:
        return render(request, "site/no_portal.html", status=403)
    return redirect("site:today")
