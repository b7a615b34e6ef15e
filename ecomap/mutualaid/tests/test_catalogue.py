"""The fellowship catalogue file: complete, sourced, and checked with errors that name the field."""

from __future__ import annotations

import copy

import pytest
import yaml

from ecomap.mutualaid import catalogue

REQUIRED = {"aa", "na", "ca", "cma", "smart", "wfs", "lifering", "sos", "celebrate-recovery",
            "dra", "recovery-dharma", "al-anon", "alateen", "nar-anon", "families-anonymous",
            "smart-family-friends"}


def test_the_catalogue_holds_the_fellowships_the_issue_names():
    entries = catalogue.by_slug()
    assert set(entries) >= REQUIRED
    for entry in entries.values():
        assert set(entry.facts) == set(catalogue.FACTS)
        assert all(fact.sources for fact in entry.facts.values())


def test_what_the_research_marks_unverified_stays_unverified():
    entries = catalogue.by_slug()
    for slug in ("ca", "cma", "wfs", "lifering", "dra", "sos", "celebrate-recovery"):
        assert entries[slug].facts["medication"].unverified, slug
    assert entries["na"].facts["medication"].unverified
    assert entries["sos"].facts["abstinence"].unverified
    assert entries["smart"].facts["abstinence"].value == "flexible"
    assert entries["al-anon"].facts["addresses"].value == ("families",)


def _text():
    return catalogue.PATH.read_text(encoding="utf-8")


def _broken(change) -> str:
    data = yaml.safe_load(_text())
    data = copy.deepcopy(data)
    change(data)
    return yaml.safe_dump(data)


@pytest.mark.parametrize(("change", "where"), [
    (lambda d: d["fellowships"][2]["medication"].update(value="maybe"),
     "fellowships[3] (ca).medication.value"),
    (lambda d: d["fellowships"][0]["philosophy"].update(sources=["nowhere"]),
     "fellowships[1] (aa).philosophy.sources"),
    (lambda d: d["fellowships"][1].pop("website"), "fellowships[2] (na): missing fields"),
    (lambda d: d["fellowships"][1].update(website="ftp://x"), "fellowships[2] (na).website"),
    (lambda d: d["fellowships"][0]["addresses"].update(value=[]), "(aa).addresses.value"),
    (lambda d: d["fellowships"][0].update(colour="red"), "unknown fields ['colour']"),
    (lambda d: d["fellowships"][3].update(slug="aa"), "fellowships[4] (aa).slug: used twice"),
    (lambda d: d["sources"]["aa-org"].pop("url"), "sources.aa-org"),
    (lambda d: d["fellowships"][0]["abstinence"].update(unverified="yes"),
     "(aa).abstinence.unverified"),
])
def test_errors_name_the_file_and_the_field(change, where):
    with pytest.raises(catalogue.CatalogueError) as error:
        catalogue.parse(_broken(change))
    assert str(error.value).startswith("fellowships.yaml: ") and where in str(error.value)


def test_yaml_errors_give_the_position():
    with pytest.raises(catalogue.CatalogueError, match="not valid YAML at line 3, column 1"):
        catalogue.parse("fellowships:\n  - [unclosed\n")
