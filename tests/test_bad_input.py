"""Bad input gets a clear message in Chinese and changes nothing."""

from django.core.files.uploadedfile import SimpleUploadedFile
from viewflow.workflow.models import Task

from review.models import Dossier, DraftVersion, HistoryEntry, Material

from .conftest import step, submit


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def stage_one_task(dossier):
    return Task.objects.get(
        process=dossier.process, status__in=["NEW", "ASSIGNED"], flow_task_type="HUMAN"
    )


def test_a_form_submitted_twice_acts_once(people, new_dossier, client):
    dossier = new_dossier()
    submit(dossier, people["drafter"])
    task = stage_one_task(dossier)
    client.force_login(people["dept_legal"])
    data = {"decision": "pass", "comment": "同意报送。"}
    client.post(f"/tasks/{task.pk}/", data)
    second = client.post(f"/tasks/{task.pk}/", data, follow=True)
    assert "该任务已经办理完毕。" in messages_of(second)
    assert dossier.opinions.count() == 1
    assert dossier.history.filter(action=HistoryEntry.Action.PASSED).count() == 1


def test_a_stale_task_page_submitted_after_a_colleague_acted(people, new_dossier, client):
    dossier = new_dossier()
    submit(dossier, people["drafter"])
    step(dossier, people["dept_legal"], {"decision": "pass", "comment": "同意。"})
    task = stage_one_task(dossier)  # now the completeness check, open to every reviewer
    client.force_login(people["reviewer"])
    page = client.get(f"/tasks/{task.pk}/")
    assert page.status_code == 200
    # Meanwhile another reviewer finishes it.
    step(
        dossier, people["reviewer"], {"decision": "supplement", "missing": ["other"], "comment": ""}
    )
    response = client.post(
        f"/tasks/{task.pk}/", {"decision": "send_back", "comment": "退回。"}, follow=True
    )
    assert "该任务已经办理完毕。" in messages_of(response)
    dossier.refresh_from_db()
    assert dossier.stage == "supplement"
    assert not dossier.history.filter(action=HistoryEntry.Action.SENT_BACK).exists()


def test_send_back_without_reasons_is_refused(people, new_dossier, client):
    dossier = new_dossier()
    submit(dossier, people["drafter"])
    client.force_login(people["dept_legal"])
    response = client.post(
        f"/tasks/{stage_one_task(dossier).pk}/", {"decision": "send_back", "comment": ""}
    )
    assert response.status_code == 200
    assert "退回时请写明理由。" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.stage == "dept_check"


def test_a_file_that_is_not_word_is_refused_and_nothing_is_stored(people, client, media_root):
    client.force_login(people["drafter"])
    fake = SimpleUploadedFile("草案.docx", b"this is plain text, not a Word file")
    response = client.post(
        "/dossiers/new/",
        {
            "title": "测试办法",
            "kind": "government",
            "urgency": "normal",
            "legal_basis": "某法",
            "draft": fake,
        },
    )
    assert response.status_code == 200
    [message] = response.context["form"].errors["draft"]
    assert "扩展名" in message and message in response.content.decode()
    assert not Dossier.objects.exists() and not DraftVersion.objects.exists()
    assert not media_root.exists() or not any(media_root.rglob("*.*"))


def test_a_missing_draft_is_named(people, client):
    client.force_login(people["drafter"])
    response = client.post(
        "/dossiers/new/",
        {"title": "测试办法", "kind": "government", "urgency": "normal", "legal_basis": "某法"},
    )
    assert "这个字段是必填项。" in response.content.decode()
    assert not Dossier.objects.exists()


def test_a_hostile_material_is_refused_with_a_message(people, new_dossier, client):
    dossier = new_dossier(materials=False)
    client.force_login(people["drafter"])
    before = Material.objects.count()
    bomb = SimpleUploadedFile("说明.docx", b"PK\x03\x04" + b"\x00" * 100)
    response = client.post(
        f"/dossiers/{dossier.pk}/materials/",
        {"material-kind": "explanation", "material-file": bomb},
        follow=True,
    )
    assert messages_of(response) == [
        "文件已损坏，无法作为 .docx 打开。请用 Word 打开后另存为 .docx 再上传。"
    ]
    assert Material.objects.count() == before


def test_submitting_twice_starts_one_review(people, new_dossier, client):
    dossier = new_dossier()
    client.force_login(people["drafter"])
    client.post(f"/tasks/submit/{dossier.pk}/")
    response = client.post(f"/tasks/submit/{dossier.pk}/", follow=True)
    assert "该卷宗已经提交。" in messages_of(response)
    assert dossier.history.filter(action=HistoryEntry.Action.SUBMITTED).count() == 1
    assert Task.objects.filter(flow_task_type="HUMAN").count() == 1
