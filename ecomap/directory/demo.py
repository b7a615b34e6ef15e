"""A small synthetic resource directory for the demo agency: invented organisations only, with fixed
ids (derived from their names) and coordinates drawn from the demo's seeded random generator."""

from __future__ import annotations

import uuid
from decimal import Decimal

from ecomap.core.demo import demo_builder

from . import catalogue
from .models import (
    Address,
    Attribute,
    CostOption,
    Language,
    Location,
    Organization,
    Phone,
    RequiredDocument,
    Schedule,
    Service,
    ServiceAtLocation,
)

DEMO_NS = uuid.UUID("c7d0a6e4-3b1f-5e2a-8d94-0f6b2c1e7a53")
CENTRE = (40.0, -75.0)  # an arbitrary point; the directory's places are invented around it

# (organisation, service, types, address, city, postal code, phone, days, opens, closes, ages,
#  eligibility, languages, insurance, fee, documents)
ENTRIES = [
    ("Harbour Light Clubhouse", "Harbour Light Clubhouse", ["clubhouse", "psychosocial_rehabilitation"],
     "12 Quay Lane", "Riverside", "99901", "555-0140", "MO,TU,WE,TH,FR", "09:00", "16:00", (18, None),
     "Adults living with a mental illness; membership is voluntary.", ["en"], [], "Free", []),
    ("Northgate Works", "Individual Placement and Support (IPS) employment team",
     ["individual_placement_support"], "48 Mill Road", "Riverside", "99902", "555-0141", "MO,WE,FR",
     "08:30", "17:00", (18, 65), "Adults in care at a community mental health centre who want to work.",
     ["en", "es"], ["Medicaid"], "Free", ["Photo ID"]),
    ("Riverside Housing Help Desk", "Housing and benefits help desk", ["housing_help", "benefits_help"],
     "3 Civic Square", "Riverside", "99901", "555-0142", "TU,TH", "10:00", "15:00", (None, None),
     "Anyone living in Riverside who is homeless or at risk of losing their home.", ["en", "vi"], [],
     "Free", ["Photo ID", "Proof of income", "Proof of residence"]),
    ("Family Bridges", "Family psychoeducation group", ["family_psychoeducation", "support_group"],
     "7 Orchard Street", "Brookfield", "99910", "555-0143", "2TU", "18:00", "20:00", (None, None),
     "Family members and friends of a person living with a mental illness.", ["en", "es"], [], "Free",
     []),
    ("Eastside Community Mental Health", "Eastside ACT team", ["assertive_community_treatment"],
     "220 Station Road", "Brookfield", "99911", "555-0144", "MO,TU,WE,TH,FR,SA,SU", "00:00", "23:59",
     (18, None), "Adults with serious mental illness leaving hospital care, by referral.", ["en"],
     ["Medicaid", "BlueMeadow Health"], "", ["Referral letter"]),
    ("Eastside Community Mental Health", "Mill Street counselling", ["psychotherapy", "psychoeducation"],
     "5 Mill Street", "Brookfield", "99911", "555-0145", "MO,TU,WE,TH", "09:00", "19:00", (16, None),
     "Young people from 16 and adults.", ["en", "ar"], ["Medicaid", "BlueMeadow Health"],
     "Sliding scale", ["Photo ID", "Proof of income"]),
    ("Ride to Care", "Rides to appointments", ["transport_help"], "90 Depot Way", "Riverside", "99903",
     "555-0146", "MO,TU,WE,TH,FR", "07:00", "18:00", (None, None),
     "People with a disability or on a low income travelling to health appointments.", ["en"],
     ["Medicaid"], "Free", []),
    ("Open Door Peer Network", "Open Door peer support group", ["support_group"], "14 Chapel Row",
     "Riverside", "99901", "555-0147", "WE", "18:30", "20:00", (18, None),
     "Anyone in recovery; no referral needed.", ["en", "pt"], [], "Free", []),
    ("Riverside Case Management Service", "Community case management", ["case_management"],
     "3 Civic Square", "Riverside", "99901", "555-0148", "MO,TU,WE,TH,FR", "09:00", "17:00",
     (18, None), "Adults with a mental illness who need help coordinating services.",
     ["en", "es", "vi"], ["Medicaid"], "Free", ["Photo ID"]),
]
LANGUAGE_NAMES = {"en": "English", "es": "Spanish", "vi": "Vietnamese", "ar": "Arabic",
                  "pt": "Portuguese"}


def _id(*parts) -> str:
    return str(uuid.uuid5(DEMO_NS, ":".join(parts)))


@demo_builder
def build_directory(agency, rng):
    for (org_name, name, types, street, city, postal, phone, days, opens, closes, (low, high),
         eligibility, languages, insurance, fee, documents) in ENTRIES:
        org, _ = Organization.objects.get_or_create(id=_id("org", org_name), defaults={
            "name": org_name, "description": f"{org_name} (invented for the demo)."})
        service = Service.objects.create(
            id=_id("service", name), organization=org, name=name,
            description=f"{name}: a demo service at {street}, {city}.",
            eligibility_description=eligibility, minimum_age=low, maximum_age=high,
            fees_description=fee, application_process="Call or drop in; a referral is welcome.")
        location, _ = Location.objects.get_or_create(id=_id("location", street, city), defaults={
            "organization": org, "name": f"{street}, {city}",
            "latitude": Decimal(f"{CENTRE[0] + rng.uniform(-0.12, 0.12):.6f}"),
            "longitude": Decimal(f"{CENTRE[1] + rng.uniform(-0.12, 0.12):.6f}")})
        if not location.addresses.exists():
            Address.objects.create(id=_id("address", street, city), location=location,
                                   address_1=street, city=city, state_province="ST",
                                   postal_code=postal, country="US", address_type="physical")
        ServiceAtLocation.objects.create(id=_id("sal", name), service=service, location=location)
        Phone.objects.create(id=_id("phone", name), service=service, number=phone, type="voice")
        Schedule.objects.create(id=_id("schedule", name), service=service,
                                freq="MONTHLY" if days[0].isdigit() else "WEEKLY", byday=days,
                                opens_at=opens, closes_at=closes)
        for code in languages:
            Language.objects.create(id=_id("language", name, code), service=service, code=code,
                                    name=LANGUAGE_NAMES[code])
        for key in types:
            Attribute.objects.create(id=_id("type", name, key), link_id=service.id,
                                     link_entity="service", link_type=catalogue.SERVICE_TYPE_LINK_TYPE,
                                     taxonomy_term_id=catalogue.term_id(key))
        for plan in insurance:
            Attribute.objects.create(id=_id("insurance", name, plan), link_id=service.id,
                                     link_entity="service", link_type=catalogue.INSURANCE_LINK_TYPE,
                                     taxonomy_term_id=catalogue.INSURANCE_TERM_ID, value=plan)
        if fee == "Free":
            CostOption.objects.create(id=_id("cost", name), service=service, amount=Decimal(0),
                                      currency="USD", option="Everyone")
        for document in documents:
            RequiredDocument.objects.create(id=_id("document", name, document), service=service,
                                            document=document)
