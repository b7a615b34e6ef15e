"""The demo agency: synthetic practitioners and clients made by code from a fixed seed.

The apps add their own demo data (networks, sessions, referrals...) with
`@ecomap.core.demo.demo_builder`: each builder receives the `DemoAgency` and a seeded `random.Random`.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction

from ecomap.accounts.models import Agency, Team, User
from ecomap.clients import services as client_services
from ecomap.clients.models import Programme
from ecomap.core.demo import FIRST_NAMES, LAST_NAMES, DemoAgency, builders

AGENCY_NAME = "Riverside Community Services (demo)"
DEMO_PASSWORD = "ecomap-demo"  # noqa: S105 - printed on start; the demo refuses to run in production
SEED = 20261123

PRONOUNS = ["she/her", "he/him", "they/them", "", "she/they", "he/they"]
LANGUAGES = ["English"] * 6 + ["Spanish", "Vietnamese", "Arabic", "Portuguese"]

# (username, first, last, role, team)
STAFF = [
    ("admin", "Ada", "Admin", "admin", None),
    ("supervisor", "Sofia", "Reyes", "supervisor", "North team"),
    ("practitioner", "Pat", "Morgan", "practitioner", "North team"),
    ("alex.kim", "Alex", "Kim", "practitioner", "North team"),
    ("south.supervisor", "Sipho", "Ndlovu", "supervisor", "South team"),
    ("jordan.lee", "Jordan", "Lee", "practitioner", "South team"),
    ("casey.obi", "Casey", "Obi", "practitioner", "South team"),
]


def demo_exists() -> bool:
    return Team.objects.filter(name="North team").exists()


def logins() -> list[tuple[str, str, str]]:
    return [(username, DEMO_PASSWORD, role) for username, _f, _l, role, _t in STAFF]


@transaction.atomic
def build(clients_per_practitioner: int = 8) -> DemoAgency:
    rng = random.Random(SEED)
    agency = DemoAgency()
    Agency(name=AGENCY_NAME, address="1 River Street\nSpringfield, ZZ 00000 (synthetic)",
           phone="555-0100", privacy_officer_name="Morgan Privacy (demo)",
           privacy_officer_contact="privacy@demo.invalid, 555-0101").save()
    for name in ("North team", "South team"):
        agency.teams[name] = Team.objects.create(name=name)
    for username, first, last, role, team in STAFF:
        user = User(username=username, first_name=first, last_name=last, role=role,
                    email=f"{username}@demo.invalid", team=agency.teams.get(team))
        user.set_password(DEMO_PASSWORD)
        user.save()
        agency.users[username] = user

    holders = [u for u in agency.users.values() if u.role == "practitioner"]
    for practitioner in holders:
        team_mates = [u for u in holders if u.team_id == practitioner.team_id and u != practitioner]
        for _ in range(clients_per_practitioner):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            born = agency.today - timedelta(days=rng.randint(19 * 365, 70 * 365))
            data = {
                "legal_first_name": first,
                "legal_last_name": last,
                "preferred_name": rng.choice(["", "", "", first[:3]]),
                "pronouns": rng.choice(PRONOUNS),
                "date_of_birth": born,
                "phone": f"555-01{rng.randint(0, 99):02d}",
                "email": f"{first.lower()}.{last.lower()}@example.invalid",
                "preferred_language": rng.choice(LANGUAGES),
                "programme": rng.choice(Programme.values),
                "admitted_on": agency.today - timedelta(days=rng.randint(10, 900)),
                "primary_practitioner": practitioner,
                "secondary_practitioner": rng.choice([None, None, *team_mates]),
            }
            client = client_services.create_client(actor=agency.users["admin"], data=data)
            agency.clients.append(client)

    # Some history: one discharge and one transfer, as a real caseload has.
    supervisor = agency.users["supervisor"]
    discharged = agency.clients[1]
    client_services.discharge_client(discharged, actor=supervisor, on=agency.today,
                                     reason="Goals met; moved to peer support")
    moved = agency.clients[2]
    client_services.transfer_client(moved, actor=supervisor, role="primary",
                                    to=agency.users["alex.kim"], reason="Caseload balancing")
    agency.clients = list(type(moved).objects.order_by("pk"))

    for builder in builders():
        builder(agency, random.Random(f"{SEED}:{builder.__module__}"))
    return agency
