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

A Today panel lists its items through `listing(request, queryset_or_list)`: on Today the first
`SHOWN` (the panel's bounded length, with "see all" when there are more), and on the panel's own
page (`site:today_panel`, which sets `request.today_full`) every item, a page at a time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator

SHOWN = 10  # a Today panel's bounded length
PER_PAGE = 25  # on a panel's own page


@dataclass
class Listing:
    items: list
    total: int
    page: Page | None = None  # on the panel's own page

    @property
    def more(self) -> bool:
        return self.page is None and self.total > len(self.items)


def listing(request, items, shown: int = SHOWN) -> Listing:
    """A Today panel's items, bounded on Today (two queries at most: the items, then the count
    when there are more), paginated on the panel's own page. `items` is a queryset, already in
    the panel's order (overdue first, then the oldest), or a list."""
    if getattr(request, "today_full", False):
        page = Paginator(items, PER_PAGE).get_page(request.GET.get("page"))
        return Listing(list(page.object_list), page.paginator.count, page)
    shown_items = list(items[:shown])
    total = len(shown_items)
    if total == shown:
        total = len(items) if isinstance(items, list) else items.count()
    return Listing(shown_items, total)


@dataclass
class Panel:
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    # Count of items needing attention, shown as a badge on the Today page; None for no badge.
    count: int | None = None
    slug: str = ""
    # A Today panel's items (see `listing`); with it, Today offers "see all" (the panel's own
    # page: no app has a practitioner-wide list of these items elsewhere) when there are more.
    listing: Listing | None = None


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

    def find(self, slug: str) -> Callable[..., Panel | None] | None:
        """The contributor whose panel has this slug (its function's name, with dashes)."""
        for entry in self._entries:
            if _slug(entry.func) == slug:
                return entry.func
        return None

    def render(self, *args) -> list[Panel]:
        panels = []
        for entry in self._entries:
            panel = entry.func(*args)
            if panel is not None:
                panel.slug = panel.slug or _slug(entry.func)
                panels.append(panel)
        return panels


def _slug(func) -> str:
    return func.__name__.replace("_", "-")


client_overview = Slot("client_overview")
practitioner_today = Slot("practitioner_today")
