"""A client's mutual support: profile, matching, planned meetings, referral, follow-up, alerts."""

from django.urls import path

from . import client_views as views

app_name = "mutualaid_client"

urlpatterns = [
    path("", views.home, name="home"),
    path("profile/", views.profile_edit, name="profile"),
    path("match/", views.match, name="match"),
    path("plan/", views.plan, name="plan"),
    path("meetings.ics", views.calendar, name="calendar"),
    path("referrals/new/", views.referral_new, name="referral_new"),
    path("referrals/<int:referral_pk>/", views.referral_detail, name="referral"),
    path("referrals/<int:referral_pk>/follow-up/", views.follow_up_new, name="follow_up"),
    path("referrals/<int:referral_pk>/end/", views.referral_end, name="referral_end"),
    path("alerts/<int:alert_pk>/acknowledge/", views.alert_acknowledge, name="alert_acknowledge"),
    path("alerts/<int:alert_pk>/resolve/", views.alert_resolve, name="alert_resolve"),
]
