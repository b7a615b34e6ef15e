"""Copy the fellowship catalogue (ecomap/mutualaid/content/fellowships.yaml) into the database.

A command rather than a data migration: the catalogue is reviewed content that changes without
schema changes, so it is re-synchronised whenever it is edited (idempotent), and a freshly migrated
database stays empty, as `ecomap restore` requires.
"""

from django.core.management.base import BaseCommand, CommandError

from ecomap.mutualaid import catalogue, services


class Command(BaseCommand):
    help = "Synchronise the Fellowship table with content/fellowships.yaml (checked first)."

    def handle(self, *args, **options):
        try:
            counts = services.sync_fellowships(actor="system:sync_fellowships")
        except catalogue.CatalogueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in sorted(counts.items())))
