"""What training adds to the Today page: the learner's topics due or overdue, and for a supervisor
the reviews asked of them and the reflections shared with them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ecomap.core.extensions import Panel, practitioner_today

from . import services
from .access import team_learners
from .models import Reflection, ReviewRequest


@practitioner_today.register(order=70)
def training_due(request):
    """Three queries: the enrolments, their reflections and their meetings."""
    items = services.due_items(request.user)
    reviews = list(ReviewRequest.objects.filter(reviewer=request.user, completed_at__isnull=True)
                   .select_related("enrolment__learner", "enrolment__programme")[:10])
    shared = 0
    if request.user.is_supervisor:
        shared = Reflection.objects.filter(shared=True,
                                           enrolment__learner__in=team_learners(request.user)
                                           ).count()
    if not items and not reviews:
        return None
    return Panel(title=_("Training"), template="training/panels/today.html",
                 context={"items": items, "reviews": reviews, "shared": shared},
                 count=len(items) + len(reviews) or None)
