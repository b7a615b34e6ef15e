"""Meeting search and a meeting's page. Meetings are public listings, not client records."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from ecomap.accounts.models import STAFF_ROLES
from ecomap.core.http import require_roles

from .. import schedule
from ..forms.meetings import MeetingSearchForm
from ..models import Meeting
from ..search import Query, search


def _query(data) -> Query:
    return Query(lat=data.get("lat"), lng=data.get("lng"), radius_km=data.get("radius_km") or 10,
                 days=frozenset(data.get("days") or ()), time_from=data.get("time_from"),
                 time_to=data.get("time_to"), types=frozenset(data.get("types") or ()),
                 languages=frozenset(data.get("languages") or ()),
                 attendance=data.get("attendance") or "any",
                 fellowships=frozenset(f.pk for f in data.get("fellowships") or ()), limit=50)


@require_roles(*STAFF_ROLES)
def meeting_search(request):
    form = MeetingSearchForm(request.GET or None)
    result = None
    if request.GET and form.is_valid():
        result = search(_query(form.cleaned_data), timezone.now())
    return render(request, "mutualaid/meeting_search.html", {"form": form, "result": result},
                  status=400 if form.errors else 200)


@require_roles(*STAFF_ROLES)
def meeting_detail(request, meeting_pk):
    meeting = get_object_or_404(Meeting.objects.select_related("feed", "fellowship"),
                                pk=meeting_pk)
    upcoming = schedule.occurrences(meeting, timezone.now(), 4)
    return render(request, "mutualaid/meeting_detail.html", {
        "meeting": meeting, "upcoming": upcoming, "feed": meeting.feed})
