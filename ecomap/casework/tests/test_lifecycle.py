"""The referral lifecycle: the transition table, every illegal step refused with a message and no
change, dates of each step, the history, the audit entries and the overdue rules."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecomap.audit.models import AuditEntry
from ecomap.casework import services
from ecomap.casework.models import ReferralDocument, ReferralEvent, ReferralStatus
from ecomap.clients.models import Client

from .helpers import make_service

S = ReferralStatus
PATHS = {
    S.DRAFT: [], S.SENT: ["send"], S.ACCEPTED: ["send", "accept"],
    S.DECLINED: ["send", "decline"], S.ENROLLED: ["send", "accept", "enrol"],
    S.COMPLETED: ["send", "accept", "enrol", "complete"], S.REVOKED: ["revoke"],
}
TABLE = {  # the lifecycle as written in the issue: what each status may become
    S.DRAFT: {"send": S.SENT, "revoke": S.REVOKED},
    S.SENT: {"accept": S.ACCEPTED, "decline": S.DECLINED, "revoke": S.REVOKED},
    S.ACCEPTED: {"enrol": S.ENROLLED, "revoke": S.REVOKED},
    S.ENROLLED: {"complete": S.COMPLETED},
    S.DECLINED: {}, S.COMPLETED: {}, S.REVOKED: {},
}
ACTIONS = list(services.TRANSITIONS)


def args(action: str, on: date) -> dict:
    return {
        "send": {"on": on, "respond_by": on + timedelta(days=14)},
        "accept": {"on": on, "enrol_by": on + timedelta(days=30)},
        "decline": {"on": on, "reason": "The waiting list is closed."},
        "enrol": {"on": on},
        "complete": {"on": on, "outcome": "Housed."},
        "revoke": {"on": on, "reason": "The client changed their mind."},
    }[action]


def step(referral, action, actor, on=None):
    return services.STEP_FUNCTIONS[action](referral, actor=actor,
                                           **args(action, on or timezone.localdate()))


def walk(referral, actor, path):
    for action in path:
        referral = step(referral, action, actor)
    return referral


def test_the_table_is_the_lifecycle_of_the_issue():
    for status, moves in TABLE.items():
        assert {a: services.TRANSITIONS[a].target for a in services.allowed_actions(status)} \
            == moves, status


@pytest.mark.django_db
def test_a_referral_goes_round_the_closed_loop(referral, practitioner):
    today = timezone.localdate()
    assert referral.status == S.DRAFT and referral.created_on == today
    sent = services.send_referral(referral, actor=practitioner, on=today,
                                  respond_by=today + timedelta(days=10))
    assert (sent.status, sent.sent_on, sent.respond_by) == (S.SENT, today,
                                                           today + timedelta(days=10))
    assert sent.recipient_name == "Testville Housing" and sent.disclosure is None
    accepted = services.accept_referral(sent, actor=practitioner, on=today,
                                        enrol_by=today + timedelta(days=20))
    enrolled = services.enrol_referral(accepted, actor=practitioner, on=today)
    done = services.complete_referral(enrolled, actor=practitioner, on=today, outcome="Housed.")
    assert (done.status, done.accepted_on, done.enrolled_on, done.completed_on,
            done.outcome) == (S.COMPLETED, today, today, today, "Housed.")
    history = [(e.from_status, e.to_status) for e in ReferralEvent.objects.filter(
        referral=referral)]
    assert history == [("", "draft"), ("draft", "sent"), ("sent", "accepted"),
                       ("accepted", "enrolled"), ("enrolled", "completed")]
    actions = list(AuditEntry.objects.filter(client=referral.client, object_id=str(referral.pk))
                   .order_by("seq").values_list("action", flat=True))
    assert actions == ["ecomap.casework.referral_created", "ecomap.casework.referral_sent",
                       "ecomap.casework.referral_accepted", "ecomap.casework.referral_enrolled",
                       "ecomap.casework.referral_completed"]
    entry = AuditEntry.objects.get(action="ecomap.casework.referral_sent")
    assert entry.actor == practitioner and entry.changes["status"] == ["draft", "sent"]


ILLEGAL = [(status, action) for status in TABLE for action in ACTIONS
           if action not in TABLE[status]]


@pytest.mark.parametrize(("status", "action"), ILLEGAL, ids=[f"{s}-{a}" for s, a in ILLEGAL])
@pytest.mark.django_db
def test_every_illegal_step_is_refused_and_changes_nothing(status, action, referral,
                                                           practitioner):
    current = walk(referral, practitioner, PATHS[status])
    assert current.status == status
    events = ReferralEvent.objects.filter(referral=referral).count()
    entries = AuditEntry.objects.count()
    with pytest.raises(services.CaseworkError) as refused:
        step(current, action, practitioner)
    message = str(refused.value)
    assert f"A referral that is {current.get_status_display().lower()} cannot" in message
    assert ("It can now:" in message) == bool(TABLE[status])
    current.refresh_from_db()
    assert current.status == status
    assert ReferralEvent.objects.filter(referral=referral).count() == events
    assert AuditEntry.objects.count() == entries


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(ACTIONS), max_size=8))
@pytest.mark.django_db
def test_any_sequence_of_steps_follows_the_table(practitioner, client_record, actions):
    referral = services.create_referral(client_record, actor=practitioner,
                                        service=make_service(), reason="Any.")
    expected = S.DRAFT
    for action in actions:
        if action in TABLE[expected]:
            referral = step(referral, action, practitioner)
            expected = TABLE[expected][action]
        else:
            with pytest.raises(services.CaseworkError):
                step(referral, action, practitioner)
        referral.refresh_from_db()
        assert referral.status == expected
    events = list(ReferralEvent.objects.filter(referral=referral).order_by("pk"))
    assert events[-1].to_status == expected
    assert all(a.to_status == b.from_status for a, b in zip(events, events[1:], strict=False))


@pytest.mark.django_db
def test_a_step_is_dated_between_the_last_step_and_today(referral, practitioner):
    today = timezone.localdate()
    with pytest.raises(services.CaseworkError, match="cannot be in the future"):
        services.send_referral(referral, actor=practitioner, on=today + timedelta(days=1),
                               respond_by=today + timedelta(days=9))
    with pytest.raises(services.CaseworkError, match="cannot be before"):
        services.send_referral(referral, actor=practitioner, on=today - timedelta(days=1),
                               respond_by=today + timedelta(days=9))
    with pytest.raises(services.CaseworkError, match="between .* and a year later"):
        services.send_referral(referral, actor=practitioner, on=today,
                               respond_by=today - timedelta(days=1))
    # Absurd dates give a message, not an overflow.
    with pytest.raises(services.CaseworkError, match="cannot be in the future"):
        services.send_referral(referral, actor=practitioner, on=date(9999, 12, 31),
                               respond_by=date(9999, 12, 31))
    referral.refresh_from_db()
    assert referral.status == S.DRAFT


@pytest.mark.django_db
def test_reasons_are_required_for_decline_complete_and_revoke(referral, practitioner):
    today = timezone.localdate()
    with pytest.raises(services.CaseworkError, match="reason for revoking"):
        services.revoke_referral(referral, actor=practitioner, on=today, reason="  ")
    sent = step(referral, "send", practitioner)
    with pytest.raises(services.CaseworkError, match="reason it was declined"):
        services.decline_referral(sent, actor=practitioner, on=today, reason="")
    declined = services.decline_referral(sent, actor=practitioner, on=today, reason="Full.")
    assert (declined.status, declined.declined_on, declined.decline_reason) == (
        S.DECLINED, today, "Full.")


@pytest.mark.django_db
def test_a_backdated_referral_keeps_its_dates_in_order(client_record, practitioner):
    today = timezone.localdate()
    referral = services.create_referral(client_record, actor=practitioner,
                                        service=make_service(), reason="Late record.",
                                        on=today - timedelta(days=30))
    sent = services.send_referral(referral, actor=practitioner, on=today - timedelta(days=29),
                                  respond_by=today - timedelta(days=15))
    with pytest.raises(services.CaseworkError, match="cannot be before"):
        services.accept_referral(sent, actor=practitioner, on=today - timedelta(days=30),
                                 enrol_by=today)
    assert services.accept_referral(sent, actor=practitioner, on=today - timedelta(days=20),
                                    enrol_by=today).status == S.ACCEPTED


@pytest.mark.django_db
def test_overdue_referrals_are_those_not_answered_or_not_enrolled_in_time(
        client_record, practitioner):
    today = timezone.localdate()
    make = lambda: services.create_referral(  # noqa: E731
        client_record, actor=practitioner, service=make_service(), reason="R.",
        on=today - timedelta(days=40))
    waiting = services.send_referral(make(), actor=practitioner, on=today - timedelta(days=30),
                                     respond_by=today - timedelta(days=1))
    on_time = services.send_referral(make(), actor=practitioner, on=today - timedelta(days=30),
                                     respond_by=today)
    accepted = services.send_referral(make(), actor=practitioner,
                                      on=today - timedelta(days=30), respond_by=today)
    accepted = services.accept_referral(accepted, actor=practitioner,
                                        on=today - timedelta(days=20),
                                        enrol_by=today - timedelta(days=2))
    enrolled = services.enrol_referral(services.accept_referral(
        services.send_referral(make(), actor=practitioner, on=today - timedelta(days=30),
                               respond_by=today), actor=practitioner,
        on=today - timedelta(days=20), enrol_by=today - timedelta(days=10)),
        actor=practitioner, on=today - timedelta(days=5))
    overdue = set(services.overdue_referrals(Client.objects.all(), today))
    assert overdue == {waiting, accepted}
    assert "no answer by" in waiting.overdue_reason(today)
    assert "not enrolled by" in accepted.overdue_reason(today)
    assert on_time.overdue_reason(today) == enrolled.overdue_reason(today) == ""


@pytest.mark.django_db
def test_the_checklist_starts_from_the_service_types_and_the_directory(referral):
    labels = [(d.kind, d.label, d.from_directory) for d in referral.documents.all()]
    # Housing help: identity, income, residence, application form; the directory's "Photo ID"
    # is the identity document already listed, its "Landlord reference" is added.
    assert labels == [("identity", "Proof of identity", False), ("income", "Proof of income", False),
                      ("residence", "Proof of residence", False),
                      ("application_form", "Completed application form", False),
                      ("", "Landlord reference", True)]


@pytest.mark.django_db
def test_documents_change_status_and_are_audited(referral, practitioner, client_record,
                                                 service):
    documents = list(referral.documents.all())
    changed = services.set_document_statuses(referral, actor=practitioner, statuses={
        documents[0].pk: "received", documents[1].pk: "not_applicable"})
    assert changed == 2
    first = ReferralDocument.objects.get(pk=documents[0].pk)
    assert first.status == "received" and first.status_on == timezone.localdate()
    entry = AuditEntry.objects.get(action="ecomap.casework.documents_updated")
    assert entry.changes == {"Proof of identity": ["needed", "received"],
                             "Proof of income": ["needed", "not_applicable"]}
    other = services.create_referral(client_record, actor=practitioner,
                                     service=make_service(name="Other"), reason="R.")
    with pytest.raises(services.CaseworkError, match="not on this referral"):
        services.set_document_statuses(other, actor=practitioner,
                                       statuses={documents[0].pk: "submitted"})
    with pytest.raises(services.CaseworkError, match="from the list"):
        services.set_document_statuses(referral, actor=practitioner,
                                       statuses={documents[0].pk: "lost"})
    added = services.add_document(referral, actor=practitioner, label="Bank statement")
    assert added.position > documents[-1].position
    with pytest.raises(services.CaseworkError, match="already on the checklist"):
        services.add_document(referral, actor=practitioner, label="bank  STATEMENT")
    services.revoke_referral(referral, actor=practitioner, on=timezone.localdate(),
                             reason="Changed plan.")
    with pytest.raises(services.CaseworkError, match="closed"):
        services.set_document_statuses(referral, actor=practitioner,
                                       statuses={documents[0].pk: "submitted"})


@pytest.mark.django_db
def test_one_open_referral_per_service_and_only_to_active_services(
        client_record, practitioner, referral, service):
    with pytest.raises(services.CaseworkError, match="already an open referral"):
        services.create_referral(client_record, actor=practitioner, service=service,
                                 reason="Again.")
    closed = make_service(name="Closed desk", status="inactive")
    with pytest.raises(services.CaseworkError, match="not active"):
        services.create_referral(client_record, actor=practitioner, service=closed,
                                 reason="R.")
    with pytest.raises(services.CaseworkError, match="Give the reason"):
        services.create_referral(client_record, actor=practitioner,
                                 service=make_service(name="New"), reason=" ")
    services.revoke_referral(referral, actor=practitioner, on=timezone.localdate(),
                             reason="Wrong service.")
    assert services.create_referral(client_record, actor=practitioner, service=service,
                                    reason="Again, now right.").status == S.DRAFT


@pytest.mark.django_db
def test_the_service_name_outlives_the_directory_entry(referral, service):
    service.delete()
    referral.refresh_from_db()
    assert referral.service is None and referral.service_name == "Testville Housing Desk"
