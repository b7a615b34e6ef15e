"""How the access-matrix test (tests/test_access_matrix.py) fills URL arguments.

Every URL under a client takes `client_pk`. A URL with more arguments (say `consent_pk`) needs an
entry here: a function that makes an object of that kind belonging to the given client and returns
the value for the argument. A URL whose argument has no entry fails the test, so a new client URL is
never left out of the access checks.
"""

from __future__ import annotations

from collections.abc import Callable


def _consent(client) -> int:
    from ecomap.consents.tests.factories import ConsentFactory

    return ConsentFactory(client=client).pk


def _disclosure(client) -> int:
    from ecomap.consents.tests.factories import DisclosureFactory

    return DisclosureFactory(client=client).pk


def _member(client):
    from ecomap.network.models import NetworkMember

    return NetworkMember.objects.create(client=client, label="Ana", relationship="friend")


def _member_pk(client) -> int:
    return _member(client).pk


def _assessment_pk(client) -> int:
    from ecomap.network.services import save_assessment

    return save_assessment(client, actor=client.primary_practitioner).pk


def _supporter_pk(client) -> int:
    from ecomap.network.models import Supporter

    return Supporter.objects.create(
        member=_member(client), role="Calls weekly", support_kinds=["moral"],
        attitude_to_use="supports_change", agreed_task="Call on Fridays",
        created_by=client.primary_practitioner).pk


# argument name -> function(client) -> value
KWARG_MAKERS: dict[str, Callable] = {
    "consent_pk": _consent,
    "disclosure_pk": _disclosure,
    "member_pk": _member_pk,
    "assessment_pk": _assessment_pk,
    "supporter_pk": _supporter_pk,
}
