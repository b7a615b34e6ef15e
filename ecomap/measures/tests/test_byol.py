"""Bring-your-own-licence instruments: the project ships a descriptor without items; a deployment
supplies the licensed definition in ECOMAP_INSTRUMENTS_DIR, and the engine loads and scores it."""

from __future__ import annotations

import copy

import pytest

from ecomap.measures import instruments as defs
from ecomap.measures import services
from ecomap.measures.models import Administration

from .helpers import FAKE_LSNS, definition, write


@pytest.fixture
def deployment(tmp_path, settings):
    settings.INSTRUMENTS_DIR = str(tmp_path)
    return tmp_path


def test_descriptors_list_as_not_installed(settings):
    settings.INSTRUMENTS_DIR = ""
    lsns = services.get_instrument("lsns-6")
    assert not lsns.installed and lsns.is_byol and lsns.item_count == 6
    assert "0 to 30" in lsns.published_scoring
    assert {i.slug for i in services.instruments(installed=False)} == {
        "lsns-6", "duke-ssi", "ras", "aaas", "aware"}


def test_a_deployment_file_is_loaded_and_scored(deployment):
    write(deployment, "lsns-6.yaml", FAKE_LSNS)
    lsns = services.get_instrument("lsns-6")
    assert lsns.installed and lsns.origin == "deployment" and lsns.item(
        "item_1").text == "Item 1"
    # 0 + 1 + 2 = 3 (family); 3 + 4 + 5 = 12 (friends); total 15
    result = services.score(lsns, {f"item_{n}": n - 1 for n in range(1, 7)})
    assert {k: r.value for k, r in result.items()} == {"total": 15, "family": 3, "friends": 12}


@pytest.mark.django_db
def test_a_deployment_instrument_can_be_administered(deployment, practitioner, client_record):
    write(deployment, "lsns-6.yaml", FAKE_LSNS)
    saved = services.administer(client_record, "lsns-6", {f"item_{n}": 2 for n in range(1, 7)},
                                actor=practitioner)
    assert saved.scores["results"]["total"]["value"] == 12  # 6 * 2


@pytest.mark.django_db
def test_a_descriptor_cannot_be_administered(practitioner, client_record, settings):
    settings.INSTRUMENTS_DIR = ""
    with pytest.raises(services.MeasuresError, match="not installed"):
        services.administer(client_record, "lsns-6", {}, actor=practitioner, draft=True)
    assert not Administration.objects.exists()


def test_a_deployment_file_may_not_replace_a_shipped_instrument(deployment):
    write(deployment, "mine.yaml", definition(slug="mspss"))
    with pytest.raises(defs.DefinitionError, match=r"^mine.yaml.slug: 'mspss' is already"):
        defs.registry()


def test_a_deployment_file_must_match_the_descriptor(deployment):
    short = copy.deepcopy(FAKE_LSNS)
    short["items"] = short["items"][:5]
    short["scores"] = [{"key": "total", "label": "Total", "method": "sum", "items": "all"}]
    write(deployment, "lsns-6.yaml", short)
    with pytest.raises(defs.DefinitionError, match=r"^lsns-6.yaml.items: lsns-6 has 6 items"):
        defs.registry()


def test_a_deployment_may_add_its_own_instrument(deployment):
    write(deployment, "local.yaml", definition(slug="local-scale",
                                               licence={"status": "licensed_by_deployment",
                                                        "text": "Ours."}))
    assert services.get_instrument("local-scale").origin == "deployment"


def test_a_missing_folder_is_an_error(settings, tmp_path):
    settings.INSTRUMENTS_DIR = str(tmp_path / "nowhere")
    with pytest.raises(defs.DefinitionError, match="no such folder"):
        defs.registry()
