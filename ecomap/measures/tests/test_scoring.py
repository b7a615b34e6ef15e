"""Scoring of every shipped instrument against hand-computed cases (the arithmetic is in the
comments), bands at their boundaries, missing-item rules, reverse scoring; and properties."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecomap.measures import instruments as defs
from ecomap.measures import services

from .helpers import definition


def scores(slug, answers):
    return {key: (r.value, r.band) for key, r in
            services.score(services.get_instrument(slug), answers).items()}


def mspss(*values):
    return {f"q{n}": v for n, v in enumerate(values, start=1)}


# --------------------------------------------------------------------------------------------------
# MSPSS: means; SO = 1, 2, 5, 10; Family = 3, 4, 8, 11; Friends = 6, 7, 9, 12


def test_mspss_subscales_and_total():
    result = scores("mspss", mspss(7, 6, 5, 4, 3, 2, 1, 2, 3, 4, 5, 6))
    # SO: 7 + 6 + 3 + 4 = 20, / 4 = 5.0 (moderate: 5.0 is the top of moderate)
    assert result["significant_other"] == (5, "Moderate perceived support")
    # Family: 5 + 4 + 2 + 5 = 16, / 4 = 4.0
    assert result["family"] == (4, "Moderate perceived support")
    # Friends: 2 + 1 + 3 + 6 = 12, / 4 = 3.0 (moderate: 3.0 is the bottom of moderate)
    assert result["friends"] == (3, "Moderate perceived support")
    # Total: 7+6+5+4+3+2+1+2+3+4+5+6 = 48, / 12 = 4.0
    assert result["total"] == (4, "Moderate perceived support")


def test_mspss_bands_at_their_boundaries():
    # Eleven 5s and one 6: 61 / 12 = 5.083 -> above 5.0 -> high
    assert scores("mspss", mspss(6, *[5] * 11))["total"] == (Fraction(61, 12),
                                                             "High perceived support")
    # Eleven 3s and one 2: 35 / 12 = 2.917 -> below 3.0 -> low (the published bands' gap)
    assert scores("mspss", mspss(2, *[3] * 11))["total"] == (Fraction(35, 12),
                                                             "Low perceived support")
    # SO 3 + 3 + 3 + 2 = 11 / 4 = 2.75 -> low; all 7s -> 7 high; all 1s -> 1 low
    assert scores("mspss", mspss(3, 3, 4, 4, 2, 4, 4, 4, 4, 3, 4, 4))["significant_other"] == (
        Fraction(11, 4), "Low perceived support")
    assert scores("mspss", mspss(*[7] * 12))["total"] == (7, "High perceived support")
    assert scores("mspss", mspss(*[1] * 12))["total"] == (1, "Low perceived support")


def test_mspss_needs_every_item_of_a_score():
    answers = mspss(*[5] * 12)
    del answers["q3"]  # a Family item
    result = scores("mspss", answers)
    assert result["family"] == (None, "") and result["total"] == (None, "")
    assert result["friends"] == (5, "Moderate perceived support")


# --------------------------------------------------------------------------------------------------
# Loneliness: sum of three items 1-3 (3-9); the direct question is not scored


@pytest.mark.parametrize(("a", "b", "c", "total", "band"), [
    (1, 1, 1, 3, "Feels lonely least often (3-4)"),          # 1 + 1 + 1 = 3
    (1, 1, 2, 4, "Feels lonely least often (3-4)"),          # 1 + 1 + 2 = 4
    (1, 2, 2, 5, "Feels lonely some of the time (5-7)"),     # 1 + 2 + 2 = 5
    (1, 3, 3, 7, "Feels lonely some of the time (5-7)"),     # 1 + 3 + 3 = 7
    (2, 3, 3, 8, "Feels lonely most often (8-9)"),           # 2 + 3 + 3 = 8
    (3, 3, 3, 9, "Feels lonely most often (8-9)"),           # 3 + 3 + 3 = 9
])
def test_loneliness_sum_and_groups(a, b, c, total, band):
    for direct in ("often_always", "never"):  # the direct question never changes the score
        assert scores("loneliness-ons", {"companionship": a, "left_out": b, "isolated": c,
                                         "direct": direct}) == {"total": (total, band)}


def test_loneliness_direct_question_is_recorded_not_scored():
    instrument = services.get_instrument("loneliness-ons")
    direct = instrument.item("direct")
    assert not direct.scored and not direct.scale.numeric
    assert direct.scale.label("often_always") == "Often/always"
    assert "direct" not in instrument.score_def("total").items


# --------------------------------------------------------------------------------------------------
# BARC-10: sum of ten items 1-6 (10-60); cut-off 47


@pytest.mark.parametrize(("answers", "total", "band"), [
    ([1] * 10, 10, "Below the cut-off of 47"),
    ([5] * 7 + [4] * 3, 47, "At or above the cut-off of 47"),  # 35 + 12 = 47
    ([5] * 6 + [4] * 4, 46, "Below the cut-off of 47"),        # 30 + 16 = 46
    ([6] * 10, 60, "At or above the cut-off of 47"),
])
def test_barc10(answers, total, band):
    assert scores("barc-10", {f"q{n}": v for n, v in enumerate(answers, 1)}) == {
        "total": (total, band)}


# --------------------------------------------------------------------------------------------------
# SOCRATES: three sums, no total. Re = 1,3,7,10,12,15,17; Am = 2,6,11,16; Ts = 4,5,8,9,13,14,18,19

RE, AM = (1, 3, 7, 10, 12, 15, 17), (2, 6, 11, 16)
TS = (4, 5, 8, 9, 13, 14, 18, 19)


def socrates(re, am, ts):
    answers = {}
    for keys, values in ((RE, re), (AM, am), (TS, ts)):
        answers.update({f"q{k}": v for k, v in zip(keys, values, strict=True)})
    return answers


@pytest.mark.parametrize("slug", ["socrates-8d", "socrates-8a"])
def test_socrates_scales_and_deciles(slug):
    # Re 4 * 7 = 28 (decile 20: 27-28); Am 4 + 4 + 3 + 3 = 14 (decile 40: 14);
    # Ts 4 * 8 = 32 (decile 40: 31-32)
    result = scores(slug, socrates([4] * 7, [4, 4, 3, 3], [4] * 8))
    assert result == {"recognition": (28, "Decile 20"), "ambivalence": (14, "Decile 40"),
                      "taking_steps": (32, "Decile 40")}
    # Boundaries: Re 4+4+4+4+4+3+3 = 26 -> decile 10; 4*6 + 3 = 27 -> decile 20;
    # Re 35 (all 5) -> decile 70 (high, the top of the profile); Am 20 -> decile 90;
    # Ts 8 (all 1) -> decile 10; Ts 39 = 7 * 5 + 4 -> decile 90.
    result = scores(slug, socrates([4, 4, 4, 4, 4, 3, 3], [5] * 4, [1] * 8))
    assert result["recognition"] == (26, "Decile 10 (very low)")
    assert result["ambivalence"] == (20, "Decile 90 (very high)")
    assert result["taking_steps"] == (8, "Decile 10 (very low)")
    result = scores(slug, socrates([4, 4, 4, 4, 4, 4, 3], [2, 2, 2, 2], [5] * 7 + [4]))
    assert result["recognition"] == (27, "Decile 20")
    assert result["ambivalence"] == (8, "Decile 10 (very low)")   # 2 * 4 = 8
    assert result["taking_steps"] == (39, "Decile 90 (very high)")
    assert scores(slug, socrates([5] * 7, [1] * 4, [3] * 8))["recognition"] == (
        35, "Decile 70 (high)")


def test_socrates_forms_differ_only_in_wording():
    d, a = services.get_instrument("socrates-8d"), services.get_instrument("socrates-8a")
    assert [s.items for s in d.scores] == [s.items for s in a.scores]
    assert d.item("q7").text == "I have a drug problem."
    assert a.item("q7").text == "I am a problem drinker."
    assert not any(s.key == "total" for s in d.scores)  # CASAA: three scale scores, no total


# --------------------------------------------------------------------------------------------------
# Oslo-3: sum of 1-4, 1-5, 1-5 (3-14)


@pytest.mark.parametrize(("close", "interest", "neighbours", "total", "band"), [
    (1, 1, 1, 3, "Poor social support"),       # 1 + 1 + 1 = 3
    (4, 2, 2, 8, "Poor social support"),       # 4 + 2 + 2 = 8
    (2, 3, 4, 9, "Moderate social support"),   # 2 + 3 + 4 = 9
    (3, 4, 4, 11, "Moderate social support"),  # 3 + 4 + 4 = 11
    (4, 4, 4, 12, "Strong social support"),    # 4 + 4 + 4 = 12
    (4, 5, 5, 14, "Strong social support"),    # 4 + 5 + 5 = 14
])
def test_oslo3(close, interest, neighbours, total, band):
    assert scores("oslo-3", {"close": close, "interest": interest,
                             "neighbours": neighbours}) == {"total": (total, band)}


def test_oslo3_refuses_a_fifth_answer_to_item_one():
    with pytest.raises(ValueError):
        services.score(services.get_instrument("oslo-3"), {"close": 5})


# --------------------------------------------------------------------------------------------------
# Readiness rulers: raw 0-10 values, no bands, each optional


def test_readiness_rulers_are_raw_values():
    assert scores("readiness-ruler", {"importance": 8, "confidence": 0}) == {
        "importance": (8, ""), "confidence": (0, ""), "readiness": (None, "")}


# --------------------------------------------------------------------------------------------------
# The engine's rules on an invented definition: reverse scoring, missing items, prorating


def test_reverse_scoring_and_missing_items():
    instrument = defs.parse(definition(), "test.yaml")
    # i4 is reversed on a 1-5 scale: 1 -> 1 + 5 - 1 = 5. Total 1 + 2 + 3 + 5 = 11 -> High.
    # Part (mean of i1-i3): 6 / 3 = 2 -> Low.
    result = services.score(instrument, {"i1": 1, "i2": 2, "i3": 3, "i4": 1})
    assert (result["total"].value, result["total"].band) == (11, "High")
    assert (result["part"].value, result["part"].band) == (2, "Low")
    # i3 missing: the total allows no missing item -> none; part allows one: (1 + 2) / 2 = 1.5
    result = services.score(instrument, {"i1": 1, "i2": 2, "i4": 5})
    assert result["total"].value is None and result["total"].display == "—"
    assert result["part"].value == Fraction(3, 2) and result["part"].answered == 2
    # Two of part's three missing: more than max_missing -> none.
    assert services.score(instrument, {"i1": 4, "i4": 5})["part"].value is None


def test_prorated_sum():
    from .helpers import FAKE_LSNS

    instrument = defs.parse(FAKE_LSNS, "lsns.yaml", origin="deployment")
    # item_6 missing, one allowed: mean of 2, 3, 4, 1, 5 = 15 / 5 = 3, * 6 items = 18
    result = services.score(instrument, {f"item_{n}": v for n, v in
                                         zip(range(1, 6), (2, 3, 4, 1, 5), strict=True)})
    assert result["total"].value == 18 and result["total"].display == "18.00"
    assert result["family"].value == 9  # 2 + 3 + 4
    assert result["friends"].value is None  # item_6 missing, none allowed


# --------------------------------------------------------------------------------------------------
# Properties


INSTALLED = [i.slug for i in services.instruments(installed=True)]


@st.composite
def complete_answers(draw, slug):
    instrument = services.get_instrument(slug)
    return instrument, {item.key: draw(st.sampled_from(item.scale.values))
                        for item in instrument.items}


@pytest.mark.parametrize("slug", INSTALLED)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_scores_always_within_range_and_banded(slug, data):
    instrument, answers = data.draw(complete_answers(slug))
    for definition_, result in zip(instrument.scores,
                                   services.score(instrument, answers).values(), strict=True):
        assert definition_.low <= result.value <= definition_.high
        assert bool(result.band) == bool(definition_.bands)  # bands cover the whole range


@settings(max_examples=200, deadline=None)
@given(low=st.integers(-5, 5), width=st.integers(1, 10), data=st.data())
def test_reverse_scoring_is_an_involution(low, width, data):
    scale = defs.Scale("s", tuple(defs.Option(v, "") for v in range(low, low + width + 1)))
    item = defs.Item("x", 1, "x", scale, True, True, True)
    value = data.draw(st.sampled_from(scale.values))
    once = defs.reversed_value(item, value)
    assert once in scale.values
    assert defs.reversed_value(item, once) == value
    assert once - scale.low == scale.high - value  # the mirror image on the scale


@settings(max_examples=100, deadline=None)
@given(values=st.lists(st.integers(1, 7), min_size=12, max_size=12))
def test_mspss_means_are_consistent(values):
    result = services.score(services.get_instrument("mspss"), mspss(*values))
    subscales = [result[k].value for k in ("significant_other", "family", "friends")]
    # The subscales split the 12 items into three groups of four, so the total mean is their mean.
    assert result["total"].value == sum(subscales) / 3
    assert result["total"].value == Fraction(sum(values), 12)
    assert all(min(values) <= s <= max(values) for s in subscales)


@settings(max_examples=100, deadline=None)
@given(answers=st.dictionaries(st.sampled_from(["i1", "i2", "i3"]), st.integers(1, 5)))
def test_mean_with_missing_items_is_the_mean_of_the_answered(answers):
    instrument = defs.parse(definition(), "test.yaml")
    part = services.score(instrument, answers)["part"]
    if len(answers) >= 2:
        assert part.value == Fraction(sum(answers.values()), len(answers))
    else:
        assert part.value is None
