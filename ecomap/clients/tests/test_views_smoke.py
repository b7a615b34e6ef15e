import pytest


@pytest.mark.django_db
def test_practitioner_sees_own_client(as_user, practitioner, client_record):
    response = as_user(practitioner).get(f"/clients/{client_record.pk}/")
    assert response.status_code == 200
    assert b"Robin Testcase" in response.content
