from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ecomap.audit.models import AuditEntry
from ecomap.core.append_only import AppendOnlyError
from ecomap.measures import services
from ecomap.measures.models import Administration, Status

OSLO = {"close": 2, "interest": 3, "neighbours": 4}  # 2 + 3 + 4 = 9


@pytest.mark.django_db
def test_administer_scores_and_freezes(practitioner, client_record):
    saved = services.administer(client_record, "oslo-3", OSLO, actor=practitioner)
    assert saved.status == Status.COMPLETED and saved.completed_at
    assert saved.scores["results"]["total"] == {
        "label": "Social support (sum)", "value": 9.0, "band": "Moderate social support",
        "display": "9", "answered": 3}
    entry = AuditEntry.objects.get(action="ecomap.measures.administered")
    assert entry.actor == practitioner and entry.client == client_record
    assert entry.data == {"instrument": "oslo-3", "answered": 3, "continued_draft": False}
    saved.note = "changed"
    with pytest.raises(AppendOnlyError):
        saved.save()
    with pytest.raises(AppendOnlyError):
        saved.delete()
    with pytest.raises(AppendOnlyError):
        Administration.objects.all().delete()
    with pytest.raises(services.MeasuresError):
        services.administer(client_record, "oslo-3", OSLO, actor=practitioner,
                            administration=saved)


@pytest.mark.django_db
@pytest.mark.parametrize(("answers", "draft", "errors"), [
    ({"close": 5, "interest": 3, "neighbours": 4}, False, {"close"}),   # out of range
    ({"close": 2, "interest": "lots", "neighbours": 4}, True, {"interest"}),  # not a value
    ({"close": 2}, False, {"interest", "neighbours"}),                   # required missing
    ({"close": 2, "colour": 3}, True, {"colour"}),                       # unknown item
])
def test_invalid_answers_save_nothing(practitioner, client_record, answers, draft, errors):
    with pytest.raises(ValidationError) as error:
        services.administer(client_record, "oslo-3", answers, actor=practitioner, draft=draft)
    assert set(error.value.error_dict) == errors
    assert not Administration.objects.exists() and not AuditEntry.objects.filter(
        action__startswith="ecomap.measures").exists()


@pytest.mark.django_db
def test_future_dates_and_empty_rulers_are_refused(practitioner, client_record):
    with pytest.raises(ValidationError, match="future"):
        services.administer(client_record, "oslo-3", OSLO, actor=practitioner,
                            administered_on=timezone.localdate() + timedelta(days=1))
    with pytest.raises(ValidationError, match="at least one"):
        services.administer(client_record, "readiness-ruler", {}, actor=practitioner)
    assert not Administration.objects.exists()


@pytest.mark.django_db
def test_draft_then_complete(practitioner, client_record):
    draft = services.administer(client_record, "oslo-3", {"close": "3"}, actor=practitioner,
                                draft=True)
    assert draft.is_draft and draft.scores == {} and draft.answers == {"close": 3}
    assert services.history(client_record, "oslo-3") == []  # drafts are not history
    assert services.latest_by_instrument(client_record) == []
    done = services.administer(client_record, "oslo-3", {**OSLO, "close": 3},
                               actor=practitioner, administration=draft)
    assert done.pk == draft.pk and done.status == Status.COMPLETED
    assert done.scores["results"]["total"]["value"] == 10  # 3 + 3 + 4
    assert [a.action for a in AuditEntry.objects.order_by("seq")] == [
        "ecomap.measures.draft_saved", "ecomap.measures.administered"]


@pytest.mark.django_db
def test_entered_in_error_leaves_the_history(practitioner, client_record):
    today = timezone.localdate()
    first = services.administer(client_record, "oslo-3", OSLO, actor=practitioner,
                                administered_on=today - timedelta(days=30))
    wrong = services.administer(client_record, "oslo-3", {"close": 4, "interest": 5,
                                                          "neighbours": 5}, actor=practitioner)
    with pytest.raises(ValidationError):
        services.mark_entered_in_error(wrong, actor=practitioner, reason="  ")
    services.mark_entered_in_error(wrong, actor=practitioner, reason="Wrong client's form")
    wrong.refresh_from_db()
    assert wrong.entered_in_error and wrong.error_marked_by == practitioner
    assert wrong.answers == {"close": 4, "interest": 5, "neighbours": 5}  # kept as it was
    with pytest.raises(services.MeasuresError):
        services.mark_entered_in_error(wrong, actor=practitioner, reason="again")
    assert services.history(client_record, "oslo-3") == [first]
    entry = AuditEntry.objects.get(action="ecomap.measures.entered_in_error")
    assert entry.changes == {"entered_in_error": [False, True]}
    assert entry.data["reason"] == "Wrong client's form"


@pytest.mark.django_db
def test_latest_by_instrument_gives_band_and_change(practitioner, client_record):
    today = timezone.localdate()
    for days, close in ((60, 1), (30, 2), (0, 4)):
        services.administer(client_record, "oslo-3", {**OSLO, "close": close},
                            actor=practitioner, administered_on=today - timedelta(days=days))
    services.administer(client_record, "mspss", {f"q{n}": 6 for n in range(1, 13)},
                        actor=practitioner)
    [mspss, oslo] = services.latest_by_instrument(client_record)
    # Oslo: first 1 + 3 + 4 = 8, latest 4 + 3 + 4 = 11, change +3
    assert (oslo.value, oslo.band, oslo.change) == ("11", "Moderate social support", "+3")
    assert (mspss.value, mspss.band, mspss.count_is_one) == ("6.00", "High perceived support",
                                                              True)


def test_change_text():
    assert services.change(3.5, 5.25, 2) == "+1.75"
    assert services.change(5, 3, 0) == "-2"
    assert services.change(4, 4, 2) == "0.00"
    assert services.change(None, 4, 0) == ""
