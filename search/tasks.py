"""The register's background tasks, found by Celery's autodiscovery: indexing after each
commit (search.indexing), the daily pass over the documents' dates and the pre-review of
a draft version once its text is read."""

from celery import shared_task
from django.apps import apps
from django.db import transaction

from search.indexing import index_documents
from search.register import run_daily

__all__ = ["index_documents", "lapse_documents", "prereview_version"]


@shared_task
def lapse_documents():
    """The daily pass of search.register.run_daily, for Celery beat; returns the ids."""
    report = run_daily()
    return {
        "became_effective": [doc.pk for doc in report.became_effective],
        "lapsed": [doc.pk for doc in report.lapsed],
        "newly_flagged": [doc.pk for doc in report.newly_flagged],
    }


@shared_task
def prereview_version(version_pk):
    """Check the version's citations and articles and keep the result (search.prereview)."""
    from search.prereview import run_for_version

    version = apps.get_model("review", "DraftVersion").objects.filter(pk=version_pk).first()
    if version is not None:
        run_for_version(version)


def schedule_prereview(sender=None, version=None, created=False, **kwargs):
    """After the commit that saved a version's text: a .docx read at upload (post_save,
    created) or a converted .doc (review.signals.text_extracted)."""
    if version is None:
        version = kwargs.get("instance")
        if not created or version is None or not version.extracted_at:
            return
    pk = version.pk
    # A broker that is down must not fail the upload: the task page computes a missing
    # pre-review itself.
    transaction.on_commit(lambda: prereview_version.delay(pk), robust=True)
