"""Background work through a real Redis server and real `celery worker` processes."""

import os
import signal
from datetime import date
from pathlib import Path

import pytest

from config.celery import app
from review.models import Dossier, HistoryEntry, Stage
from workflow.models import ClockEvent, Notification

from .workers import wait_for

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def redis_url():
    import redis

    url = os.environ["TEST_REDIS_URL"]

    redis.Redis.from_url(url).flushdb()
    return url


@pytest.fixture
def worker(redis_url, workers):
    """Start real worker processes on this test's database and Redis; stop them after."""
    # Hand a dead worker's task back after 2 s, checking every second.
    options = {
        "visibility_timeout": 2,
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }
    return workers(redis_url, options)


def overdue_dossiers(people, n):
    drafter = people["drafter"]
    Dossier.objects.bulk_create(
        Dossier(
            title=f"逾期未审的办法{i}（草案）",
            department=drafter.department,
            kind="government",
            legal_basis="某法",
            created_by=drafter,
            stage=Stage.LEGAL_REVIEW,
            materials_complete_on=date(2025, 9, 26),
        )
        for i in range(n)
    )


def test_a_worker_killed_mid_task_finishes_after_restart_without_duplicates(people, worker):
    n = 200
    overdue_dossiers(people, n)
    first = worker()
    app.send_task("workflow.tasks.legal_clock_reminders", args=["2025-10-24"])
    wait_for(lambda: Notification.objects.exists(), 60, "the task to start")
    os.killpg(first.pid, signal.SIGKILL)  # the worker and its pool child, mid-task
    first.wait(10)
    sent_when_killed = Notification.objects.count()
    assert sent_when_killed < 3 * n, "the task finished before the kill: make it longer"

    worker()  # the unacknowledged task comes back to the new worker
    wait_for(lambda: ClockEvent.objects.filter(kind="deemed_passed").count() == n, 90, "redelivery")
    # The reviewer, the head and the drafter of each dossier are told (the meeting's
    # secretaries also get its new task), and nobody twice.
    expected = {people[name].pk for name in ("reviewer", "head", "drafter")}

    def everyone_told():
        told = Notification.objects.filter(user__in=expected).values_list("dossier", "user")
        return len(set(told)) == 3 * n

    wait_for(everyone_told, 30, "every notification")
    for dossier in Dossier.objects.all():
        assert dossier.history.filter(action=HistoryEntry.Action.DEEMED_PASSED).count() == 1
        users = list(Notification.objects.filter(dossier=dossier).values_list("user", flat=True))
        assert expected <= set(users)
        assert len(users) == len(set(users)), "somebody was told twice"


@pytest.mark.libreoffice
def test_an_uploaded_doc_is_converted_by_the_worker(people, worker, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .helpers import DOC

    worker()
    client.force_login(people["drafter"])
    form = {
        "title": "惠州市公共租赁住房建设和管理办法",
        "kind": "government",
        "urgency": "normal",
        "legal_basis": "某法",
    }
    response = client.post(
        "/dossiers/new/", {**form, "draft": SimpleUploadedFile(DOC.name, DOC.read_bytes())}
    )
    assert response.status_code == 302
    version = Dossier.objects.get().latest_version
    wait_for(lambda: not type(version).objects.get(pk=version.pk).processing, 60, "the conversion")
    version.refresh_from_db()
    assert "公共租赁住房" in version.text and not version.extraction_error


def test_an_issued_document_reaches_the_index_through_the_worker(people, new_dossier, worker):
    from search.backends import search
    from search.backends.base import SearchQuery

    from .conftest import advance

    worker()
    dossier = advance(new_dossier(), people, 7)  # registration schedules the indexing
    assert dossier.stage == Stage.ISSUED

    def found():
        return search(SearchQuery(text=dossier.number.replace("〔", "[").replace("〕", "]"))).total

    wait_for(lambda: found() == 1, 60, "the index update")
