"""Uploading the very same file again does not make a new version."""

from django.core.files.uploadedfile import SimpleUploadedFile

from demo.drafts import checked
from demo.payloads import SEND_BACK
from review.models import HistoryEntry, Stage
from review.uploads import same_as_latest
from workflow.forms import RevisionForm

from .conftest import step, submit
from .helpers import revised


def again(version):
    with version.file.open("rb") as stored:
        return SimpleUploadedFile("再次上传.docx", stored.read())


def test_a_byte_identical_upload_is_refused_and_nothing_changes(people, new_dossier, client):
    dossier = new_dossier()
    client.force_login(people["drafter"])
    history = dossier.history.count()
    response = client.post(
        f"/dossiers/{dossier.pk}/versions/",
        {"version-note": "再传一次", "version-file": again(dossier.latest_version)},
        follow=True,
    )
    assert "与当前版本（第1稿）内容完全相同，未作为新版本保存。" in response.content.decode()
    assert dossier.versions.count() == 1
    assert dossier.history.count() == history


def test_a_changed_file_is_still_a_new_version(people, new_dossier, client):
    dossier = new_dossier()
    client.force_login(people["drafter"])
    data, files = revised(dossier, "新增一条。")
    response = client.post(
        f"/dossiers/{dossier.pk}/versions/",
        {"version-note": data["note"], "version-file": files["file"]},
        follow=True,
    )
    assert "新版本已上传。" in response.content.decode()
    assert dossier.versions.count() == 2
    assert dossier.history.filter(action=HistoryEntry.Action.VERSION_ADDED).count() == 2


def test_the_check_compares_with_the_latest_version_only(people, new_dossier, client):
    dossier = new_dossier()
    first = dossier.latest_version
    assert same_as_latest(dossier, checked(again(first))) == first
    client.force_login(people["drafter"])
    data, files = revised(dossier, "新增一条。")
    client.post(
        f"/dossiers/{dossier.pk}/versions/",
        {"version-note": data["note"], "version-file": files["file"]},
    )
    # Going back to the first text is a real change from the second.
    assert same_as_latest(dossier, checked(again(first))) is None


def test_the_revision_step_refuses_the_unchanged_draft(people, new_dossier):
    dossier = new_dossier()
    submit(dossier, people["drafter"])
    step(dossier, people["dept_legal"], SEND_BACK)
    dossier.refresh_from_db()
    assert dossier.stage == Stage.REVISION
    form = RevisionForm(
        {"note": "未修改"},
        {"file": again(dossier.latest_version)},
        dossier=dossier,
        user=people["drafter"],
    )
    assert not form.is_valid()
    assert form.errors["file"] == ["与当前版本（第1稿）内容完全相同，未作为新版本保存。"]
