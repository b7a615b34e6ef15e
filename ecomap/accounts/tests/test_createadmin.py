import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ecomap.accounts.models import User
from ecomap.audit.models import AuditEntry


@pytest.mark.django_db
def test_createadmin_from_environment(monkeypatch):
    monkeypatch.setenv("ECOMAP_ADMIN_PASSWORD", "a long and unusual passphrase")
    call_command("createadmin", username="boss", email="boss@example.invalid")
    user = User.objects.get(username="boss")
    assert user.role == "admin" and user.is_staff and user.is_superuser
    assert user.check_password("a long and unusual passphrase")
    entry = AuditEntry.objects.get(action="ecomap.accounts.user_created")
    assert entry.actor_username == "system:createadmin" and entry.object_id == str(user.pk)


@pytest.mark.django_db
def test_createadmin_refuses_weak_password_and_duplicates(monkeypatch, admin_user):
    monkeypatch.setenv("ECOMAP_ADMIN_PASSWORD", "123")
    with pytest.raises(CommandError, match="Password refused"):
        call_command("createadmin", username="weak")
    assert not User.objects.filter(username="weak").exists()
    with pytest.raises(CommandError, match="exists already"):
        call_command("createadmin", username="ADMIN")


@pytest.mark.django_db
def test_createadmin_prompts_twice(monkeypatch):
    monkeypatch.delenv("ECOMAP_ADMIN_PASSWORD", raising=False)
    answers = iter(["first long passphrase", "second long passphrase"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    with pytest.raises(CommandError, match="do not match"):
        call_command("createadmin", username="typo")
    assert not User.objects.exists()
