"""Extension points that later apps plug into without touching the pages that show them.

Two slots exist:
- `client_overview`: panels on a client's overview page, called as `contributor(request, client)`;
- `practitioner_today`: sections on the practitioner's home page ("Today"), called as
  `contributor(request)`, each listing what needs attention (homework due, follow-ups, alerts, ...).

An app registers its contributors in its AppConfig.ready():

    from ecomap.core.extensions import client_overview, Panel

    @client_overview.register(order=40)
    def network_panel(request, client):
        return Panel(title=_("Network"), template="network/panel.html", context={...})

A contributor returns a Panel, or None to show nothing. It must run a fixed number of queries,
whatever the size of the caseload or the record, so the page stays fast (tests guard this).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Panel:
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    # Count of items needing attention, shown as a badge on the Today page; None for no badge.
    count: int | None = None
    slug: str = ""


@dataclass(order=True)
class _Entry:
    order: int
    name: str
    func: Callable[..., Panel | None] = field(compare=False)


class Slot:
    def __init__(self, name: str):
        self.name = name
        self._entries: list[_Entry] = []

    def register(self, order: int = 100):
        def decorator(func):
            name = f"{func.__module__}.{func.__qualname__}"
            if any(entry.name == name for entry in self._entries):
                return func  # ready() may run twice in tests; registering is idempotent
            self._entries.append(_Entry(order, name, func))
            self._entries.sort()
            return func

        return decorator

    def contributors(self) -> list[Callable[..., Panel | None]]:
        return [entry.func for entry in self._entries]

    def render(self, *args) -> list[Panel]:
        panels = []
        for entry in self._entries:
            panel = entry.func(*args)
            if panel is not None:
                panel.slug = panel.slug or entry.func.__name__.replace("_", "-")
                panels.append(panel)
        return panels


client_overview = Slot("client_overview")
practitioner_today = Slot("practitioner_today")
