"""Needs assessments, tasks, contacts and the keep-in-touch cadence, involvement and caregiver
check-ins: rules, bounds and audit entries."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from ecomap.audit.models import AuditEntry
from ecomap.casework import family, services
from ecomap.casework.models import (
    Cadence,
    CaregiverCheckIn,
    NeedsAssessment,
    Task,
)
from ecomap.clients.models import Client
from ecomap.core.append_only import AppendOnlyError
from ecomap.testing.factories import ClientFactory

from .helpers import assess, ratings

TODAY = timezone.localdate


# --- needs ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_needs_assessment_is_dated_kept_and_never_changed(client_record, practitioner):
    first = assess(client_record, on=TODAY() - timedelta(days=30), housing="high")
    second = assess(client_record, housing="medium", employment="high")
    assert services.latest_assessment(client_record) == second
    assert {r.domain: r.priority for r in first.ratings.all()}["housing"] == "high"
    assert NeedsAssessment.objects.filter(client=client_record).count() == 2
    with pytest.raises(AppendOnlyError):
        first.save()
    entry = AuditEntry.objects.filter(action="ecomap.casework.needs_assessed").order_by("seq").last()
    assert entry.actor == practitioner and entry.data["priorities"]["employment"] == "high"


@pytest.mark.django_db
@pytest.mark.parametrize(("change", "message"), [
    ({"drop": "legal"}, "missing: Legal"),
    ({"extra": "hobbies"}, "Unknown needs domain: hobbies"),
    ({"housing": "urgent"}, "Choose a priority for Housing"),
])
def test_an_incomplete_needs_assessment_is_refused(client_record, practitioner, change,
                                                   message):
    values = ratings()
    if "drop" in change:
        del values[change["drop"]]
    elif "extra" in change:
        values[change["extra"]] = {"priority": "low", "note": ""}
    else:
        values["housing"] = {"priority": change["housing"], "note": ""}
    with pytest.raises(services.CaseworkError, match=message):
        services.assess_needs(client_record, actor=practitioner, assessed_on=TODAY(),
                              ratings=values)
    assert not NeedsAssessment.objects.exists()


@pytest.mark.django_db
def test_needs_assessment_dates_are_bounded(client_record, practitioner):
    for day in (TODAY() + timedelta(days=1), date(1999, 12, 31), date(9999, 12, 31)):
        with pytest.raises(services.CaseworkError):
            services.assess_needs(client_record, actor=practitioner, assessed_on=day,
                                  ratings=ratings())


# --- tasks ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_task_owner_must_see_the_client(client_record, practitioner, colleague, supervisor,
                                          outsider, admin_user):
    owners = set(services.possible_owners(client_record))
    assert owners == {practitioner, supervisor, admin_user}
    for user in owners:
        assert Client.objects.for_user(user).filter(pk=client_record.pk).exists()
    with pytest.raises(services.CaseworkError, match="who can see this client"):
        services.add_task(client_record, actor=practitioner, title="Call", owner=outsider,
                          due_on=TODAY())
    with pytest.raises(services.CaseworkError, match="who can see this client"):
        services.add_task(client_record, actor=practitioner, title="Call", owner=colleague,
                          due_on=TODAY())
    client_record.secondary_practitioner = colleague
    client_record.save()
    assert services.add_task(client_record, actor=practitioner, title="Call", owner=colleague,
                             due_on=TODAY()).owner == colleague


@pytest.mark.django_db
def test_tasks_are_done_once_and_overdue_ones_are_found(client_record, practitioner):
    late = services.add_task(client_record, actor=practitioner, title="Ask for the letter",
                             owner=practitioner, due_on=TODAY() - timedelta(days=2))
    services.add_task(client_record, actor=practitioner, title="Later", owner=practitioner,
                      due_on=TODAY() + timedelta(days=2))
    assert list(services.overdue_tasks(practitioner)) == [late]
    services.complete_task(late, actor=practitioner)
    assert not services.overdue_tasks(practitioner).exists()
    with pytest.raises(services.CaseworkError, match="already done"):
        services.complete_task(late, actor=practitioner)
    assert AuditEntry.objects.filter(action="ecomap.casework.task_done").count() == 1
    for bad in ("", "x" * 201):
        with pytest.raises(services.CaseworkError):
            services.add_task(client_record, actor=practitioner, title=bad, owner=practitioner,
                              due_on=TODAY())
    with pytest.raises(services.CaseworkError, match="within a year"):
        services.add_task(client_record, actor=practitioner, title="Far", owner=practitioner,
                          due_on=date(9999, 1, 1))


@pytest.mark.django_db
def test_a_task_cannot_point_at_another_clients_referral(client_record, practitioner,
                                                         referral):
    other = ClientFactory(primary_practitioner=practitioner)
    with pytest.raises(services.CaseworkError, match="another client"):
        services.add_task(other, actor=practitioner, title="Call", owner=practitioner,
                          due_on=TODAY(), referral=referral)
    assert not Task.objects.exists()


# --- contacts and cadence -------------------------------------------------------------------


def _log(client, actor, days_ago, **extra):
    return services.log_contact(client, actor=actor, occurred_on=TODAY() - timedelta(days=days_ago),
                                kind=extra.pop("kind", "phone"),
                                duration_minutes=extra.pop("duration_minutes", 10), **extra)


@pytest.mark.django_db
def test_the_cadence_follows_the_last_contact_with_the_client(client_record, practitioner):
    cadence = services.set_cadence(client_record, actor=practitioner, every_days=14)
    assert cadence.last_contact_on is None and cadence.next_due_on == TODAY() + timedelta(days=14)
    _log(client_record, practitioner, 20)
    cadence.refresh_from_db()
    assert cadence.last_contact_on == TODAY() - timedelta(days=20)
    assert cadence.next_due_on == TODAY() - timedelta(days=6)
    assert list(services.out_of_touch(Client.objects.all())) == [cadence]
    _log(client_record, practitioner, 30)  # an older contact logged late changes nothing
    cadence.refresh_from_db()
    assert cadence.last_contact_on == TODAY() - timedelta(days=20)
    _log(client_record, practitioner, 1, kind="home_visit", duration_minutes=60)
    assert not services.out_of_touch(Client.objects.all()).exists()
    cadence = services.set_cadence(client_record, actor=practitioner, every_days=1)
    assert cadence.next_due_on == TODAY()
    assert services.set_cadence(client_record, actor=practitioner, every_days=None) is None
    assert not Cadence.objects.exists()
    actions = AuditEntry.objects.filter(action="ecomap.casework.cadence_set")
    assert [e.changes["every_days"] for e in actions.order_by("seq")] == [
        [None, 14], [14, 1], [1, None]]


@pytest.mark.django_db
def test_a_contact_with_a_member_does_not_count_as_contact_with_the_client(
        client_record, practitioner, sister):
    from .helpers import consent_naming

    services.set_cadence(client_record, actor=practitioner, every_days=7)
    family.involve(sister, actor=practitioner, full_name="Maria Lopez", caregiver=False)
    consent_naming(client_record, "Maria Lopez", "family_member", categories=["attendance"],
                   purposes=["family_involvement"])
    _log(client_record, practitioner, 0, member=sister, categories=["attendance"])
    assert Cadence.objects.get().last_contact_on is None


@pytest.mark.django_db
@pytest.mark.parametrize(("values", "message"), [
    ({"duration_minutes": -1}, "between 0 and 600"),
    ({"duration_minutes": 601}, "between 0 and 600"),
    ({"kind": "carrier_pigeon"}, "kind of contact"),
    ({"occurred_on": date(9999, 1, 1)}, "cannot be in the future"),
    ({"categories": ["attendance"]}, "only for a contact with a network member"),
    ({"note": "x" * 2001}, "longer than 2000"),
])
def test_bad_contacts_are_refused(client_record, practitioner, values, message):
    data = {"occurred_on": TODAY(), "kind": "phone", "duration_minutes": 5, **values}
    with pytest.raises(services.CaseworkError, match=message):
        services.log_contact(client_record, actor=practitioner, **data)


@pytest.mark.django_db
def test_a_contact_with_another_clients_member_is_refused(client_record, practitioner):
    from ecomap.network.models import NetworkMember

    stranger = NetworkMember.objects.create(
        client=ClientFactory(primary_practitioner=practitioner), label="Kit",
        relationship="parent")
    with pytest.raises(services.CaseworkError, match="not in the client's network"):
        services.log_contact(client_record, actor=practitioner, occurred_on=TODAY(),
                             kind="phone", duration_minutes=5, member=stranger,
                             categories=["attendance"])


@pytest.mark.django_db
def test_cadence_bounds(client_record, practitioner):
    for bad in (0, 366, "7"):
        with pytest.raises(services.CaseworkError):
            services.set_cadence(client_record, actor=practitioner, every_days=bad)


# --- involvement and check-ins --------------------------------------------------------------


@pytest.mark.django_db
def test_involvement_is_for_people_still_in_the_network(client_record, practitioner, sister):
    from ecomap.network.models import NetworkMember

    group = NetworkMember.objects.create(client=client_record, label="Tuesday group",
                                         relationship="mutual_aid_group", kind="group")
    with pytest.raises(services.CaseworkError, match="Only a person"):
        family.involve(group, actor=practitioner, full_name="Tuesday group", caregiver=False)
    with pytest.raises(services.CaseworkError, match="full name"):
        family.involve(sister, actor=practitioner, full_name="  ", caregiver=False)
    involvement = family.involve(sister, actor=practitioner, full_name="Maria  Lopez",
                                 caregiver=False)
    assert involvement.full_name == "Maria Lopez"
    family.involve(sister, actor=practitioner, full_name="Maria Lopez", caregiver=True)
    changed = AuditEntry.objects.get(action="ecomap.casework.involvement_changed")
    assert changed.changes == {"caregiver": [False, True]}


@pytest.mark.django_db
def test_caregiver_checkins_flag_high_strain_and_are_audited(client_record, practitioner,
                                                             sister):
    answers = {"worn_out": 1, "own_life": 1, "worry": 1, "alone": 0, "tension": 1, "unsure": 1}
    with pytest.raises(services.CaseworkError, match="Record Maria"):
        family.record_checkin(sister, actor=practitioner, checked_on=TODAY(), answers=answers)
    family.involve(sister, actor=practitioner, full_name="Maria Lopez", caregiver=False)
    with pytest.raises(services.CaseworkError, match="mark them as a caregiver"):
        family.record_checkin(sister, actor=practitioner, checked_on=TODAY(), answers=answers)
    family.involve(sister, actor=practitioner, full_name="Maria Lopez", caregiver=True)
    calm = family.record_checkin(sister, actor=practitioner,
                                 checked_on=TODAY() - timedelta(days=30), answers=answers)
    assert (calm.total, calm.high_strain) == (5, False)
    strained = family.record_checkin(sister, actor=practitioner, checked_on=TODAY(),
                                     answers={**answers, "alone": 3})
    assert (strained.total, strained.high_strain) == (8, True)
    entry = AuditEntry.objects.filter(action="ecomap.casework.checkin_recorded").order_by("seq").last()
    assert entry.client == client_record and entry.data["high_strain"] is True
    for bad in ({**answers, "worry": 4}, {**answers, "worry": True},
                {k: v for k, v in answers.items() if k != "worry"},
                {**answers, "shoe_size": 1}):
        with pytest.raises(services.CaseworkError):
            family.record_checkin(sister, actor=practitioner, checked_on=TODAY(), answers=bad)
    assert CaregiverCheckIn.objects.count() == 2


@pytest.mark.django_db
def test_without_any_contact_the_reminder_counts_from_the_day_it_was_set(client_record,
                                                                         practitioner):
    services.set_cadence(client_record, actor=practitioner, every_days=14)
    Cadence.objects.update(set_on=TODAY() - timedelta(days=10))
    cadence = services.set_cadence(client_record, actor=practitioner, every_days=7)
    assert cadence.set_on == TODAY() - timedelta(days=10)
    assert cadence.next_due_on == TODAY() - timedelta(days=3)
    assert list(services.out_of_touch(Client.objects.all())) == [cadence]
