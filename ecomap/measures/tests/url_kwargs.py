"""URL-argument makers for the access-matrix test (tests/test_access_matrix.py)."""

from __future__ import annotations


def _administration_pk(client) -> int:
    from ecomap.measures import services

    return services.administer(client, "oslo-3", {"close": 2, "interest": 3, "neighbours": 4},
                               actor=client.primary_practitioner).pk


MAKERS = {"administration_pk": _administration_pk}
