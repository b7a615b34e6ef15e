"""factory_boy factories for consents and disclosures (synthetic people only)."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from ecomap.consents.models import Consent, ConsentRecipient, Disclosure
from ecomap.consents.notice import (
    DEFAULT_REDISCLOSURE_STATEMENT,
    DEFAULT_REFUSAL_CONSEQUENCES_STATEMENT,
    NOTICE_VERSION,
    STATEMENT_1,
)
from ecomap.testing.factories import ClientFactory

PROVIDER = {"designation": "named", "kind": "provider", "name": "Dr. Jamie Rivera",
            "address": "1 Clinic Way, Testville"}


def _days(n: int):
    return lambda: timezone.localdate() + timedelta(days=n)


class ConsentFactory(factory.django.DjangoModelFactory):
    """A complete general consent to one named provider, for treatment, signed 10 days ago and
    expiring in a year. `recipients=[{...}, ...]` replaces the default recipient."""

    class Meta:
        model = Consent
        skip_postgeneration_save = True

    class Params:
        tpo = factory.Trait(
            consent_type="tpo",
            purposes=["treatment", "payment", "health_care_operations"],
            expires_on=None,
            expiry_event="End of treatment",
            redisclosure_statement=str(DEFAULT_REDISCLOSURE_STATEMENT),
            refusal_consequences_statement=str(DEFAULT_REFUSAL_CONSEQUENCES_STATEMENT),
        )

    client = factory.SubFactory(ClientFactory)
    consent_type = "general"
    disclosing_party = "Testville Recovery Program"
    information_description = "Attendance and progress in treatment."
    categories = factory.LazyFunction(lambda: ["attendance", "substance_use"])
    purposes = factory.LazyFunction(lambda: ["treatment"])
    expires_on = factory.LazyFunction(_days(365))
    revocation_statement = "You may revoke this consent in writing, by letter to the program."
    signed_by = "client"
    signature_method = "paper"
    signed_on = factory.LazyFunction(_days(-10))
    created_by = factory.LazyAttribute(lambda consent: consent.client.primary_practitioner)

    @factory.post_generation
    def recipients(self, create, extracted, **kwargs):
        if not create:
            return
        for values in extracted if extracted is not None else [PROVIDER]:
            ConsentRecipient.objects.create(consent=self, **values)


class DisclosureFactory(factory.django.DjangoModelFactory):
    """A disclosure under a consent of the same client, with the 2024 notice attached."""

    class Meta:
        model = Disclosure

    client = factory.SubFactory(ClientFactory)
    consent = factory.SubFactory(ConsentFactory, client=factory.SelfAttribute("..client"))
    disclosed_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    disclosed_by = factory.LazyAttribute(lambda d: d.client.primary_practitioner)
    recipient_name = PROVIDER["name"]
    recipient_kind = "provider"
    recipient_address = PROVIDER["address"]
    description = "Attendance over the last month."
    categories = factory.LazyFunction(lambda: ["attendance"])
    purpose = "treatment"
    method = "letter"
    notice_version = NOTICE_VERSION
    notice_text = STATEMENT_1
    consent_scope = "Scope of the test consent."
