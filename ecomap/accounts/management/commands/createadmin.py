import getpass
import os

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ecomap.accounts.models import Role, User
from ecomap.audit import services as audit


class Command(BaseCommand):
    help = ("Create an administrator. The password is asked for, or read from the environment "
            "variable ECOMAP_ADMIN_PASSWORD when there is no terminal.")

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", default="")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")

    def handle(self, *args, username, email, first_name, last_name, **options):
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(f"An account named {username!r} exists already.")
        password = os.environ.get("ECOMAP_ADMIN_PASSWORD")
        if not password:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The passwords do not match; nothing was created.")
        user = User(username=username, email=email, first_name=first_name, last_name=last_name,
                    role=Role.ADMIN)
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError("Password refused: " + " ".join(error.messages)) from None
        with transaction.atomic():
            user.set_password(password)
            user.save()
            audit.record("ecomap.accounts.user_created", actor="system:createadmin", obj=user,
                         changes={"role": [None, Role.ADMIN]})
        self.stdout.write(self.style.SUCCESS(f"Administrator {username!r} created."))
