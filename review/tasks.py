"""Background work on uploaded files.

A conversion in flight must survive a worker that dies: the embedded filesystem broker
deletes a message when it hands it out, so a killed worker's task is gone. Versions still
waiting for their text are therefore queued again when a worker starts and every few
minutes (``requeue_conversions``); one that waited past the time limit is marked failed,
and the drafter (or ``manage.py reextract``) can retry it.
"""

from datetime import timedelta

from celery import shared_task
from django.apps import apps
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from review.signals import text_extracted


def _versions():
    # By name: the models schedule these tasks, so this module cannot import them.
    return apps.get_model("review", "DraftVersion").objects


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5, acks_late=True)
def extract_version(version_pk):
    """Convert a .doc/.wps/.rtf draft and read its text; a second run does nothing."""
    version = _versions().get(pk=version_pk)
    if not version.extracted_at and (version.extract() or version.extracted_at):
        text_extracted.send(sender=type(version), version=version)


@shared_task
def requeue_conversions():
    """Queue again every version still waiting for its text; fail those that waited too
    long. Returns (queued, failed)."""
    limit = timezone.now() - timedelta(minutes=settings.CONVERSION_TIME_LIMIT_MINUTES)
    waiting = _versions().filter(extracted_at__isnull=True, extraction_error="")
    failed = 0
    for version in waiting.filter(conversion_queued_at__lt=limit):
        version.extraction_error = _("转换超时，请点击“重新转换”或重新上传。")
        version.save(update_fields=["extraction_error"])
        failed += 1
    queued = list(waiting.exclude(conversion_queued_at__lt=limit).values_list("pk", flat=True))
    for pk in queued:
        extract_version.delay(pk)
    return len(queued), failed
