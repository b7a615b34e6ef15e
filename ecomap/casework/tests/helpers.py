"""Small builders for casework tests: a directory service (invented), a needs assessment, consents
naming a recipient. Synthetic people and places only."""

from __future__ import annotations

import itertools
from datetime import timedelta

from django.utils import timezone

from ecomap.consents import services as consents
from ecomap.directory import catalogue
from ecomap.directory.models import Attribute, Organization, RequiredDocument, Service

_ids = itertools.count(1)
DOMAINS = ("housing", "employment", "education", "income_benefits", "health_insurance",
           "medication", "transport", "legal", "family", "social_support", "daily_living")


def make_service(name: str = "Testville Housing Desk", org: str = "Testville Housing",
                 types=("housing_help",), documents=(), status: str = "active") -> Service:
    n = next(_ids)
    organization, _ = Organization.objects.get_or_create(id=f"org-{org}", defaults={"name": org})
    service = Service.objects.create(id=f"svc-{n}-{name}"[:100], organization=organization,
                                     name=name, status=status)
    for key in types:
        Attribute.objects.create(id=f"attr-{n}-{key}", link_id=service.id, link_entity="service",
                                 link_type=catalogue.SERVICE_TYPE_LINK_TYPE,
                                 taxonomy_term_id=catalogue.term_id(key))
    for index, document in enumerate(documents):
        RequiredDocument.objects.create(id=f"doc-{n}-{index}", service=service,
                                        document=document)
    return service


def ratings(**priorities) -> dict:
    values = {key: {"priority": "none", "note": ""} for key in DOMAINS}
    for key, priority in priorities.items():
        values[key] = {"priority": priority, "note": ""}
    return values


def assess(client, on=None, **priorities):
    from ecomap.casework import services

    return services.assess_needs(client, actor=client.primary_practitioner,
                                 assessed_on=on or timezone.localdate(),
                                 ratings=ratings(**priorities))


def consent_naming(client, name: str, kind: str, *, categories, purposes, expires_in=180,
                   signed_ago=10, relationship: str = ""):
    """A complete general consent naming one recipient."""
    today = timezone.localdate()
    return consents.create_consent(client, actor=client.primary_practitioner, data={
        "disclosing_party": "Testville Recovery Program",
        "information_description": "What the test needs.",
        "categories": list(categories), "purposes": list(purposes),
        "revocation_statement": "In writing, to the program.", "signed_by": "client",
        "signature_method": "paper", "signed_on": today - timedelta(days=signed_ago),
        "expires_on": today + timedelta(days=expires_in),
    }, recipients=[{"designation": "named", "kind": kind, "name": name,
                    "relationship": relationship}])
