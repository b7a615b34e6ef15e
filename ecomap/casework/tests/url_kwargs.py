"""Objects for the access-matrix test's URL arguments (see ecomap/testing/url_kwargs.py).
`member_pk` (a network member) has its maker there already."""


def _referral(client):
    from ecomap.casework.models import ServiceReferral
    from ecomap.casework.tests.helpers import make_service

    existing = ServiceReferral.objects.filter(client=client).first()
    if existing:
        return existing
    from ecomap.casework import services

    return services.create_referral(client, actor=client.primary_practitioner,
                                    service=make_service(), reason="Needs housing help.")


def _referral_pk(client) -> int:
    return _referral(client).pk


def _transition(client) -> str:
    return "send"


def _needs_pk(client) -> int:
    from ecomap.casework.tests.helpers import assess

    return assess(client).pk


def _task_pk(client) -> int:
    from datetime import timedelta

    from django.utils import timezone

    from ecomap.casework import services

    return services.add_task(client, actor=client.primary_practitioner, title="Call the desk",
                             owner=client.primary_practitioner,
                             due_on=timezone.localdate() + timedelta(days=3)).pk


def _letter_pk(client) -> int:
    from ecomap.casework.models import Letter
    from ecomap.consents.tests.factories import DisclosureFactory

    referral = _referral(client)
    disclosure = DisclosureFactory(client=client)  # under a consent that still permits it
    return Letter.objects.create(client=client, kind="referral_summary", disclosure=disclosure,
                                 referral=referral, content={"title": "Referral summary"},
                                 created_by=client.primary_practitioner).pk


MAKERS = {"case_referral_pk": _referral_pk, "transition": _transition, "needs_pk": _needs_pk,
          "task_pk": _task_pk, "letter_pk": _letter_pk}
