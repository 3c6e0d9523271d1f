from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from portal.backup import backup_restore


class Command(BaseCommand):
    help = "Bring back the database and the uploaded files from an archive written by `backup`."

    def add_arguments(self, parser):
        parser.add_argument("archive")

    def handle(self, *args, archive, **options):
        if not Path(archive).is_file():
            raise CommandError(f"No backup at {archive}.")
        connections.close_all()  # our own idle connection must not hold a lock pg_restore needs
        backup_restore(archive=archive)
        self.stdout.write(f"Restored {archive}.")
