"""The `ecomap` console command: Django's management commands under one name.

    ecomap serve [--demo]   migrate, optionally load the demo agency, serve on 127.0.0.1:8000
    ecomap demo             create the demo agency (synthetic people only)
    ecomap createadmin      create an administrator account
    ecomap backup FILE      write the whole database to FILE (lossless)
    ecomap restore FILE     load FILE into an empty, migrated database
    ecomap check --deploy   production readiness advice
    ecomap <any Django management command>
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecomap.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["ecomap", *sys.argv[1:]])


if __name__ == "__main__":
    main()
