"""Needs assessments (with their ratings), the referrals' history and the letters sent are written once:
the ORM refuses every change and deletion (AppendOnlyError), and so does the database (raw SQL),
on SQLite and PostgreSQL. And the Part 2 rule lives in one place: record_disclosure adds the
substance-use category for a Part 2 client, whoever calls it."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from ecomap.casework.models import Letter, NeedRating, NeedsAssessment, ReferralEvent
from ecomap.consents import services as consents
from ecomap.consents.tests.factories import DisclosureFactory
from ecomap.core.append_only import AppendOnlyError

from .helpers import assess, consent_naming


def _assessment(client_record):
    return assess(client_record, housing="high")


def _rating(client_record):
    return _assessment(client_record).ratings.first()


def _event(client_record, referral):
    return referral.events.get()


def _letter(client_record, referral):
    return Letter.objects.create(client=client_record, kind="referral_summary",
                                 disclosure=DisclosureFactory(client=client_record),
                                 referral=referral, content={"title": "Referral summary"},
                                 created_by=client_record.primary_practitioner)


CASES = {
    "needs_assessment": (NeedsAssessment, lambda c, r: _assessment(c), "note", "changed"),
    "need_rating": (NeedRating, lambda c, r: _rating(c), "priority", "low"),
    "referral_event": (ReferralEvent, _event, "note", "changed"),
    "letter": (Letter, _letter, "content", {"title": "Changed"}),
}


@pytest.fixture(params=list(CASES))
def record(request, client_record, referral):
    model, make, field, value = CASES[request.param]
    return model, make(client_record, referral), field, value


@pytest.mark.django_db
def test_save_of_a_change_is_refused(record):
    model, row, field, value = record
    setattr(row, field, value)
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.save(update_fields=[field])


@pytest.mark.django_db
def test_delete_is_refused(record):
    model, row, field, value = record
    with pytest.raises(AppendOnlyError):
        row.delete()
    assert model.objects.filter(pk=row.pk).exists()


@pytest.mark.django_db
def test_queryset_update_and_delete_are_refused(record):
    model, row, field, value = record
    with pytest.raises(AppendOnlyError):
        model.objects.filter(pk=row.pk).update(**{field: value})
    with pytest.raises(AppendOnlyError):
        model.objects.filter(pk=row.pk).delete()
    assert model.objects.filter(pk=row.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_raw_sql_is_refused_by_the_database(record):
    model, row, field, value = record
    table, column = model._meta.db_table, model._meta.get_field(field).column
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s",  # noqa: S608
                       ['"x"' if field == "content" else "x", row.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [row.pk])  # noqa: S608
    assert model.objects.filter(pk=row.pk).exists()


@pytest.mark.django_db
def test_an_assessment_is_written_once_with_its_ratings(client_record):
    assessment = _assessment(client_record)
    assert assessment.ratings.count() == 11
    assert NeedsAssessment.objects.filter(client=client_record).count() == 1


# --- Part 2 through one source --------------------------------------------------------------


def _disclose(client, categories):
    return consents.record_disclosure(
        client, actor=client.primary_practitioner, recipient_name="Testville Housing",
        recipient_kind="organisation", categories=categories, purpose="referral",
        method="referral", description="A test disclosure.", disclosed_at=timezone.now())


@pytest.mark.django_db
def test_record_disclosure_adds_substance_use_for_a_part2_client(sud_client, client_record):
    assert sud_client.is_part2 and not client_record.is_part2
    consent_naming(sud_client, "Testville Housing", "organisation",
                   categories=["attendance"], purposes=["referral"])
    with pytest.raises(consents.DisclosureRefused) as refused:
        _disclose(sud_client, ["attendance"])  # the consent must cover substance use too
    assert any("Substance use" in reason for reason in refused.value.reasons)
    consent_naming(sud_client, "Testville Housing", "organisation",
                   categories=["attendance", "substance_use"], purposes=["referral"])
    assert _disclose(sud_client, ["attendance"]).categories == ["substance_use", "attendance"]
    consent_naming(client_record, "Testville Housing", "organisation",
                   categories=["attendance"], purposes=["referral"])
    assert _disclose(client_record, ["attendance"]).categories == ["attendance"]
