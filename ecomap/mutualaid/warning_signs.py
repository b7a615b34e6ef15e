"""Warning signs of relapse: the rules of content/warning_signs.yaml, and what each says about a
follow-up visit.

`signs(follow_up, previous)` is a pure function: given a visit and the visits before it (newest
first) it returns the signs it shows, each with the rule, its reason filled in, and a key that names
its cause, so the same visit never raises the same alert twice. `missed(referral, today)` says
whether a follow-up is overdue. Raising, acknowledging and resolving the alerts is in referrals.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from django.utils.translation import gettext as _

from ecomap.core.content import ContentError, FieldReader, read_yaml, registry

PATH = Path(__file__).parent / "content" / "warning_signs.yaml"
# The rules the code knows, with the parameters each needs. The file must define exactly these.
KNOWN = {
    "attendance_falling": {"ratio", "baseline_days"}, "no_meetings": {"days"},
    "reluctance": set(), "extreme_stress": set(), "lapse": set(), "lost_sponsor": set(),
    "sponsor_contact_lapsed": {"days"}, "service_dropped": set(), "missed_follow_up": {"grace_days"},
}
SOURCE_FIELDS = ("title", "publisher", "url", "note")


class RulesError(ContentError):
    pass


class _Reader(FieldReader):
    error = RulesError
    schema_doc = "the comment at the top of warning_signs.yaml"


@dataclass(frozen=True)
class Rule:
    key: str
    label: str
    rule_of_thumb: bool
    params: dict
    reason: str
    sources: tuple[dict, ...]


@dataclass(frozen=True)
class Sign:
    rule: Rule
    reason: str
    key: str


def _number(reader: _Reader, params: dict, name: str) -> float:
    value = params.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        reader.fail(f"params.{name}", "expected a positive number")
    return value


def load(path: Path = PATH) -> dict[str, Rule]:
    where = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise RulesError(f"{where}: cannot read the file: {error}") from error
    data = read_yaml(text, where, RulesError)
    top = _Reader(data, where)
    sources = {}
    source_map = top.get("sources", True)
    if not isinstance(source_map, dict):
        top.fail("sources", "expected a mapping of source ids")
    for sid, value in source_map.items():
        source = _Reader(value, f"{where}.sources.{sid}")
        sources[sid] = {name: source.text(name, name in ("title", "publisher"))
                        for name in SOURCE_FIELDS}
        source.done()
    rules = {}
    for entry in top.entries("rules"):
        key = entry.key()
        if key not in KNOWN:
            entry.fail("key", f"{key!r} is not a rule the code knows ({', '.join(KNOWN)})")
        if key in rules:
            entry.fail("key", f"{key!r} is defined twice")
        params = entry.get("params", False) or {}
        if not isinstance(params, dict) or set(params) != KNOWN[key]:
            entry.fail("params", f"expected exactly {sorted(KNOWN[key]) or 'no parameters'}")
        params = {name: _number(entry, params, name) for name in params}
        ids = entry.texts("sources", required=True)
        for sid in ids:
            if sid not in sources:
                entry.fail("sources", f"unknown source {sid!r}")
        if "rule_of_thumb" not in entry.data:
            entry.fail("rule_of_thumb", "say whether the threshold is a rule of thumb")
        rules[key] = Rule(key=key, label=entry.text("label"),
                          rule_of_thumb=entry.boolean("rule_of_thumb", True), params=params,
                          reason=entry.text("reason"), sources=tuple(sources[s] for s in ids))
        entry.done()
    top.done()
    missing = set(KNOWN) - set(rules)
    if missing:
        raise RulesError(f"{where}.rules: missing rules {', '.join(sorted(missing))}")
    return rules


KEY = "mutualaid.warning_signs"  # registered in apps.py; loaded and checked at start-up


def rules() -> dict[str, Rule]:
    return registry.get(KEY)


def _sign(key: str, cause: str, **values) -> Sign:
    rule = rules()[key]
    return Sign(rule, rule.reason.format(**values, **rule.params), f"{key}:{cause}")


def _start(follow_up, previous) -> date:
    return previous[0].seen_on if previous else follow_up.referral.referred_on


def weekly_rate(meetings: int, start: date, end: date) -> float:
    """Meetings a week over [start, end]; a visit on the day of the last counts as one day."""
    return meetings * 7 / max((end - start).days, 1)


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def signs(follow_up, previous: list) -> list[Sign]:
    """The warning signs a follow-up visit shows; `previous`: the earlier visits, newest first."""
    found, cause = [], str(follow_up.pk)
    start = _start(follow_up, previous)
    days = (follow_up.seen_on - start).days
    rate = weekly_rate(follow_up.meetings_attended, start, follow_up.seen_on)

    falling = rules()["attendance_falling"].params
    horizon = start - timedelta(days=falling["baseline_days"])
    window = [v for v in previous if v.seen_on > horizon] or previous[:1]
    if window:
        begin = _start(window[-1], previous[len(window):])
        baseline = weekly_rate(sum(v.meetings_attended for v in window), begin, start)
        if baseline > 0 and rate < falling["ratio"] * baseline:
            found.append(_sign("attendance_falling", cause, rate=_fmt(rate),
                               baseline=_fmt(baseline), span=(start - begin).days))
    if follow_up.meetings_attended == 0 and days >= rules()["no_meetings"].params["days"]:
        since = _("the last visit") if previous else _("the referral")
        found.append(_sign("no_meetings", cause, days_since=days, since=since))
    if follow_up.reluctant:
        found.append(_sign("reluctance", cause))
    if follow_up.extreme_stress:
        found.append(_sign("extreme_stress", cause))
    if follow_up.use_since_last != "none":
        found.append(_sign("lapse", cause, use=follow_up.get_use_since_last_display().lower()))
    last = previous[0] if previous else None
    if last and last.sponsor != "none" and follow_up.sponsor == "none":
        found.append(_sign("lost_sponsor", cause))
    limit = rules()["sponsor_contact_lapsed"].params["days"]
    if follow_up.sponsor != "none" and follow_up.sponsor_last_contact:
        since = (follow_up.seen_on - follow_up.sponsor_last_contact).days
        if since > limit:
            found.append(_sign("sponsor_contact_lapsed", cause, days_since=since))
    if last and last.service and not follow_up.service:
        found.append(_sign("service_dropped", cause))
    return found


def missed(referral, today: date) -> Sign | None:
    """The missed-follow-up sign of an active referral whose next visit is overdue beyond the
    grace days; its key names the due date, so one missed date raises one alert."""
    due = referral.next_follow_up_on
    grace = rules()["missed_follow_up"].params["grace_days"]
    if due is None or today <= due + timedelta(days=grace):
        return None
    return _sign("missed_follow_up", f"due-{due.isoformat()}", due=due.isoformat(),
                 days_late=(today - due).days)
