"""How the access-matrix test (tests/test_access_matrix.py) fills URL arguments.

Every URL under a client takes `client_pk`. A URL with more arguments (say `consent_pk`) needs an
entry here: a function that makes an object of that kind belonging to the given client and returns
the value for the argument. A URL whose argument has no entry fails the test, so a new client URL is
never left out of the access checks.

An app may keep its own makers in `ecomap/<app>/tests/url_kwargs.py` as a dict named `MAKERS`;
they are merged in here (a name defined twice is an error), so apps never edit this file.
"""

from __future__ import annotations

import importlib
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


def _merge_app_makers() -> None:
    from django.apps import apps

    for config in apps.get_app_configs():
        if not config.name.startswith("ecomap."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.url_kwargs")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.tests.url_kwargs":
                raise
            continue
        for name, maker in module.MAKERS.items():
            if name in KWARG_MAKERS:
                raise RuntimeError(f"URL argument {name!r} has two makers ({config.name})")
            KWARG_MAKERS[name] = maker


_merge_app_makers()
