from django.core.management.base import BaseCommand, CommandError

from ecomap.site import backup


class Command(BaseCommand):
    help = ("Write the whole database to FILE (gzipped JSON lines with a manifest and checksum). "
            "It restores losslessly with `ecomap restore` into SQLite or PostgreSQL. The file holds "
            "every client record: store it as securely as the database.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="the backup file to write, e.g. ecomap-2026-11-23.ecomap.gz")
        parser.add_argument("--force", action="store_true", help="replace FILE if it exists")

    def handle(self, *args, file, force, **options):
        try:
            with backup.terminal_progress() as progress:
                summary = backup.create_backup(file, force=force, progress=progress)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        if options["verbosity"] >= 1:
            width = max(map(len, summary.counts), default=10)
            for label, count in summary.counts.items():
                if count or options["verbosity"] >= 2:
                    self.stdout.write(f"  {label:<{width}}  {count:>9}")
        self.stdout.write(self.style.SUCCESS(
            f"Backup written to {summary.path}: {summary.rows} rows of {len(summary.counts)} models, "
            f"{summary.size / 1024:.0f} KiB (data sha256 {summary.sha256[:16]}...)."))
