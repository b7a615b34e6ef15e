from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ecomap.audit import services as audit
from ecomap.site import demo


def print_logins(stdout) -> None:
    stdout.write(f"\nDemo log-ins (synthetic agency: '{demo.AGENCY_NAME}'):")
    for username, password, role in demo.logins():
        stdout.write(f"  {username:<18} {password:<14} {role}")
    stdout.write("")


class Command(BaseCommand):
    help = "Create the demo agency: synthetic practitioners, clients and their records."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("The demo creates accounts with a published password; it never "
                               "runs with ECOMAP_ENV=production.")
        if demo.demo_exists():
            self.stdout.write("The demo agency is already here.")
        else:
            agency = demo.build()
            audit.record("ecomap.system.demo_created", actor="system:demo",
                         data={"clients": len(agency.clients), "users": len(agency.users)})
            self.stdout.write(self.style.SUCCESS(
                f"Demo agency created: {len(agency.users)} staff, {len(agency.clients)} clients."))
        print_logins(self.stdout)
