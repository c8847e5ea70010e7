"""Reviewers and the recheck compare versions: inline, side by side, and as a Word redline."""

import io

from docx import Document

from .conftest import advance, step
from .helpers import revised

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def test_two_versions_compared_three_ways(people, new_dossier, client):
    dossier = new_dossier()
    client.force_login(people["drafter"])
    data, files = revised(dossier, "新增一条：建立租赁信息公开制度。")
    client.post(
        f"/dossiers/{dossier.pk}/versions/",
        {"version-note": data["note"], "version-file": files["file"]},
    )
    assert dossier.versions.count() == 2

    page = client.get(f"/dossiers/{dossier.pk}/compare/?old=1&new=2").content.decode()
    assert "<ins" in page and "建立租赁信息公开制度" in page
    side = client.get(f"/dossiers/{dossier.pk}/compare/?old=1&new=2&view=side").content.decode()
    assert "第1稿" in side and "第2稿" in side and "建立租赁信息公开制度" in side

    response = client.get(f"/dossiers/{dossier.pk}/compare.docx?old=1&new=2")
    document = Document(io.BytesIO(b"".join(response.streaming_content)))
    inserted = "".join(
        t.text
        for t in document.element.body.iter(f"{W}t")
        if t.getparent().getparent().tag == f"{W}ins"
    )
    assert "建立租赁信息公开制度" in inserted

    assert client.get(f"/dossiers/{dossier.pk}/compare/?old=1&new=9").status_code == 404
    client.force_login(people["drafter2"])
    assert client.get(f"/dossiers/{dossier.pk}/compare/").status_code == 404


def test_the_recheck_shows_changes_since_the_meeting(people, new_dossier, client):
    dossier = new_dossier()
    advance(dossier, people, 4)
    meeting = {
        "meeting": "第3次常务会议",
        "held_on": "2026-11-02",
        "outcome": "amend",
        "notes": "增加公开要求。",
    }
    step(dossier, people["secretary"], meeting)
    step(dossier, people["drafter"], *revised(dossier, "租赁信息应当向社会公开。"))
    task = dossier.process.task_set.get(status="NEW", flow_task_type="HUMAN")
    client.force_login(people["clerk"])
    page = client.get(f"/tasks/{task.pk}/").content.decode()
    assert "与常务会议审议通过文本（第1稿）对照" in page
    assert "<ins" in page and "租赁信息应当向社会公开" in page
