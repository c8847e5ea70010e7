"""A long opinion: as many findings as the draft needs, written over days and saved half-done
(暂存) by the reviewer holding the task."""

from review.models import Finding, Opinion, Stage
from workflow.actions import open_task
from workflow.assignment import claim
from workflow.models import TaskDraft

from .conftest import advance, login

ARTICLES = ["第一条", "第二条", "第三条", "第四条", "第五条"]


def findings(n, total=None):
    data = {"findings-TOTAL_FORMS": str(total or n), "findings-INITIAL_FORMS": "0"}
    for i, article in enumerate(ARTICLES[:n]):
        data |= {
            f"findings-{i}-article": article,
            f"findings-{i}-point": "other",
            f"findings-{i}-text": f"关于{article}的意见。",
        }
    return data


def in_review(new_dossier, people, client):
    dossier = advance(new_dossier(), people, 2)
    assert dossier.stage == Stage.LEGAL_REVIEW
    task = open_task(dossier)
    claim(task, people["reviewer"])
    login(client, people["reviewer"])
    return dossier, f"/tasks/{task.pk}/"


def test_five_findings_are_saved_in_one_submission(people, new_dossier, client):
    dossier, url = in_review(new_dossier, people, client)
    data = {"conclusion": "revise", "text": "需修改。", **findings(5, total=7)}
    data["findings-4-DELETE"] = "on"  # struck out before submitting
    assert client.post(url, data).status_code == 302
    saved = Finding.objects.filter(opinion__dossier=dossier)
    assert list(saved.values_list("article", flat=True)) == ARTICLES[:4]


def test_a_row_is_added_without_script_and_nothing_is_submitted(people, new_dossier, client):
    dossier, url = in_review(new_dossier, people, client)
    data = {"conclusion": "revise", "text": "需修改。", **findings(3), "add_row": "1"}
    page = client.post(url, data).content.decode()
    assert 'name="findings-3-text"' in page and 'name="findings-4-text"' not in page
    assert "关于第三条的意见。" in page
    assert 'class="error"' not in page
    assert not Opinion.objects.filter(dossier=dossier, stage=Stage.LEGAL_REVIEW).exists()


def test_a_half_written_opinion_is_saved_restored_and_gone_once_submitted(
    people, new_dossier, client
):
    dossier, url = in_review(new_dossier, people, client)
    half = {"text": "草案部分条款需修改完善，", **findings(4), "save_draft": "1"}
    response = client.post(url, half)
    page = response.content.decode()
    assert "已暂存（2026年11月26日" in page
    assert "这个字段是必填项" not in page and 'class="error"' not in page
    assert not Opinion.objects.filter(dossier=dossier, stage=Stage.LEGAL_REVIEW).exists()

    again = client.get(url).content.decode()
    assert "草案部分条款需修改完善，" in again and "关于第四条的意见。" in again
    assert 'id="draft-saved"' in again

    submitted = {k: v for k, v in half.items() if k != "save_draft"} | {"conclusion": "revise"}
    assert client.post(url, submitted).status_code == 302
    assert Finding.objects.filter(opinion__dossier=dossier).count() == 4
    assert not TaskDraft.objects.exists()


def test_only_the_person_holding_the_task_saves_it(people, new_dossier, client):
    dossier = advance(new_dossier(), people, 2)
    login(client, people["reviewer"])
    page = client.post(
        f"/tasks/{open_task(dossier).pk}/", {"text": "先写一点。", "save_draft": "1"}
    ).content.decode()
    assert "请先领取任务再暂存。" in page
    assert not TaskDraft.objects.exists()
