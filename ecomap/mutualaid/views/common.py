"""What the client pages of mutual support share: the way home, and ids read from a request."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, redirect

from ..models import Fellowship, FellowshipReferral


def home(client):
    return redirect("mutualaid_client:home", client_pk=client.pk)


def is_id(value: str) -> bool:
    """A primary key as typed in a URL or form: ASCII digits that fit the column ("²" is a digit
    to str.isdigit)."""
    return value.isascii() and value.isdigit() and len(value) <= 18


def self_help_fellowships():
    return list(Fellowship.objects.filter(in_catalogue=True, audience="self"))


def referral_of(client, referral_pk) -> FellowshipReferral:
    """The client's referral, 404 if it is another client's."""
    return get_object_or_404(FellowshipReferral.objects.select_related(
        "fellowship", "contact", "first_meeting__fellowship"), client=client, pk=referral_pk)
