"""A .doc conversion in flight survives a worker that dies, on the embedded filesystem
broker (which deletes a message once it hands it out); one that never finishes is failed
after the time limit and can be retried."""

import os
import signal
import subprocess
from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from config.celery import app
from review.models import Dossier, DraftVersion
from review.tasks import requeue_conversions

from .helpers import DOC
from .workers import wait_for

pytestmark = [pytest.mark.libreoffice, pytest.mark.django_db(transaction=True)]


def upload_doc(client, people):
    client.force_login(people["drafter"])
    form = {
        "title": "惠州市公共租赁住房建设和管理办法",
        "kind": "government",
        "urgency": "normal",
        "legal_basis": "某法",
        "draft": SimpleUploadedFile(DOC.name, DOC.read_bytes()),
    }
    assert client.post("/dossiers/new/", form).status_code == 302
    return Dossier.objects.get().latest_version


@pytest.fixture
def lost_broker():
    """Tasks sent go to an in-memory queue nobody reads: the message of a dead worker."""
    default = app.conf.broker_url
    app.conf.update(broker_url="memory://", task_always_eager=False)
    yield
    app.conf.update(broker_url=default, task_always_eager=True)
    app._pool = None


def soffice_running():
    found = subprocess.run(["pgrep", "-f", "soffice"], capture_output=True, text=True)
    return bool(found.stdout.strip())


def test_a_worker_killed_during_a_conversion_on_the_filesystem_broker_loses_nothing(
    people, client, workers, tmp_path
):
    start = workers.folder()
    first = start()
    version = upload_doc(client, people)
    wait_for(soffice_running, 60, "LibreOffice to start converting")
    os.killpg(first.pid, signal.SIGKILL)  # the worker, its pool child and LibreOffice
    first.wait(10)
    subprocess.run(["pkill", "-9", "-f", "soffice"], check=False)
    version.refresh_from_db()
    assert version.processing, "the conversion finished before the kill: nothing was tested"
    assert not list((tmp_path / "queue").iterdir()), (
        "the broker still holds the message: nothing was lost"
    )

    start()  # a new worker queues again what is still waiting
    wait_for(lambda: not DraftVersion.objects.get(pk=version.pk).processing, 90, "the conversion")
    version.refresh_from_db()
    assert "公共租赁住房" in version.text and not version.extraction_error


def test_a_conversion_that_never_finishes_fails_after_the_limit_and_can_be_retried(
    people, client, settings, lost_broker, django_capture_on_commit_callbacks
):
    version = upload_doc(client, people)
    assert version.processing
    later = timezone.now() + timedelta(minutes=settings.CONVERSION_TIME_LIMIT_MINUTES + 1)
    with time_machine.travel(later):
        assert requeue_conversions() == (0, 1)
    version.refresh_from_db()
    assert "转换超时" in version.extraction_error
    page = client.get(version.dossier.get_absolute_url()).content.decode()
    assert "重新转换" in page

    app.conf.task_always_eager = True
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/dossiers/{version.dossier_id}/versions/{version.number}/retry/")
    version.refresh_from_db()
    assert "公共租赁住房" in version.text and not version.extraction_error


def test_reextract_reads_failed_versions_again(people, client, lost_broker):
    version = upload_doc(client, people)
    version.extraction_error = "LibreOffice 未能转换"
    version.save(update_fields=["extraction_error"])
    call_command("reextract")
    version.refresh_from_db()
    assert version.extracted_at and "公共租赁住房" in version.text
