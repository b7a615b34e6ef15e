"""The demo agency's casework: built after the consents and directory demos, with referrals in every
state, overdue ones on Today, documents, contacts and a family case under consent."""

import pytest
from django.utils import timezone

from ecomap.casework import demo
from ecomap.casework.models import (
    CaregiverCheckIn,
    ContactEntry,
    FamilySession,
    Involvement,
    Letter,
    ServiceReferral,
)
from ecomap.clients.models import Client


@pytest.mark.django_db
def test_the_demo_agency_has_living_casework(client):
    from ecomap.core import demo as core_demo
    from ecomap.site import demo as site_demo

    builders = core_demo._builders
    assert builders.index(demo.build_casework) > max(
        i for i, b in enumerate(builders) if b.__module__ in ("ecomap.consents.demo",
                                                              "ecomap.directory.demo"))
    agency = site_demo.build()
    statuses = set(ServiceReferral.objects.values_list("status", flat=True))
    assert statuses == {"draft", "sent", "accepted", "declined", "enrolled", "completed",
                        "revoked"}
    from ecomap.casework import services

    today = timezone.localdate()
    overdue = list(services.overdue_referrals(Client.objects.all(), today))
    assert {r.status for r in overdue} == {"sent", "accepted"}
    assert ServiceReferral.objects.filter(disclosure__isnull=False).exists()  # shared under consent
    involvement = Involvement.objects.get()
    assert involvement.caregiver
    assert FamilySession.objects.filter(member=involvement.member).exists()
    assert ContactEntry.objects.filter(member=involvement.member,
                                       disclosure__isnull=False).exists()
    assert CaregiverCheckIn.objects.filter(high_strain=True).exists()
    assert Letter.objects.filter(kind="family_letter").count() == 1
    client.force_login(agency.users["practitioner"])
    page = client.get("/today/").content.decode()
    assert "Referrals to chase" in page and "Keep in touch" in page
