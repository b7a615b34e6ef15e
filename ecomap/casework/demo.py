"""Demo casework for the practitioner's first active clients: needs assessments (with a
re-assessment), referrals to the demo directory in every state (one overdue for an answer, one
accepted and not enrolled in time), document checklists, tasks (one overdue), contacts with a
keep-in-touch cadence (one client out of touch), and a family case: the relative named in the
consents demo's family consent is involved in care, with a phone contact, a family psychoeducation
session and caregiver check-ins (the last one flagged), all under that consent.

Runs after the consents and directory demos (INSTALLED_APPS order). Synthetic people only."""

from __future__ import annotations

import contextlib
from datetime import timedelta

from ecomap.consents import services as consents
from ecomap.consents.models import ConsentRecipient
from ecomap.consents.notice import DEFAULT_REVOCATION_STATEMENT
from ecomap.core.demo import demo_builder
from ecomap.directory.models import Service
from ecomap.network.models import NetworkMember
from ecomap.reports.pdf import PdfUnavailable

from . import family, letters, services

RELATIONSHIPS = {"sister": "sibling", "brother": "sibling", "mother": "parent",
                 "father": "parent", "partner": "partner", "daughter": "child", "son": "child"}


def _needs(client, actor, on, **priorities):
    ratings = {key: {"priority": "none", "note": ""}
               for key in ("housing", "employment", "education", "income_benefits",
                           "health_insurance", "medication", "transport", "legal", "family",
                           "social_support", "daily_living")}
    for key, value in priorities.items():
        priority, _sep, note = value.partition(":")
        ratings[key] = {"priority": priority, "note": note}
    return services.assess_needs(client, actor=actor, assessed_on=on, ratings=ratings)


def _refer(client, actor, service, on, reason, need="", type_key=""):
    return services.create_referral(client, actor=actor, service=service, reason=reason,
                                    need_domain=need, service_type=type_key, on=on)


def _send(referral, actor, on, respond_by, signed_on):
    """Send a referral; for a client of a substance-use programme (whose referral shows they are
    in treatment) first record the client's consent naming the receiving organisation."""
    if referral.client.is_part2:
        consents.create_consent(referral.client, actor=actor, data={
            "disclosing_party": consents.default_discloser(),
            "information_description": "That I am a client of the program, and the reason for "
                                       "the referral.",
            "categories": ["substance_use"], "purposes": ["referral"],
            "revocation_statement": str(DEFAULT_REVOCATION_STATEMENT), "signed_by": "client",
            "signature_method": "paper", "signed_on": signed_on,
            "expires_on": signed_on + timedelta(days=365),
        }, recipients=[{"designation": "named", "kind": "organisation",
                        "name": referral.organization_name}])
    return services.send_referral(referral, actor=actor, on=on, respond_by=respond_by)


def _tick(referral, actor, *statuses):
    documents = list(referral.documents.all())
    services.set_document_statuses(referral, actor=actor, statuses={
        d.pk: s for d, s in zip(documents, statuses, strict=False)})


@demo_builder
def build_casework(agency, rng):
    directory = {s.name: s for s in Service.objects.select_related("organization")}
    if not directory:
        return
    actor = agency.users["practitioner"]
    today = agency.today
    mine = [c for c in agency.clients
            if c.primary_practitioner_id == actor.pk and c.status == "active"]
    if len(mine) < 4:
        return

    def day(n):
        return today - timedelta(days=n)

    # 1. The family case, with two referrals that need chasing.
    first = mine[0]
    _needs(first, actor, day(60), housing="high:Sofa-surfing at a friend's.",
           employment="high", family="medium:Tension with the family at home.",
           income_benefits="medium")
    _needs(first, actor, day(2), housing="medium:Staying with the sister for now.",
           employment="high:Wants to work part-time.", family="medium",
           income_benefits="low")
    housing = _refer(first, actor, directory["Housing and benefits help desk"], day(40),
                     "Needs a stable place to live; currently staying with family.",
                     "housing", "housing_help")
    _send(housing, actor, day(38), day(24), signed_on=day(40))
    services.accept_referral(housing, actor=actor, on=day(20), enrol_by=day(10),
                             note="Waiting list; an interview is to be offered.")
    _tick(housing, actor, "received", "requested", "needed", "submitted")
    jobs = _refer(first, actor, directory["Individual Placement and Support (IPS) employment team"],
                  day(10), "Wants paid work, part-time, with support.", "employment",
                  "individual_placement_support")
    _send(jobs, actor, day(9), day(3), signed_on=day(10))
    services.add_task(first, actor=actor, title="Ask the GP for a letter confirming the diagnosis",
                      owner=actor, due_on=day(3), referral=housing)
    services.add_task(first, actor=actor, title="Call the help desk about the interview date",
                      owner=actor, due_on=today + timedelta(days=4), referral=housing)
    services.set_cadence(first, actor=actor, every_days=14)
    services.log_contact(first, actor=actor, occurred_on=day(20), kind="phone",
                         duration_minutes=15, note="Checked in about the housing interview.")
    named = (ConsentRecipient.objects.filter(consent__client=first, kind="family_member")
             .order_by("pk").first())
    if named is not None:
        relative = NetworkMember.objects.create(
            client=first, label=named.name.split()[0],
            relationship=RELATIONSHIPS.get(named.relationship, "other_kin"), circle=1,
            contact="daily", support_received=["practical", "emotional"], could_join_sessions=True)
        family.involve(relative, actor=actor, full_name=named.name, caregiver=True,
                       note="The client is staying with them.")
        services.log_contact(first, actor=actor, occurred_on=day(12), kind="phone",
                             duration_minutes=10, member=relative, categories=["attendance"],
                             note="Confirmed the appointment times.")
        family.record_session(relative, actor=actor, attended_on=day(14),
                              kind="family_psychoeducation", provider="Family Bridges",
                              categories=["attendance", "social_network"],
                              note="Coping and early signs of relapse.")
        for days_ago, answers in ((50, [1, 1, 2, 1, 1, 1]), (28, [2, 1, 2, 2, 1, 2]),
                                  (5, [2, 2, 3, 2, 2, 2])):
            family.record_checkin(relative, actor=actor, checked_on=day(days_ago), answers=dict(
                zip(("worn_out", "own_life", "worry", "alone", "tension", "unsure"), answers,
                    strict=True)))
        with contextlib.suppress(PdfUnavailable):  # without Pango, no letter in the demo
            letters.family_letter(relative, actor=actor, categories=["attendance"], body=(
                "Thank you for coming to the family session. As agreed, the next appointments "
                "are on Tuesdays at 10:00."))

    # 2. Enrolled and completed referrals; in touch.
    second = mine[1]
    _needs(second, actor, day(30), social_support="high:Few people to turn to.",
           transport="medium", daily_living="low")
    club = _refer(second, actor, directory["Harbour Light Clubhouse"], day(28),
                  "Would like company and something to do in the day.", "social_support",
                  "clubhouse")
    _send(club, actor, day(27), day(13), signed_on=day(28))
    services.accept_referral(club, actor=actor, on=day(20), enrol_by=day(5))
    services.enrol_referral(club, actor=actor, on=day(12), note="Goes on Mondays and Thursdays.")
    rides = _refer(second, actor, directory["Rides to appointments"], day(60),
                   "Cannot get to the clinic by bus.", "transport", "transport_help")
    _send(rides, actor, day(59), day(45), signed_on=day(60))
    services.accept_referral(rides, actor=actor, on=day(55), enrol_by=day(40))
    services.enrol_referral(rides, actor=actor, on=day(50))
    services.complete_referral(rides, actor=actor, on=day(8),
                               outcome="Now travels with a bus pass; rides no longer needed.")
    services.set_cadence(second, actor=actor, every_days=30)
    services.log_contact(second, actor=actor, occurred_on=day(6), kind="home_visit",
                         duration_minutes=45, note="Visited at home; doing well.")

    # 3. Declined, revoked and draft referrals.
    third = mine[2]
    _needs(third, actor, day(15), employment="medium", legal="high:Court date next month.",
           health_insurance="high")
    act = _refer(third, actor, directory["Eastside ACT team"], day(40),
                 "Frequent crises; would benefit from a team.", "medication",
                 "assertive_community_treatment")
    _send(act, actor, day(39), day(25), signed_on=day(40))
    services.decline_referral(act, actor=actor, on=day(30),
                              reason="Not eligible: no hospital stay in the last year.")
    counselling = _refer(third, actor, directory["Mill Street counselling"], day(25),
                         "Talking therapy for low mood.", "daily_living", "psychotherapy")
    services.revoke_referral(counselling, actor=actor, on=day(24),
                             reason="The client chose a counsellor closer to home.")
    _refer(third, actor, directory["Community case management"], day(1),
           "Help with the health insurance application and the court date.",
           "health_insurance", "case_management")
    services.log_contact(third, actor=actor, occurred_on=day(1), kind="office_visit",
                         duration_minutes=50)

    # 4. A referral that shares substance-use information, under a consent naming the service.
    fourth = mine[3]
    _needs(fourth, actor, day(10), medication="high:Runs out of medication before refills.",
           daily_living="medium")
    eastside = directory["Mill Street counselling"]
    consents.create_consent(fourth, actor=actor, data={
        "disclosing_party": consents.default_discloser(),
        "information_description": "Substance use and mental health history needed for a "
                                   "referral to counselling.",
        "categories": ["substance_use", "mental_health"], "purposes": ["referral"],
        "revocation_statement": str(DEFAULT_REVOCATION_STATEMENT), "signed_by": "client",
        "signature_method": "electronic", "signed_on": day(8),
        "expires_on": today + timedelta(days=180),
    }, recipients=[{"designation": "named", "kind": "organisation",
                    "name": eastside.organization.name}])
    therapy = _refer(fourth, actor, eastside, day(7),
                     "Counselling for co-occurring low mood and alcohol use.", "medication",
                     "psychotherapy")
    services.send_referral(therapy, actor=actor, on=day(6), respond_by=today + timedelta(days=8),
                           recipient_name=eastside.organization.name,
                           categories=["substance_use", "mental_health"])
    services.set_cadence(fourth, actor=actor, every_days=7)
    services.log_contact(fourth, actor=actor, occurred_on=day(3), kind="phone",
                         duration_minutes=20)
