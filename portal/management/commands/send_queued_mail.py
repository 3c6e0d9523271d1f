from django.core.management.base import BaseCommand

from portal.mail import deliver_queued_mail


class Command(BaseCommand):
    help = "Send the outgoing mail that is still waiting (run it from cron every few minutes)."

    def handle(self, *args, **options):
        self.stdout.write(f"{deliver_queued_mail()} message(s) sent.")
