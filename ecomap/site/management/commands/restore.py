from django.core.management.base import BaseCommand, CommandError

from ecomap.site import backup


class Command(BaseCommand):
    help = ("Load a backup FILE written by `ecomap backup` into this database, which must be freshly "
            "migrated and empty. All or nothing: the file's checksum, the migrations and the audit "
            "chain are checked, and any problem leaves the database unchanged.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="the backup file to load")

    def handle(self, *args, file, **options):
        try:
            with backup.terminal_progress() as progress:
                summary = backup.restore_backup(file, progress=progress)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = summary.manifest
        if options["verbosity"] >= 1:
            width = max(map(len, summary.counts), default=10)
            for label, count in summary.counts.items():
                if count or options["verbosity"] >= 2:
                    self.stdout.write(f"  {label:<{width}}  {count:>9}")
        self.stdout.write(self.style.SUCCESS(
            f"Restored {summary.rows} rows from a backup of {manifest['created_at']} "
            f"(ecomap {manifest['ecomap_version']}, {manifest['source_vendor']}); audit log "
            f"verified: {summary.audit_entries} entries."))
