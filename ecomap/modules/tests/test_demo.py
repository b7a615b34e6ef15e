from io import StringIO

import pytest
from django.core.management import call_command

from ecomap.modules.models import Enrolment, Homework, ReviewAttempt, SessionRecord


@pytest.mark.django_db
def test_the_demo_has_clients_at_three_points_of_the_module():
    call_command("demo", stdout=StringIO())
    statuses = sorted(Enrolment.objects.values_list("status", flat=True))
    assert statuses == ["active", "active", "completed"]
    assert not SessionRecord.objects.filter(closed_at__isnull=True).exists()
    assert Homework.objects.filter(status="open").count() == 2  # one due soon, one overdue
    assert Homework.objects.filter(status="partly").exists()
    attempt = ReviewAttempt.objects.get()
    assert (attempt.correct, attempt.scored) == (4, 5)
