"""Hypothesis strategies and small builders for client networks, shared by the network tests.

    from ecomap.network.tests.strategies import complete, member, members, networks, star

    @given(networks())                        # 0..30 members, every attribute drawn from choices
    @given(networks(max_members=12, labels=st.text(min_size=1, max_size=40)))   # e.g. for the SVG
    @given(members("k"))                      # one Member

Members are drawn in a shuffled order with keys "m00", "m01", ... (so the members' order is not the
keys' order), every field from the vocabulary in choices.py. Ties are drawn pair by pair at a density
picked from 0 % to 100 %, so stars (no ties), complete graphs and everything between come up; a
failing example shrinks toward fewer members and fewer ties.
"""

from __future__ import annotations

from hypothesis import strategies as st

from ecomap.network.choices import (
    Circle,
    Contact,
    MemberKind,
    RecoveryStance,
    Relationship,
    SubstanceUse,
    SupportFunction,
    Valence,
)
from ecomap.network.graph import Member, Network

KINDS = tuple(MemberKind.values)
RELATIONSHIPS = tuple(Relationship.values)
CIRCLES = tuple(Circle.values)
CONTACTS = tuple(Contact.values)
FUNCTIONS = tuple(SupportFunction.values)
VALENCES = tuple(Valence.values)
SUBSTANCE_USE = tuple(SubstanceUse.values)
RECOVERY_STANCES = tuple(RecoveryStance.values)

# Tie densities in percent; the draw shrinks toward the first (no ties).
TIE_DENSITIES = (0, 5, 10, 20, 35, 50, 75, 90, 100)

support_functions = st.frozensets(st.sampled_from(FUNCTIONS))

# Every Member field but key and label, built once (building strategies per draw is slow).
member_fields = st.fixed_dictionaries({
    "kind": st.sampled_from(KINDS),
    "relationship": st.sampled_from(RELATIONSHIPS),
    "circle": st.sampled_from(CIRCLES),
    "contact": st.sampled_from(CONTACTS),
    "support_received": support_functions,
    "support_given": support_functions,
    "valence": st.sampled_from(VALENCES),
    "substance_use": st.sampled_from(SUBSTANCE_USE),
    "recovery_stance": st.sampled_from(RECOVERY_STANCES),
    "could_join_sessions": st.booleans(),
})


def members(key: str, labels: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[Member]:
    """A Member with the given key, the label drawn from `labels` (default: the key) and every other
    field drawn from the vocabulary."""
    return st.builds(lambda label, fields: Member(key=key, label=label, **fields),
                     labels if labels is not None else st.just(key), member_fields)


@st.composite
def networks(draw, min_members: int = 0, max_members: int = 30,
             labels: st.SearchStrategy[str] | None = None) -> Network:
    """A random Network of min_members..max_members members and random member-member ties."""
    n = draw(st.integers(min_members, max_members))
    keys = [f"m{i:02d}" for i in range(n)]
    order = draw(st.permutations(keys)) if n > 1 else keys
    fields = draw(st.lists(member_fields, min_size=n, max_size=n))
    names = draw(st.lists(labels, min_size=n, max_size=n)) if labels is not None else order
    drawn = [Member(key=key, label=label, **values)
             for key, label, values in zip(order, names, fields, strict=True)]
    density = draw(st.sampled_from(TIE_DENSITIES))
    pairs = [(a, b) for i, a in enumerate(keys) for b in keys[i + 1:]]
    if density in (0, 100) or not pairs:
        ties = pairs if density == 100 else []
    else:
        # One byte per pair (a single draw, fast); a pair is tied when its byte is high enough.
        # Shrinking lowers the bytes, so drops ties.
        cut = 256 * (100 - density) // 100
        bits = draw(st.binary(min_size=len(pairs), max_size=len(pairs)))
        ties = [pair for pair, byte in zip(pairs, bits, strict=True) if byte >= cut]
    return Network.build(drawn, ties)


# ---------------------------------------------------------------------------------------------
# Plain builders for hand-made cases


def member(key: str, **fields) -> Member:
    """A Member with sensible defaults (a friend, a person, middle circle); override any field."""
    values = {"label": key, "kind": MemberKind.PERSON.value, "relationship": Relationship.FRIEND.value,
              "circle": Circle.MIDDLE.value}
    values.update(fields)
    for name in ("support_received", "support_given"):
        if name in values:
            values[name] = frozenset(values[name])
    return Member(key=key, **values)


def star(n: int, **fields) -> Network:
    """n members, none tied to another (the common clinical 'star')."""
    return Network.build([member(f"m{i:02d}", **fields) for i in range(n)])


def complete(n: int, **fields) -> Network:
    """n members, every pair tied."""
    keys = [f"m{i:02d}" for i in range(n)]
    return Network.build([member(key, **fields) for key in keys],
                         [(a, b) for i, a in enumerate(keys) for b in keys[i + 1:]])
