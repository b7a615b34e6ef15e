"""The current request's audit context (id, path, address), kept in a ContextVar.

Services read it when they write an audit entry, so an entry written during a web request carries the
request id and source address, while commands and tasks write entries without one.
"""

from __future__ import annotations

import contextlib
import uuid
from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RequestContext:
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    path: str = ""
    ip: str = ""
    user_agent: str = ""


_current: ContextVar[RequestContext | None] = ContextVar("ecomap_request", default=None)


def current() -> RequestContext | None:
    return _current.get()


@contextlib.contextmanager
def bind(ctx: RequestContext):
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)
