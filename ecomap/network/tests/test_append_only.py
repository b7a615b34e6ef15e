"""Network assessments are append-only, in Python and in the database (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from ecomap.core.append_only import AppendOnlyError
from ecomap.network import services
from ecomap.network.models import Assessment


@pytest.fixture
def assessment(client_record, practitioner):
    services.answer_prompt(client_record, actor=practitioner, prompt="matters", label="Ana",
                           relationship="friend")
    return services.save_assessment(client_record, actor=practitioner, notes="First")


@pytest.mark.django_db
def test_save_of_a_change_is_refused(assessment):
    assessment.notes = "Rewritten"
    with pytest.raises(AppendOnlyError):
        assessment.save()
    assessment.refresh_from_db()
    assert assessment.notes == "First"


@pytest.mark.django_db
def test_delete_is_refused(assessment):
    with pytest.raises(AppendOnlyError):
        assessment.delete()
    assert Assessment.objects.filter(pk=assessment.pk).exists()


@pytest.mark.django_db
def test_queryset_update_and_delete_are_refused(assessment):
    with pytest.raises(AppendOnlyError):
        Assessment.objects.filter(pk=assessment.pk).update(notes="Rewritten")
    with pytest.raises(AppendOnlyError):
        Assessment.objects.filter(pk=assessment.pk).delete()
    assessment.refresh_from_db()
    assert assessment.notes == "First"


@pytest.mark.django_db
@pytest.mark.parametrize("sql", [
    "UPDATE network_assessment SET notes = 'Rewritten' WHERE id = %s",
    "DELETE FROM network_assessment WHERE id = %s",
])
def test_raw_sql_is_refused_by_the_database(assessment, sql):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [assessment.pk])
    assessment.refresh_from_db()
    assert assessment.notes == "First"
