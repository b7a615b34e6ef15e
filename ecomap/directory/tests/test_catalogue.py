from __future__ import annotations

import pytest

from ecomap.directory import catalogue

REQUIRED = {"psychotherapy", "psychoeducation", "family_psychoeducation", "support_group",
            "psychosocial_rehabilitation", "assertive_community_treatment", "supported_employment",
            "vocational_rehabilitation", "individual_placement_support", "clubhouse", "case_management",
            "housing_help", "benefits_help", "transport_help"}


def test_catalogue_has_every_type_with_a_source_and_needs():
    data = catalogue.catalogue()
    by_key = data.by_key()
    assert set(by_key) >= REQUIRED
    assert set(data.domains) == {"housing", "employment", "education", "income_benefits",
                                 "health_insurance", "medication", "transport", "legal", "family",
                                 "social_support", "daily_living"}
    for item in data.types:
        assert item.description and item.needs and item.source.title
        if item.source.key == "nami":
            assert item.section.startswith("Types of Psychosocial Treatments")
    for key in ("housing_help", "benefits_help", "transport_help"):
        assert by_key[key].source.key == "practice"
    assert by_key["individual_placement_support"].parent == "supported_employment"
    assert by_key["family_psychoeducation"].parent == "psychoeducation"
    assert [t.key for t in data.for_need("transport")] == ["case_management", "transport_help"]


def test_term_ids_are_stable_and_distinct():
    ids = [t.term_id for t in catalogue.service_types()]
    assert len(set(ids)) == len(ids)
    assert catalogue.term_id("clubhouse") == catalogue.term_id("clubhouse")
    assert catalogue.type_for_term(catalogue.term_id("clubhouse")).key == "clubhouse"


GOOD = """
needs_domains: [housing, family]
sources: {s: {title: T, publisher: P}}
types:
  - {key: a, name: A, description: D, source: {ref: s, section: X}, needs: [housing]}
"""


@pytest.mark.parametrize(("change", "message"), [
    (("needs: [housing]", "needs: [jobs]"), "type 1 (a): field 'needs': unknown domain 'jobs'"),
    (("name: A, ", ""), "type 1 (a): field 'name' is missing"),
    (("ref: s", "ref: nope"), "type 1 (a): field 'source': unknown source 'nope'"),
    (("needs: [housing]}", "needs: [housing], colour: red}"), "field 'colour' is not known"),
    (("key: a", "key: A b"), "field 'key' must be lower-case"),
    (("needs: [housing]}", "needs: [housing], parent: zz}"), "field 'parent': unknown type 'zz'"),
    (("description: D", "description: ''"), "field 'description' must be a non-empty text"),
    (("types:", "kinds:"), "field 'types' is missing"),
    (("[housing, family]", "[housing, family"), "not valid YAML"),
])
def test_bad_catalogue_names_file_and_field(change, message):
    text = GOOD.replace(*change)
    with pytest.raises(catalogue.CatalogueError) as error:
        catalogue.parse(text, "service_types.yaml")
    assert str(error.value).startswith("service_types.yaml")
    assert message in str(error.value)


def test_duplicate_keys_are_refused():
    text = GOOD + ("  - {key: a, name: B, description: D, source: {ref: s, section: X}, "
                   "needs: [family]}\n")
    with pytest.raises(catalogue.CatalogueError, match=r"type 2 \(a\): field 'key' is used twice"):
        catalogue.parse(text)
