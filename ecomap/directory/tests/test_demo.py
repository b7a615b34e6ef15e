from __future__ import annotations

import random

import pytest

from ecomap.directory import catalogue, demo
from ecomap.directory.models import Attribute, Service

from .helpers import snapshot


def _wipe():
    from ecomap.directory import hsds

    for table in reversed(hsds.TABLES):
        table.model.objects.all().delete()


@pytest.mark.django_db
def test_demo_directory_is_fixed_by_its_seed():
    demo.build_directory(None, random.Random("seed"))
    first = snapshot()
    _wipe()
    demo.build_directory(None, random.Random("seed"))
    assert snapshot() == first
    assert Service.objects.count() == len(demo.ENTRIES)
    used = set(Attribute.objects.values_list("taxonomy_term_id", flat=True))
    kinds = {"clubhouse", "individual_placement_support", "housing_help", "family_psychoeducation",
             "assertive_community_treatment", "transport_help", "case_management"}
    assert {catalogue.term_id(k) for k in kinds} <= used


@pytest.mark.django_db
def test_demo_directory_is_part_of_the_demo_agency():
    from ecomap.core import demo as core_demo

    assert demo.build_directory in core_demo._builders
