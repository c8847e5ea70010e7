"""The Celery application. Tasks live in each app's ``tasks.py``."""

import os

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("legalreview")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def requeue_lost_work(sender, **kwargs):
    """A worker that died took its task with it on the filesystem broker: a new one first
    queues again the conversions still waiting."""
    sender.app.send_task("review.tasks.requeue_conversions")
