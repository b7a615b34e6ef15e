"""For every URL that takes `client_pk`, found by walking the URL configuration, prove who may reach it:

- a practitioner gets 404 (not data, not 403) for a client outside their caseload, on GET and POST;
- a supervisor reaches their team's clients and gets 404 for another team's;
- an admin reaches every client;
- an object of client A never opens under client B's URL.

New client URLs are covered without editing this file; a URL with another argument needs a maker in
ecomap/<app>/tests/url_kwargs.py (see ecomap/testing/url_kwargs.py), or this test fails and says so.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from ecomap.testing.url_kwargs import KWARG_MAKERS


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}{entry.namespace}:"
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), f"{namespace}{entry.name}", entry


def client_urls():
    found = [(route, name) for route, name, _ in _walk(get_resolver().url_patterns)
             if "<int:client_pk>" in route]
    return sorted(set(found))


CLIENT_URLS = client_urls()


def test_the_walk_finds_the_client_urls():
    names = {name for _, name in CLIENT_URLS}
    assert {"clients:overview", "clients:edit", "clients:transfer"} <= names
    assert len(CLIENT_URLS) >= 7


def test_every_client_url_goes_through_the_access_path():
    for route, name, pattern in _walk(get_resolver().url_patterns):
        if "<int:client_pk>" in route:
            assert getattr(pattern.callback, "client_scoped", False), (
                f"{name} ({route}) must be wrapped in ecomap.clients.access.client_view"
            )


def _url(route: str, kwargs: dict) -> str:
    path = route
    for key, value in kwargs.items():
        for converter in ("int", "str", "slug", "uuid", "path"):
            path = path.replace(f"<{converter}:{key}>", str(value))
    assert "<" not in path, f"unfilled argument in {route}"
    return "/" + path


def _kwargs_for(route: str, client) -> dict:
    import re

    kwargs = {"client_pk": client.pk}
    for name in re.findall(r"<(?:\w+:)?(\w+)>", route):
        if name == "client_pk":
            continue
        maker = KWARG_MAKERS.get(name)
        assert maker is not None, (
            f"{route}: add a maker for '{name}' to ecomap/<app>/tests/url_kwargs.py MAKERS"
        )
        kwargs[name] = maker(client)
    return kwargs


@pytest.mark.parametrize(("route", "name"), CLIENT_URLS, ids=[n for _, n in CLIENT_URLS])
@pytest.mark.django_db
def test_outsiders_get_404(route, name, client, practitioner, supervisor, other_supervisor,
                           outsider_client, client_record):
    url = _url(route, _kwargs_for(route, outsider_client))
    for user in (practitioner, supervisor):
        client.force_login(user)
        assert client.get(url).status_code == 404, f"GET {name} as {user.username}"
        assert client.post(url, {}).status_code == 404, f"POST {name} as {user.username}"
    # The other team's supervisor may not see North's client either.
    client.force_login(other_supervisor)
    north_url = _url(route, _kwargs_for(route, client_record))
    assert client.get(north_url).status_code == 404


@pytest.mark.parametrize(("route", "name"), CLIENT_URLS, ids=[n for _, n in CLIENT_URLS])
@pytest.mark.django_db
def test_no_data_leaks_in_404(route, name, client, practitioner, outsider_client):
    client.force_login(practitioner)
    response = client.get(_url(route, _kwargs_for(route, outsider_client)))
    assert outsider_client.legal_last_name.encode() not in response.content
    assert outsider_client.record_number.encode() not in response.content


@pytest.mark.parametrize(("route", "name"), CLIENT_URLS, ids=[n for _, n in CLIENT_URLS])
@pytest.mark.django_db
def test_insiders_reach_the_page(route, name, client, practitioner, supervisor, admin_user,
                                 client_record):
    url = _url(route, _kwargs_for(route, client_record))
    for user in (practitioner, supervisor, admin_user):
        client.force_login(user)
        status = client.get(url).status_code
        # 403 is allowed where the role may see the client but not take this action.
        assert status in {200, 302, 403, 405}, f"GET {name} as {user.username}: {status}"
        if user is not practitioner:
            assert status != 403, f"{name} refused {user.username}, who manages this client"


@pytest.mark.parametrize(("route", "name"),
                         [(r, n) for r, n in CLIENT_URLS if r.count("<") > 1],
                         ids=[n for r, n in CLIENT_URLS if r.count("<") > 1])
@pytest.mark.django_db
def test_objects_do_not_open_under_another_client(route, name, client, practitioner,
                                                  client_record):
    from ecomap.testing.factories import ClientFactory

    second = ClientFactory(primary_practitioner=practitioner)
    kwargs = _kwargs_for(route, client_record)
    kwargs["client_pk"] = second.pk
    client.force_login(practitioner)
    url = _url(route, kwargs)
    # A view may refuse a method it does not serve with 405 whatever the object (that reveals
    # nothing); for the method it serves, the object is never found under another client.
    statuses = {client.get(url).status_code, client.post(url, {}).status_code}
    assert statuses <= {404, 405} and 404 in statuses, statuses


@pytest.mark.django_db
def test_admin_sees_every_client_and_practitioner_only_theirs(admin_user, practitioner,
                                                              outsider, client_record,
                                                              outsider_client):
    from ecomap.clients.models import Client

    assert set(Client.objects.for_user(admin_user)) == {client_record, outsider_client}
    assert list(Client.objects.for_user(practitioner)) == [client_record]
    assert list(Client.objects.for_user(outsider)) == [outsider_client]


@pytest.mark.django_db
def test_secondary_practitioner_and_supervisors(colleague, supervisor, other_supervisor,
                                                client_record, outsider_client):
    from ecomap.clients.models import Client

    assert not Client.objects.for_user(colleague).exists()
    Client.objects.filter(pk=client_record.pk).update(secondary_practitioner=colleague)
    assert list(Client.objects.for_user(colleague)) == [client_record]
    assert list(Client.objects.for_user(supervisor)) == [client_record]
    assert list(Client.objects.for_user(other_supervisor)) == [outsider_client]


@pytest.mark.django_db
def test_inactive_and_portal_users_see_nobody(practitioner, client_record):
    from ecomap.accounts.models import Role
    from ecomap.clients.models import Client
    from ecomap.testing.factories import UserFactory

    portal = UserFactory(role=Role.CLIENT)
    assert not Client.objects.for_user(portal).exists()
    practitioner.is_active = False
    practitioner.save()
    assert not Client.objects.for_user(practitioner).exists()


@pytest.mark.django_db
def test_denied_access_is_audited(client, practitioner, outsider_client):
    from ecomap.audit.models import AuditEntry

    client.force_login(practitioner)
    client.get(f"/clients/{outsider_client.pk}/")
    entry = AuditEntry.objects.filter(action="ecomap.client.access_denied").get()
    assert entry.actor == practitioner and entry.outcome == "denied"
    assert entry.data == {"requested_client_id": str(outsider_client.pk)}
