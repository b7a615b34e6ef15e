from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ecomap.audit.models import AuditEntry
from ecomap.measures import chart_svg, services
from ecomap.measures.models import Administration

MSPSS_LOW = {f"item_q{n}": "2" for n in range(1, 13)}    # mean 2.00 -> low
MSPSS_HIGH = {f"item_q{n}": "6" for n in range(1, 13)}   # mean 6.00 -> high


def _url(client, tail=""):
    return f"/clients/{client.pk}/measures/{tail}"


def _post(http, client, slug, data, action="complete", **extra):
    return http.post(_url(client, f"administer/?instrument={slug}"), {
        **data, "administered_on": timezone.localdate().isoformat(), "action": action, **extra})


@pytest.mark.django_db
def test_index_lists_instruments_and_byol(as_user, practitioner, client_record):
    response = as_user(practitioner).get(_url(client_record))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Give MSPSS" in body and "Give SOCRATES 8D" in body
    assert "Not installed: supply the licensed definition file." in body
    assert "LSNS-6" in body and "Give LSNS-6" not in body
    assert "Research instrument (CASAA)" in body and "Licence not confirmed" in body
    assert AuditEntry.objects.filter(action="ecomap.client.read", client=client_record,
                                     data__page="measures:index").exists()


@pytest.mark.django_db
def test_the_form_is_radio_groups_in_fieldsets(as_user, practitioner, client_record):
    response = as_user(practitioner).get(_url(client_record, "administer/?instrument=mspss"))
    body = response.content.decode()
    assert body.count("<fieldset class=\"item\"") == 12
    assert body.count('type="radio"') == 12 * 7
    assert "There is a special person with whom I can share joys and sorrows." in body
    assert "Very Strongly Agree" in body and 'for="id_item_q1_0"' in body
    assert AuditEntry.objects.filter(action="ecomap.client.read",
                                     data__page="measures:administer").exists()


@pytest.mark.django_db
def test_administer_shows_score_and_band(as_user, practitioner, client_record):
    http = as_user(practitioner)
    response = _post(http, client_record, "mspss", MSPSS_LOW)
    saved = Administration.objects.get()
    assert response.status_code == 302 and response["Location"] == _url(client_record,
                                                                        f"{saved.pk}/")
    page = http.get(response["Location"]).content.decode()
    assert "MSPSS completed. Total (mean of 12 items): 2.00 (Low perceived support)." in page
    assert "Low perceived support" in page and "Mark as entered in error" in page


@pytest.mark.django_db
@pytest.mark.parametrize(("data", "message"), [
    ({**MSPSS_LOW, "item_q3": "9"}, "Question 3: choose one of the answers given."),
    ({k: v for k, v in MSPSS_LOW.items() if k != "item_q5"}, "Question 5 needs an answer."),
])
def test_invalid_answers_show_a_message_and_save_nothing(as_user, practitioner, client_record,
                                                         data, message):
    response = _post(as_user(practitioner), client_record, "mspss", data)
    body = response.content.decode()
    assert response.status_code == 400 and message in body
    assert "Nothing was saved" in body and 'role="alert"' in body
    assert not Administration.objects.exists()
    # The answers given are still ticked.
    assert re.search(r'value="2"[^>]*checked|checked[^>]*value="2"', body)


@pytest.mark.django_db
def test_a_future_date_is_refused(as_user, practitioner, client_record):
    http = as_user(practitioner)
    response = http.post(_url(client_record, "administer/?instrument=oslo-3"), {
        "item_close": "1", "item_interest": "1", "item_neighbours": "1", "action": "complete",
        "administered_on": (timezone.localdate() + timedelta(days=3)).isoformat()})
    assert response.status_code == 400 and "cannot be in the future" in response.content.decode()
    assert not Administration.objects.exists()


@pytest.mark.django_db
def test_draft_then_complete_through_the_pages(as_user, practitioner, client_record):
    http = as_user(practitioner)
    partial = {"item_q1": "5", "item_q2": "4"}
    response = _post(http, client_record, "mspss", partial, action="draft")
    draft = Administration.objects.get()
    assert response.status_code == 302 and draft.is_draft and draft.scores == {}
    index = http.get(_url(client_record)).content.decode()
    assert "Finish Multidimensional Scale of Perceived Social Support" in index
    form = http.get(_url(client_record, f"{draft.pk}/continue/")).content.decode()
    assert re.search(r'name="item_q1" value="5"[^>]*checked', form)
    # Completing with items still missing keeps the draft as it was.
    response = http.post(_url(client_record, f"{draft.pk}/continue/"), {
        **partial, "administered_on": timezone.localdate().isoformat(), "action": "complete"})
    assert response.status_code == 400 and "Question 3 needs an answer." in response.content.decode()
    draft.refresh_from_db()
    assert draft.is_draft and draft.answers == {"q1": 5, "q2": 4}
    response = http.post(_url(client_record, f"{draft.pk}/continue/"), {
        **MSPSS_HIGH, "administered_on": timezone.localdate().isoformat(), "action": "complete"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert not draft.is_draft and draft.scores["results"]["total"]["band"] == \
        "High perceived support"
    # A completed administration cannot be continued.
    response = http.get(_url(client_record, f"{draft.pk}/continue/"))
    assert response.status_code == 302 and response.url == _url(client_record, f"{draft.pk}/")
    response = http.post(_url(client_record, f"{draft.pk}/continue/"), {
        **MSPSS_HIGH, "administered_on": timezone.localdate().isoformat(), "action": "complete"})
    assert response.status_code == 409 and "cannot be changed" in response.content.decode()


@pytest.mark.django_db
def test_history_chart_and_change(as_user, practitioner, client_record):
    today = timezone.localdate()
    services.administer(client_record, "mspss", {f"q{n}": 2 for n in range(1, 13)},
                        actor=practitioner, administered_on=today - timedelta(days=30))
    services.administer(client_record, "mspss", {f"q{n}": 6 for n in range(1, 13)},
                        actor=practitioner, administered_on=today)
    services.administer(client_record, "mspss", {"q1": 1}, actor=practitioner, draft=True)
    response = as_user(practitioner).get(_url(client_record, "history/?instrument=mspss"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "<strong>+4.00</strong>" in body  # 6.00 - 2.00
    svgs = re.findall(r"<svg.*?</svg>", body, flags=re.S)
    assert len(svgs) == 4  # total and three subscales
    root = ET.fromstring(svgs[0])  # noqa: S314 (our own output, not untrusted input)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.get("role") == "img"
    assert len(root.findall(f"{ns}g[@data-point]")) == 2  # the draft is not charted
    assert root.find(f"{ns}desc").text.endswith("change +4.00. Possible range 1.00 to 7.00.")
    assert all("style" not in el.attrib for el in root.iter())
    assert "<table" in body and "Low perceived support" in body
    assert AuditEntry.objects.filter(action="ecomap.client.read",
                                     data__page="measures:history").exists()


def test_chart_renders_without_points_and_escapes_text():
    instrument = services.get_instrument("oslo-3")
    svg = chart_svg.render([], instrument.scores[0], title="A & <B>")
    root = ET.fromstring(svg)  # noqa: S314 (our own output)
    assert root.find("{http://www.w3.org/2000/svg}title").text == "A & <B>"
    assert "No scores yet" in svg


@pytest.mark.django_db
def test_next_url_brings_the_practitioner_back(as_user, practitioner, client_record):
    http = as_user(practitioner)
    back = f"/clients/{client_record.pk}/"
    response = _post(http, client_record, "oslo-3", {"item_close": "1", "item_interest": "1",
                                                     "item_neighbours": "1"}, next=back)
    assert response.status_code == 302 and response["Location"] == back
    response = _post(http, client_record, "oslo-3", {"item_close": "1", "item_interest": "1",
                                                     "item_neighbours": "1"},
                     next="https://evil.example/")
    assert response["Location"].startswith(_url(client_record))
    form = http.get(_url(client_record, f"administer/?instrument=oslo-3&next={back}"))
    assert f'name="next" value="{back}"' in form.content.decode()


@pytest.mark.django_db
def test_entered_in_error_through_the_page(as_user, practitioner, client_record):
    saved = services.administer(client_record, "oslo-3", {"close": 1, "interest": 1,
                                                          "neighbours": 1}, actor=practitioner)
    http = as_user(practitioner)
    url = _url(client_record, f"{saved.pk}/entered-in-error/")
    assert http.post(url, {"reason": ""}).status_code == 400
    saved.refresh_from_db()
    assert not saved.entered_in_error
    response = http.post(url, {"reason": "Recorded for the wrong client"}, follow=True)
    saved.refresh_from_db()
    assert saved.entered_in_error and "Entered in error" in response.content.decode()
    history = http.get(_url(client_record, "history/?instrument=oslo-3")).content.decode()
    assert "Recorded for the wrong client" in history and "No completed administrations" in history


@pytest.mark.django_db
def test_unknown_and_uninstalled_instruments(as_user, practitioner, client_record):
    http = as_user(practitioner)
    for query in ("administer/", "history/"):  # no questionnaire named: the list
        assert http.get(_url(client_record, query)).status_code == 302
    for query, message in (("administer/?instrument=nope", "no questionnaire called"),
                           ("administer/?instrument=lsns-6", "not installed"),
                           ("history/?instrument=nope", "no questionnaire called")):
        response = http.get(_url(client_record, query))
        assert response.status_code == 400 and message in response.content.decode()


@pytest.mark.django_db
def test_outsiders_get_404(as_user, practitioner, outsider, client_record):
    saved = services.administer(client_record, "oslo-3", {"close": 1, "interest": 1,
                                                          "neighbours": 1}, actor=practitioner)
    http = as_user(outsider)
    for tail in ("", "administer/?instrument=mspss", "history/?instrument=oslo-3",
                 f"{saved.pk}/", f"{saved.pk}/continue/"):
        assert http.get(_url(client_record, tail)).status_code == 404
    assert http.post(_url(client_record, f"{saved.pk}/entered-in-error/"),
                     {"reason": "x"}).status_code == 404
    assert http.post(_url(client_record, "administer/?instrument=oslo-3"),
                     {"item_close": "1"}).status_code == 404
    assert Administration.objects.count() == 1
    assert AuditEntry.objects.filter(action="ecomap.client.access_denied").count() == 7


def _queries(http, url):
    with CaptureQueriesContext(connection) as ctx:
        assert http.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_query_counts_do_not_grow_with_the_history(as_user, practitioner, client_record):
    http = as_user(practitioner)
    today = timezone.localdate()

    def give(n):
        for i in range(n):
            for slug, answers in (("oslo-3", {"close": 1 + i % 4, "interest": 3, "neighbours": 3}),
                                  ("mspss", {f"q{k}": 1 + i % 7 for k in range(1, 13)})):
                services.administer(client_record, slug, answers, actor=practitioner,
                                    administered_on=today - timedelta(days=i))

    give(2)
    saved = Administration.objects.first()
    pages = [_url(client_record), _url(client_record, "history/?instrument=mspss"),
             _url(client_record, f"{saved.pk}/"), f"/clients/{client_record.pk}/",
             _url(client_record, "administer/?instrument=mspss")]
    small = [_queries(http, page) for page in pages]
    give(12)
    services.administer(client_record, "socrates-8d", {"q1": 3}, actor=practitioner, draft=True)
    large = [_queries(http, page) for page in pages]
    assert large == small
    # The measures pages themselves stay small (the overview also runs other apps' panels).
    assert max(large[:3] + large[4:]) <= 15, large


@pytest.mark.django_db
def test_overview_panel_shows_latest_band_and_change(as_user, practitioner, client_record,
                                                     django_assert_max_num_queries):
    today = timezone.localdate()
    services.administer(client_record, "oslo-3", {"close": 1, "interest": 1, "neighbours": 1},
                        actor=practitioner, administered_on=today - timedelta(days=7))
    services.administer(client_record, "oslo-3", {"close": 4, "interest": 4, "neighbours": 4},
                        actor=practitioner, administered_on=today)
    from ecomap.measures.panels import measures_panel

    with django_assert_max_num_queries(1):
        panel = measures_panel(None, client_record)
    [row] = panel.context["rows"]
    assert (row["entry"].value, row["entry"].band, row["entry"].change) == (
        "12", "Strong social support", "+9")  # 4+4+4 = 12; 1+1+1 = 3; 12 - 3 = 9
    body = as_user(practitioner).get(f"/clients/{client_record.pk}/").content.decode()
    assert "Questionnaires" in body and "Strong social support" in body
    assert "change since first +9" in body


@pytest.mark.django_db
def test_a_bad_date_is_refused(as_user, practitioner, client_record):
    response = as_user(practitioner).post(_url(client_record, "administer/?instrument=oslo-3"), {
        "item_close": "1", "item_interest": "1", "item_neighbours": "1", "action": "complete",
        "administered_on": "yesterday"})
    assert response.status_code == 400 and "Date given:" in response.content.decode()
    assert not Administration.objects.exists()


@pytest.mark.django_db(transaction=False)
def test_any_posted_answers_give_a_page_never_a_500(as_user, practitioner, client_record):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    http = as_user(practitioner)
    value = st.one_of(st.sampled_from(["1", "2", "3", "4", "5", "0", "-1", "", "9" * 30]),
                      st.text(max_size=5))

    @settings(max_examples=40, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(close=value, interest=value, neighbours=value, action=st.sampled_from(
        ["complete", "draft", "other"]))
    def post(close, interest, neighbours, action):
        before = Administration.objects.count()
        response = _post(http, client_record, "oslo-3", {
            "item_close": close, "item_interest": interest, "item_neighbours": neighbours},
            action=action)
        assert response.status_code in (400, 302)
        if response.status_code == 400:
            assert Administration.objects.count() == before  # refused: nothing saved
        else:
            saved = Administration.objects.latest("pk")
            assert all(isinstance(v, int) for v in saved.answers.values())

    post()
