"""The one access path to a client's record, and the read it records.

Every page, command, task and API call that shows or changes anything belonging to a client resolves
the client through `read_client` (pages through the `client_view` decorator, which calls it):
outsiders get 404, so they learn nothing, not even that the record exists, and a denied attempt is
audited; an insider's request writes exactly one read entry naming the client, the page (or command,
task, endpoint) and the purpose of use. `get_client_for` resolves without recording a read: only for
a second look inside a request that has already recorded its read (a lock before a change).
"""

from __future__ import annotations

import functools

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from ecomap.accounts.models import Role
from ecomap.audit import services as audit

from .models import Client

READ_ACTION = "ecomap.client.read"
# Purposes of use (HIPAA's treatment, payment and health care operations; research under consent).
TREATMENT, OPERATIONS, RESEARCH = "treatment", "operations", "research"
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


def read_client(user, pk, *, page: str, purpose: str = TREATMENT, data: dict | None = None,
                for_update: bool = False) -> Client:
    """The client `pk` if `user` may see it (else Http404), with the read recorded in the audit log.

    `page` names what reads the record: a URL name ("network:assessment"), a command
    ("command:export_network"), a task or an API endpoint. `purpose` is the purpose of use.
    """
    client = get_client_for(user, pk, for_update=for_update)
    audit.record(READ_ACTION, actor=user, client=client, purpose=purpose,
                 data={"page": page, **(data or {})})
    return client


def read_for_system(client_or_pk, *, actor: str, page: str, purpose: str = OPERATIONS) -> Client:
    """A background task or command with no user (`actor` like "system:reminders"): the client
    (a `Client` it already holds, or a primary key), whatever the caseloads, with the read recorded
    under the system actor."""
    if not str(actor).startswith("system:"):
        raise ValueError("A system read names its actor as 'system:<what>'.")
    client = client_or_pk if isinstance(client_or_pk, Client) else Client.objects.get(
        pk=client_or_pk)
    audit.record(READ_ACTION, actor=actor, client=client, purpose=purpose, data={"page": page})
    return client


def require_manager(user) -> None:
    """Transfers and archiving are for supervisors and administrators."""
    if user.role not in MANAGE_ROLES:
        raise PermissionDenied(_("Only a supervisor or an administrator can do this."))


def client_view(view=None, *, purpose: str = TREATMENT):
    """Resolve the URL's `client_pk` through `read_client` and pass the client to the view.

    The client is resolved before anything else, whatever the HTTP method, so a URL under
    /clients/<client_pk>/ never answers an outsider with anything but 404; and every request an
    insider makes records one read, naming the page (its URL name) and the URL's other arguments.
    The view itself records no read: its changes are audited by the services it calls.
    """

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, client_pk, *args, **kwargs):
            match = request.resolver_match
            page = match.view_name if match else f"{view.__module__}.{view.__qualname__}"
            data = {"arguments": {k: str(v) for k, v in kwargs.items()}} if kwargs else None
            client = read_client(request.user, client_pk, page=page, purpose=purpose, data=data)
            return view(request, client, *args, **kwargs)

        wrapper.client_scoped = True
        return wrapper

    return decorate(view) if view is not None else decorate
