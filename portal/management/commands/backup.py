from django.conf import settings
from django.core.management.base import BaseCommand

from portal.backup import backup_create


class Command(BaseCommand):
    help = "Write a timestamped archive of the database (pg_dump) and the uploaded files."

    def add_arguments(self, parser):
        parser.add_argument("--directory", default=str(settings.DATA_DIR / "backups"))

    def handle(self, *args, directory, **options):
        archive = backup_create(directory=directory)
        self.stdout.write(str(archive))
