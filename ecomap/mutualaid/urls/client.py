"""A client's mutual support (namespace `mutualaid_client`), by topic: profile, matching and planned
meetings, referrals, follow-ups, warning-sign alerts."""

from django.urls import path

from ..views import alerts, follow_ups, matching, profile, referrals

app_name = "mutualaid_client"

urlpatterns = [
    # the client's profile and matching
    path("", profile.home, name="home"),
    path("profile/", profile.profile_edit, name="profile"),
    path("match/", matching.match, name="match"),
    path("plan/", matching.plan, name="plan"),
    path("meetings.ics", matching.calendar, name="calendar"),
    # referrals and their follow-ups
    path("referrals/new/", referrals.referral_new, name="referral_new"),
    path("referrals/<int:referral_pk>/", referrals.referral_detail, name="referral"),
    path("referrals/<int:referral_pk>/follow-up/", follow_ups.follow_up_new, name="follow_up"),
    path("referrals/<int:referral_pk>/end/", referrals.referral_end, name="referral_end"),
    # warning-sign alerts
    path("alerts/<int:alert_pk>/acknowledge/", alerts.alert_acknowledge, name="alert_acknowledge"),
    path("alerts/<int:alert_pk>/resolve/", alerts.alert_resolve, name="alert_resolve"),
]
