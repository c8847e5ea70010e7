"""Keeping the search index in step with the register, after each commit.

The database is the source of truth. A change schedules `index_documents` for the ids it
touched once the transaction commits (a rollback schedules nothing); the task reads the
documents as they are then and writes them, or removes the ids that no longer exist, so
running it twice, late or out of order leaves the same index. When the index is busy or
the server is down the task retries with backoff, and the register keeps working.
"""

import logging

from celery import shared_task
from django.db import transaction

from search.backends import get_backend
from search.backends.base import IndexEntry, SearchUnavailable
from search.backends.embedded import IndexBusy
from search.models import Document

log = logging.getLogger(__name__)

CHUNK = 500


# The name it had when it lived in search.tasks: queued messages keep finding it.
@shared_task(
    name="search.tasks.index_documents",
    autoretry_for=(IndexBusy, SearchUnavailable),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_kwargs={"max_retries": 12},
)
def index_documents(ids):
    ids = set(ids)
    documents = Document.objects.filter(pk__in=ids).prefetch_related("versions")
    entries = [IndexEntry.of(doc) for doc in documents]
    backend = get_backend()
    backend.upsert(entries)
    backend.delete(ids - {entry.id for entry in entries})


def schedule_indexing(ids):
    """Index these documents once the current transaction commits."""
    ids = sorted(set(ids))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        # robust: a broker that is down must not undo or break the user's action; the
        # next reindex repairs what was missed.
        transaction.on_commit(lambda chunk=chunk: index_documents.delay(chunk), robust=True)
