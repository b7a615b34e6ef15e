"""Shared fixtures: the domain cast for access tests.

North team: `supervisor` supervises `practitioner` (alice's role) and `colleague`.
South team: `other_supervisor` and `outsider`, whose client nobody in North may see.
`admin` sees everything.
"""

from __future__ import annotations

import pytest
from hypothesis import settings as hypothesis_settings

from ecomap.accounts.models import Role
from ecomap.testing.factories import ClientFactory, TeamFactory, UserFactory

# No per-example deadline: on a shared 2-core machine the first example that loads a large table
# (timezonefinder's polygons, a content file) is slow for reasons that say nothing of the code.
hypothesis_settings.register_profile("ecomap", deadline=None)
hypothesis_settings.load_profile("ecomap")


def pytest_configure(config):
    """A transactional test (the browser tests' live server) empties the database with `flush`,
    which on SQLite deletes rows one table at a time; the append-only triggers are lifted for that
    alone (PostgreSQL's TRUNCATE fires no row trigger)."""
    from django.core.management.commands import flush

    from ecomap.core import append_only

    original = flush.Command.handle

    def handle(self, **options):
        with append_only.suspended():
            return original(self, **options)

    flush.Command.handle = handle


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def north(db):
    return TeamFactory(name="North")


@pytest.fixture
def south(db):
    return TeamFactory(name="South")


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", role=Role.ADMIN)


@pytest.fixture
def supervisor(north):
    return UserFactory(username="supervisor", role=Role.SUPERVISOR, team=north)


@pytest.fixture
def practitioner(north):
    return UserFactory(username="practitioner", role=Role.PRACTITIONER, team=north)


@pytest.fixture
def colleague(north):
    return UserFactory(username="colleague", role=Role.PRACTITIONER, team=north)


@pytest.fixture
def other_supervisor(south):
    return UserFactory(username="other_supervisor", role=Role.SUPERVISOR, team=south)


@pytest.fixture
def outsider(south):
    return UserFactory(username="outsider", role=Role.PRACTITIONER, team=south)


@pytest.fixture
def client_record(practitioner):
    """A client on `practitioner`'s caseload."""
    return ClientFactory(primary_practitioner=practitioner, legal_first_name="Robin",
                         legal_last_name="Testcase")


@pytest.fixture
def outsider_client(outsider):
    return ClientFactory(primary_practitioner=outsider, legal_first_name="Sky",
                         legal_last_name="Elsewhere")


@pytest.fixture
def as_user(client):
    """`as_user(user)` -> Django test client signed in as `user`."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in
