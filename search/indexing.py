"""Keeping the search index in step with the register, after each commit.

The database is the source of truth. A change schedules `index_documents` for the ids it
touched once the transaction commits (a rollback schedules nothing); the task reads the
documents as they are then and writes them, or removes the ids that no longer exist, so
running it twice, late or out of order leaves the same index. When the index is busy or
the server is down the task retries with backoff, and the register keeps working. When the
index itself fails (a full disk, a removed folder) it retries too, and the administrators
are alerted: such faults do not pass by themselves.
"""

import logging

from celery import shared_task
from django.db import transaction
from django.utils.translation import gettext as _

from search.alerts import alert_admins
from search.backends import get_backend
from search.backends.base import IndexEntry, IndexMissing, SearchUnavailable
from search.backends.embedded import IndexBusy
from search.models import Document

log = logging.getLogger(__name__)

CHUNK = 500


# The name it had when it lived in search.tasks: queued messages keep finding it.
@shared_task(
    name="search.tasks.index_documents",
    # tantivy reports a failed write (a full disk…) as ValueError, the system as OSError.
    autoretry_for=(IndexBusy, SearchUnavailable, OSError, ValueError),
    retry_backoff=True,
    retry_backoff_max=600,
    retry_kwargs={"max_retries": 12},
)
def index_documents(ids):
    ids = set(ids)
    documents = Document.objects.filter(pk__in=ids).prefetch_related("versions")
    entries = [IndexEntry.of(doc) for doc in documents]
    backend = get_backend()
    try:
        backend.upsert(entries)
        backend.delete(ids - {entry.id for entry in entries})
    except (IndexMissing, OSError, ValueError) as error:
        alert_admins(
            "index-write",
            _("检索索引写入失败"),
            _(
                "检索索引（%(index)s）写入失败，登记库的变更暂未进入检索，将自动重试。"
                "请检查磁盘空间和索引文件夹；修复后可运行 manage.py reindex 重建索引。\n%(error)s"
            )
            % {"index": backend, "error": error},
        )
        raise


def schedule_indexing(ids):
    """Index these documents once the current transaction commits."""
    ids = sorted(set(ids))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        # robust: a broker that is down must not undo or break the user's action; the
        # next reindex repairs what was missed.
        transaction.on_commit(lambda chunk=chunk: index_documents.delay(chunk), robust=True)
