"""Today stays useful: new clients count, panels are bounded with "see all" (the panel's own page,
paginated through the same contributor), the oldest first, and the queries stay fixed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ecomap.clients import services
from ecomap.clients.models import Client
from ecomap.testing.factories import ClientFactory

pytestmark = pytest.mark.django_db


def _panel(response, slug):
    return next((p for p in response.context["panels"] if p.slug == slug), None)


def _queries(http, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert http.get(url).status_code == 200
    return len(ctx.captured_queries)


def _intake(practitioner, n, **values):
    return [ClientFactory(primary_practitioner=practitioner, legal_first_name=f"New{i:02}",
                          legal_last_name="Intake", **values) for i in range(n)]


def test_five_intakes_are_five_new_clients(as_user, practitioner, colleague, supervisor):
    _intake(practitioner, 5)
    shared = ClientFactory(primary_practitioner=colleague, secondary_practitioner=practitioner,
                           legal_first_name="Shared", legal_last_name="Intake")
    moved = ClientFactory(primary_practitioner=colleague, legal_first_name="Moved",
                          legal_last_name="In")
    Client.objects.filter(pk=moved.pk).update(created_at=timezone.now() - timedelta(days=60),
                                              admitted_on=timezone.localdate() - timedelta(days=60))
    services.transfer_client(moved, actor=supervisor, role="primary", to=practitioner,
                             reason="Caseload balancing")
    # Not new: recorded today for a client admitted long ago, and one recorded a month ago.
    _intake(practitioner, 1, admitted_on=timezone.localdate() - timedelta(days=400))
    old = _intake(practitioner, 1)[0]
    Client.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=30))
    response = as_user(practitioner).get("/today/")
    panel = _panel(response, "newly-assigned")
    assert panel.count == 7
    page = response.content.decode()
    assert "No new clients" not in page
    assert "new client, primary" in page and "new client, secondary" in page
    assert "transferred" in page and "Moved" in page
    shown = [a.client.pk for a in panel.context["assignments"]]
    assert shown[-1] == moved.pk  # the oldest first: transferred after the intakes
    assert shared.pk in shown


def test_a_long_panel_is_bounded_with_see_all_and_its_own_page_lists_every_item(
        as_user, practitioner):
    _intake(practitioner, 30)
    http = as_user(practitioner)
    response = http.get("/today/")
    panel = _panel(response, "newly-assigned")
    assert len(panel.context["assignments"]) == 10 and panel.count == 30
    assert "Showing 10 of 30: see all" in response.content.decode()
    assert 'href="/today/newly-assigned/"' in response.content.decode()
    first = http.get("/today/newly-assigned/")
    assert first.status_code == 200 and len(first.context["panel"].context["assignments"]) == 25
    assert "Page 1 of 2" in first.content.decode() and "see all" not in first.content.decode()
    second = http.get("/today/newly-assigned/?page=2")
    assert len(second.context["panel"].context["assignments"]) == 5
    names = {a.client.legal_first_name for p in (first, second)
             for a in p.context["panel"].context["assignments"]}
    assert len(names) == 30


def test_a_short_panel_has_no_see_all(as_user, practitioner):
    _intake(practitioner, 3)
    assert "see all" not in as_user(practitioner).get("/today/").content.decode()


def test_a_panels_page_answers_only_for_a_panel_that_exists(as_user, practitioner):
    http = as_user(practitioner)
    assert http.get("/today/no-such-panel/").status_code == 404
    # A panel with nothing to show (no overdue tasks) has no page either.
    assert http.get("/today/overdue-tasks/").status_code == 404


def test_the_client_portal_has_no_today_panels(as_user):
    from ecomap.accounts.models import Role
    from ecomap.testing.factories import UserFactory

    portal = UserFactory(username="portal", role=Role.CLIENT)
    assert as_user(portal).get("/today/newly-assigned/").status_code == 403


def test_today_and_a_panels_page_run_fixed_queries(as_user, practitioner, colleague,
                                                    supervisor):
    http = as_user(practitioner)
    _intake(practitioner, 1)
    today, full = _queries(http, "/today/"), _queries(http, "/today/newly-assigned/")
    _intake(practitioner, 40)
    for i in range(12):
        other = ClientFactory(primary_practitioner=colleague)
        services.transfer_client(other, actor=supervisor, role="secondary", to=practitioner,
                                 reason=f"r{i}")
    assert _queries(http, "/today/") == today
    assert _queries(http, "/today/newly-assigned/") == full
    assert _queries(http, "/today/newly-assigned/?page=3") == full
