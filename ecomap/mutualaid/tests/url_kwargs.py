"""Objects for the access-matrix test's URL arguments (see ecomap/testing/url_kwargs.py)."""

from datetime import timedelta


def _referral(client):
    from django.utils import timezone

    from ecomap.mutualaid import services
    from ecomap.mutualaid.models import Fellowship, FellowshipReferral

    existing = FellowshipReferral.objects.filter(client=client).first()
    if existing:
        return existing
    if not Fellowship.objects.exists():
        services.sync_fellowships(actor="system:test")
    today = timezone.localdate()
    return FellowshipReferral.objects.create(
        client=client, fellowship=Fellowship.objects.get(slug="smart"), kind="standard",
        referred_on=today - timedelta(days=20), handoff="none",
        next_follow_up_on=today + timedelta(days=7), created_by=client.primary_practitioner)


def _referral_pk(client) -> int:
    return _referral(client).pk


def _alert_pk(client) -> int:
    from django.utils import timezone

    from ecomap.mutualaid.models import Alert

    referral = _referral(client)
    return Alert.objects.create(client=client, referral=referral, rule="reluctance",
                                reason="Reluctant.", key=f"reluctance:test-{client.pk}",
                                raised_on=timezone.localdate()).pk


MAKERS = {"referral_pk": _referral_pk, "alert_pk": _alert_pk}
