from __future__ import annotations

import random

import pytest

from ecomap.core.demo import DemoAgency
from ecomap.mutualaid.demo import build_meetings
from ecomap.mutualaid.models import ImportRun, Meeting, MeetingFeed


@pytest.mark.django_db
def test_the_demo_imports_synthetic_feeds_with_a_report(admin_user):
    build_meetings(DemoAgency(users={"admin": admin_user}), random.Random(1))
    assert MeetingFeed.objects.count() == 2
    run = ImportRun.objects.get(feed__name="Riverside Intergroup (demo)")
    assert run.records == 81 and run.records_rejected == 1 and run.meetings == 82
    for code in ("day_string", "time_12h", "types_string", "type_case", "type_unknown",
                 "coordinates_zero", "day_array", "by_appointment"):
        assert code in run.report["warning_counts"], code
    assert Meeting.objects.filter(attendance_option="hybrid").exists()
    assert Meeting.objects.filter(day__isnull=True).count() == 1


@pytest.mark.django_db
def test_the_demo_has_clients_in_mutual_support_with_a_falling_attendance_and_a_missed_visit():
    from django.core.management import call_command

    from ecomap.mutualaid.models import Alert, FellowshipReferral, FollowUp, LocalContact, Profile

    call_command("demo", stdout=__import__("io").StringIO())
    assert LocalContact.objects.count() == 3
    assert Profile.objects.count() == FellowshipReferral.objects.count() == 3
    assert FollowUp.objects.count() == 7
    rules = set(Alert.objects.values_list("rule", flat=True))
    assert {"attendance_falling", "missed_follow_up"} <= rules
    falling = Alert.objects.get(rule="attendance_falling")
    assert "below half of their own recent average" in falling.reason
