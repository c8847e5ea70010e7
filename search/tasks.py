"""The register's background tasks, found by Celery's autodiscovery: indexing after each
commit (search.indexing) and the daily pass over the documents' dates."""

from celery import shared_task

from search.indexing import index_documents
from search.register import run_daily

__all__ = ["index_documents", "lapse_documents"]


@shared_task
def lapse_documents():
    """The daily pass of search.register.run_daily, for Celery beat; returns the ids."""
    report = run_daily()
    return {
        "became_effective": [doc.pk for doc in report.became_effective],
        "lapsed": [doc.pk for doc in report.lapsed],
        "newly_flagged": [doc.pk for doc in report.newly_flagged],
    }
