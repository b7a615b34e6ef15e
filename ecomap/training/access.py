"""Who may see which training record. Training records are the learner's own: their supervisor (a
supervisor of the learner's team) sees what the learner shares; nobody else sees private notes or
unshared reflections, administrators included. Outsiders get 404, as for client records."""

from __future__ import annotations

from django.http import Http404

from ecomap.accounts.models import Role

from .models import Enrolment


def supervises(user, learner) -> bool:
    return (getattr(user, "role", None) == Role.SUPERVISOR and user.team_id is not None
            and learner.team_id == user.team_id and user.pk != learner.pk)


def team_learners(supervisor):
    from django.contrib.auth import get_user_model

    if supervisor.role != Role.SUPERVISOR or supervisor.team_id is None:
        return get_user_model().objects.none()
    return get_user_model().objects.filter(team_id=supervisor.team_id).exclude(pk=supervisor.pk)


def enrolment_for(user, pk) -> Enrolment:
    """The enrolment if `user` is its learner or the learner's supervisor; 404 otherwise."""
    enrolment = (Enrolment.objects.select_related("programme", "learner", "study_group")
                 .filter(pk=pk).first())
    if enrolment is None or not (enrolment.learner_id == user.pk
                                 or supervises(user, enrolment.learner)):
        raise Http404
    return enrolment


def is_learner(user, enrolment) -> bool:
    return enrolment.learner_id == user.pk
