"""The agency's own identity: one record an administrator edits, the settings as the fresh install's
default, and a deployment check that warns while neither names it."""

from __future__ import annotations

import pytest

from ecomap.accounts.checks import agency_check
from ecomap.accounts.models import Agency

pytestmark = pytest.mark.django_db


def test_a_fresh_install_takes_the_agency_from_the_settings(settings):
    settings.AGENCY_NAME = "Testville Recovery Program"
    settings.AGENCY_PHONE = "555-0100"
    agency = Agency.current()
    assert agency.pk is None and agency.configured
    assert (agency.name, agency.phone) == ("Testville Recovery Program", "555-0100")


def test_the_record_an_administrator_edits_wins_and_there_is_only_one(settings):
    settings.AGENCY_NAME = "From the settings"
    Agency(name="Testville Recovery Program", privacy_officer_name="R. Officer").save()
    Agency(name="Testville Recovery Program, renamed").save()
    assert Agency.objects.count() == 1
    agency = Agency.current()
    assert agency.name == "Testville Recovery Program, renamed"
    assert agency.as_data()["name"] == "Testville Recovery Program, renamed"


def test_the_deploy_check_warns_without_an_agency(settings):
    settings.AGENCY_NAME = ""
    assert [w.id for w in agency_check(None)] == ["ecomap.W020"]
    settings.AGENCY_NAME = "Testville Recovery Program"
    assert agency_check(None) == []
    settings.AGENCY_NAME = ""
    Agency(name="Testville Recovery Program").save()
    assert agency_check(None) == []


def test_the_check_runs_with_check_deploy(settings):
    from django.core import checks

    settings.AGENCY_NAME = ""
    found = checks.run_checks(include_deployment_checks=True, tags=[checks.Tags.security])
    assert "ecomap.W020" in {w.id for w in found}


def test_the_admin_adds_the_agency_once_and_never_deletes_it(as_user, admin_user):
    client = as_user(admin_user)
    assert client.get("/admin/accounts/agency/add/").status_code == 200
    Agency(name="Testville Recovery Program").save()
    assert client.get("/admin/accounts/agency/add/").status_code == 403
    assert client.get("/admin/accounts/agency/1/change/").status_code == 200
    assert client.get("/admin/accounts/agency/1/delete/").status_code == 403
