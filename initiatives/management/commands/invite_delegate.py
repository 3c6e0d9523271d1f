from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django_countries import countries

from initiatives.services import CommentRefused, delegate_invite


class Command(BaseCommand):
    help = "Invite a delegate of a member state: creates the account and mails a one-time link to set a password."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("country", help="ISO 3166 code of the member state, alpha-3 (MEX) or alpha-2 (MX)")
        parser.add_argument("--name", default="")
        parser.add_argument("--language", choices=["es", "en"], default="es", help="language of the invitation")

    def handle(self, *args, email, country, name, language, **options):
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"{email} is not an email address.") from None
        code = countries.alpha2(country.upper())
        if not code:
            raise CommandError(f"{country} is not an ISO 3166 country code.")
        try:
            delegate = delegate_invite(email=email, country_code=code, name=name, language=language)
        except CommentRefused as refusal:
            raise CommandError(str(refusal)) from None
        self.stdout.write(
            self.style.SUCCESS(f"Invited {delegate.user.email} as a delegate of {delegate.member_state}.")
        )
