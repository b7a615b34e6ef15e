"""The eco-map in words: the text alternative (the table that replaces the picture for
screen-reader users and in print), the picture's description, and the labels both use.

Public: text_alternative, describe.
"""

from __future__ import annotations

from collections import Counter

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .choices import Contact, MemberKind, Relationship, Sector, SupportFunction, Valence
from .ecomap_layout import (
    MODERATE,
    SECTORS,
    STATUS_ADDED,
    STATUS_CONTACT,
    STATUS_GONE,
    STATUS_MOVED_IN,
    STATUS_MOVED_OUT,
    STATUS_VALENCE,
    STRONG,
    TENUOUS,
    diff,
    members_in_order,
    tie_strength,
)
from .graph import Network


def strength_label(value):
    return {STRONG: _("Strong"), MODERATE: _("Moderate"), TENUOUS: _("Tenuous")}[value]


def circle_label(circle):
    return {1: _("Inner circle"), 2: _("Middle circle"), 3: _("Outer circle")}.get(circle, str(circle))


def choice_label(choices, value):
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def support_codes(values):
    order = list(SupportFunction.values)
    return tuple(sorted(values, key=lambda v: (order.index(v) if v in order else len(order), v)))


def support_labels(values):
    return [choice_label(SupportFunction, v) for v in support_codes(values)]


def status_text(codes, old, new):
    parts = []
    for code in codes:
        if code == STATUS_ADDED:
            parts.append(_("new"))
        elif code == STATUS_GONE:
            parts.append(_("gone"))
        elif code == STATUS_MOVED_IN:
            parts.append(_("moved in from %(circle)s") % {"circle": circle_label(old.circle).lower()})
        elif code == STATUS_MOVED_OUT:
            parts.append(_("moved out from %(circle)s") % {"circle": circle_label(old.circle).lower()})
        elif code == STATUS_VALENCE:
            parts.append(_("was %(valence)s") % {"valence": choice_label(Valence, old.valence).lower()})
        elif code == STATUS_CONTACT:
            parts.append(_("contact was %(contact)s") % {
                "contact": choice_label(Contact, old.contact).lower()})
    return ", ".join(parts)


def map_status(codes, old, new):
    """The short status line under a label on the map: "new" is left to the badge, contact changes to
    the table, and the arrow shows which circle a member moved from."""
    parts = []
    for code in codes:
        if code == STATUS_MOVED_IN:
            parts.append(_("moved in"))
        elif code == STATUS_MOVED_OUT:
            parts.append(_("moved out"))
        elif code == STATUS_VALENCE:
            parts.append(_("was %(valence)s") % {"valence": choice_label(Valence, old.valence).lower()})
    return " \u00b7 ".join(parts)



# --------------------------------------------------------------------------------------------------
# Text alternative


def text_alternative(network: Network, compare_to: Network | None = None) -> list[dict]:
    """One row per member (and per gone member when comparing), in reading order (circle, sector,
    label), for the HTML table that screen-reader users get in place of the SVG. Codes and display
    labels both: `support_received` and `support_given` are display strings ("Emotional, Practical"),
    their `_codes` twins tuples of values; `change` is a tuple of STATUS_* codes ("" label if none)."""
    rows = []
    entries, _changes = members_in_order(network, compare_to)
    for member, codes, old in entries:
        strength = tie_strength(member)
        rows.append({
            "key": member.key,
            "label": member.label,
            "kind": member.kind,
            "kind_label": choice_label(MemberKind, member.kind),
            "relationship": member.relationship,
            "relationship_label": choice_label(Relationship, member.relationship),
            "sector": member.sector,
            "sector_label": choice_label(Sector, member.sector),
            "circle": member.circle,
            "circle_label": circle_label(member.circle),
            "contact": member.contact,
            "contact_label": choice_label(Contact, member.contact),
            "support_received": ", ".join(support_labels(member.support_received)),
            "support_given": ", ".join(support_labels(member.support_given)),
            "support_received_codes": support_codes(member.support_received),
            "support_given_codes": support_codes(member.support_given),
            "valence": member.valence,
            "valence_label": choice_label(Valence, member.valence),
            "strength": strength,
            "strength_label": strength_label(strength),
            "change": codes,
            "change_label": status_text(codes, old, member),
        })
    return rows


def describe(network: Network, *, client_label: str, compare_to: Network | None = None) -> str:
    """The one-paragraph summary used as the SVG's <desc> (and usable as a figure caption)."""
    members = network.members
    parts = [ngettext("Eco-map of %(client)s with %(n)d member.",
                      "Eco-map of %(client)s with %(n)d members.", len(members))
             % {"client": client_label, "n": len(members)}]
    if members:
        circles = Counter(m.circle for m in members)
        parts.append(", ".join(f"{circle_label(c)} {circles[c]}" for c in (1, 2, 3)) + ".")
        sectors = Counter(m.sector for m in members)
        parts.append(", ".join(f"{choice_label(Sector, s)} {sectors[s]}" for s in SECTORS if sectors[s])
                     + ".")
        strengths = Counter(tie_strength(m) for m in members)
        valences = Counter(m.valence for m in members)
        parts.append(_("Ties: %(strong)d strong, %(moderate)d moderate, %(tenuous)d tenuous; "
                       "%(mixed)d mixed, %(stressful)d stressful.") % {
            "strong": strengths[STRONG], "moderate": strengths[MODERATE], "tenuous": strengths[TENUOUS],
            "mixed": valences[Valence.MIXED], "stressful": valences[Valence.STRESSFUL]})
        parts.append(ngettext("%(n)d tie between members.", "%(n)d ties between members.",
                              len(network.ties)) % {"n": len(network.ties)})
    if compare_to is not None:
        d = diff(compare_to, network)
        parts.append(_("Since the earlier map: %(added)d new, %(gone)d gone, %(moved)d moved between "
                       "circles, %(valence)d changed in feeling.") % {
            "added": len(d.added), "gone": len(d.gone), "moved": len(d.moved),
            "valence": len(d.valence_changed)})
    return " ".join(parts)


