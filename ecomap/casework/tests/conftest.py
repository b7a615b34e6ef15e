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
