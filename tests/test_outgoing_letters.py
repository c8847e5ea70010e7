"""Every signed opinion leaves as a GB/T 9704 letter, stored once with its hash."""

import hashlib
import io

from django.utils import timezone
from docx import Document
from docx.shared import Mm

from demo.payloads import COMPLETE, REVISE, SIGN
from review.models import OutgoingLetter

from .conftest import advance, step, submit


def read(letter):
    letter.file.open("rb")
    data = letter.file.read()
    letter.file.close()
    return data


def text_of(data):
    document = Document(io.BytesIO(data))
    return "\n".join(p.text for p in document.paragraphs), document


def test_the_letters_of_a_review(people, new_dossier, client):
    dossier = new_dossier()
    submit(dossier, people["drafter"])
    step(dossier, people["dept_legal"], {"decision": "pass", "comment": "经初审，同意报送。"})
    step(
        dossier,
        people["reviewer"],
        {"decision": "supplement", "missing": ["risk_assessment"], "comment": ""},
    )
    kinds = list(dossier.letters.values_list("kind", flat=True))
    assert kinds == [OutgoingLetter.Kind.INITIAL_OPINION, OutgoingLetter.Kind.SUPPLEMENT_REQUEST]
    initial = dossier.letters.get(kind="initial_opinion")
    assert initial.number == f"衡住建函〔{timezone.localdate().year}〕1号"
    supplement_text, _ = text_of(read(dossier.letters.get(kind="supplement_request")))
    assert "社会稳定风险评估报告" in supplement_text

    from demo import drafts

    step(
        dossier,
        people["drafter"],
        {"comment": ""},
        {"risk_assessment": drafts.material_upload("risk_assessment", "x")},
    )
    step(dossier, people["reviewer"], COMPLETE)
    step(dossier, people["reviewer"], REVISE)
    assert not dossier.letters.filter(kind="review_opinion").exists()  # not before signature
    step(dossier, people["head"], SIGN)  # every opinion leaves signed by the head
    revise_letter = dossier.opinions.get(conclusion="revise").letter
    assert revise_letter.opinion.signed_by == people["head"]
    text, document = text_of(read(revise_letter))
    assert "第六条" in text and "修改完善" in text
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert round(section.top_margin.mm) == 37 and abs(section.left_margin - Mm(28)) < Mm(0.5)

    data = read(revise_letter)
    assert (
        hashlib.sha256(data).hexdigest() == revise_letter.sha256 and len(data) == revise_letter.size
    )

    # Downloads follow the dossier's visibility.
    url = f"/dossiers/{dossier.pk}/letters/{revise_letter.pk}/download/"
    client.force_login(people["drafter"])
    assert client.get(url).status_code == 200
    client.force_login(people["drafter2"])
    assert client.get(url).status_code == 404


def test_the_signed_review_opinion_carries_its_number(people, new_dossier):
    dossier = new_dossier()
    advance(dossier, people, 3)
    assert not dossier.letters.filter(kind="review_opinion").exists()  # not before signature
    step(dossier, people["head"], SIGN)
    opinion = dossier.opinions.get(conclusion="lawful")
    letter = opinion.letter
    assert letter.number == opinion.number
    text, _ = text_of(read(letter))
    assert opinion.number.replace("〔", "〔") in text and "内容合法" in text
