from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from django.conf import settings

from ecomap.mutualaid import services
from ecomap.mutualaid.models import Fellowship


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def real_feeds_dir() -> Path:
    """shared/data/meetings next to the repository (never copied into it); ECOMAP_MEETING_FEEDS
    names another folder (a work tree elsewhere)."""
    if os.environ.get("ECOMAP_MEETING_FEEDS"):
        return Path(os.environ["ECOMAP_MEETING_FEEDS"])
    return Path(settings.PROJECT_DIR).parent / "shared" / "data" / "meetings"


@pytest.fixture
def real_feeds() -> Path:
    folder = real_feeds_dir()
    if not folder.is_dir():
        message = f"the real meeting feeds are not at {folder}"
        if _in_ci():
            pytest.fail(message + " (required under CI=true)")
        pytest.skip(message)
    return folder


@pytest.fixture
def fellowships(db):
    services.sync_fellowships(actor="system:test")
    return {f.slug: f for f in Fellowship.objects.all()}


@pytest.fixture
def make_feed(fellowships):
    def make(name="Test feed", fellowship="aa", format="meetingguide", tz="America/Chicago"):
        return services.create_feed(actor="system:test", name=name,
                                    fellowship=fellowships[fellowship], format=format,
                                    timezone_name=tz)

    return make


def feed_bytes(records) -> bytes:
    return json.dumps(records).encode()


def meeting(slug="m1", **fields):
    """A clean Meeting Guide record; override or add fields."""
    record = {"name": "Serenity Group", "slug": slug, "day": 1, "time": "19:00",
              "end_time": "20:00", "timezone": "America/Chicago", "address": "1 Main St",
              "city": "Riverside", "state": "IL", "postal_code": "60600", "country": "USA",
              "latitude": 41.88, "longitude": -87.63, "types": ["O", "D"]}
    record.update(fields)
    return {k: v for k, v in record.items() if v is not ...}
