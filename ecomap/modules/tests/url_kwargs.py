"""Objects for the access-matrix test's URL arguments (see ecomap/testing/url_kwargs.py)."""


def _enrolment(client):
    """The client's enrolment (made once), so that a session's URL names its own enrolment."""
    from ecomap.modules.definitions import registry
    from ecomap.modules.models import Enrolment
    from ecomap.modules.services import enrol

    existing = Enrolment.objects.filter(client=client).first()
    return existing or enrol(client, next(iter(registry())), actor=client.primary_practitioner)


def _enrolment_pk(client) -> int:
    return _enrolment(client).pk


def _session_pk(client) -> int:
    from ecomap.modules.models import SessionRecord
    from ecomap.modules.services import start_session

    enrolment = _enrolment(client)
    existing = SessionRecord.objects.filter(enrolment=enrolment).first()
    return (existing or start_session(enrolment, actor=client.primary_practitioner)).pk


def _goal_pk(client) -> int:
    from ecomap.modules.services import add_goal

    return add_goal(client, actor=client.primary_practitioner, text="Walk to the shop").pk


MAKERS = {"enrolment_pk": _enrolment_pk, "session_pk": _session_pk, "goal_pk": _goal_pk}
