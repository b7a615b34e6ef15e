"""Consents (as signed, with their recipients) and disclosures are never changed or deleted, by the
ORM or by raw SQL; only a consent's end (revocation, expiry event) is written later."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from ecomap.consents import services
from ecomap.consents.models import Consent, ConsentRecipient, Disclosure
from ecomap.core.append_only import AppendOnlyError

from .factories import ConsentFactory, DisclosureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def disclosure(client_record):
    return DisclosureFactory(client=client_record)


def _rows(disclosure):
    """Each append-only model with one of its rows and a field that is not amendable."""
    consent = disclosure.consent
    return [(Consent, consent, "information_description"),
            (ConsentRecipient, consent.recipients.get(), "address"),
            (Disclosure, disclosure, "description")]


@pytest.mark.parametrize("index", [0, 1, 2], ids=["consent", "recipient", "disclosure"])
def test_the_orm_refuses_every_change_and_deletion(disclosure, index):
    model, row, field = _rows(disclosure)[index]
    setattr(row, field, "changed")
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(AppendOnlyError):
        model.objects.filter(pk=row.pk).update(**{field: "changed"})
    with pytest.raises(AppendOnlyError):
        model.objects.filter(pk=row.pk).delete()
    row.refresh_from_db()
    assert getattr(row, field) != "changed"


@pytest.mark.parametrize("index", [0, 1, 2], ids=["consent", "recipient", "disclosure"])
def test_the_database_refuses_raw_sql(disclosure, index):
    model, row, field = _rows(disclosure)[index]
    table, column = model._meta.db_table, model._meta.get_field(field).column
    with connection.cursor() as cursor:
        with pytest.raises(DatabaseError), transaction.atomic():
            cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s",  # noqa: S608
                           ["changed", row.pk])
        with pytest.raises(DatabaseError), transaction.atomic():
            cursor.execute(f"DELETE FROM {table} WHERE id = %s", [row.pk])  # noqa: S608
    row.refresh_from_db()
    assert getattr(row, field) != "changed"


def test_a_consent_can_still_be_revoked_and_its_expiry_event_recorded(practitioner, client_record):
    consent = ConsentFactory(client=client_record, expiry_event="End of treatment")
    services.record_expiry_event(consent, actor=practitioner, on=timezone.localdate())
    services.revoke_consent(consent, actor=practitioner, on=timezone.localdate(),
                            note="By letter.", received_via="letter")
    consent.refresh_from_db()
    assert consent.revoked_on == timezone.localdate() and consent.revoked_by == practitioner
    assert consent.expiry_event_occurred_on == timezone.localdate()
    # The amendable fields through update() and a plain save(), and through raw SQL.
    Consent.objects.filter(pk=consent.pk).update(revocation_note="Received by post.")
    consent.refresh_from_db()
    consent.revocation_note = "Received by registered post."
    consent.save()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE consents_consent SET revocation_note = %s WHERE id = %s",
                       ["In writing.", consent.pk])
    consent.refresh_from_db()
    assert consent.revocation_note == "In writing."


def test_a_change_beside_an_amendment_is_refused(practitioner, client_record):
    consent = ConsentFactory(client=client_record)
    consent.revoked_on = timezone.localdate()
    consent.expires_on = timezone.localdate() + timedelta(days=900)
    with pytest.raises(AppendOnlyError):
        consent.save()
    with pytest.raises(AppendOnlyError):
        consent.save(update_fields=["revoked_on", "expires_on"])
