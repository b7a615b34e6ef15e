"""Demo consents and disclosures: a TPO consent to the client's providers, a consent naming a family
member, an expired one and a revoked one, and disclosures made under them. Synthetic people only."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from ecomap.core.demo import FIRST_NAMES, LAST_NAMES, DemoAgency, demo_builder

from . import services
from .notice import (
    DEFAULT_REDISCLOSURE_STATEMENT,
    DEFAULT_REFUSAL_CONSEQUENCES_STATEMENT,
    DEFAULT_REVOCATION_STATEMENT,
)

RELATIVES = ["sister", "brother", "mother", "father", "partner", "daughter", "son"]


def _at(day, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _base(signed_on, **values) -> dict:
    return {
        "disclosing_party": services.default_discloser(),  # the demo agency (site/demo.py)
        "revocation_statement": str(DEFAULT_REVOCATION_STATEMENT),
        "signed_by": "client",
        "signature_method": "electronic",
        "signed_on": signed_on,
        **values,
    }


@demo_builder
def build_consents(agency: DemoAgency, rng: random.Random) -> None:
    practitioner = agency.users["practitioner"]
    today = agency.today
    mine = [c for c in agency.clients
            if c.primary_practitioner_id == practitioner.pk and c.status == "active"]
    for index, client in enumerate(mine[:4]):
        # 1. A single consent for treatment, payment and operations, to classes of recipients.
        tpo = services.create_consent(client, actor=practitioner, data=_base(
            client.admitted_on,
            consent_type="tpo",
            information_description="Substance use and mental health diagnosis, treatment plan, "
                                    "progress and attendance.",
            categories=["substance_use", "mental_health", "attendance"],
            purposes=["treatment", "payment", "health_care_operations"],
            expiry_event="End of treatment",
            redisclosure_statement=str(DEFAULT_REDISCLOSURE_STATEMENT),
            refusal_consequences_statement=str(DEFAULT_REFUSAL_CONSEQUENCES_STATEMENT),
        ), recipients=[
            {"designation": "class", "kind": "provider",
             "name": "My treating providers"},
            {"designation": "class", "kind": "health_plan",
             "name": "My health plans and third-party payers"},
        ])
        services.record_disclosure(
            client, actor=practitioner, recipient_name="Riverside Primary Care",
            recipient_kind="provider", recipient_address="12 Mill Road, Riverside",
            categories=["substance_use", "attendance"], purpose="treatment",
            description="Treatment summary and attendance for care coordination.",
            method="letter", disclosed_at=_at(max(tpo.signed_on, today - timedelta(days=20)), 10),
        )
        if index == 0:
            # 2. A family member, named (Part 2 has no family-involvement exception).
            relative = f"{rng.choice(FIRST_NAMES)} {client.legal_last_name}"
            services.create_consent(client, actor=practitioner, data=_base(
                today - timedelta(days=60),
                information_description="That the client is in substance-use treatment and "
                                        "whether they attend sessions, and the people and "
                                        "groups in the client's support network.",
                categories=["substance_use", "attendance", "social_network"],
                purposes=["family_involvement"],
                expires_on=today + timedelta(days=20),
            ), recipients=[{"designation": "named", "kind": "family_member", "name": relative,
                            "relationship": rng.choice(RELATIVES)}])
            services.record_disclosure(
                client, actor=practitioner, recipient_name=relative,
                recipient_kind="family_member", categories=["attendance"],
                purpose="family_involvement", method="phone",
                description="Confirmed that the client attended the last four sessions.",
                disclosed_at=_at(today - timedelta(days=7), 15),
            )
        if index == 1:
            # 3. An expired consent to a housing provider.
            signed = today - timedelta(days=400)
            consent = services.create_consent(client, actor=practitioner, data=_base(
                signed,
                information_description="That the client is in treatment, their attendance and "
                                        "contact details, for a housing application.",
                categories=["substance_use", "attendance", "contact_details"],
                purposes=["referral"],
                expires_on=today - timedelta(days=35),
            ), recipients=[{"designation": "named", "kind": "organisation",
                            "name": "Eastside Housing Association",
                            "address": "4 Quay Street, Riverside"}])
            services.record_disclosure(
                client, actor=practitioner, recipient_name="Eastside Housing Association",
                recipient_kind="organisation", categories=["attendance"], purpose="referral",
                method="pdf", description="Letter confirming engagement with the program.",
                recipient_address="4 Quay Street, Riverside",
                disclosed_at=_at(consent.signed_on + timedelta(days=10), 11),
            )
        if index == 2:
            # 4. A consent the client later revoked in writing.
            employer = f"{rng.choice(LAST_NAMES)} Logistics"
            consent = services.create_consent(client, actor=practitioner, data=_base(
                today - timedelta(days=120),
                information_description="That the client is in treatment, and their attendance "
                                        "at scheduled appointments.",
                categories=["substance_use", "attendance"], purposes=["at_client_request"],
                expires_on=today + timedelta(days=240),
            ), recipients=[{"designation": "named", "kind": "organisation", "name": employer}])
            services.revoke_consent(consent, actor=practitioner, on=today - timedelta(days=30),
                                    received_via="letter",
                                    note="Client no longer wants the employer informed.")
