from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher

from ecomap.audit.models import AuditEntry
from ecomap.testing.factories import UserFactory

PASSWORD = "correct horse battery staple"


@pytest.mark.django_db
def test_login_and_logout_are_audited(client, practitioner):
    response = client.post("/accounts/login/", {"username": "practitioner", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/today/"
    client.post("/accounts/logout/")
    actions = list(AuditEntry.objects.order_by("seq").values_list("action", flat=True))
    assert actions == ["ecomap.auth.login", "ecomap.auth.logout"]


@pytest.mark.django_db
def test_repeated_failures_lock_the_account_from_that_address(client, practitioner, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        response = client.post("/accounts/login/", {"username": "practitioner", "password": "wrong"})
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    # Even the right password is refused while locked.
    response = client.post("/accounts/login/", {"username": "practitioner", "password": PASSWORD})
    assert response.status_code == 429
    assert AuditEntry.objects.filter(action="ecomap.auth.login_failed").count() >= 3
    assert AuditEntry.objects.filter(action="ecomap.auth.locked_out").exists()


@pytest.mark.django_db
def test_wrong_password_message_is_generic(client, practitioner):
    response = client.post("/accounts/login/", {"username": "practitioner", "password": "nope"})
    assert response.status_code == 200
    assert "enter a correct username and password" in response.content.decode()


def test_sessions_expire_after_idle_minutes():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True  # the clock restarts at each request


def test_argon2_is_the_password_hasher():
    from ecomap import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    hasher = Argon2PasswordHasher()
    encoded = hasher.encode("x", hasher.salt())
    assert encoded.startswith("argon2$") and hasher.verify("x", encoded)


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_login(client):
    for url in ("/today/", "/clients/", "/audit/", "/clients/1/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_password_reset_by_email(client, practitioner, mailoutbox):
    response = client.post("/accounts/password-reset/", {"email": practitioner.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    link = re.search(r"http://testserver(/accounts/reset/\S+)", mailoutbox[0].body).group(1)
    response = client.get(link, follow=True)
    new = "a much longer passphrase 2026"
    response = client.post(response.redirect_chain[-1][0], {"new_password1": new,
                                                            "new_password2": new})
    assert response.status_code == 302
    practitioner.refresh_from_db()
    assert practitioner.check_password(new)


@pytest.mark.django_db
def test_unknown_email_reveals_nothing(client, mailoutbox):
    response = client.post("/accounts/password-reset/", {"email": "nobody@example.invalid"})
    assert response.status_code == 302 and mailoutbox == []


@pytest.mark.django_db
def test_admin_site_is_for_admins_only(as_user, practitioner, supervisor, admin_user):
    for user in (practitioner, supervisor):
        response = as_user(user).get("/admin/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert as_user(admin_user).get("/admin/").status_code == 200


@pytest.mark.django_db
def test_role_decides_admin_flags():
    user = UserFactory(role="admin")
    assert user.is_staff and user.is_superuser
    user.role = "practitioner"
    user.save()
    assert not user.is_staff and not user.is_superuser


@pytest.mark.django_db
def test_privilege_change_in_admin_is_audited(as_user, admin_user, practitioner):
    response = as_user(admin_user).post(f"/admin/accounts/user/{practitioner.pk}/change/", {
        "username": "practitioner", "first_name": "P", "last_name": "Q", "email": "p@example.invalid",
        "role": "supervisor", "team": practitioner.team_id, "is_active": "on",
        "last_login_0": "", "last_login_1": "", "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = AuditEntry.objects.get(action="ecomap.admin.accounts.user.changed")
    assert entry.changes["role"] == ["practitioner", "supervisor"]


@pytest.mark.django_db
def test_portal_user_has_no_staff_pages(as_user):
    portal = UserFactory(role="client")
    http = as_user(portal)
    assert http.get("/").status_code == 403
    assert http.get("/clients/").status_code == 403
    assert http.get("/clients/new/").status_code == 403


@pytest.mark.django_db
def test_an_idle_session_ends(client, practitioner):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client.force_login(practitioner)
    assert client.get("/today/").status_code == 200
    # 31 idle minutes later the server no longer knows the session.
    Session.objects.update(expire_date=timezone.now() - timedelta(minutes=1))
    response = client.get("/today/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_each_request_extends_the_session(client, practitioner):
    from django.contrib.sessions.models import Session

    client.force_login(practitioner)
    client.get("/today/")
    first = Session.objects.get().expire_date
    client.get("/today/")
    assert Session.objects.get().expire_date >= first
