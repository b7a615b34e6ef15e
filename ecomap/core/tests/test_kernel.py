"""The kernel every app uses: the refusal, the import report, the SVG helpers, the content registry
and the YAML reader."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django import forms
from django.core import checks
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.test import RequestFactory, override_settings
from hypothesis import given
from hypothesis import strategies as st

from ecomap.core import content
from ecomap.core.content import ContentError, ContentRegistry, read_yaml, read_yaml_file
from ecomap.core.imports import ImportRefused, ImportReport
from ecomap.core.refusal import Conflict, Problems, Refusal, as_refusal, refused
from ecomap.core.svg import close_svg, esc, num, open_svg

# --- the refusal ---------------------------------------------------------------------------------


def test_a_refusal_of_one_message():
    error = Refusal("The session date is in the future.")
    assert isinstance(error, ValidationError)
    assert str(error) == "The session date is in the future."
    assert error.reasons == ["The session date is in the future."]
    assert error.by_field() == {NON_FIELD_ERRORS: ["The session date is in the future."]}
    assert error.status == 400 and Conflict("x").status == 409


def test_a_refusal_of_several_messages_and_by_field():
    several = Refusal(["Name the recipient.", "Say which categories."])
    assert several.reasons == ["Name the recipient.", "Say which categories."]
    assert str(several) == "Name the recipient. Say which categories."
    assert several.by_field() == {NON_FIELD_ERRORS: several.reasons}
    keyed = Refusal({"due_on": "Within a year.", "text": ["Say what.", "Shorter."]})
    assert keyed.by_field() == {"due_on": ["Within a year."], "text": ["Say what.", "Shorter."]}
    assert keyed.reasons == ["Within a year.", "Say what.", "Shorter."]
    assert repr(keyed).startswith("Refusal([")


def test_as_refusal_keeps_a_refusal_and_wraps_a_validation_error():
    conflict = Conflict("Changed meanwhile.")
    assert as_refusal(conflict) is conflict
    wrapped = as_refusal(ValidationError({"name": "Required."}))
    assert isinstance(wrapped, Refusal) and wrapped.by_field() == {"name": ["Required."]}
    assert as_refusal(ValidationError("Whole.")).reasons == ["Whole."]


def test_problems_refuse_once_with_every_reason():
    problems = Problems()
    problems.refuse_if_any()  # nothing found: nothing raised
    assert not problems and len(problems) == 0
    problems.add("First.")
    problems.add("Second.")
    with pytest.raises(Refusal) as caught:
        problems.refuse_if_any()
    assert caught.value.reasons == ["First.", "Second."]
    assert not hasattr(caught.value, "error_dict")  # no field: a plain list


def test_problems_by_field_and_with_an_app_error():
    class AppError(Refusal):
        pass

    problems = Problems()
    problems.add("Too early.", field="held_on")
    problems.add("Unknown step.")
    problems.add("Also too early.", field="held_on")
    assert len(problems) == 3 and list(problems) == ["Too early.", "Also too early.",
                                                      "Unknown step."]
    with pytest.raises(AppError) as caught:
        problems.refuse_if_any(AppError)
    assert caught.value.by_field() == {"held_on": ["Too early.", "Also too early."],
                                       NON_FIELD_ERRORS: ["Unknown step."]}


class _Form(forms.Form):
    name = forms.CharField(required=False)


TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "OPTIONS": {"loaders": [("django.template.loaders.locmem.Loader", {
        "page.html": "{% for e in form.non_field_errors %}<p class=all>{{ e }}</p>{% endfor %}"
                     "{% for e in form.name.errors %}<p class=name>{{ e }}</p>{% endfor %}"
                     "{% for r in refusal.reasons %}<p class=alert>{{ r }}</p>{% endfor %}",
    })]},
}]


@override_settings(TEMPLATES=TEMPLATES)
def test_refused_puts_the_messages_on_the_form():
    request = RequestFactory().post("/")
    form = _Form({"name": "x"})
    assert form.is_valid()
    response = refused(request, Refusal({"name": "Taken.", "other": "Whole form."}), "page.html",
                       {}, form=form)
    assert response.status_code == 400
    html = response.content.decode()
    assert "<p class=name>Taken.</p>" in html and "<p class=all>Whole form.</p>" in html
    assert "class=alert" not in html


@override_settings(TEMPLATES=TEMPLATES)
def test_refused_answers_409_for_a_conflict_and_shows_a_refusal_without_a_form():
    request = RequestFactory().post("/")
    response = refused(request, Conflict("Someone else saved it."), "page.html")
    assert response.status_code == 409
    assert "<p class=alert>Someone else saved it.</p>" in response.content.decode()
    # A plain ValidationError (from full_clean) is a 400 refusal.
    plain = refused(request, ValidationError("Bad."), "page.html", {"x": 1})
    assert plain.status_code == 400 and "<p class=alert>Bad.</p>" in plain.content.decode()


@override_settings(TEMPLATES=TEMPLATES)
def test_refused_spreads_the_messages_over_a_pages_forms():
    class Other(forms.Form):
        date = forms.DateField(required=False)

    first, second = _Form({}), Other({})
    assert first.is_valid() and second.is_valid()
    response = refused(RequestFactory().post("/"), Refusal({"date": "Future.", "q": "Odd."}),
                       "page.html", form=[first, second])
    assert response.status_code == 400
    assert second.errors == {"date": ["Future."]}
    assert first.non_field_errors() == ["Odd."]


# --- the import report ---------------------------------------------------------------------------


def test_the_import_report_counts_and_lines():
    report = ImportReport()
    report.record("feed.json record 1", key="a", name="Monday")
    row = report.record("feed.json record 2", key="b", name="Tuesday")
    row.warn("The time zone was taken from the coordinates.", code="timezone")
    bad = report.record("feed.json record 3", key="c")
    bad.reject("The day is missing.")
    report.warning("feed.json", "The feed names no time zone.", code="no_tz")
    report.info("feed.json", "Read in 2 seconds.")
    report.error("feed.json line 9", "Not a record.")
    assert (report.read, report.imported, report.normalised, report.rejected) == (3, 2, 1, 1)
    assert [r.outcome for r in report.records] == ["imported", "normalised", "rejected"]
    assert [str(line) for line in report.lines] == [
        "warning: feed.json: The feed names no time zone.",
        "info: feed.json: Read in 2 seconds.",
        "error: feed.json line 9: Not a record.",
        "warning: feed.json record 2: The time zone was taken from the coordinates.",
        "error: feed.json record 3: The day is missing.",
    ]
    assert [line.location for line in report.lines_at("error")] == [
        "feed.json line 9", "feed.json record 3"]
    assert [line.code for line in report.lines_at("warning")] == ["no_tz", "timezone"]
    assert report.summary() == "3 read, 2 imported (1 with a warning), 1 rejected."
    data = report.as_data()
    assert (data["read"], data["imported"], data["normalised"], data["rejected"]) == (3, 2, 1, 1)
    assert [line["code"] for line in data["lines"]] == ["no_tz", "", ""]
    assert data["records"][1] == {
        "location": "feed.json record 2", "key": "b", "name": "Tuesday", "outcome": "normalised",
        "reason": "", "count": 1,
        "warnings": [{"code": "timezone",
                      "message": "The time zone was taken from the coordinates."}]}
    assert data["records"][2]["reason"] == "The day is missing."


def test_an_empty_report():
    report = ImportReport()
    assert (report.read, report.imported, report.normalised, report.rejected) == (0, 0, 0, 0)
    assert report.lines == [] and report.summary() == "0 read, 0 imported (0 with a warning), " \
        "0 rejected."


def test_a_refused_input_carries_its_line():
    with pytest.raises(Refusal) as caught:
        raise ImportRefused("meetings.json", "Not JSON.")
    error = caught.value
    assert isinstance(error, ImportRefused) and str(error) == "Not JSON."
    assert error.line.level == "error" and error.line.location == "meetings.json"
    assert error.line.code == "refused" and str(error.line) == "error: meetings.json: Not JSON."


# --- SVG -----------------------------------------------------------------------------------------


def _xml_char(c: str) -> bool:
    """XML 1.0's Char production, written out independently of esc()."""
    n = ord(c)
    return n in (0x9, 0xA, 0xD) or 0x20 <= n <= 0xD7FF or 0xE000 <= n <= 0xFFFD \
        or 0x10000 <= n <= 0x10FFFF


@given(st.text())
def test_any_text_is_escaped_into_well_formed_xml(text):
    root = ET.fromstring(f'<t a="{esc(text)}">{esc(text)}</t>')  # noqa: S314 - our own output
    kept = "".join(c for c in text if _xml_char(c))
    assert (root.text or "") == kept
    assert root.get("a") == kept


@given(st.text(alphabet=st.characters(codec="utf-8")))
def test_escaped_text_has_no_markup(text):
    escaped = esc(text)
    assert "<" not in escaped and ">" not in escaped and '"' not in escaped
    assert "&" not in escaped.replace("&amp;", "").replace("&lt;", "").replace("&gt;", "") \
        .replace("&quot;", "").replace("&#9;", "").replace("&#10;", "").replace("&#13;", "")


def test_num_and_the_accessible_opening():
    assert (num(3.0), num(2.25), num(10.04), num(0)) == ("3", "2.2", "10", "0")
    parts = open_svg(100, 50.5, title="A & B", desc="<desc>", id_prefix="c1", css_class="x")
    svg = close_svg([*parts, '<rect x="0" y="0" width="1" height="1"/>'])
    root = ET.fromstring(svg)  # noqa: S314 - our own output
    ns = "{http://www.w3.org/2000/svg}"
    assert root.get("viewBox") == "0 0 100 50.5" and root.get("role") == "img"
    assert root.get("aria-labelledby") == "c1-title c1-desc" and root.get("class") == "x"
    assert root.find(f"{ns}title").text == "A & B" and root.find(f"{ns}desc").text == "<desc>"


# --- content -------------------------------------------------------------------------------------


def test_the_registry_loads_once_and_again_after_clear():
    calls = []
    registry = ContentRegistry()
    registry.register("test.thing", lambda: calls.append(1) or len(calls))
    assert registry.get("test.thing") == 1 and registry.get("test.thing") == 1
    assert calls == [1] and registry.keys() == ["test.thing"]
    registry.clear("other.thing")
    assert registry.get("test.thing") == 1
    registry.clear("test.thing")
    assert registry.get("test.thing") == 2
    registry.clear()
    assert registry.get("test.thing") == 3


def test_a_key_is_registered_once():
    registry = ContentRegistry()

    def loader():
        return 1

    registry.register("test.thing", loader)
    registry.register("test.thing", loader)  # an app's ready() run twice: harmless
    with pytest.raises(ValueError, match="registered twice"):
        registry.register("test.thing", lambda: 2)


def test_a_setting_named_by_the_loader_reloads_it(monkeypatch):
    from django.conf import settings

    calls = []

    def loader():
        calls.append(1)
        return getattr(settings, "ECOMAP_TEST_CONTENT", "default")

    # The global registry (it hears setting_changed), with the test's source taken away after.
    monkeypatch.setattr(content.registry, "_sources", dict(content.registry._sources))
    content.registry.register("test.setting", loader, settings=("ECOMAP_TEST_CONTENT",))
    assert content.registry.get("test.setting") == "default"
    with override_settings(ECOMAP_TEST_CONTENT="overridden"):
        assert content.registry.get("test.setting") == "overridden"
        with override_settings(SOMETHING_ELSE=1):
            assert content.registry.get("test.setting") == "overridden"
    assert content.registry.get("test.setting") == "default"
    assert len(calls) == 3


def test_problems_name_each_broken_file():
    registry = ContentRegistry()

    def broken():
        raise ContentError("bad.yaml.title: required field is missing")

    def missing():
        raise FileNotFoundError("no such file: gone.yaml")

    registry.register("test.good", lambda: {"ok": True})
    registry.register("test.broken", broken, hint="See the test schema.")
    registry.register("test.missing", missing)
    assert registry.problems() == ["bad.yaml.title: required field is missing",
                                   "no such file: gone.yaml"]
    errors = registry.check()
    assert [e.id for e in errors] == ["ecomap.E100", "ecomap.E100"]
    assert errors[0].hint == "See the test schema." and "content file" in errors[1].hint
    registry.clear()
    assert ContentRegistry().problems() == []


def test_the_system_check_reports_a_broken_loader(monkeypatch):
    def broken():
        raise ContentError("broken.yaml.items[2].text: expected non-empty text")

    monkeypatch.setattr(content.registry, "_sources", dict(content.registry._sources))
    content.registry.register("test.broken", broken)
    found = [e for e in checks.run_checks() if e.id == "ecomap.E100"]
    assert [e.msg for e in found] == ["broken.yaml.items[2].text: expected non-empty text"]
    assert found[0].level == checks.ERROR


def test_read_yaml_names_line_and_column(tmp_path):
    assert read_yaml("title: Walks\nitems: [a, b]\n", "walks.yaml") == {
        "title": "Walks", "items": ["a", "b"]}
    with pytest.raises(ContentError, match=r"^walks.yaml: not valid YAML at line 3, column 1$"):
        read_yaml("title: Walks\nitems: [a, b\n", "walks.yaml")

    class AppError(ContentError):
        pass

    path = tmp_path / "tabs.yaml"
    path.write_text("title: x\n\tbad: 1\n", encoding="utf-8")
    with pytest.raises(AppError, match=r"^tabs.yaml: not valid YAML at line 2, column 1$"):
        read_yaml_file(path, AppError)
