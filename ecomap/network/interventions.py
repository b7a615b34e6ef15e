"""Network interventions matched to a network's structure.

The rules are data, in network/content/interventions.yaml, so clinicians can review them without
reading Python. Each rule has a condition on the metrics profile (network/metrics.py `profile()`),
the recommended intervention, a reason (a template filled from the profile), the desired outcome and
the evidence it rests on. A condition is a tree of:

    {metric: KEY, lt|le|gt|ge|eq|ne: VALUE}    a comparison; a None metric never matches
    {all: [CONDITION, ...]}                      every one holds
    {any: [CONDITION, ...]}                      at least one holds
    {not: CONDITION}
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from pathlib import Path

from ecomap.core.content import ContentError, read_yaml, registry

CONTENT_KEY = "network.interventions"
RULES_PATH = Path(__file__).parent / "content" / "interventions.yaml"
OPERATORS = {"lt": operator.lt, "le": operator.le, "gt": operator.gt, "ge": operator.ge,
             "eq": operator.eq, "ne": operator.ne}
RULE_FIELDS = {"id", "intervention", "when", "reason", "outcome", "evidence", "sources"}
# Facts about the client (not the network) that rules may test, added by `client_profile()`.
CLIENT_KEYS = {"client_substance_programme"}


class RuleError(ContentError):
    """The rules file breaks its schema; the message names the rule."""


@dataclass(frozen=True)
class Rule:
    id: str
    intervention: str
    when: dict
    reason: str
    outcome: str
    evidence: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Match:
    rule: Rule
    reason: str
    accepted: bool = False


def _metrics_in(condition, where: str) -> set[str]:
    if not isinstance(condition, dict) or len(condition) == 0:
        raise RuleError(f"{where}: a condition is a mapping")
    if "metric" in condition:
        ops = set(condition) - {"metric"}
        if len(ops) != 1 or not ops <= set(OPERATORS):
            raise RuleError(f"{where}: a comparison has one of {sorted(OPERATORS)}")
        return {condition["metric"]}
    if set(condition) in ({"all"}, {"any"}):
        parts = next(iter(condition.values()))
        if not isinstance(parts, list) or not parts:
            raise RuleError(f"{where}: 'all' and 'any' take a non-empty list")
        return set().union(*(_metrics_in(p, where) for p in parts))
    if set(condition) == {"not"}:
        return _metrics_in(condition["not"], where)
    raise RuleError(f"{where}: unknown condition keys {sorted(condition)}")


def parse_rules(text: str, known_metrics: set[str] | None = None) -> tuple[Rule, ...]:
    """Read and check rules; every problem names the rule it is in."""
    data = read_yaml(text, RULES_PATH.name, RuleError)
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise RuleError("the file must hold a list under 'rules'")
    rules, seen = [], set()
    for index, raw in enumerate(data["rules"], start=1):
        where = f"rule {index} ({raw.get('id', '?') if isinstance(raw, dict) else '?'})"
        if not isinstance(raw, dict) or set(raw) != RULE_FIELDS:
            raise RuleError(f"{where}: needs exactly the fields {sorted(RULE_FIELDS)}")
        if raw["id"] in seen:
            raise RuleError(f"{where}: the id is used twice")
        seen.add(raw["id"])
        used = _metrics_in(raw["when"], where)
        if known_metrics is not None and used - known_metrics:
            raise RuleError(f"{where}: unknown metrics {sorted(used - known_metrics)}")
        if not raw["sources"]:
            raise RuleError(f"{where}: name at least one source")
        rules.append(Rule(id=raw["id"], intervention=raw["intervention"], when=raw["when"],
                          reason=raw["reason"].strip(), outcome=raw["outcome"].strip(),
                          evidence=raw["evidence"].strip(), sources=tuple(raw["sources"])))
    return tuple(rules)


def load_rules() -> tuple[Rule, ...]:
    """The registered loader (network/apps.py): read and checked at start-up by the content check."""
    return parse_rules(RULES_PATH.read_text(encoding="utf-8"))


def rules() -> tuple[Rule, ...]:
    return registry.get(CONTENT_KEY)


def holds(condition: dict, profile: dict) -> bool:
    if "metric" in condition:
        (name, value), = ((k, v) for k, v in condition.items() if k != "metric")
        actual = profile.get(condition["metric"])
        return actual is not None and OPERATORS[name](actual, value)
    if "all" in condition:
        return all(holds(part, profile) for part in condition["all"])
    if "any" in condition:
        return any(holds(part, profile) for part in condition["any"])
    return not holds(condition["not"], profile)


class _Values(dict):
    """Formats a reason: shares as percentages, missing values as 'unknown'."""

    def __missing__(self, key):
        return "?"


def explain(rule: Rule, profile: dict) -> str:
    values = _Values({k: (f"{round(v * 100)}%" if k.startswith("share") and isinstance(v, float)
                          else v) for k, v in profile.items()})
    return rule.reason.format_map(values)


def client_profile(client, profile: dict) -> dict:
    """The network profile plus the client facts rules may use."""
    return {**profile, "client_substance_programme": int(client.is_part2)}


def recommend(profile: dict, accepted: set[str] | frozenset[str] = frozenset()) -> list[Match]:
    """The rules whose condition holds for this profile, in file order, each with its reason."""
    return [Match(rule, explain(rule, profile), rule.id in accepted)
            for rule in rules() if holds(rule.when, profile)]
