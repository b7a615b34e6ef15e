import pytest

from ecomap.consents.models import Consent, ConsentRecipient, Disclosure


@pytest.mark.django_db
def test_the_demo_has_each_kind_of_consent():
    from ecomap.site import demo

    demo.build()
    consents = list(Consent.objects.prefetch_related("recipients"))
    assert {c.status() for c in consents} >= {"active", "expired", "revoked"}
    assert any(c.consent_type == "tpo" for c in consents)
    assert all(c.missing_elements() == [] for c in consents)
    assert ConsentRecipient.objects.filter(kind="family_member", designation="named").exists()
    assert Disclosure.objects.filter(purpose="family_involvement").exists()
    assert Disclosure.objects.count() >= 4
