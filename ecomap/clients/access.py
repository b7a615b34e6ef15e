"""The one access path to a client's record. Every view that shows or changes anything belonging to a
client goes through `get_client_for` (usually via the `client_view` decorator): outsiders get 404, so
they learn nothing, not even that the record exists; a denied attempt is audited."""

from __future__ import annotations

import functools

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from ecomap.accounts.models import Role
from ecomap.audit import services as audit

from .models import Client

# Actions beyond viewing and editing that need more than being on the caseload.
MANAGE_ROLES = {Role.ADMIN, Role.SUPERVISOR}


def get_client_for(user, pk, *, for_update: bool = False) -> Client:
    """The client `pk` if `user` may see it, else Http404 (and an audited denial)."""
    queryset = Client.objects.for_user(user).select_related(
        "primary_practitioner", "secondary_practitioner"
    )
    if for_update:
        queryset = queryset.select_for_update()
    try:
        return queryset.get(pk=pk)
    except (Client.DoesNotExist, ValueError, TypeError):
        if getattr(user, "is_authenticated", False):
            audit.record(
                "ecomap.client.access_denied", actor=user, outcome="denied",
                data={"requested_client_id": str(pk)[:32]},
            )
        raise Http404(_("No such client in your caseload.")) from None


def require_manager(user) -> None:
    """Transfers and archiving are for supervisors and administrators."""
    if user.role not in MANAGE_ROLES:
        raise PermissionDenied(_("Only a supervisor or an administrator can do this."))


def client_view(view):
    """Resolve the URL's `client_pk` through `get_client_for` and pass the client to the view.

    The client is resolved before anything else, whatever the HTTP method, so a URL under
    /clients/<client_pk>/ never answers an outsider with anything but 404.
    """

    @functools.wraps(view)
    def wrapper(request, client_pk, *args, **kwargs):
        client = get_client_for(request.user, client_pk)
        return view(request, client, *args, **kwargs)

    wrapper.client_scoped = True
    return wrapper
