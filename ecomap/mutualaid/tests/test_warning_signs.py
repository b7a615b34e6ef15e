"""The warning-sign rules: the file is checked at load, and the rules say what they should, for any
attendance history (hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from ecomap.mutualaid import warning_signs
from ecomap.mutualaid.warning_signs import RulesError, load, rules, signs, weekly_rate

START = date(2026, 1, 5)


def _file(tmp_path: Path, mutate) -> Path:
    data = yaml.safe_load(warning_signs.PATH.read_text())
    mutate(data)
    path = tmp_path / "warning_signs.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_the_shipped_rules_load_and_label_their_thresholds():
    loaded = rules()
    assert set(loaded) == set(warning_signs.KNOWN)
    assert loaded["attendance_falling"].rule_of_thumb is True
    assert loaded["reluctance"].rule_of_thumb is False  # named by the source itself
    assert all(rule.sources for rule in loaded.values())


@pytest.mark.parametrize("mutate, message", [
    (lambda d: d["rules"].pop(0), "missing rules attendance_falling"),
    (lambda d: d["rules"][0].update(key="invented"), "not a rule the code knows"),
    (lambda d: d["rules"][0].update(params={"ratio": 0.5}), "expected exactly"),
    (lambda d: d["rules"][0].update(params={"ratio": 0.5, "baseline_visits": 3}),
     "expected exactly"),
    (lambda d: d["rules"][0]["params"].update(ratio=-1), "positive number"),
    (lambda d: d["rules"][0].update(sources=["nowhere"]), "unknown source"),
    (lambda d: d["rules"][0].pop("rule_of_thumb"), "rule of thumb"),
    (lambda d: d["rules"][0].update(colour="red"), "unknown field"),
    (lambda d: d["rules"].append(dict(d["rules"][1])), "defined twice"),
    (lambda d: d["sources"]["clinical-4.4"].pop("title"), "title"),
])
def test_a_broken_rules_file_names_the_field(tmp_path, mutate, message):
    with pytest.raises(RulesError, match=message):
        load(_file(tmp_path, mutate))


def test_an_unreadable_rules_file_is_refused(tmp_path):
    path = tmp_path / "warning_signs.yaml"
    path.write_text("rules: [")
    with pytest.raises(RulesError, match="not valid YAML at line 1"):
        load(path)


def _visit(pk, seen_on, meetings, **fields):
    values = {"pk": pk, "seen_on": seen_on, "meetings_attended": meetings, "reluctant": False,
              "extreme_stress": False, "use_since_last": "none", "sponsor": "none",
              "sponsor_last_contact": None, "service": False,
              "referral": SimpleNamespace(referred_on=START)}
    values.update(fields)
    return SimpleNamespace(**values)


def _history(counts, gaps):
    """Visits (newest first) with `counts` meetings, `gaps` days apart, from START."""
    visits, day = [], START
    for pk, (count, gap) in enumerate(zip(counts, gaps, strict=True), start=1):
        day += timedelta(days=gap)
        visits.append(_visit(pk, day, count))
    return visits[::-1]


@pytest.mark.parametrize("counts, gaps, fires, reason", [
    # Fortnightly visits: baseline = the two visits of the 4 weeks before (6 + 6 in 28 days = 3 a
    # week); 1 in the last 14 days = 0.5 a week, below 1.5.
    ([6, 6, 1], [14, 14, 14], True, "0.5 meetings a week since the last visit, below half of "
     "their own recent average of 3 a week (over the 28 days before)."),
    ([6, 6, 3], [14, 14, 14], False, None),  # 1.5 a week is half, not below
    ([6, 6, 2], [14, 14, 14], True, None),  # 1 a week
    # A visit older than 4 weeks before the interval is outside the baseline: 40 meetings in the
    # first 14 days do not count; baseline = 2 in 28 days = 0.5 a week.
    ([40, 2, 1], [14, 28, 14], False, None),
    # Only one visit before: that interval is the baseline, however long (4 in 35 days = 0.8).
    ([4, 0], [35, 7], True, "over the 35 days before"),
    ([0, 0], [14, 14], False, None),  # no baseline to fall from
])
def test_attendance_falling_hand_computed(counts, gaps, fires, reason):
    history = _history(counts, gaps)
    found = [s for s in signs(history[0], history[1:]) if s.rule.key == "attendance_falling"]
    assert bool(found) == fires
    if reason:
        assert reason in found[0].reason


@given(st.lists(st.integers(0, 20), min_size=2, max_size=6),
       st.lists(st.integers(1, 35), min_size=6, max_size=6), st.integers(2, 5))
def test_attendance_falling_does_not_depend_on_the_scale_of_attendance(counts, gaps, factor):
    history = _history(counts, gaps[:len(counts)])
    scaled = _history([c * factor for c in counts], gaps[:len(counts)])

    def fired(h):
        return any(s.rule.key == "attendance_falling" for s in signs(h[0], h[1:]))

    assert fired(history) == fired(scaled)


@given(st.lists(st.integers(1, 20), min_size=1, max_size=5), st.integers(14, 40))
def test_no_meetings_at_all_after_some_always_fires(counts, gap):
    history = _history([*counts, 0], [14] * len(counts) + [gap])
    keys = {s.rule.key for s in signs(history[0], history[1:])}
    assert {"attendance_falling", "no_meetings"} <= keys


@given(st.integers(1, 10), st.lists(st.integers(1, 35), min_size=2, max_size=6))
def test_steady_attendance_never_raises_a_falling_alert(per_week, gaps):
    # The same number of meetings a week, whatever the gaps between visits.
    visits, day = [], START
    for pk, gap in enumerate(gaps, start=1):
        day += timedelta(days=gap)
        visits.append(_visit(pk, day, per_week * gap / 7))
    history = visits[::-1]
    assert not [s for s in signs(history[0], history[1:])
                if s.rule.key == "attendance_falling"]


@given(st.integers(0, 50), st.integers(1, 60))
def test_weekly_rate_is_meetings_over_weeks(meetings, days):
    assert weekly_rate(meetings, START, START + timedelta(days=days)) == pytest.approx(
        meetings * 7 / days)


def test_no_meetings_for_two_weeks_says_how_long_and_since_when():
    first = _visit(1, START + timedelta(days=13), 0)
    assert "no_meetings" not in {s.rule.key for s in signs(first, [])}
    first = _visit(1, START + timedelta(days=45), 0)
    sign = next(s for s in signs(first, []) if s.rule.key == "no_meetings")
    assert sign.reason == "No meetings in the 45 days since the referral."
    second = _visit(2, START + timedelta(days=66), 0)
    sign = next(s for s in signs(second, [first]) if s.rule.key == "no_meetings")
    assert sign.reason == "No meetings in the 21 days since the last visit."


def test_each_sign_has_one_key_per_visit():
    visit = _visit(7, START + timedelta(days=14), 0, reluctant=True)
    keys = [s.key for s in signs(visit, [])]
    assert keys == ["no_meetings:7", "reluctance:7"]


def test_missed_follow_up_after_the_grace_days():
    referral = SimpleNamespace(next_follow_up_on=START)
    assert warning_signs.missed(referral, START + timedelta(days=3)) is None
    sign = warning_signs.missed(referral, START + timedelta(days=4))
    assert sign.key == f"missed_follow_up:due-{START.isoformat()}" and "4 days late" in sign.reason
    assert warning_signs.missed(SimpleNamespace(next_follow_up_on=None), START) is None
