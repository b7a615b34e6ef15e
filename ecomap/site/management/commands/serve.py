import os

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Migrate the database, optionally load the demo agency, and serve ecomap locally."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--demo", action="store_true", help="load the demo agency first")
        parser.add_argument("--noreload", action="store_true")

    def handle(self, *args, addrport, demo, noreload, **options):
        # The autoreloader runs this command again in a child process (RUN_MAIN=true); the
        # set-up belongs to the first run only.
        if os.environ.get("RUN_MAIN") != "true":
            call_command("migrate", interactive=False, verbosity=0)
            if demo:
                call_command("demo", stdout=self.stdout)
            self.stdout.write(f"ecomap is at http://{addrport}/  (Ctrl+C stops it)")
        # runserver is enough for one machine; production runs gunicorn (README).
        call_command("runserver", addrport, use_reloader=not noreload)
