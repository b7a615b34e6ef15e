"""The vocabulary of a client's network, shared by the models, the metrics, the eco-map and exports.

Fields follow the synthesis in ../shared/research/ego_networks.md section 4.6: Antonucci's circles of
closeness, Hartman's eco-map (strength, stress, direction of support), the support functions of
Barrera's ASSIS, and the Important People instrument's substance-use and reaction items.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class MemberKind(models.TextChoices):
    PERSON = "person", _("Person")
    GROUP = "group", _("Group")
    SERVICE = "service", _("Service or agency")


class Sector(models.TextChoices):
    """Where a member sits on the eco-map (Hartman's systems around the person)."""

    FAMILY = "family", _("Family")
    FRIENDS = "friends", _("Friends")
    WORK_SCHOOL = "work_school", _("Work and school")
    COMMUNITY = "community", _("Community")
    MUTUAL_AID = "mutual_aid", _("Mutual aid")
    SERVICES = "services", _("Services")


class Relationship(models.TextChoices):
    PARTNER = "partner", _("Partner or spouse")
    PARENT = "parent", _("Parent")
    CHILD = "child", _("Child")
    SIBLING = "sibling", _("Brother or sister")
    OTHER_KIN = "other_kin", _("Other family")
    FRIEND = "friend", _("Friend")
    NEIGHBOUR = "neighbour", _("Neighbour")
    COWORKER = "coworker", _("Co-worker or fellow student")
    RECOVERY_PEER = "recovery_peer", _("Peer in recovery")
    SPONSOR = "sponsor", _("Sponsor")
    FAITH_COMMUNITY = "faith_community", _("Faith or community group")
    MUTUAL_AID_GROUP = "mutual_aid_group", _("Mutual aid group")
    PROFESSIONAL = "professional", _("Professional")
    SERVICE = "service", _("Service or agency")
    OTHER = "other", _("Other")


# Each relationship's sector, and whether it is kin and whether it is formal (paid or
# organisational help) rather than informal.
RELATIONSHIP_PROFILE: dict[str, tuple[str, bool, bool]] = {
    Relationship.PARTNER: (Sector.FAMILY, True, False),
    Relationship.PARENT: (Sector.FAMILY, True, False),
    Relationship.CHILD: (Sector.FAMILY, True, False),
    Relationship.SIBLING: (Sector.FAMILY, True, False),
    Relationship.OTHER_KIN: (Sector.FAMILY, True, False),
    Relationship.FRIEND: (Sector.FRIENDS, False, False),
    Relationship.NEIGHBOUR: (Sector.COMMUNITY, False, False),
    Relationship.COWORKER: (Sector.WORK_SCHOOL, False, False),
    Relationship.RECOVERY_PEER: (Sector.MUTUAL_AID, False, False),
    Relationship.SPONSOR: (Sector.MUTUAL_AID, False, False),
    Relationship.FAITH_COMMUNITY: (Sector.COMMUNITY, False, False),
    Relationship.MUTUAL_AID_GROUP: (Sector.MUTUAL_AID, False, False),
    Relationship.PROFESSIONAL: (Sector.SERVICES, False, True),
    Relationship.SERVICE: (Sector.SERVICES, False, True),
    Relationship.OTHER: (Sector.COMMUNITY, False, False),
}


class Circle(models.IntegerChoices):
    """Antonucci's concentric circles of closeness."""

    INNER = 1, _("Inner: so close it is hard to imagine life without them")
    MIDDLE = 2, _("Middle: close and important, but less so")
    OUTER = 3, _("Outer: not as close, but still important enough to include")


class Contact(models.TextChoices):
    DAILY = "daily", _("Every day or almost")
    WEEKLY = "weekly", _("At least weekly")
    MONTHLY = "monthly", _("At least monthly")
    LESS = "less", _("Less often")
    NONE = "none", _("No contact now")


# Contact at least weekly counts for the weekly-contact share.
WEEKLY_OR_MORE = frozenset({Contact.DAILY, Contact.WEEKLY})


class SupportFunction(models.TextChoices):
    EMOTIONAL = "emotional", _("Emotional")
    PRACTICAL = "practical", _("Practical")
    INFORMATIONAL = "informational", _("Information and advice")
    COMPANIONSHIP = "companionship", _("Companionship")
    FINANCIAL = "financial", _("Financial")


class Valence(models.TextChoices):
    SUPPORTIVE = "supportive", _("Supportive")
    MIXED = "mixed", _("Mixed")
    STRESSFUL = "stressful", _("Stressful")


class SubstanceUse(models.TextChoices):
    NONE = "none", _("Does not drink or use")
    SOME = "some", _("Drinks or uses some")
    HEAVY = "heavy", _("Drinks or uses heavily")
    UNKNOWN = "unknown", _("Not known")


class RecoveryStance(models.TextChoices):
    """The member's reaction to the client's recovery (Important People: reaction to use)."""

    SUPPORTIVE = "supportive", _("Supports recovery")
    NEUTRAL = "neutral", _("Neutral")
    AGAINST = "against", _("Against recovery")
    UNKNOWN = "unknown", _("Not known")
