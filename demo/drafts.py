"""Demo documents for seed_demo: small but real-looking .docx drafts and materials."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from review.forms import DossierForm, MaterialForm
from review.models import Material
from workflow.actions import findings_to_answer

ARTICLES = [
    "为了规范本市{topic}，维护当事人合法权益，根据《{law}》等法律、法规，结合本市实际，制定本办法。",
    "本办法适用于本市行政区域内的{topic}及其监督管理活动。",
    "市{dept}负责本市{topic}的监督管理工作，县（市、区）人民政府有关部门按照职责分工做好相关工作。",
    "从事{topic}活动，应当遵循依法、诚信、公开的原则。",
    "有关单位应当建立健全管理制度，按照规定如实记录并公开相关信息，接受社会监督。",
    "对违反本办法规定的行为，由有关部门依照有关法律、法规的规定予以处理。",
    "本办法自公布之日起三十日后施行，有效期五年。",
]


def cn_number(n):
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("十" if tens == 1 else digits[tens] + "十") + (digits[ones] if ones else "")


def draft_text(title, topic, law, dept, extra=""):
    articles = [a.format(topic=topic, law=law, dept=dept) for a in ARTICLES]
    if extra:
        articles.insert(4, extra)
    return [title] + [f"第{cn_number(i)}条　{a}" for i, a in enumerate(articles, 1)]


def docx_bytes(paragraphs):
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def upload(name, paragraphs):
    return SimpleUploadedFile(
        name,
        docx_bytes(paragraphs),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


def material_upload(kind, title):
    label = Material.Kind(kind).label
    return upload(f"{label}.docx", [f"{title}：{label}", f"（{label}正文）"])


def checked(uploaded):
    """An upload passed through the same checks as on the page."""
    form = MaterialForm({"kind": "other"}, {"file": uploaded})
    if not form.is_valid():
        raise ValueError(form.errors.as_text())
    return form.cleaned_data["file"]


def open_dossier(drafter, title, topic, law, *, kind="government", urgency="normal", skip=()):
    """A dossier opened by ``drafter`` with its draft and the Art. 12 materials except
    the kinds in ``skip``, as the dossier page would make it."""
    department = drafter.department.name.removeprefix("衡水市")
    form = DossierForm(
        {
            "title": title,
            "kind": kind,
            "urgency": urgency,
            "urgency_reason": "" if urgency == "normal" else "市政府交办，需尽快出台。",
            "legal_basis": f"《中华人民共和国{law}》",
        },
        {"draft": upload(f"{title}.docx", draft_text(title, topic, law, department))},
    )
    if not form.is_valid():
        raise ValueError(form.errors.as_text())
    dossier = form.open_for(drafter)
    for material in Material.Kind.required():
        if material not in skip:
            Material.add(dossier, drafter, material, checked(material_upload(material, title)))
    return dossier


def adopt_all(dossier):
    """The revision page's answers adopting every finding that sent the draft back."""
    return {f"answer_{f.pk}": "adopted" for f in findings_to_answer(dossier)}
