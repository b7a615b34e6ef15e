"""The content files: shipped files load; mistakes are reported with the file and the field."""

import pytest

from ecomap.casework import content
from ecomap.directory import catalogue

NEEDS = (content.CONTENT_DIR / "needs.yaml").read_text()
DOCUMENTS = (content.CONTENT_DIR / "documents.yaml").read_text()
CHECKIN = (content.CONTENT_DIR / "caregiver_checkin.yaml").read_text()


def test_every_needs_domain_of_the_catalogue_has_recommended_types():
    domains = content.domains()
    assert [d.key for d in domains] == list(catalogue.catalogue().domains)
    types = catalogue.catalogue().by_key()
    for domain in domains:
        assert domain.recommended and all(key in types for key in domain.recommended)
        assert domain.source.title and domain.prompt


def test_an_unknown_service_type_is_refused_naming_the_field():
    broken = NEEDS.replace("recommended: [transport_help, case_management]",
                           "recommended: [transport_help, taxi_vouchers]")
    with pytest.raises(content.CaseworkContentError,
                       match=r"needs.yaml.domains\[6\].recommended: 'taxi_vouchers'"):
        content.parse_needs(broken)


def test_an_unknown_or_missing_domain_is_refused():
    with pytest.raises(content.CaseworkContentError, match="not a needs domain"):
        content.parse_needs(NEEDS.replace("- key: legal", "- key: lawyers"))
    without_legal = NEEDS.split("  - key: legal")[0] + "  - key: family" + \
        NEEDS.split("  - key: family")[1]
    with pytest.raises(content.CaseworkContentError, match="no entry for 'legal'"):
        content.parse_needs(without_legal)


def test_a_misspelt_field_is_refused():
    with pytest.raises(content.CaseworkContentError,
                       match=r"domains\[1\].recomended: unknown field"):
        content.parse_needs(NEEDS.replace("    name: Employment\n",
                                          "    name: Employment\n    recomended: [clubhouse]\n"))


def test_document_defaults_follow_the_service_types():
    docs = content.documents()
    assert [k.key for k in docs.for_types(["housing_help"])] == [
        "identity", "income", "residence", "application_form"]
    assert [k.key for k in docs.for_types([])] == ["identity"]
    assert docs.kind_of("Photo ID (passport or driving licence)").key == "identity"
    assert docs.kind_of("Landlord reference") is None


def test_document_defaults_are_checked():
    with pytest.raises(content.CaseworkContentError, match="defaults.clubhouse: 'passport'"):
        content.parse_documents(DOCUMENTS.replace("  transport_help: [insurance_card]",
                                                  "  clubhouse: [passport]"))
    with pytest.raises(content.CaseworkContentError, match="not a service type"):
        content.parse_documents(DOCUMENTS.replace("  transport_help:", "  taxis:"))


def test_the_checkin_is_labelled_a_practice_rule_and_flags_high_strain():
    checkin = content.checkin()
    assert "not a validated scale" in checkin.status
    assert "not a validated cut-off" in checkin.high_label
    assert checkin.maximum == 18
    low = dict.fromkeys(checkin.item_keys, 1)
    assert not checkin.high_strain(low)
    assert checkin.high_strain({**low, "worry": 3})  # one answer "very much"
    assert checkin.high_strain(dict.fromkeys(checkin.item_keys, 2))  # total 12 >= 10
    assert {s.key for s in checkin.supports} >= {"family_psychoeducation", "respite"}


def test_the_checkin_threshold_is_checked():
    with pytest.raises(content.CaseworkContentError, match="higher than the highest"):
        content.parse_checkin(CHECKIN.replace("total_at_least: 10", "total_at_least: 40"))
    with pytest.raises(content.CaseworkContentError, match="0, 1, 2"):
        content.parse_checkin(CHECKIN.replace("{value: 2, label: Quite a lot}",
                                              "{value: 5, label: Quite a lot}"))


def test_the_files_are_registered_and_checked_at_start_up():
    from ecomap.core.content import registry

    assert {"casework.needs", "casework.documents", "casework.caregiver_checkin",
            "directory.catalogue"} <= set(registry.keys())
    assert registry.get("casework.needs") is content.domains()
    assert not [p for p in registry.problems() if "casework" in p or "service_types" in p]


def test_a_yaml_syntax_error_names_line_and_column():
    with pytest.raises(content.CaseworkContentError, match=r"needs.yaml: not valid YAML at line"):
        content.parse_needs("domains: [a, b\n")
