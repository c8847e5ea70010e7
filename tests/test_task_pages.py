"""Each person acts on a task page that shows what they act on: the head signs the opinion as
it will be sent, the drafter revises with each finding beside the article it cites."""

import io
import re

import docx
from django.conf import settings

from review.models import NumberSequence, Stage
from workflow.actions import open_task
from workflow.assignment import claim

from .conftest import advance, login, step

FINDINGS = {
    "findings-TOTAL_FORMS": "2",
    "findings-INITIAL_FORMS": "0",
    "findings-0-article": "第6条",
    "findings-0-point": "prohibited",
    "findings-0-text": "规范性文件不得设定行政处罚，建议删除“予以处理”中的处罚内容。",
    "findings-0-legal_basis": "《中华人民共和国行政处罚法》第十四条",
    "findings-1-article": "第三条",
    "findings-1-point": "authority",
    "findings-1-text": "县级部门职责应以本级政府规定为准。",
}
OPINION = {
    "conclusion": "revise",
    "text": "草案总体可行，部分条款需修改完善。",
    "legal_basis": "《河北省规范性文件制定规定》第十五条",
    **FINDINGS,
}
SIXTH_ARTICLE = "对违反本办法规定的行为，由有关部门依照有关法律、法规的规定予以处理。"


def page_of(client, user, dossier):
    login(client, user)
    return client.get(f"/tasks/{open_task(dossier).pk}/").content.decode()


def at_signature(dossier, people):
    advance(dossier, people, 2)
    step(dossier, people["reviewer"], OPINION)
    assert dossier.stage == Stage.HEAD_SIGN
    return dossier


def section(page, element_id):
    """The HTML of the element with ``element_id`` up to the end of its tag's block."""
    start = page.index(f'id="{element_id}"')
    tag = page.rfind("<", 0, start)
    name = re.match(r"<(\w+)", page[tag:]).group(1)
    return page[tag : page.index(f"</{name}>", start)]


def test_the_head_sees_the_opinion_as_it_will_be_sent(people, new_dossier, client):
    dossier = at_signature(new_dossier(), people)
    claim(open_task(dossier), people["head"])
    page = page_of(client, people["head"], dossier)

    assert "修改完善" in section(page, "opinion-conclusion")
    assert "部分条款需修改完善" in section(page, "opinion-text")
    assert "《河北省规范性文件制定规定》第十五条" in section(page, "opinion-basis")
    sixth = dossier.opinions.get(stage=Stage.LEGAL_REVIEW).findings.get(article="第六条")
    row = section(page, f"finding-{sixth.pk}")
    assert "建议删除“予以处理”中的处罚内容" in row and SIXTH_ARTICLE in row
    assert "预计为衡法审〔2026〕1号" in section(page, "opinion-number")
    letter = section(page, "letter-preview").replace("\n", "")  # the title is balanced
    assert "关于《衡水市城市房屋租赁管理办法（草案）》的合法性审查意见" in letter
    assert "衡法审〔2026〕（签发时编号）号" in letter
    assert "（一）关于第六条。" in letter
    assert "经审查，该文件部分内容需要修改完善" in letter
    assert 'value="sign"' in page and "同意签发" in page


def test_the_letter_preview_downloads_without_taking_a_number(people, new_dossier, client):
    dossier = at_signature(new_dossier(), people)
    login(client, people["head"])
    response = client.get(f"/tasks/{open_task(dossier).pk}/?letter=docx")
    assert response.status_code == 200
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(b"".join(response))).paragraphs)
    assert "衡法审〔2026〕（签发时编号）号" in text and "关于第六条" in text
    assert not NumberSequence.objects.filter(prefix=settings.OPINION_NUMBER_PREFIX).exists()


def test_the_drafter_revises_with_each_finding_beside_its_article(people, new_dossier, client):
    dossier = at_signature(new_dossier(), people)
    step(dossier, people["head"], {"decision": "sign", "comment": "同意。"})
    assert dossier.stage == Stage.REVISION
    opinion = dossier.opinions.get(stage=Stage.LEGAL_REVIEW)
    page = page_of(client, people["drafter"], dossier)

    assert "衡法审〔2026〕1号" in section(page, "opinion-number")
    assert "修改完善" in section(page, "opinion-conclusion")
    assert "部分条款需修改完善" in section(page, "opinion-text")
    assert "2026年12月3日" in section(page, "objection-end")
    link = section(page, "letter-link")
    assert f"/dossiers/{dossier.pk}/letters/{opinion.letter.pk}/download/" in link
    for finding in opinion.findings.all():
        row = section(page, f"finding-{finding.pk}")
        assert finding.text in row
        assert f'name="answer_{finding.pk}"' in row and f'name="reason_{finding.pk}"' in row
    sixth = section(page, f"finding-{opinion.findings.get(article='第六条').pk}")
    assert SIXTH_ARTICLE in sixth and "（第1稿）" in sixth
    assert 'name="file"' in page


def test_an_untaken_pooled_task_shows_what_it_is_about_but_no_form(people, new_dossier, client):
    dossier = at_signature(new_dossier(), people)
    page = page_of(client, people["head"], dossier)
    assert "请先领取任务再办理。" in page
    assert 'name="decision"' not in page and 'id="task-form"' not in page
    assert "部分条款需修改完善" in page and 'id="letter-preview"' in page

    claim(open_task(dossier), people["head"])
    page = page_of(client, people["head"], dossier)
    assert "请先领取任务再办理。" not in page and 'name="decision"' in page


def test_a_task_assigned_when_it_opens_needs_no_taking(people, new_dossier, client):
    dossier = at_signature(new_dossier(), people)
    step(dossier, people["head"], {"decision": "sign", "comment": "同意。"})
    page = page_of(client, people["drafter"], dossier)
    assert "请先领取任务再办理。" not in page and 'id="task-form"' in page


def test_a_submission_without_taking_the_task_still_acts_once(people, new_dossier, client):
    dossier = at_signature(new_dossier(), people)
    login(client, people["head"])
    response = client.post(f"/tasks/{open_task(dossier).pk}/", {"decision": "sign"})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.stage == Stage.REVISION
