"""The scheduled work of mutual support; run it from cron or a systemd timer, e.g. hourly:

    0 * * * *  cd /srv/ecomap && .venv/bin/python manage.py mutualaid_refresh

1. refreshes the meeting feeds that are due (an address and "refresh every N hours" set);
2. raises a warning-sign alert for each follow-up missed beyond its grace days (idempotent).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from ecomap.mutualaid import referrals, services

ACTOR = "system:mutualaid_refresh"


class Command(BaseCommand):
    help = "Refresh the meeting feeds that are due and raise alerts for missed follow-ups."

    def add_arguments(self, parser):
        parser.add_argument("--skip-feeds", action="store_true",
                            help="only raise the missed-follow-up alerts")

    def handle(self, *args, **options):
        # Alerts first: a feed that fails in a way nobody foresaw must not stop them.
        raised = referrals.raise_missed_follow_ups(actor=ACTOR)
        self.stdout.write(f"Missed follow-ups: {raised} new alert(s).")
        if options["skip_feeds"]:
            return
        for run in services.refresh_due_feeds(timezone.now(), actor=ACTOR):
            outcome = f"refused: {run.error}" if run.refused else (
                f"{run.created} new, {run.updated} changed, {run.deactivated} gone")
            self.stdout.write(f"{run.feed.name}: {outcome}")
