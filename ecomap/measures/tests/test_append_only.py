"""A completed administration never changes (but for the "entered in error" mark) and is never
deleted, by the ORM or by raw SQL; a draft can still be edited and deleted."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from ecomap.core.append_only import AppendOnlyError
from ecomap.measures import services
from ecomap.measures.models import Administration

OSLO = {"close": 2, "interest": 3, "neighbours": 4}
pytestmark = pytest.mark.django_db


@pytest.fixture
def completed(practitioner, client_record):
    return services.administer(client_record, "oslo-3", OSLO, actor=practitioner)


def test_the_orm_refuses_every_change_and_deletion(completed):
    completed.note = "changed"
    with pytest.raises(AppendOnlyError):
        completed.save()
    with pytest.raises(AppendOnlyError):
        completed.delete()
    with pytest.raises(AppendOnlyError):
        Administration.objects.filter(pk=completed.pk).update(note="changed")
    with pytest.raises(AppendOnlyError):
        Administration.objects.filter(pk=completed.pk).delete()
    completed.refresh_from_db()
    assert completed.note == ""


def test_the_database_refuses_raw_sql(completed):
    with connection.cursor() as cursor:
        with pytest.raises(DatabaseError), transaction.atomic():
            cursor.execute("UPDATE measures_administration SET note = %s WHERE id = %s",
                           ["changed", completed.pk])
        with pytest.raises(DatabaseError), transaction.atomic():
            cursor.execute("DELETE FROM measures_administration WHERE id = %s", [completed.pk])
    completed.refresh_from_db()
    assert completed.note == ""


def test_the_error_mark_is_still_written(completed, practitioner):
    services.mark_entered_in_error(completed, actor=practitioner, reason="Wrong client.")
    completed.refresh_from_db()
    assert completed.entered_in_error and completed.error_marked_by == practitioner
    Administration.objects.filter(pk=completed.pk).update(error_reason="Given to the wrong client.")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE measures_administration SET error_reason = %s WHERE id = %s",
                       ["Wrong person.", completed.pk])
    completed.refresh_from_db()
    assert completed.error_reason == "Wrong person."


def test_a_draft_can_still_be_edited_and_deleted(practitioner, client_record):
    draft = services.administer(client_record, "oslo-3", {"close": 2}, actor=practitioner,
                                draft=True)
    draft.note = "Continued later."
    draft.save()
    Administration.objects.filter(pk=draft.pk).update(note="Edited again.")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE measures_administration SET note = %s WHERE id = %s",
                       ["By SQL.", draft.pk])
    draft.refresh_from_db()
    assert draft.note == "By SQL."
    finished = services.administer(client_record, "oslo-3", OSLO, actor=practitioner,
                                   administration=draft)
    assert finished.completed_at <= timezone.now()
    with pytest.raises(AppendOnlyError):
        finished.delete()
    other = services.administer(client_record, "oslo-3", {"close": 1}, actor=practitioner,
                                draft=True)
    other.delete()
    Administration.objects.filter(pk=services.administer(
        client_record, "oslo-3", {"close": 1}, actor=practitioner, draft=True).pk).delete()
    assert list(Administration.objects.values_list("pk", flat=True)) == [finished.pk]
