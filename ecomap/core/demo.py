"""The demo agency's extension slot: apps add their demo data with `@demo_builder`.

Each builder receives the `DemoAgency` and a seeded `random.Random`; `ecomap.site.demo.build()` makes
the staff and the clients and then runs the builders in registration order (INSTALLED_APPS order).
The slot is here, not in the site, so the apps below the site can register without importing it.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

FIRST_NAMES = [
    "Alex", "Bea", "Carlos", "Dana", "Eli", "Fatima", "Gus", "Hana", "Ivan", "Jade", "Kofi",
    "Lena", "Marco", "Nia", "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tariq", "Uma", "Victor",
    "Wen", "Ximena", "Yusuf", "Zoe",
]
LAST_NAMES = [
    "Abbott", "Baptiste", "Castillo", "Demir", "Eriksen", "Fontaine", "Garcia", "Hughes",
    "Ibrahim", "Jensen", "Kowalski", "Lindqvist", "Moreau", "Nakamura", "Okafor", "Petrov",
    "Quintero", "Rossi", "Sato", "Tran", "Umarov", "Varga", "Whitfield", "Yilmaz", "Zielinski",
]


@dataclass
class DemoAgency:
    users: dict = field(default_factory=dict)
    teams: dict = field(default_factory=dict)
    clients: list = field(default_factory=list)
    today: date = field(default_factory=timezone.localdate)


_builders: list[Callable[[DemoAgency, random.Random], None]] = []


def demo_builder(func):
    if func not in _builders:
        _builders.append(func)
    return func


def builders() -> list[Callable[[DemoAgency, random.Random], None]]:
    return list(_builders)
