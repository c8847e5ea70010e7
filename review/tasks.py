"""Background work on uploaded files."""

from celery import shared_task
from django.apps import apps


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5, acks_late=True)
def extract_version(version_pk):
    """Convert a .doc/.wps/.rtf draft and read its text; a second run does nothing."""
    # By name: the models schedule this task, so this module cannot import them.
    apps.get_model("review", "DraftVersion").objects.get(pk=version_pk).extract()
