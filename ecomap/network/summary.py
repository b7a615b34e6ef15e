"""The network summary: the measures a practitioner reads on the network page, with labels and
formatting, chosen from
metrics.profile() (which holds more, for research exports and intervention rules)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from . import metrics

# (profile key, label, kind): kind "count", "share" (0-1 shown as %), or "number".
SHOWN = [
    ("size", _("Members"), "count"),
    ("size_person", _("People"), "count"),
    ("size_group", _("Groups"), "count"),
    ("size_service", _("Services"), "count"),
    ("share_circle_1", _("In the inner circle"), "share"),
    ("share_kin", _("Family"), "share"),
    ("share_informal", _("Informal (not professionals or services)"), "share"),
    ("share_valence_stressful", _("Stressful"), "share"),
    ("share_valence_mixed", _("Mixed"), "share"),
    ("ties", _("Ties between members"), "count"),
    ("density", _("Density (how many know each other)"), "share"),
    ("components", _("Separate groups"), "count"),
    ("isolates", _("Members who know nobody else named"), "count"),
    ("blau_relationship", _("Variety of relationships (Blau)"), "number"),
    ("support_providers", _("Members who support the client"), "count"),
    ("multiplexity", _("Kinds of support per member"), "number"),
    ("reciprocity", _("Support given back"), "share"),
    ("share_weekly_contact", _("Contact at least weekly"), "share"),
    ("effective_size", _("Effective size (Burt)"), "number"),
    ("efficiency", _("Efficiency (Burt)"), "number"),
    ("constraint", _("Constraint (Burt)"), "number"),
    ("heavy_users", _("Heavy drinkers or users"), "count"),
    ("recovery_supporters", _("Supporters of recovery"), "count"),
    ("recovery_opponents", _("Against recovery"), "count"),
    ("network_for_change_candidates", _("Could join a network for change"), "count"),
]


def _display(value, kind: str) -> str:
    if value is None:
        return "—"
    if kind == "share":
        return f"{value * 100:.0f}%"
    if kind == "number":
        return f"{value:.2f}"
    return str(value)


def _change(value, kind: str) -> str:
    if value is None:
        return "—"
    if value == 0:
        return "0"
    text = f"{value * 100:+.0f} pts" if kind == "share" else (
        f"{value:+.2f}" if kind == "number" else f"{value:+d}")
    return text


def rows(profile: dict) -> list[dict]:
    return [{"key": key, "label": label, "display": _display(profile.get(key), kind)}
            for key, label, kind in SHOWN]


def changes(before: dict, after: dict) -> list[dict]:
    changed = metrics.compare(before, after)
    return [{"key": key, "label": label, "before": _display(before.get(key), kind),
             "after": _display(after.get(key), kind), "change": _change(changed.get(key), kind)}
            for key, label, kind in SHOWN]
