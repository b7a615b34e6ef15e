"""Demo networks: four shapes a practitioner meets often, so every page has something real to show
(an isolated client, a kin-dense and stressful network, a network heavy with using peers, and a
well-supported one), each with an earlier assessment so comparison works."""

from __future__ import annotations

from datetime import timedelta

from ecomap.core.demo import demo_builder

from .models import MemberTie, NetworkMember

# (label, relationship, kind, circle, contact, received, given, valence, use, stance, could_join)
SHAPES = {
    "isolated": [
        ("Dr Lee", "professional", "service", 2, "monthly", ["informational"], [], "supportive",
         "unknown", "supportive", False),
        ("Mum", "parent", "person", 3, "less", [], [], "mixed", "none", "neutral", False),
    ],
    "kin_stressful": [
        ("Dad", "parent", "person", 1, "daily", ["practical"], [], "stressful", "heavy", "against",
         False),
        ("Mum", "parent", "person", 1, "daily", ["practical", "emotional"], ["practical"], "mixed",
         "some", "neutral", True),
        ("Jo (sister)", "sibling", "person", 1, "weekly", ["emotional"], ["emotional"], "stressful",
         "none", "supportive", True),
        ("Uncle Ray", "other_kin", "person", 2, "weekly", [], [], "stressful", "heavy", "against",
         False),
        ("Gran", "other_kin", "person", 2, "monthly", ["emotional"], ["companionship"],
         "supportive", "none", "supportive", False),
    ],
    "using_peers": [
        ("Dean", "friend", "person", 1, "daily", ["companionship"], ["companionship"], "mixed",
         "heavy", "against", False),
        ("Kez", "friend", "person", 1, "daily", ["companionship", "financial"], [], "mixed",
         "heavy", "against", False),
        ("Mo", "friend", "person", 2, "weekly", ["companionship"], [], "supportive", "heavy",
         "neutral", False),
        ("Tina", "partner", "person", 1, "daily", ["emotional", "practical"], ["emotional"],
         "mixed", "some", "supportive", True),
        ("Outreach worker", "professional", "service", 3, "monthly", ["informational"], [],
         "supportive", "none", "supportive", False),
    ],
    "well_supported": [
        ("Sam (partner)", "partner", "person", 1, "daily", ["emotional", "practical"],
         ["emotional", "practical"], "supportive", "none", "supportive", True),
        ("Aunt Bea", "other_kin", "person", 2, "weekly", ["emotional"], ["companionship"],
         "supportive", "none", "supportive", True),
        ("Priya", "friend", "person", 1, "weekly", ["companionship", "emotional"],
         ["emotional"], "supportive", "some", "supportive", False),
        ("Tuesday SMART meeting", "mutual_aid_group", "group", 2, "weekly", ["informational"],
         [], "supportive", "none", "supportive", False),
        ("Sponsor Ana", "sponsor", "person", 1, "weekly", ["emotional", "informational"], [],
         "supportive", "none", "supportive", False),
        ("Clubhouse", "service", "service", 2, "weekly", ["companionship", "practical"], [],
         "supportive", "none", "supportive", False),
        ("Co-worker Lou", "coworker", "person", 3, "weekly", ["companionship"], [],
         "supportive", "some", "neutral", False),
    ],
}
TIES = {
    "kin_stressful": [("Dad", "Mum"), ("Dad", "Jo (sister)"), ("Mum", "Jo (sister)"),
                      ("Dad", "Uncle Ray"), ("Mum", "Gran"), ("Jo (sister)", "Gran"),
                      ("Mum", "Uncle Ray")],
    "using_peers": [("Dean", "Kez"), ("Dean", "Mo"), ("Kez", "Mo"), ("Tina", "Dean")],
    "well_supported": [("Sam (partner)", "Aunt Bea"), ("Sponsor Ana", "Tuesday SMART meeting"),
                       ("Sam (partner)", "Priya")],
}


@demo_builder
def build_networks(agency, rng):
    from . import services

    clients = [c for c in agency.clients if c.status == "active"]
    for client, shape in zip(clients, SHAPES, strict=False):
        actor = client.primary_practitioner
        members = {}
        for row in SHAPES[shape]:
            (label, relationship, kind, circle, contact, received, given, valence, use, stance,
             could_join) = row
            members[label] = NetworkMember.objects.create(
                client=client, label=label, relationship=relationship, kind=kind, circle=circle,
                contact=contact, support_received=received, support_given=given,
                valence=valence, substance_use=use, recovery_stance=stance,
                could_join_sessions=could_join)
        for a, b in TIES.get(shape, []):
            low, high = sorted((members[a].pk, members[b].pk))
            MemberTie.objects.create(client=client, a_id=low, b_id=high)
        # An earlier assessment three months ago; then the changes a review typically finds:
        # someone new, someone closer, a relationship easing; then today's assessment.
        services.save_assessment(client, actor=actor, on=agency.today - timedelta(days=90),
                                 notes="First network interview.")
        services.answer_prompt(client, actor=actor, prompt="matters", label="Peer mentor Kim",
                               relationship="recovery_peer")
        outer = [m for m in members.values() if m.circle > 1]
        if outer:
            services.update_member(outer[0], actor=actor, data={"circle": outer[0].circle - 1})
        strained = [m for m in members.values() if m.valence == "stressful"]
        if strained:
            services.update_member(strained[0], actor=actor, data={"valence": "mixed"})
        services.save_assessment(client, actor=actor, on=agency.today,
                                 notes="Three-month review.")
