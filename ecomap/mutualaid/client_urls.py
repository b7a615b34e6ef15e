"""A client's mutual support: profile, matching, referral, follow-up, alerts."""

from django.urls import path  # noqa: F401

app_name = "mutualaid_client"

urlpatterns: list = []
