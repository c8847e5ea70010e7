"""Reviewers and the recheck compare versions: inline, side by side, and as a Word redline."""

import datetime
import io
import re

import pytest
from docx import Document

from demo import drafts
from review.articles import parse_outline
from review.models import Dossier

from .conftest import CORPUS, advance, step
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


NATIONAL_DEFENCE_EDUCATION = [
    next((CORPUS / "laws").rglob(f"国防教育法({day}).md")) for day in ("2018-04-27", "2024-09-13")
]


def law_paragraphs(path):
    """A law of the corpus as the paragraphs of a Word draft (its Markdown marks dropped)."""
    text = path.read_text(encoding="utf-8").split("<!-- INFO END -->")[-1]
    return [line.lstrip("# ") for line in text.splitlines() if line.strip()]


@pytest.fixture
def law_revision(people, client):
    """A dossier whose first version is the 2018 text of a law and whose second its 2024
    revision: a real revision, with chapters, uploaded by the drafter."""
    client.force_login(people["drafter"])
    old, new = (law_paragraphs(p) for p in NATIONAL_DEFENCE_EDUCATION)
    client.post(
        "/dossiers/new/",
        {
            "title": "国防教育法修订对照",
            "kind": "government",
            "urgency": "normal",
            "legal_basis": "《中华人民共和国国防法》",
            "draft": drafts.upload("2018.docx", old),
        },
    )
    dossier = Dossier.objects.get(title="国防教育法修订对照")
    client.post(
        f"/dossiers/{dossier.pk}/versions/",
        {"version-note": "修订", "version-file": drafts.upload("2024.docx", new)},
    )
    assert dossier.versions.count() == 2
    return dossier


def redline(client, dossier):
    response = client.get(f"/dossiers/{dossier.pk}/compare.docx?old=1&new=2")
    return Document(io.BytesIO(b"".join(response.streaming_content)))


def test_the_page_and_the_redline_give_the_same_counts_of_articles_only(law_revision, client):
    dossier = law_revision
    page = client.get(f"/dossiers/{dossier.pk}/compare/?old=1&new=2").content.decode()
    said = re.search(r"(\d+)处条款有变化，增加(\d+)字，删除(\d+)字。", page).groups()
    listed = re.search(r"新增 (\d+)，删除 (\d+)，修改 (\d+)，移动 (\d+)，未变 (\d+)", page).groups()

    document = redline(client, dossier)
    table = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows[1:]}
    note = next(p.text for p in document.paragraphs if "接受全部修订" in p.text)
    inserted, deleted = re.match(r"共新增(\d+)字，删除(\d+)字。", note).groups()

    assert (said[1], said[2]) == (inserted, deleted)
    assert listed == tuple(table[name] for name in ("新增", "删除", "修改", "移动", "未变"))
    assert int(said[0]) == sum(int(n) for name, n in table.items() if name != "未变")
    # Every 条 of each version is counted once, and nothing else (no 章 heading).
    old, new = (dossier.versions.get(number=n).text for n in (1, 2))
    assert sum(int(table[s]) for s in ("删除", "修改", "移动", "未变")) == len(parse_outline(old))
    assert sum(int(table[s]) for s in ("新增", "修改", "移动", "未变")) == len(parse_outline(new))


def test_the_redline_names_the_drafter_and_the_day_of_the_newer_version(
    law_revision, people, client
):
    advance(law_revision, people, 1)
    # A reviewer of the legal office downloads it; the revisions are still the drafter's.
    client.force_login(people["reviewer"])
    newer = law_revision.versions.get(number=2)
    body = redline(client, law_revision).element.body
    marks = [*body.iter(f"{W}ins"), *body.iter(f"{W}del")]
    assert marks
    assert {m.get(f"{W}author") for m in marks} == {"张起草"} == {str(newer.uploaded_by)}
    when = newer.uploaded_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert {m.get(f"{W}date") for m in marks} == {when}


def test_the_reviewer_steps_through_the_changes_or_sees_only_them(law_revision, client):
    dossier = law_revision
    full = client.get(f"/dossiers/{dossier.pk}/compare/?old=1&new=2").content.decode()
    anchors = re.findall(r'id="(change-\d+)"', full)
    assert anchors == [f"change-{k}" for k in range(1, len(anchors) + 1)]
    assert 'href="#change-1"' in full and "下一处修改" in full and "上一处修改" in full
    assert f"共 {len(anchors)} 处修改" in full
    assert "删除开始" in full and "插入开始" in full

    only = client.get(f"/dossiers/{dossier.pk}/compare/?old=1&new=2&changed=1").content.decode()
    assert re.findall(r'id="(change-\d+)"', only) == anchors
    assert 'class="diff-unit diff-unchanged"' in full
    assert 'class="diff-unit diff-unchanged"' not in only
    assert 'name="changed" value="1" checked' in only
    side = client.get(
        f"/dossiers/{dossier.pk}/compare/?old=1&new=2&changed=1&view=side"
    ).content.decode()
    assert re.findall(r'id="(change-\d+)"', side) == anchors
    assert "row-unchanged" not in side
