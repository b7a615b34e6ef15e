"""Settings come from the environment; production refuses to start when unsafe."""

from __future__ import annotations

import logging
import os
import subprocess
import sys

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ecomap.core.logging import StripQueryStringFilter

GOOD_PRODUCTION = {
    "ECOMAP_ENV": "production",
    "ECOMAP_SECRET_KEY": "k" * 60,
    "ECOMAP_ALLOWED_HOSTS": "ecomap.example.org",
    "DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/ecomap",
}


def _import_settings(env: dict, tmp_path) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("ECOMAP_", "DATABASE_URL"))}
    clean.update({"ECOMAP_DATA_DIR": str(tmp_path), **env})
    return subprocess.run([sys.executable, "-c", "import ecomap.settings"], env=clean,
                          capture_output=True, text=True, timeout=60)


def test_production_with_safe_settings_starts(tmp_path):
    result = _import_settings(GOOD_PRODUCTION, tmp_path)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(("override", "message"), [
    ({"ECOMAP_SECRET_KEY": ""}, "ECOMAP_SECRET_KEY"),
    ({"ECOMAP_SECRET_KEY": "short"}, "ECOMAP_SECRET_KEY"),
    ({"ECOMAP_DEBUG": "true"}, "ECOMAP_DEBUG"),
    ({"ECOMAP_ALLOWED_HOSTS": "*"}, "ECOMAP_ALLOWED_HOSTS"),
    ({"DATABASE_URL": ""}, "DATABASE_URL"),
    ({"ECOMAP_HTTPS": "false"}, "ECOMAP_HTTPS"),
])
def test_production_refuses_unsafe_settings(tmp_path, override, message):
    result = _import_settings({**GOOD_PRODUCTION, **override}, tmp_path)
    assert result.returncode != 0
    assert "refuses to start in production" in result.stderr and message in result.stderr


def test_mistyped_boolean_fails_loudly(tmp_path):
    result = _import_settings({"ECOMAP_DEBUG": "yes please"}, tmp_path)
    assert result.returncode != 0 and "ECOMAP_DEBUG must be true or false" in result.stderr


def test_local_secret_key_is_generated_once_and_private(tmp_path):
    assert _import_settings({}, tmp_path).returncode == 0
    key_file = tmp_path / "secret_key"
    first = key_file.read_text()
    assert len(first) >= 50 and oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert _import_settings({}, tmp_path).returncode == 0
    assert key_file.read_text() == first


def test_secrets_can_come_from_files(tmp_path):
    secret = tmp_path / "key.txt"
    secret.write_text("f" * 64 + "\n")
    env = {**GOOD_PRODUCTION, "ECOMAP_SECRET_KEY": "", "ECOMAP_SECRET_KEY_FILE": str(secret)}
    assert _import_settings(env, tmp_path).returncode == 0


def test_debug_is_off_by_default():
    from django.conf import settings

    assert settings.DEBUG is False


def test_query_strings_never_reach_the_logs():
    record = logging.LogRecord("django.server", logging.INFO, __file__, 1, '"%s" %s %s',
                               ("GET /clients/?q=Okafor HTTP/1.1", "200", "1234"), None)
    StripQueryStringFilter().filter(record)
    assert "Okafor" not in record.getMessage() and "/clients/?…" in record.getMessage()


@pytest.mark.django_db
def test_every_response_has_a_request_id_and_strict_headers(as_user, practitioner):
    response = as_user(practitioner).get("/today/")
    assert len(response["X-Request-ID"]) == 32
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db  # the agency check (accounts) reads the database
def test_deploy_checks_give_advice():
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    with pytest.raises(SystemCheckError) as error:
        call_command("check", deploy=True, fail_level="WARNING")
    assert "ecomap.W001" in str(error.value) and "ecomap.W006" in str(error.value)


@pytest.mark.django_db
def test_error_pages_are_friendly_and_leak_nothing(as_user, practitioner, settings):
    response = as_user(practitioner).get("/no/such/page/")
    assert response.status_code == 404 and "Page not found" in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_server_error_page_renders_without_a_database(rf):
    from ecomap.core.errors import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500 and b"Something went wrong" in response.content


@pytest.mark.django_db
def test_health_check_needs_no_database(client, practitioner, django_assert_num_queries):
    with django_assert_num_queries(0):  # as a load balancer calls it: no cookie
        assert client.get("/healthz").content == b"ok"
    client.force_login(practitioner)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/healthz").status_code == 200
    # Signed in, only the idle-timeout refresh of the session runs; the user is never loaded.
    assert not any("accounts_user" in q["sql"] for q in ctx.captured_queries)
