from __future__ import annotations

import random

import pytest

from ecomap.core.demo import DemoAgency
from ecomap.measures import services
from ecomap.measures.demo import build_measures
from ecomap.measures.models import Administration


@pytest.mark.django_db
def test_demo_questionnaires_have_a_trend_and_a_draft(client_record):
    build_measures(DemoAgency(clients=[client_record]), random.Random(7))
    assert Administration.objects.counted().count() == 6  # 3 instruments, twice
    assert len(services.drafts(client_record)) == 1
    latest = services.latest_by_instrument(client_record)
    assert {e.slug for e in latest} == {"mspss", "loneliness-ons", "barc-10"}
    assert all(e.change and not e.count_is_one for e in latest)
