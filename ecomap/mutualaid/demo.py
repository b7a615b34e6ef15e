"""Demo meetings: small synthetic Meeting Guide feeds made by code (never the real feeds, which hold
real contact details), imported through the same service as a real feed, with a few of the faults
real feeds have so that the validation report has something to show."""

from __future__ import annotations

import json
import random

from ecomap.core.demo import DemoAgency, demo_builder

from . import services
from .models import Fellowship

CENTRE = (41.8800, -87.6300)  # the demo agency's made-up town sits here
ZONE = "America/Chicago"
PLACES = ["St. Mark's Hall", "Community Centre", "Riverside Library", "Hope Church", "Lakeview Clinic",
          "Union Hall", "Park Pavilion", "Harbour House"]
STREETS = ["Main St", "Lake Ave", "Oak St", "River Rd", "Elm St", "Park Ave", "Mill Rd", "High St"]
WORDS = ["Serenity", "New Day", "Open Door", "Keep It Simple", "Lakeside", "Sunrise", "Freedom",
         "Hope", "Journey", "Fellowship", "Courage", "Living Sober", "Step by Step", "Daybreak"]
AA_TYPES = ["O", "C", "D", "SP", "B", "ST", "W", "M", "X", "S", "BE", "A", "LGBTQ", "Y", "MED"]


def synthetic_feed(rng: random.Random, count: int, *, prefix: str, online_share: float = 0.2,
                   faults: bool = True) -> bytes:
    """A Meeting Guide feed of `count` made-up meetings around CENTRE."""
    meetings = []
    for i in range(count):
        place = rng.randrange(len(PLACES))
        hour = rng.choice([7, 10, 12, 12, 17, 18, 19, 19, 20, 20])
        minute = rng.choice([0, 0, 30])
        record = {
            "name": f"{rng.choice(WORDS)} {rng.choice(['Group', 'Meeting', 'Circle'])}",
            "slug": f"{prefix}-{i + 1}",
            "day": rng.randrange(7),
            "time": f"{hour:02d}:{minute:02d}",
            "end_time": f"{hour + 1:02d}:{minute:02d}",
            "location": PLACES[place],
            "address": f"{100 + place * 17} {STREETS[place]}",
            "city": "Riverside", "state": "IL", "postal_code": "60600", "country": "USA",
            "latitude": round(CENTRE[0] + (place - 4) * 0.011 + rng.uniform(-0.002, 0.002), 5),
            "longitude": round(CENTRE[1] + (place % 3 - 1) * 0.015, 5),
            "types": sorted(rng.sample(AA_TYPES, rng.randint(1, 3))),
            "timezone": ZONE,
        }
        if rng.random() < online_share:
            record["conference_url"] = f"https://zoom.us/j/{rng.randrange(10**9, 10**10)}"
            record["approximate"] = rng.choice(["yes", "no"])
        meetings.append(record)
    if faults:
        meetings[0]["day"] = str(meetings[0]["day"])  # a day as text
        meetings[1]["time"] = "7:30 PM"  # a 12-hour time
        meetings[2]["types"] = "Open, Discussion"  # types as text, by name
        meetings[3]["types"] = ["o", "XYZ"]  # lower case and an unknown code
        meetings[4]["latitude"] = meetings[4]["longitude"] = 0  # Null Island
        meetings[5]["day"] = [1, 3, 5]  # three meetings in one record
        del meetings[6]["day"]  # by appointment
        meetings.append({"name": "No key"})  # rejected: no slug
    return json.dumps(meetings).encode()


@demo_builder
def build_meetings(agency: DemoAgency, rng: random.Random) -> None:
    admin = agency.users["admin"]
    services.sync_fellowships(actor=admin)
    aa = Fellowship.objects.get(slug="aa")
    smart = Fellowship.objects.get(slug="smart")
    feed = services.create_feed(actor=admin, name="Riverside Intergroup (demo)", fellowship=aa,
                                format="meetingguide", timezone_name=ZONE)
    services.import_feed(feed, actor=admin, data=synthetic_feed(rng, 80, prefix="aa"),
                         source="demo-riverside-aa.json")
    feed = services.create_feed(actor=admin, name="SMART Recovery Riverside (demo)",
                                fellowship=smart, format="meetingguide", timezone_name=ZONE)
    services.import_feed(feed, actor=admin, data=synthetic_feed(
        rng, 12, prefix="smart", online_share=0.5, faults=False), source="demo-riverside-smart.json")


CONTACTS = [
    ("aa", "committee", "Pat (CPC committee)", "Cooperation with the professional community",
     "555-0142", "cpc@riverside-aa.invalid"),
    ("aa", "volunteer", "Sam R.", "Temporary sponsor volunteer", "555-0177", ""),
    ("smart", "volunteer", "Jordan (facilitator)", "Meeting facilitator", "",
     "jordan@smart-riverside.invalid"),
]


def _profile_values(**overrides):
    values = {"concerns": ["speaking"], "concerns_note": "", "spirituality": 1,
              "christian_faith": False, "meditation": False, "goal": "abstinence",
              "substances": ["alcohol"], "takes_medication": False, "mental_health": False,
              "attendance": "any", "gender": "", "lgbtq": False, "language": "",
              "wheelchair": False, "days": [], "day_parts": [], "max_km": 10, "travel_note": "",
              "location_label": "Riverside centre", "latitude": CENTRE[0],
              "longitude": CENTRE[1]}
    values.update(overrides)
    return values


@demo_builder
def build_referrals(agency: DemoAgency, rng: random.Random) -> None:
    """Local contacts, and three clients in mutual support: steady attendance; attendance falling
    (a warning sign raised); a follow-up missed (raised by the scheduled check)."""
    from datetime import timedelta

    from . import referrals
    from .models import LocalContact, Meeting

    fellowships = {f.slug: f for f in Fellowship.objects.filter(slug__in=["aa", "smart"])}
    contacts = {}
    for slug, kind, name, role, phone, email in CONTACTS:
        contacts[name] = LocalContact.objects.create(
            fellowship=fellowships[slug], kind=kind, name=name, role=role, phone=phone,
            email=email, area="Riverside", languages="English", verified_on=agency.today)
    people = [c for c in agency.clients if c.status == "active" and c.is_part2][:3]
    plans = [
        ("smart", _profile_values(spirituality=0, concerns=["religion"]), None, [2, 3, 2]),
        ("aa", _profile_values(spirituality=3), "Sam R.", [6, 5, 1]),
        ("aa", _profile_values(spirituality=2, substances=["alcohol", "cocaine"]), None, [3]),
    ]
    for client, (slug, values, volunteer, visits) in zip(people, plans, strict=False):
        actor = client.primary_practitioner
        fellowship = fellowships[slug]
        profile = referrals.save_profile(client, actor=actor, values=values, experience=[])
        referrals.choose_fellowships(profile, [fellowship], actor=actor)
        meetings = list(Meeting.objects.filter(fellowship=fellowship, active=True,
                                               day__isnull=False, time__isnull=False)
                        .order_by("pk")[:2])
        for meeting in meetings:
            referrals.plan_meeting(profile, meeting, actor=actor, planned=True)
        start = agency.today - timedelta(days=14 * len(visits) + (20 if len(visits) == 1 else 3))
        first = meetings[0] if meetings else None
        first_on = start + timedelta(days=((first.day - start.isoweekday()) % 7) if first else 2)
        referral = referrals.refer(client, actor=actor, values={
            "fellowship": fellowship, "kind": "intensive" if volunteer else "standard",
            "referred_on": start, "contact": contacts.get(volunteer), "contact_name": "",
            "handoff": "client" if volunteer else "none", "first_meeting": first,
            "first_meeting_on": first_on,
            "handoff_note": "Gave the client the volunteer's number; the client called them and "
                            "they agreed to meet at the door before the first meeting."
                            if volunteer else "",
            "follow_up_every_days": 14, "next_follow_up_on": start + timedelta(days=14)})
        for number, count in enumerate(visits, start=1):
            seen = start + timedelta(days=14 * number)
            referrals.record_follow_up(referral, actor=actor, values={
                "seen_on": seen, "meetings_attended": count, "home_group": number > 1,
                "sponsor": "temporary" if volunteer and number > 1 else "none",
                "sponsor_since": seen - timedelta(days=7) if volunteer and number > 1 else None,
                "service": False, "comfort": min(5, 2 + number), "use_since_last": "none",
                "barriers": ["times"] if count < 2 else [],
                "concerns": "Finds it hard to speak up." if number == 1 else "",
                "feedback_given": "Praised going despite the nerves."})
    referrals.raise_missed_follow_ups(agency.today, actor="system:demo")
