"""A client's network as plain, immutable data: what the metrics, the eco-map, the exports and the
intervention rules read. Built from the database by `network.services`, or from a frozen assessment
snapshot, so that every consumer works the same on the live network and on a past assessment.

The client is ego and is not a member. Ego-member facts (circle, contact, support, valence, substance
use, stance) live on the member, as in Network Canvas; member-member ties are undirected and carry no
attributes.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from .choices import RELATIONSHIP_PROFILE


@dataclass(frozen=True)
class Member:
    key: str  # stable across assessments (the NetworkMember's uuid)
    label: str
    kind: str  # MemberKind
    relationship: str  # Relationship
    circle: int  # Circle: 1 inner, 2 middle, 3 outer
    contact: str = "monthly"  # Contact
    support_received: frozenset[str] = frozenset()  # SupportFunction values
    support_given: frozenset[str] = frozenset()
    valence: str = "supportive"  # Valence
    substance_use: str = "unknown"  # SubstanceUse
    recovery_stance: str = "unknown"  # RecoveryStance
    could_join_sessions: bool = False

    @property
    def sector(self) -> str:
        return RELATIONSHIP_PROFILE[self.relationship][0]

    @property
    def kin(self) -> bool:
        return RELATIONSHIP_PROFILE[self.relationship][1]

    @property
    def formal(self) -> bool:
        return RELATIONSHIP_PROFILE[self.relationship][2]

    def to_dict(self) -> dict:
        data = asdict(self)
        data["support_received"] = sorted(self.support_received)
        data["support_given"] = sorted(self.support_given)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Member:
        data = dict(data)
        data["support_received"] = frozenset(data.get("support_received", ()))
        data["support_given"] = frozenset(data.get("support_given", ()))
        return cls(**data)


@dataclass(frozen=True)
class Network:
    members: tuple[Member, ...] = ()
    # Undirected member-member ties as pairs of member keys, each pair once, sorted, no self-ties.
    ties: frozenset[tuple[str, str]] = field(default_factory=frozenset)

    def __post_init__(self):
        keys = [m.key for m in self.members]
        if len(set(keys)) != len(keys):
            raise ValueError("member keys must be unique")
        known = set(keys)
        for a, b in self.ties:
            if a == b:
                raise ValueError("a member cannot be tied to itself")
            if a not in known or b not in known:
                raise ValueError("a tie names a member who is not in the network")
            if a > b:
                raise ValueError("ties are stored as sorted pairs; use Network.build()")

    @classmethod
    def build(cls, members, ties=()) -> Network:
        """Members and ties in any order; ties are de-duplicated and sorted (A-B == B-A)."""
        pairs = frozenset(tuple(sorted(pair)) for pair in ties)
        return cls(tuple(members), pairs)

    @property
    def n(self) -> int:
        return len(self.members)

    def to_dict(self) -> dict:
        return {"members": [m.to_dict() for m in self.members],
                "ties": [list(pair) for pair in sorted(self.ties)]}

    @classmethod
    def from_dict(cls, data: dict) -> Network:
        return cls.build([Member.from_dict(m) for m in data.get("members", [])],
                         [tuple(pair) for pair in data.get("ties", [])])
