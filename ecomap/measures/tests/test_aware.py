"""AWARE (Advance WArning of RElapse, version 3.0): shipped as a bring-your-own-licence descriptor,
because neither its licence nor its item wording could be verified (docs/research/instruments.md
section 8). A deployment that holds the form supplies the definition; these tests check that such a
file, written with the published scoring rule (28 items rated 1-7, items 8, 14, 20, 24 and 26
reversed, total 28-196), scores as the CASAA sheet says. The item text below is placeholder."""

from __future__ import annotations

import copy

import pytest

from ecomap.measures import instruments as defs
from ecomap.measures import services

from .helpers import write

REVERSED = ("q8", "q14", "q20", "q24", "q26")

# A deployment's licensed AWARE file, with invented placeholder items (the project ships none of
# the real wording). Bands: the two rows of the published table that were read, then one
# placeholder for the rows that were not.
FAKE_AWARE = {
    "schema": 1,
    "slug": "aware",
    "title": "Advance Warning of Relapse (AWARE) Questionnaire",
    "short_title": "AWARE",
    "description": "Deployment-supplied test file.",
    "instructions": "Placeholder instructions.",
    "licence": {"status": "licensed_by_deployment", "text": "Test licence."},
    "citation": "Miller and Harris 2000.",
    "url": "https://example.org/aware",
    "verified": "Placeholder items for tests.",
    "scales": {"seven": {"options": [{"value": v} for v in range(1, 8)]}},
    "items": [{"key": f"q{n}", "scale": "seven", "text": f"Item {n}"} for n in range(1, 29)],
    "reverse": list(REVERSED),
    "scores": [{
        "key": "total", "label": "Total", "method": "sum", "items": "all",
        "bands": [
            {"label": "28-55: 37% if drinking / 11% if abstinent in the prior 2 months",
             "min": 28, "max": 55},
            {"label": "56-69: 62% if drinking / 21% if abstinent in the prior 2 months",
             "min": 56, "max": 69},
            {"label": "70 or above (placeholder)", "min": 70, "max": 196},
        ],
    }],
}


def answers(plain: int, reversed_: int) -> dict[str, int]:
    """Every non-reversed item answered `plain`, every reversed item answered `reversed_`."""
    return {f"q{n}": reversed_ if f"q{n}" in REVERSED else plain for n in range(1, 29)}


@pytest.fixture
def deployment(tmp_path, settings):
    settings.INSTRUMENTS_DIR = str(tmp_path)
    return tmp_path


def test_aware_ships_as_a_descriptor_without_item_text(settings):
    settings.INSTRUMENTS_DIR = ""
    aware = services.get_instrument("aware")
    assert aware.is_byol and not aware.installed and aware.item_count == 28
    assert aware.items == () and aware.scores == () and aware.instructions == ""
    text = aware.published_scoring
    assert "8, 14, 20, 24 and 26" in text and "28 to 196" in text
    assert "28-55: 37% and 11%" in text and "56-69: 62% and 21%" in text


@pytest.mark.parametrize(("plain", "reversed_", "total"), [
    (1, 7, 28),    # the minimum: 23 x 1 + 5 x (8 - 7)
    (7, 1, 196),   # the maximum: 23 x 7 + 5 x (8 - 1)
    (1, 1, 58),    # 23 x 1 + 5 x 7
    (7, 7, 166),   # 23 x 7 + 5 x 1
    (4, 4, 112),   # the midpoint is unchanged by reversing: 28 x 4
    (2, 5, 61),    # 23 x 2 + 5 x 3
])
def test_a_deployment_file_scores_by_the_published_rule(deployment, plain, reversed_, total):
    write(deployment, "aware.yaml", FAKE_AWARE)
    aware = services.get_instrument("aware")
    assert aware.installed and aware.origin == "deployment"
    assert [i.number for i in aware.items if i.reverse] == [8, 14, 20, 24, 26]
    assert services.score(aware, answers(plain, reversed_))["total"].value == total


# Nine non-reversed items, moved off 2 to cross the table's boundaries (answers(2, 5) totals 61).
PLAIN = ("q1", "q2", "q3", "q4", "q5", "q6", "q7", "q9", "q10")


@pytest.mark.parametrize(("value", "count", "total", "band"), [
    (1, 6, 55, "28-55"),  # 61 - 6 x 1
    (1, 5, 56, "56-69"),  # 61 - 5 x 1
    (3, 8, 69, "56-69"),  # 61 + 8 x 1
    (3, 9, 70, "70 or above"),  # 61 + 9 x 1
])
def test_band_boundaries_follow_the_table(deployment, value, count, total, band):
    write(deployment, "aware.yaml", FAKE_AWARE)
    aware = services.get_instrument("aware")
    given = answers(2, 5) | dict.fromkeys(PLAIN[:count], value)
    result = services.score(aware, given)["total"]
    assert result.value == total and result.band.startswith(band)


def test_the_table_rows_meet_at_55_56_and_69_70(deployment):
    write(deployment, "aware.yaml", FAKE_AWARE)
    total = services.get_instrument("aware").score_def("total")
    assert [total.band_for(v).label[:5] for v in (28, 55, 56, 69)] == [
        "28-55", "28-55", "56-69", "56-69"]
    assert total.band_for(70).label.startswith("70 or above")


def test_an_unanswered_item_leaves_no_total(deployment):
    write(deployment, "aware.yaml", FAKE_AWARE)
    aware = services.get_instrument("aware")
    given = answers(3, 3)
    del given["q14"]
    assert services.score(aware, given)["total"].value is None


def test_a_deployment_file_must_have_28_items(deployment):
    short = copy.deepcopy(FAKE_AWARE)
    short["items"] = short["items"][:27]
    short["reverse"] = ["q8", "q14", "q20", "q24", "q26"]
    short["scores"] = [{"key": "total", "label": "Total", "method": "sum", "items": "all"}]
    write(deployment, "aware.yaml", short)
    with pytest.raises(defs.DefinitionError, match=r"^aware.yaml.items: aware has 28 items"):
        defs.registry()
