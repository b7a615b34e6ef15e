import pytest

from ecomap.site import demo
from ecomap.training.models import Enrolment, Meeting, ReviewRequest, Stage


@pytest.mark.django_db
def test_the_demo_holds_a_programme_in_progress():
    demo.build(clients_per_practitioner=1)
    pat = Enrolment.objects.get(learner__username="practitioner")
    assert Enrolment.objects.count() == 3
    assert {p.stage for p in pat.positions.all()} == {Stage.BEFORE, Stage.AFTER}
    assert pat.reflections.filter(shared=True).count() == 2
    assert ReviewRequest.objects.filter(enrolment=pat, completed_at__isnull=True).exists()
    from django.utils import timezone

    assert Meeting.objects.filter(starts_at__lt=timezone.now()).exists()
    assert Meeting.objects.filter(starts_at__gt=timezone.now()).count() == 2
