import signal
import socket
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import OperationalError, connection


class Command(BaseCommand):
    help = "Check the database and the port, migrate, load the content into an empty database, and serve."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, host, port, **options):
        self.check_database()
        self.check_port(host, port)
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database is up to date.")
        call_command("load_content")
        address = f"http://{'[' + host + ']' if ':' in host else host}:{port}/"
        self.stdout.write(
            self.style.SUCCESS(f"\nThe portal is at {address} (Spanish: {address}es/, English: {address}en/).")
        )
        self.stdout.write(
            "Create the first editor with:  .venv/bin/python manage.py createsuperuser\n"
            f"then sign in at {address}admin/.  Ctrl-C stops the portal and its database.\n"
        )
        # A polite stop (SIGTERM, as from a service manager) stops the embedded database too.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        call_command("runserver", f"{host}:{port}", use_reloader=False, use_threading=True)

    def check_database(self):
        try:
            connection.ensure_connection()
        except OperationalError as error:
            database = settings.DATABASES["default"]
            where = f"{database.get('HOST') or 'local socket'}:{database.get('PORT') or 5432}/{database.get('NAME')}"
            reason = str(error).strip().splitlines()[-1] if str(error).strip() else "no answer"
            raise CommandError(f"Cannot reach the PostgreSQL database at {where}: {reason}") from None

    def check_port(self, host, port):
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server itself will
            try:
                probe.bind((host, port))
            except OSError:
                raise CommandError(
                    f"Port {port} on {host} is already in use; stop what uses it or run: make run PORT=8001"
                ) from None
