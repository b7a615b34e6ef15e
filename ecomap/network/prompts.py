"""The name generators of the network interview, in the order they are asked.

Each prompt is a question (the name-generator style of Network Canvas, EgoNet and the Important
People interview: ../shared/research/ego_networks.md sections 2 and 4) and what naming someone in
answer to it records about them. Naming someone again under a later prompt adds to what is known
about that person instead of creating a second member.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from .choices import MemberKind, Relationship


@dataclass(frozen=True)
class Prompt:
    slug: str
    question: str
    hint: str
    default_relationship: str
    support: str = ""  # a support function the client receives from people named here
    stressful: bool = False
    uses_with: bool = False
    groups: bool = False
    relationships: tuple[str, ...] = field(default=())


PERSON_RELATIONSHIPS = tuple(
    r.value for r in Relationship
    if r not in (Relationship.MUTUAL_AID_GROUP, Relationship.FAITH_COMMUNITY, Relationship.SERVICE)
)
GROUP_RELATIONSHIPS = (Relationship.MUTUAL_AID_GROUP, Relationship.FAITH_COMMUNITY,
                       Relationship.SERVICE, Relationship.PROFESSIONAL, Relationship.OTHER)

PROMPTS: tuple[Prompt, ...] = (
    Prompt("matters", _("Who do you talk to about things that matter to you?"),
           _("People the client confides in."), Relationship.FRIEND, support="emotional",
           relationships=PERSON_RELATIONSHIPS),
    Prompt("practical", _("Who helps you with practical things?"),
           _("Lifts, money, forms, a place to stay, looking after children or pets."),
           Relationship.OTHER_KIN, support="practical", relationships=PERSON_RELATIONSHIPS),
    Prompt("free_time", _("Who do you spend free time with?"),
           _("Meals, walks, games, hobbies, going out."), Relationship.FRIEND,
           support="companionship", relationships=PERSON_RELATIONSHIPS),
    Prompt("stress", _("Who is a source of stress for you?"),
           _("People the client argues with, worries about or feels pressured by."),
           Relationship.OTHER_KIN, stressful=True, relationships=PERSON_RELATIONSHIPS),
    Prompt("uses_with", _("Who do you drink or use with?"),
           _("Anyone the client drinks or uses drugs with, now or recently."),
           Relationship.FRIEND, uses_with=True, relationships=PERSON_RELATIONSHIPS),
    Prompt("groups", _("Which groups and services do you go to?"),
           _("Mutual aid meetings, faith or community groups, clinics, agencies, workers."),
           Relationship.MUTUAL_AID_GROUP, groups=True, relationships=GROUP_RELATIONSHIPS),
)
BY_SLUG = {prompt.slug: prompt for prompt in PROMPTS}


def kind_for(relationship: str) -> str:
    if relationship in (Relationship.MUTUAL_AID_GROUP, Relationship.FAITH_COMMUNITY):
        return MemberKind.GROUP
    if relationship == Relationship.SERVICE:
        return MemberKind.SERVICE
    return MemberKind.PERSON
