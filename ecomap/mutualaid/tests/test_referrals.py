"""The client's side: profile, referral (with the consent check on volunteer contact), follow-ups,
warning-sign alerts, and the missed-follow-up check."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from ecomap.audit.models import AuditEntry
from ecomap.consents.models import Disclosure
from ecomap.consents.tests.factories import ConsentFactory
from ecomap.mutualaid import referrals
from ecomap.mutualaid.models import Alert, FellowshipReferral, FollowUp, LocalContact, Profile

from .conftest import feed_bytes, meeting

TODAY = timezone.localdate


def profile_values(**overrides):
    values = {"concerns": [], "concerns_note": "", "spirituality": 0, "christian_faith": False,
              "meditation": False, "goal": "abstinence", "substances": ["alcohol"],
              "takes_medication": False, "mental_health": False, "attendance": "any",
              "gender": "", "lgbtq": False, "language": "", "wheelchair": False, "days": [],
              "day_parts": [], "max_km": 10, "travel_note": "", "location_label": "Centre",
              "latitude": 41.88, "longitude": -87.63}
    values.update(overrides)
    return values


def referral_values(fellowship, **overrides):
    today = TODAY()
    values = {"fellowship": fellowship, "kind": "standard", "referred_on": today - timedelta(
        days=60), "contact": None, "contact_name": "", "handoff": "none",
        "first_meeting": None, "first_meeting_on": None, "handoff_note": "",
        "follow_up_every_days": 14, "next_follow_up_on": today - timedelta(days=46)}
    values.update(overrides)
    return values


def visit(days_after, meetings, **overrides):
    values = {"seen_on": TODAY() - timedelta(days=60 - days_after), "meetings_attended": meetings,
              "home_group": False, "sponsor": "none", "sponsor_since": None,
              "sponsor_last_contact": None, "service": False, "service_note": "", "step": None,
              "member_contacts": None, "comfort": 3, "use_since_last": "none",
              "last_use_on": None, "urges": None, "barriers": [], "reluctant": False,
              "extreme_stress": False, "concerns": "", "feedback_given": ""}
    values.update(overrides)
    return values


@pytest.fixture
def smart(fellowships):
    return fellowships["smart"]


@pytest.fixture
def referral(client_record, smart, practitioner):
    return referrals.refer(client_record, actor=practitioner, values=referral_values(smart))


def test_a_profile_is_saved_with_its_changes_audited(client_record, practitioner):
    profile = referrals.save_profile(client_record, actor=practitioner,
                                     values=profile_values(), experience=[])
    referrals.save_profile(client_record, actor=practitioner,
                           values=profile_values(spirituality=3), experience=[
                               {"fellowship": "aa", "outcome": "poor", "note": "Felt judged"}])
    profile.refresh_from_db()
    assert profile.spirituality == 3 and profile.experience[0]["outcome"] == "poor"
    changed = AuditEntry.objects.get(action="ecomap.mutualaid.profile_changed")
    assert changed.client == client_record and "spirituality" in changed.changes


def test_a_profile_with_half_a_point_is_refused(client_record, practitioner):
    with pytest.raises(referrals.ReferralError, match="latitude and the longitude"):
        referrals.save_profile(client_record, actor=practitioner,
                               values=profile_values(longitude=None), experience=[])
    assert not Profile.objects.exists()


def test_a_standard_referral_is_recorded_and_audited(referral, client_record):
    assert referral.status == "active" and referral.disclosure is None
    assert AuditEntry.objects.filter(action="ecomap.mutualaid.referred",
                                     client=client_record).exists()


def test_an_intensive_referral_needs_a_volunteer_and_a_first_meeting(client_record, smart,
                                                                     practitioner):
    with pytest.raises(referrals.ReferralError) as refused:
        referrals.refer(client_record, actor=practitioner,
                        values=referral_values(smart, kind="intensive", handoff="client"))
    text = " ".join(refused.value.messages)
    assert "named volunteer" in text and "first meeting" in text and "Name the volunteer" in text
    assert not FellowshipReferral.objects.exists()


def test_a_second_active_referral_to_the_same_fellowship_is_refused(referral, client_record,
                                                                    smart, practitioner):
    with pytest.raises(referrals.ReferralError, match="already an active referral"):
        referrals.refer(client_record, actor=practitioner, values=referral_values(smart))


def test_the_first_meeting_must_be_of_the_fellowship_and_on_its_day(
        client_record, fellowships, make_feed, practitioner):
    from ecomap.mutualaid import services

    feed = make_feed(fellowship="aa")
    services.import_feed(feed, actor="system:test", data=feed_bytes([meeting("m1", day=1)]),
                         source="t.json")
    aa_meeting = feed.meetings.get()
    monday = TODAY() - timedelta(days=(TODAY().isoweekday() - 1) % 7)
    with pytest.raises(referrals.ReferralError) as refused:
        referrals.refer(client_record, actor=practitioner, values=referral_values(
            fellowships["smart"], first_meeting=aa_meeting, first_meeting_on=monday))
    assert "another fellowship" in refused.value.messages[0]
    with pytest.raises(referrals.ReferralError, match="held on Monday"):
        referrals.refer(client_record, actor=practitioner, values=referral_values(
            fellowships["aa"], first_meeting=aa_meeting,
            first_meeting_on=monday + timedelta(days=1)))
    ok = referrals.refer(client_record, actor=practitioner, values=referral_values(
        fellowships["aa"], first_meeting=aa_meeting, first_meeting_on=monday))
    assert ok.first_meeting == aa_meeting


def _volunteer(fellowship):
    return LocalContact.objects.create(fellowship=fellowship, kind="volunteer", name="Sam R.",
                                       phone="555-0100")


def test_contacting_a_volunteer_for_the_client_without_consent_is_refused_with_reasons(
        client_record, smart, practitioner):
    volunteer = _volunteer(smart)
    with pytest.raises(referrals.ReferralError) as refused:
        referrals.refer(client_record, actor=practitioner, values=referral_values(
            smart, kind="intensive", contact=volunteer, handoff="practitioner",
            first_meeting_on=TODAY() - timedelta(days=55)))
    text = " ".join(refused.value.messages)
    assert "No consent names this recipient" in text and "client make the contact" in text
    assert not FellowshipReferral.objects.exists() and not Disclosure.objects.exists()
    # The refusal itself is audited (outcome denied), outside the rolled-back change.
    assert AuditEntry.objects.filter(client=client_record, outcome="denied").exists()


def _consent_for(client, name):
    return ConsentFactory(client=client, purposes=["referral"], categories=["substance_use"],
                          recipients=[{"designation": "named", "kind": "individual",
                                       "name": name, "relationship": "peer volunteer"}])


def _contact_today(smart, volunteer, **overrides):
    return referral_values(smart, kind="intensive", contact=volunteer, handoff="practitioner",
                           referred_on=TODAY(), first_meeting_on=TODAY(),
                           next_follow_up_on=TODAY() + timedelta(days=14), **overrides)


def test_with_a_consent_naming_the_volunteer_the_disclosure_is_logged_with_the_notice(
        client_record, smart, practitioner):
    volunteer = _volunteer(smart)
    _consent_for(client_record, "Sam R., SMART Recovery")
    referral = referrals.refer(client_record, actor=practitioner, values=_contact_today(
        smart, volunteer, contact_method="email"))
    disclosure = referral.disclosure
    assert disclosure.recipient_name == "Sam R., SMART Recovery"
    assert disclosure.categories == ["substance_use"] and disclosure.method == "email"
    assert disclosure.recipient_address == "555-0100"
    assert disclosure.notice_text  # the 42 CFR 2.32 notice travels with it


def test_a_consent_for_one_fellowships_volunteer_does_not_reach_a_namesake_in_another(
        client_record, fellowships, practitioner):
    _consent_for(client_record, "Sam R., SMART Recovery")
    namesake = _volunteer(fellowships["aa"])
    with pytest.raises(referrals.ReferralError, match="Sam R., Alcoholics Anonymous"):
        referrals.refer(client_record, actor=practitioner,
                        values=_contact_today(fellowships["aa"], namesake))
    assert not Disclosure.objects.exists()


def test_a_back_dated_contact_is_checked_against_the_consent_of_that_day(
        client_record, smart, practitioner):
    _consent_for(client_record, "Sam R., SMART Recovery")  # signed 10 days ago
    with pytest.raises(referrals.ReferralError, match="not signed until"):
        referrals.refer(client_record, actor=practitioner, values=referral_values(
            smart, kind="intensive", contact=_volunteer(smart), handoff="practitioner",
            first_meeting_on=TODAY() - timedelta(days=55)))


def test_a_revoked_consent_stops_the_volunteer_contact(client_record, smart, practitioner):
    consent = _consent_for(client_record, "Sam R., SMART Recovery")
    consent.revoked_on = TODAY() - timedelta(days=1)
    consent.revocation_method = "letter"
    consent.save()
    with pytest.raises(referrals.ReferralError, match="revoked"):
        referrals.refer(client_record, actor=practitioner,
                        values=_contact_today(smart, _volunteer(smart)))


def test_when_the_client_makes_the_contact_nothing_is_disclosed(client_record, smart,
                                                                practitioner):
    referral = referrals.refer(client_record, actor=practitioner, values=referral_values(
        smart, kind="intensive", contact=_volunteer(smart), handoff="client",
        first_meeting_on=TODAY() - timedelta(days=55)))
    assert referral.disclosure is None and not Disclosure.objects.exists()


def test_two_follow_ups_with_falling_attendance_raise_one_alert_with_its_reason(
        referral, practitioner):
    first, alerts = referrals.record_follow_up(referral, actor=practitioner,
                                               values=visit(14, 6))
    assert alerts == []
    second, alerts = referrals.record_follow_up(referral, actor=practitioner,
                                                values=visit(28, 1))
    assert [a.rule for a in alerts] == ["attendance_falling"]
    assert alerts[0].reason.startswith("0.5 meetings a week since the last visit")
    assert "3 a week" in alerts[0].reason
    referral.refresh_from_db()
    assert referral.next_follow_up_on == second.seen_on + timedelta(days=14)
    entry = AuditEntry.objects.get(action="ecomap.mutualaid.follow_up_recorded",
                                   object_id=str(second.pk))
    assert entry.data["alerts"] == ["attendance_falling"]


def test_each_warning_sign_of_a_visit_becomes_an_alert(referral, practitioner):
    referrals.record_follow_up(referral, actor=practitioner, values=visit(
        14, 4, sponsor="sponsor", sponsor_since=TODAY() - timedelta(days=50), service=True,
        service_note="Makes coffee"))
    _visit, alerts = referrals.record_follow_up(referral, actor=practitioner, values=visit(
        30, 0, reluctant=True, extreme_stress=True, use_since_last="slip",
        last_use_on=TODAY() - timedelta(days=35)))
    assert {a.rule for a in alerts} == {"attendance_falling", "no_meetings", "reluctance",
                                        "extreme_stress", "lapse", "lost_sponsor",
                                        "service_dropped"}


def test_sponsor_contact_lapsed(referral, practitioner):
    _visit, alerts = referrals.record_follow_up(referral, actor=practitioner, values=visit(
        20, 3, sponsor="temporary", sponsor_last_contact=TODAY() - timedelta(days=60)))
    assert [a.rule for a in alerts] == ["sponsor_contact_lapsed"]
    assert "for 20 days (more than 14)" in alerts[0].reason


# Dates as offsets from today, worked out when the test runs (not when it is collected: a run
# that crosses midnight would otherwise test "tomorrow" as today).
@pytest.mark.parametrize("overrides, message", [
    ({"seen_on": 1}, "between the referral date"),
    ({"seen_on": -61}, "between the referral date"),
    ({"sponsor": "none", "sponsor_since": -50}, "leave the sponsor"),
    ({"sponsor": "sponsor", "sponsor_since": 0}, "cannot be after the visit"),
    ({"use_since_last": "relapse"}, "date of the last use"),
    ({"step": 4}, "has no twelve steps"),
    ({"service_note": "Greeter"}, "does service"),
])
def test_bad_follow_ups_are_refused_and_change_nothing(referral, practitioner, overrides,
                                                       message):
    dates = ("seen_on", "sponsor_since")
    overrides = {k: TODAY() + timedelta(days=v) if k in dates else v
                 for k, v in overrides.items()}
    before = referral.next_follow_up_on
    with pytest.raises(referrals.ReferralError, match=message):
        referrals.record_follow_up(referral, actor=practitioner, values=visit(14, 2, **overrides))
    referral.refresh_from_db()
    assert not FollowUp.objects.exists() and referral.next_follow_up_on == before


def test_a_follow_up_must_come_after_the_last_one(referral, practitioner):
    referrals.record_follow_up(referral, actor=practitioner, values=visit(14, 2))
    with pytest.raises(referrals.ReferralError, match="comes after the last one"):
        referrals.record_follow_up(referral, actor=practitioner, values=visit(14, 3))
    assert FollowUp.objects.count() == 1


def test_an_ended_referral_takes_no_follow_ups(referral, practitioner):
    referrals.end_referral(referral, actor=practitioner, ended_on=TODAY(), reason="Moved away")
    with pytest.raises(referrals.ReferralError, match="has ended"):
        referrals.record_follow_up(referral, actor=practitioner, values=visit(14, 2))
    with pytest.raises(referrals.ReferralError, match="already ended"):
        referrals.end_referral(referral, actor=practitioner, ended_on=TODAY(), reason="Again")


def test_a_missed_follow_up_raises_one_alert_however_often_the_check_runs(referral):
    # referral_values puts the first follow-up 46 days ago: well past the 3 grace days.
    assert referrals.raise_missed_follow_ups() == 1
    assert referrals.raise_missed_follow_ups() == 0
    alert = Alert.objects.get()
    assert alert.rule == "missed_follow_up" and "46 days late" in alert.reason
    assert AuditEntry.objects.filter(action="ecomap.mutualaid.alert_raised").count() == 1


def test_within_the_grace_days_no_alert(client_record, smart, practitioner):
    referrals.refer(client_record, actor=practitioner, values=referral_values(
        smart, next_follow_up_on=TODAY() - timedelta(days=3)))
    assert referrals.raise_missed_follow_ups() == 0


def test_the_refresh_command_raises_missed_follow_ups(referral):
    call_command("mutualaid_refresh", "--skip-feeds", stdout=__import__("io").StringIO())
    assert Alert.objects.filter(rule="missed_follow_up").count() == 1


def test_alerts_are_acknowledged_then_resolved_audited(referral, practitioner):
    referrals.raise_missed_follow_ups()
    alert = Alert.objects.get()
    referrals.acknowledge_alert(alert, actor=practitioner)
    with pytest.raises(referrals.ReferralError, match="already acknowledged"):
        referrals.acknowledge_alert(alert, actor=practitioner)
    with pytest.raises(referrals.ReferralError, match="what was done"):
        referrals.resolve_alert(alert, actor=practitioner, resolution="  ")
    referrals.resolve_alert(alert, actor=practitioner, resolution="Called; visit booked")
    alert.refresh_from_db()
    assert alert.status == "resolved" and alert.resolved_by == practitioner
    assert list(AuditEntry.objects.filter(client=referral.client, action__startswith=(
        "ecomap.mutualaid.alert_")).values_list("action", flat=True).order_by("pk")) == [
        "ecomap.mutualaid.alert_raised", "ecomap.mutualaid.alert_acknowledged",
        "ecomap.mutualaid.alert_resolved"]


def test_attendance_series_and_feedback_prompts(referral, practitioner):
    referrals.record_follow_up(referral, actor=practitioner, values=visit(14, 6))
    referrals.record_follow_up(referral, actor=practitioner, values=visit(
        21, 1, sponsor="temporary", service=True))
    visits = list(referral.follow_ups.all())
    rows = referrals.attendance_series(referral, visits)
    assert [(r["meetings"], r["rate"]) for r in rows] == [(6, 3.0), (1, 1.0)]
    prompts = " ".join(referrals.feedback_prompts(visits[0]))
    assert "sponsor" in prompts and "service" in prompts
    assert "first meeting" in referrals.feedback_prompts(None)[0]
