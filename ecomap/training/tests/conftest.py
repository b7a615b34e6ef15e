from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ecomap.training import services
from ecomap.training.models import Programme

SLUG = "psychosocial-interventions"
TOPICS = ["motivational_interviewing", "sbnt", "mutual_aid", "brief_interventions"]


@pytest.fixture
def programme(db):
    return Programme.objects.create(slug=SLUG, title="Psycho-social interventions",
                                    published_at=timezone.now())


@pytest.fixture
def enrolment(programme, practitioner):
    return services.enrol(programme, practitioner, actor=practitioner)


@pytest.fixture
def group(enrolment, practitioner):
    return services.create_group(enrolment, actor=practitioner, name="Tuesday peers",
                                 kind="peer")


def soon(days=7):
    return timezone.now() + timedelta(days=days)


def complete_topic(enrolment, user, topic_key, *, shared=False):
    from ecomap.training.models import Meeting

    if not Meeting.objects.filter(group_id=enrolment.study_group_id, topic_key=topic_key).exists():
        services.plan_meeting(enrolment.study_group, actor=user, topic_key=topic_key,
                              starts_at=soon(), place="Room 1")
    services.save_explore(enrolment, actor=user, topic_key=topic_key, resources_used=[0],
                          answers=["Because it sets the start."])
    services.save_position(enrolment, actor=user, topic_key=topic_key, stage="before",
                           stance="agree", strength=3, arguments_for="a", arguments_against="b",
                           evidence="c")
    for task in ("explore", "debate", "study_group"):
        services.write_reflection(enrolment, actor=user, topic_key=topic_key, task_key=task,
                                  did="Read", learnt="Much", will_change="Ask first",
                                  hours=1, shared=shared)
