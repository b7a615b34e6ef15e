"""Module files: the shipped IMR module and the test module load; a broken file fails loudly at load,
naming the file and the field."""

from __future__ import annotations

import copy
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ecomap.modules import definitions
from ecomap.modules.definitions import STEP_KEYS, DefinitionError

from . import TEST_CONTENT

IMR_FILE = definitions.CONTENT_DIR / "imr_building_social_support.yaml"


def _data(path=TEST_CONTENT / "test_module.yaml"):
    return yaml.safe_load(path.read_text())


def test_the_imr_module_has_what_the_guidelines_give():
    module = definitions.load_file(IMR_FILE)
    assert module.slug == "imr-building-social-support"
    assert (module.sessions_min, module.sessions_max) == (2, 4)
    assert [s.key for s in module.agenda] == list(STEP_KEYS)  # the 8 steps, in their order
    assert len(module.goals) == 4
    assert {s.key for s in module.strategies} == {"motivational", "educational",
                                                  "cognitive_behavioural"}
    assert all(s.examples for s in module.strategies)
    assert {c.key: c.kind for c in module.checklists} == {
        "places": "choose", "say": "choose", "do": "choose", "disclosure": "people"}
    assert module.checklist("places").allow_other
    assert module.agenda[2].prompt  # the praise and problem-solving prompt at homework review
    assert len(module.homework_ideas) == 5 and len(module.tips) == 3
    kinds = [q.kind for q in module.review_questions]
    assert kinds.count("open") == 5 and kinds.count("true_false") == 1
    assert kinds.count("multiple_choice") == 4
    # The answer keys of the source's questions, by meaning.
    answers = {q.key: q.answer for q in module.review_questions}
    chosen = {q.key: next((c.text for c in q.choices if c.key == q.answer), None)
              for q in module.review_questions if q.kind == "multiple_choice"}
    assert "helpful" in chosen["sign_of_support"].lower()
    assert "toll booth" in chosen["poor_place"].lower()
    assert answers["topics_first"] is True
    assert "help" in chosen["increase_closeness"].lower()
    assert "bit by bit" in chosen["personal_information"].lower()
    assert module.source.licence and "own words" in module.authoring_note
    assert "SAMHSA" in module.source.citation


def test_the_registry_reads_every_file_in_the_module_folders():
    slugs = set(definitions.registry())
    assert {"imr-building-social-support", "test-daily-walks"} <= slugs
    small = definitions.get("test-daily-walks")
    assert [s.key for s in small.agenda] == ["homework_review", "goals", "teach",
                                                 "homework_agree"]


BREAKAGES = [
    # (change to the data, the field the message must name)
    (lambda d: d.pop("title"), "test_module.yaml.title: required field is missing"),
    (lambda d: d.update(schema=2), "test_module.yaml.schema"),
    (lambda d: d.update(slug="Not A Slug"), "test_module.yaml.slug"),
    (lambda d: d["sessions"].update(max=0), "test_module.yaml.sessions.max"),
    (lambda d: d["agenda"][0].update(key="dance"), "test_module.yaml.agenda[0].key"),
    (lambda d: d["agenda"].append(dict(d["agenda"][0])), "test_module.yaml.agenda[4].key"),
    (lambda d: d["strategies"][0].update(key="hypnosis"), "test_module.yaml.strategies[0].key"),
    (lambda d: d["topics"][0].update(checklists=["nowhere"]), "test_module.yaml.topics[0].checklists"),
    (lambda d: d["checklists"][0].update(kind="ranking"), "test_module.yaml.checklists[0].kind"),
    (lambda d: d["checklists"][0]["items"][1].update(key="park"),
     "test_module.yaml.checklists[0].items[1].key"),
    (lambda d: d["checklists"][0]["items"][0].update(colour="red"),
     "test_module.yaml.checklists[0].items[0]: unknown field 'colour'"),
    (lambda d: d["homework_ideas"][0].update(checklist="nope"),
     "test_module.yaml.homework_ideas[0].checklist"),
    (lambda d: d["review_questions"][1].update(answer="tea"),
     "test_module.yaml.review_questions[1].answer"),
    (lambda d: d["review_questions"][2].update(answer="yes"),
     "test_module.yaml.review_questions[2].answer"),
    (lambda d: d["review_questions"][0].update(answer="x"),
     "test_module.yaml.review_questions[0].answer"),
    (lambda d: d["review_questions"][1].update(choices=[{"key": "a", "text": "Only"}]),
     "test_module.yaml.review_questions[1].choices"),
    (lambda d: d["goals"][0].update(text=""), "test_module.yaml.goals[0].text"),
    (lambda d: d.update(review_status="approved"), "test_module.yaml.review_status"),
    (lambda d: d.update(extra="x"), "test_module.yaml: unknown field 'extra'"),
]


@pytest.mark.parametrize(("change", "where"), BREAKAGES)
def test_a_broken_definition_names_its_file_and_field(change, where):
    data = copy.deepcopy(_data())
    change(data)
    with pytest.raises(DefinitionError) as raised:
        definitions.parse(data, "test_module.yaml")
    assert str(raised.value).startswith(where), str(raised.value)


def test_invalid_yaml_names_the_position(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("schema: 1\ntitle: [unclosed\n")
    with pytest.raises(DefinitionError, match=r"broken.yaml: not valid YAML at line \d+, column \d+"):
        definitions.load_file(path)


def test_two_files_with_one_slug_are_refused(tmp_path, settings):
    shutil.copy(TEST_CONTENT / "test_module.yaml", tmp_path / "copy.yaml")
    settings.MODULE_DIRS = [TEST_CONTENT, tmp_path]
    with pytest.raises(DefinitionError, match="copy.yaml.slug: 'test-daily-walks' is already defined"):
        definitions.registry()


def test_a_broken_module_file_stops_the_app_at_start_up(tmp_path):
    data = _data()
    del data["agenda"]
    (tmp_path / "bad.yaml").write_text(yaml.safe_dump(data))
    result = subprocess.run(
        [sys.executable, "-m", "django", "check"], capture_output=True, text=True,
        env={"DJANGO_SETTINGS_MODULE": "ecomap.settings", "ECOMAP_MODULE_DIRS": str(tmp_path),
             "ECOMAP_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin"},
        cwd=Path(__file__).resolve().parents[3], timeout=60)
    assert result.returncode != 0
    assert "(ecomap.E100) bad.yaml.agenda: required field is missing" in result.stderr


def test_keys_longer_than_their_column_and_odd_answers_are_refused():
    data = copy.deepcopy(_data())
    data["goals"][0]["key"] = "a" * 61
    with pytest.raises(DefinitionError, match=r"goals\[0\].key: longer than 60"):
        definitions.parse(data, "test_module.yaml")
    data = copy.deepcopy(_data())
    data["review_questions"][1]["answer"] = ["noon"]
    with pytest.raises(DefinitionError, match=r"review_questions\[1\].answer"):
        definitions.parse(data, "test_module.yaml")
    data = copy.deepcopy(_data())
    data["agenda"] = [step for step in data["agenda"] if step["key"] != "teach"]
    with pytest.raises(DefinitionError, match="needs a 'teach' step"):
        definitions.parse(data, "test_module.yaml")
