import pytest

from ecomap.casework import services
from ecomap.network.models import NetworkMember

from .helpers import make_service


@pytest.fixture
def service(db):
    return make_service(documents=["Photo ID", "Landlord reference"])


@pytest.fixture
def referral(client_record, practitioner, service):
    return services.create_referral(client_record, actor=practitioner, service=service,
                                    reason="Needs a stable place to live.",
                                    need_domain="housing", service_type="housing_help")


@pytest.fixture
def sister(client_record):
    return NetworkMember.objects.create(client=client_record, label="Maria",
                                        relationship="sibling", circle=1)


@pytest.fixture
def friend(client_record):
    return NetworkMember.objects.create(client=client_record, label="Dee",
                                        relationship="friend")


@pytest.fixture
def client_record(practitioner):
    """A client of the mental-health programme on `practitioner`'s caseload: a referral of theirs
    needs a consent only for what it is chosen to share. (The factory's default programme is
    co-occurring, whose referrals always share substance use: see `sud_client`.)"""
    from ecomap.testing.factories import ClientFactory

    return ClientFactory(primary_practitioner=practitioner, legal_first_name="Robin",
                         legal_last_name="Testcase", programme="mental_health")


@pytest.fixture
def sud_client(practitioner):
    """A client of the substance-use programme on `practitioner`'s caseload."""
    from ecomap.testing.factories import ClientFactory

    return ClientFactory(primary_practitioner=practitioner, legal_first_name="Sam",
                         legal_last_name="Testcase", programme="substance_use")
