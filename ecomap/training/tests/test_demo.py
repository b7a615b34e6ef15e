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


@pytest.mark.django_db
def test_the_demo_pages_open_for_the_learner_and_the_supervisor(client):
    from django.urls import reverse

    from ecomap.accounts.models import User

    demo.build(clients_per_practitioner=1)
    pat = Enrolment.objects.get(learner__username="practitioner")
    client.force_login(User.objects.get(username="practitioner"))
    for name, kwargs in (("enrolment", {}), ("outcomes", {}), ("portfolio", {}),
                         ("topic", {"topic_key": "motivational_interviewing"}),
                         ("topic", {"topic_key": "mutual_aid"})):
        response = client.get(reverse(f"training:{name}",
                                      kwargs={"enrolment_pk": pat.pk, **kwargs}))
        assert response.status_code == 200, name
    assert client.get(reverse("training:group", kwargs={"group_pk": pat.study_group_id})) \
        .status_code == 200
    client.force_login(User.objects.get(username="supervisor"))
    page = client.get(reverse("training:team"))
    assert page.status_code == 200 and len(page.context["reviews"]) == 1
    assert len(page.context["shared"]) == 2
