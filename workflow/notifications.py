"""Notifications: in the app and by email, each sent once."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from review.models import User

from .models import Notification


def people_with(*roles):
    """The active users who hold any of ``roles``: whom a notice about their work goes to."""
    return list(User.objects.filter(groups__name__in=roles, is_active=True).distinct())


def notify(users, message, *, key, dossier=None):
    """Tell each user ``message`` once: ``key`` names the occasion, so a job that runs
    again (or a worker that died after sending) does not repeat it."""
    sent = []
    for user in users:
        if user is None:
            continue
        try:
            with transaction.atomic():
                note = Notification.objects.create(
                    user=user, dossier=dossier, message=str(message), key=f"{key}:{user.pk}"
                )
        except IntegrityError:
            continue
        if user.email:
            # After commit: a rolled-back transaction must not have mailed anybody.
            transaction.on_commit(
                lambda n=note: send_mail(
                    n.message[:60], n.message, settings.DEFAULT_FROM_EMAIL, [n.user.email]
                )
            )
        sent.append(note)
    return sent
