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


# argument name -> function(client) -> value
KWARG_MAKERS: dict[str, Callable] = {
    "consent_pk": _consent,
    "disclosure_pk": _disclosure,
}
