from django.contrib.auth.forms import PasswordResetForm
from django.template import loader

from portal.mail import queue_mail


class QueuedPasswordResetForm(PasswordResetForm):
    """Password-reset mail goes through the mail queue, so a mail server outage loses nothing."""

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        queue_mail(to=to_email, subject=subject, body=loader.render_to_string(email_template_name, context))
