"""An old .doc draft is accepted at once and converted in the background; the page says so."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from review.models import Dossier

from .helpers import DOC


@pytest.mark.libreoffice
def test_a_doc_draft_is_converted_after_the_upload(
    people, client, django_capture_on_commit_callbacks
):
    client.force_login(people["drafter"])
    upload = SimpleUploadedFile(DOC.name, DOC.read_bytes())
    form = {
        "title": "惠州市公共租赁住房建设和管理办法",
        "kind": "government",
        "urgency": "normal",
        "legal_basis": "某法",
    }
    with django_capture_on_commit_callbacks(execute=False) as pending:
        response = client.post("/dossiers/new/", {**form, "draft": upload})
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    version = dossier.latest_version
    assert version.processing and version.text == ""
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert "正在转换和提取文本" in page and "data-status-url=" in page

    for callback in pending:  # what the worker does after the commit
        callback()
    version.refresh_from_db()
    assert not version.processing
    assert "公共租赁住房" in version.text and "第一条" in version.text
    assert version.sha256 and version.original_name == DOC.name
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert "data-status-url" not in page


def test_without_libreoffice_a_doc_is_refused_with_a_message(people, client, settings):
    settings.SOFFICE_BINARY = "no-such-soffice"
    client.force_login(people["drafter"])
    upload = SimpleUploadedFile(DOC.name, DOC.read_bytes())
    response = client.post(
        "/dossiers/new/",
        {
            "title": "x",
            "kind": "government",
            "urgency": "normal",
            "legal_basis": "y",
            "draft": upload,
        },
    )
    assert "服务器未安装 LibreOffice" in response.content.decode()
    assert not Dossier.objects.exists()


def test_an_unreadable_draft_cannot_be_submitted_or_passed(people, new_dossier, client):
    from review.models import DraftVersion

    from .conftest import step, submit

    dossier = new_dossier()
    broken = DraftVersion(
        dossier=dossier,
        uploaded_by=people["drafter"],
        stage=dossier.stage,
        number=2,
        extraction_error="LibreOffice 读不了它",
    )
    broken.set_content("草案.doc", b"\xd0\xcf\x11\xe0 broken")
    broken.save()
    client.force_login(people["drafter"])
    response = client.post(f"/tasks/submit/{dossier.pk}/", follow=True)
    assert "无法读取草案文本" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.stage == "draft"

    submit(dossier, people["drafter"])  # (as if it had been readable when submitted)
    with pytest.raises(ValueError, match="无法读取草案文本"):
        step(dossier, people["dept_legal"], {"decision": "pass", "comment": "同意。"})
    step(dossier, people["dept_legal"], {"decision": "send_back", "comment": "请重新上传。"})
    assert dossier.stage == "revision"
