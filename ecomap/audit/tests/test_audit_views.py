from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ecomap.audit import services as audit
from ecomap.audit.models import AuditEntry


@pytest.mark.django_db
def test_only_admins_see_the_audit_log(as_user, practitioner, supervisor):
    for user in (practitioner, supervisor):
        assert as_user(user).get("/audit/").status_code == 403
        assert as_user(user).get("/audit/verify/").status_code == 403


@pytest.mark.django_db
def test_admin_filters_by_user_client_action_and_window(as_user, admin_user, practitioner,
                                                        client_record, outsider_client):
    audit.record("ecomap.client.viewed", actor=practitioner, client=client_record)
    audit.record("ecomap.client.updated", actor=practitioner, client=outsider_client)
    http = as_user(admin_user)
    response = http.get("/audit/", {"user": "practitioner", "action": "ecomap.client.viewed"})
    assert response.status_code == 200
    rows = list(response.context["page"].object_list)
    assert [e.action for e in rows] == ["ecomap.client.viewed"]
    response = http.get("/audit/", {"client": outsider_client.record_number})
    assert [e.client for e in response.context["page"].object_list] == [outsider_client]
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = http.get("/audit/", {"since": tomorrow})
    assert response.context["page"].paginator.count == 0


@pytest.mark.django_db
@pytest.mark.parametrize("column", ["seq", "occurred_at", "actor_username", "actor_role", "client",
                                    "action", "outcome", "object_type", "object_id", "ip",
                                    "request_id", "purpose", "path"])
def test_admin_sorts_by_every_column(as_user, admin_user, practitioner, client_record, column):
    audit.record("ecomap.client.viewed", actor=practitioner, client=client_record)
    audit.record("ecomap.auth.login", actor=admin_user)
    for sort in (column, f"-{column}"):
        response = as_user(admin_user).get("/audit/", {"sort": sort})
        assert response.status_code == 200, sort


@pytest.mark.django_db
def test_bad_window_is_a_clear_message_not_an_error(as_user, admin_user):
    response = as_user(admin_user).get("/audit/", {"since": "2026-05-02", "until": "2026-05-01"})
    assert response.status_code == 400
    assert "before its start" in response.content.decode()
    response = as_user(admin_user).get("/audit/", {"since": "not a date"})
    assert response.status_code == 400


@pytest.mark.django_db
def test_csv_export_and_the_search_itself_is_audited(as_user, admin_user, practitioner):
    audit.record("ecomap.auth.login", actor=practitioner)
    response = as_user(admin_user).get("/audit/", {"format": "csv"})
    body = b"".join(response.streaming_content).decode()
    assert body.splitlines()[0].startswith("seq,occurred_at,actor_username")
    assert "ecomap.auth.login" in body
    assert AuditEntry.objects.filter(action="ecomap.audit.searched", actor=admin_user).exists()


@pytest.mark.django_db
def test_verify_page(as_user, admin_user):
    response = as_user(admin_user).get("/audit/verify/")
    assert response.status_code == 200 and response.context["report"].ok


@pytest.mark.django_db
def test_admin_site_is_read_only_for_audit_entries(as_user, admin_user, practitioner):
    entry = audit.record("ecomap.auth.login", actor=practitioner)
    http = as_user(admin_user)
    assert http.get("/admin/audit/auditentry/").status_code == 200
    assert http.get("/admin/audit/auditentry/add/").status_code == 403
    assert http.post(f"/admin/audit/auditentry/{entry.pk}/delete/").status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
