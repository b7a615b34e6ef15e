"""Broken definitions fail loudly at load, naming the file and the field."""

from __future__ import annotations

import re

import pytest

from ecomap.measures import instruments as defs

from .helpers import BASE, definition, write


def fails(data, where: str, message: str = "") -> str:
    with pytest.raises(defs.DefinitionError) as error:
        defs.parse(data, "test.yaml")
    text = str(error.value)
    assert text.startswith(f"test.yaml.{where}:"), text
    assert re.search(message, text), text
    return text


def test_the_base_definition_is_valid():
    instrument = defs.parse(definition(), "test.yaml")
    assert instrument.item("i4").reverse and instrument.installed


@pytest.mark.parametrize("field", ["title", "short_title", "citation", "licence", "verified",
                                   "items", "instructions", "url"])
def test_missing_field(field):
    data = definition()
    del data[field]
    fails(data, field, "required field is missing")


def test_missing_nested_field():
    data = definition()
    del data["scores"][1]["method"]
    fails(data, r"scores[1].method", "required field is missing")
    data = definition()
    del data["licence"]["text"]
    fails(data, "licence.text", "required field is missing")


@pytest.mark.parametrize(("change", "where", "message"), [
    ({"items": "twelve"}, "items", "expected a non-empty list"),
    ({"title": 12}, "title", "expected non-empty text"),
    ({"slug": "Not A Slug"}, "slug", "not a valid slug"),
    ({"schema": 2}, "schema", "reads schema 1"),
    ({"licence": {"status": "probably fine", "text": "x"}}, "licence.status", "is not one of"),
    ({"scales": {"five": {"options": [{"value": 1.5}, {"value": 2}]}}},
     r"scales.five.options[0].value", "expected a whole number"),
    ({"scales": {"five": {"options": [{"value": 1}]}}}, "scales.five.options", "two or more"),
    ({"reverse": "i4"}, "reverse", "expected a list"),
    ({"colour": "blue"}, "colour", "unknown field"),
])
def test_bad_types_and_values(change, where, message):
    fails(definition(**change), where, message)


def test_bad_type_inside_a_score():
    data = definition()
    data["scores"][0]["decimals"] = "two"
    fails(data, r"scores[0].decimals", "whole number")
    data = definition()
    data["scores"][0]["method"] = "median"
    fails(data, r"scores[0].method", "not one of sum, mean")


def test_duplicate_keys():
    data = definition()
    data["items"][1]["key"] = "i1"
    fails(data, r"items[1].key", "'i1' is used twice")
    data = definition()
    data["scores"][1]["key"] = "total"
    fails(data, r"scores[1].key", "used twice")
    data = definition()
    data["scales"]["five"]["options"][1]["value"] = 1
    fails(data, r"scales.five.options[1].value", "used twice")


def test_an_item_on_an_unknown_scale():
    data = definition()
    data["items"][0]["scale"] = "seven"
    fails(data, r"items[0].scale", "'seven' is not one of the scales")


def test_answer_outside_the_scale_in_a_worked_example():
    data = definition(examples=[{"answers": {"i1": 9, "i2": 1, "i3": 1, "i4": 1},
                                 "scores": {"total": 12}}])
    fails(data, r"examples[0].answers.i1", "not one of the scale's values")
    data = definition(examples=[{"answers": {"i9": 1}, "scores": {}}])
    fails(data, r"examples[0].answers.i9", "not an item")


def test_a_worked_example_with_the_wrong_score():
    # 1 + 1 + 1 + (6 - 1) = 8, not 4
    data = definition(examples=[{"answers": {"i1": 1, "i2": 1, "i3": 1, "i4": 1},
                                 "scores": {"total": 4}}])
    fails(data, r"examples[0].scores.total", "score 8, not 4")


def test_reverse_item_not_in_the_instrument_or_not_scorable():
    fails(definition(reverse=["i9"]), "reverse", "'i9' is not an item")
    data = definition(reverse=["i4"])
    data["items"][3]["scored"] = False
    data["scores"][0]["items"] = ["i1", "i2", "i3"]
    fails(data, "reverse", "'i4' is not a scored item")


def test_score_items_must_exist_and_be_scored():
    data = definition()
    data["scores"][1]["items"] = ["i1", "i7"]
    fails(data, r"scores[1].items", "'i7' is not an item")
    data = definition()
    data["scores"][1]["items"] = ["i1", "i1"]
    fails(data, r"scores[1].items", "listed twice")


@pytest.mark.parametrize(("bands", "where", "message"), [
    # integer sum 4-20
    ([{"label": "a", "min": 4, "max": 9}, {"label": "b", "min": 11, "max": 20}],
     r"bands[1].min", r"gap .*10 to 10"),
    ([{"label": "a", "min": 4, "max": 11}, {"label": "b", "min": 11, "max": 20}],
     r"bands[1].min", "overlaps"),
    ([{"label": "a", "min": 5, "max": 10}, {"label": "b", "min": 11, "max": 20}],
     r"bands[0].min", "must start at the score's minimum 4"),
    ([{"label": "a", "min": 4, "max": 10}, {"label": "b", "min": 11, "max": 19}],
     r"bands[1].max", "must end at the score's maximum 20"),
    ([{"label": "a", "min": 4, "max": 10}, {"label": "b", "min": 11, "max": 25}],
     r"bands[1].min", "outside the score's range"),
    ([{"label": "a", "min": 4, "below": 4}], r"bands[0].max", "empty"),
    ([{"label": "a", "min": 4, "above": 3, "max": 20}], r"bands[0].min", "exactly one"),
])
def test_band_gaps_and_overlaps_in_a_sum(bands, where, message):
    data = definition()
    data["scores"][0]["bands"] = bands
    fails(data, f"scores[0].{where}", message)


@pytest.mark.parametrize(("bands", "message"), [
    # Bands written like the published MSPSS ones (1-2.9, 3-5) leave a gap for a mean.
    ([{"label": "low", "min": 1, "max": 2.9}, {"label": "mid", "min": 3, "max": 5}], "gap"),
    ([{"label": "low", "min": 1, "max": 3}, {"label": "high", "min": 3, "max": 5}], "overlaps"),
    ([{"label": "low", "min": 1, "below": 3}, {"label": "high", "above": 3, "max": 5}], "gap"),
])
def test_band_gaps_and_overlaps_in_a_mean(bands, message):
    data = definition()
    data["scores"][1]["bands"] = bands
    fails(data, r"scores[1].bands[1].min", message)


def test_the_published_mspss_bands_would_be_refused():
    data = definition()
    data["scores"][1]["bands"] = [{"label": "low", "min": 1, "max": 2.9},
                                  {"label": "mid", "min": 3, "max": 5}]
    fails(data, r"scores[1].bands[1].min", r"gap .*2.9 to 3")


def test_missing_item_rules_are_checked():
    data = definition()
    data["scores"][0]["max_missing"] = 1
    fails(data, r"scores[0].prorate", "must say prorate: true")
    data = definition()
    data["scores"][1]["max_missing"] = 3
    fails(data, r"scores[1].max_missing", "less than the number of items")
    data = definition()
    data["scores"][1]["prorate"] = True
    fails(data, r"scores[1].prorate", "for sums")


def test_a_shipped_byol_file_may_not_carry_items():
    data = definition(licence={"status": "bring_your_own_licence", "text": "x"})
    fails(data, "items", "ships no item text")


def test_a_byol_descriptor_has_no_scoring_definition():
    data = {k: v for k, v in BASE.items() if k not in {"items", "scales", "scores", "reverse",
                                                       "instructions"}}
    data.update(licence={"status": "bring_your_own_licence", "text": "x"}, item_count=4,
                published_scoring="Sum of four items.")
    assert not defs.parse(data, "test.yaml").installed
    fails({**data, "scores": []}, "scores", "carries no items")
    fails({k: v for k, v in data.items() if k != "published_scoring"}, "published_scoring",
          "required")


def test_file_errors_name_the_file(tmp_path):
    (tmp_path / "broken.yaml").write_text("slug: [unclosed\n", encoding="utf-8")
    with pytest.raises(defs.DefinitionError, match=r"^broken.yaml: not valid YAML at line 2"):
        defs.load_file(tmp_path / "broken.yaml")
    data = definition()
    del data["citation"]
    write(tmp_path, "nocite.yaml", data)
    with pytest.raises(defs.DefinitionError, match=r"^nocite.yaml.citation: required field"):
        defs.load_file(tmp_path / "nocite.yaml")


def test_every_shipped_file_loads_and_carries_its_sources():
    registry = defs.registry()
    assert set(registry) == {"mspss", "loneliness-ons", "barc-10", "socrates-8d", "socrates-8a",
                             "oslo-3", "readiness-ruler", "lsns-6", "duke-ssi", "ras", "aaas",
                             "aware"}
    for instrument in registry.values():
        assert instrument.citation and instrument.url and instrument.verified
        assert instrument.licence.text
    assert [i.slug for i in registry.values() if not i.installed] == [
        "aware", "aaas", "duke-ssi", "lsns-6", "ras"]  # no item text shipped for these
    assert "imr" not in " ".join(registry)  # the IMR Scales are held (wording not verified)
    assert len(registry["mspss"].items) == 12 and len(registry["barc-10"].items) == 10
    assert registry["socrates-8d"].item("q19").number == 19


def test_the_definitions_are_read_once(settings):
    settings.INSTRUMENTS_DIR = ""
    assert defs.registry() is defs.registry()


def test_the_system_check_reports_a_broken_deployment_file(tmp_path, settings):
    from ecomap.core.content import registry

    (tmp_path / "bad.yaml").write_text("schema: 1\nslug: x\n", encoding="utf-8")
    settings.INSTRUMENTS_DIR = str(tmp_path)
    [error] = registry.check()
    assert error.id == "ecomap.E100" and error.msg.startswith("bad.yaml.")
    assert error.hint == "See ecomap/measures/instruments/README.md for the schema."
    settings.INSTRUMENTS_DIR = ""
    assert registry.check() == []
