"""Outgoing mail: queued in the same transaction as the change it reports, sent after commit.

A mail server that is down never undoes a comment or blocks a moderator: the message stays queued
and `manage.py send_queued_mail` (or the next message sent) retries it.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from portal.models import OutboundEmail

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 20


def queue_mail(*, to, subject, body):
    message = OutboundEmail.objects.create(to=to, subject=subject, body=body)
    transaction.on_commit(deliver_queued_mail)
    return message


def deliver_queued_mail():
    """Send what waits, oldest first; returns how many were sent."""
    sent = 0
    pending = OutboundEmail.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS).order_by("created_at")
    for message in pending:
        with transaction.atomic():
            locked = OutboundEmail.objects.select_for_update(skip_locked=True).filter(
                pk=message.pk, sent_at__isnull=True
            )
            message = locked.first()
            if message is None:
                continue
            message.attempts += 1
            try:
                send_mail(message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [message.to])
            except Exception as error:  # any transport failure: keep it queued, say why
                message.last_error = f"{type(error).__name__}: {error}"[:2000]
                message.save(update_fields=["attempts", "last_error"])
                logger.warning("Mail to %s not sent (attempt %d): %s", message.to, message.attempts, error)
                continue
            message.sent_at = timezone.now()
            message.last_error = ""
            message.save(update_fields=["attempts", "last_error", "sent_at"])
            sent += 1
    return sent
