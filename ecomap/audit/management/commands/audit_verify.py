from django.core.management.base import BaseCommand, CommandError

from ecomap.audit import services


class Command(BaseCommand):
    help = "Recompute the audit log's hash chain and report any alteration."

    def handle(self, *args, **options):
        report = services.verify_chain()
        services.record("ecomap.audit.verified", actor="system:audit_verify",
                        data={"ok": report.ok, "checked": report.checked})
        if not report.ok:
            raise CommandError(f"Audit log check FAILED at entry {report.seq}: {report.problem} "
                               f"({report.checked} entries verified before it).")
        self.stdout.write(self.style.SUCCESS(f"Audit log intact: {report.checked} entries."))
