from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ecomap.accounts.models import User
from ecomap.audit import services as audit
from ecomap.clients.models import Client, Status


@pytest.mark.django_db
def test_demo_builds_a_living_agency_once():
    out = StringIO()
    call_command("demo", stdout=out)
    assert "practitioner" in out.getvalue() and "ecomap-demo" in out.getvalue()
    practitioner = User.objects.get(username="practitioner")
    assert practitioner.check_password("ecomap-demo")
    assert Client.objects.for_user(practitioner).count() >= 5
    assert Client.objects.filter(status=Status.DISCHARGED).exists()
    assert audit.verify_chain().ok
    from ecomap.accounts.models import Agency
    from ecomap.consents.models import Consent

    assert Agency.current().name == "Riverside Community Services (demo)"  # synthetic
    assert set(Consent.objects.values_list("disclosing_party", flat=True)) == {
        "Riverside Community Services (demo)"}
    clients = Client.objects.count()
    call_command("demo", stdout=StringIO())  # idempotent
    assert Client.objects.count() == clients


@pytest.mark.django_db
def test_demo_is_the_same_every_time():
    call_command("demo", stdout=StringIO())
    names = list(Client.objects.order_by("pk").values_list("legal_last_name", "date_of_birth"))
    assert len(set(names)) > 10
    from ecomap.site import demo

    assert demo.SEED == 20261123  # a fixed seed: same names on every machine


@pytest.mark.django_db
def test_demo_refuses_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="never runs"):
        call_command("demo", stdout=StringIO())
    assert not User.objects.exists()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="serve is the SQLite default path")
def test_serve_migrates_loads_demo_and_answers(tmp_path):
    """What `python3 dev.py run` does: a fresh data folder, demo log-ins printed, pages served."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ECOMAP_", "DATABASE_URL"))}
    env["ECOMAP_DATA_DIR"] = str(tmp_path)
    proc = subprocess.Popen(
        [sys.executable, "-m", "ecomap.cli", "serve", "--demo", "--noreload", f"127.0.0.1:{port}"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline, body = time.monotonic() + 90, ""
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/") as resp:
                    body = resp.read().decode()
                    break
            except OSError:
                time.sleep(0.5)
        assert "Sign in" in body
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/ecomap/app.css") as resp:
            assert resp.status == 200
    finally:
        proc.terminate()
        output = proc.communicate(timeout=30)[0]
    assert "practitioner" in output and "ecomap-demo" in output
    assert (tmp_path / "ecomap.sqlite3").exists()
