from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render

from ecomap.accounts.models import STAFF_ROLES, Role
from ecomap.core.extensions import practitioner_today


def today(request):
    """The practitioner's home page: what needs attention, contributed by each app."""
    if request.user.role not in STAFF_ROLES:
        return render(request, "site/no_portal.html", status=403)
    panels = practitioner_today.render(request)
    return render(request, "site/today.html", {"panels": panels})


def today_panel(request, slug):
    """One Today panel in full ("see all"): the same contributor, every item, a page at a time."""
    if request.user.role not in STAFF_ROLES:
        return render(request, "site/no_portal.html", status=403)
    contributor = practitioner_today.find(slug)
    if contributor is None:
        raise Http404
    request.today_full = True  # the panel's `listing()` paginates instead of bounding
    panel = contributor(request)
    if panel is None:
        raise Http404
    panel.slug = slug
    return render(request, "site/today_panel.html", {"panel": panel})


def home(request):
    if request.user.role == Role.CLIENT:
        return render(request, "site/no_portal.html", status=403)
    return redirect("site:today")
