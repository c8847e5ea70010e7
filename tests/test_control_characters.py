"""Control characters pasted from Word (\\x0b is its manual line break) are normalised where
text is typed, and never reach the XML of a .docx the office writes."""

import io
import re

from docx import Document
from viewflow.workflow.models import Task

from core.text import normalize_text
from core.typesetting import add_paragraph, new_document, save
from demo import drafts
from review.compare import compare_texts
from review.models import Dossier, Material, OutgoingLetter
from review.redline import render_redline

from .conftest import submit

TITLE = "衡水市城市房屋租赁管理办法（草案）"
PASTED_TITLE = "衡水市城市房屋租赁\x0b管理办法（草案）\x01"
# Every character XML 1.0 cannot carry: C0 controls, U+FFFE and U+FFFF, a lone surrogate
# (which no database stores, but a string in memory may hold).
STORABLE = "".join(chr(c) for c in range(32) if chr(c) not in "\t\n") + "\ufffe\uffff"
HOSTILE = STORABLE + "\ud800"
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")


def docx_text(data: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


def open_pasted_dossier(client, people):
    client.force_login(people["drafter"])
    response = client.post(
        "/dossiers/new/",
        {
            "title": PASTED_TITLE,
            "kind": "government",
            "urgency": "normal",
            "legal_basis": "《中华人民共和国城市房地产管理法》\x0b《城市房屋租赁管理办法》\x01",
            "draft": drafts.upload(
                "草案.docx", drafts.draft_text(TITLE, "房屋租赁", "城市房地产管理法", "住房局")
            ),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    dossier = Dossier.objects.get()
    for kind in Material.Kind.required():
        material = drafts.material_upload(kind, TITLE)
        response = client.post(
            f"/dossiers/{dossier.pk}/materials/",
            {"material-kind": kind, "material-file": material},
        )
        assert response.status_code == 302
    return dossier


def test_a_title_with_a_manual_line_break_passes_stage_one_and_the_redline_downloads(
    people, client
):
    dossier = open_pasted_dossier(client, people)
    # A title is one line: the break becomes a space; the other control character goes.
    assert dossier.title == "衡水市城市房屋租赁 管理办法（草案）"
    assert dossier.legal_basis == "《中华人民共和国城市房地产管理法》\n《城市房屋租赁管理办法》"

    submit(dossier, people["drafter"])
    task = Task.objects.get(process=dossier.process, status="NEW", flow_task_type="HUMAN")
    client.force_login(people["dept_legal"])
    response = client.post(
        f"/tasks/{task.pk}/",
        {"decision": "pass", "comment": "经初审，同意报送。\x0b请予审查。\x07"},
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.stage != "dept_check"
    assert dossier.opinions.get().text == "经初审，同意报送。\n请予审查。"
    letter = dossier.letters.get(kind=OutgoingLetter.Kind.INITIAL_OPINION)
    with letter.file.open("rb") as stored:
        text = docx_text(stored.read())
    assert "关于《衡水市城市房屋租赁 管理办法（草案）》的初审意见" in text.replace("\n", "")
    assert "1.《中华人民共和国城市房地产管理法》；\n2.《城市房屋租赁管理办法》。" in text

    response = client.get(f"/dossiers/{dossier.pk}/compare.docx")
    assert response.status_code == 200
    assert docx_text(b"".join(response.streaming_content)).startswith(dossier.title)


def test_a_title_stored_before_with_control_characters_still_gives_a_redline(
    people, new_dossier, client
):
    dossier = new_dossier()
    Dossier.objects.filter(pk=dossier.pk).update(title=f"衡水市{STORABLE}房屋租赁管理办法")
    client.force_login(people["drafter"])
    response = client.get(f"/dossiers/{dossier.pk}/compare.docx")
    assert response.status_code == 200
    document = Document(io.BytesIO(b"".join(response.streaming_content)))
    assert document.paragraphs[0].text.replace("\n", "") == "衡水市房屋租赁管理办法"
    assert document.core_properties.title == "衡水市   房屋租赁管理办法"  # \x0b, \x0c, \r


def test_the_redline_sets_any_character_of_its_texts():
    old, new = f"第一条　旧{HOSTILE}文。", f"第一条　新{HOSTILE}文。"
    data = render_redline(
        compare_texts(old, new), f"标题{HOSTILE}", f"第1稿{HOSTILE}", "第2稿", author=f"审{HOSTILE}"
    )
    text = docx_text(data)
    assert not CONTROL.search(text) and "第一条" in text


def test_the_typesetting_kit_sets_any_character_and_keeps_word_s_line_breaks():
    doc = new_document(first_page_letterhead=f"衡水市{HOSTILE}人民政府")
    add_paragraph(doc.element.body, runs=[(f"甲\x0b乙{HOSTILE}丙", {})])
    paragraph = Document(io.BytesIO(save(doc))).paragraphs[-1]
    assert paragraph.text == "甲\n乙\n\n\n丙"  # \x0b, \x0c and \r are line breaks too


def test_normalize_text_keeps_tabs_and_lines_and_nothing_else_of_c0():
    assert normalize_text("a\tb\r\nc\rd\x0be\x0cf\x00\x1fg\ufffeh") == "a\tb\nc\nd\ne\nfgh"
    assert normalize_text("衡水\x0b市\r\n办法", multiline=False) == "衡水 市 办法"
    assert normalize_text("😀𠀀") == "😀𠀀"  # characters beyond the BMP are fine
