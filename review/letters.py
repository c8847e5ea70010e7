"""Official letters of the legality review as .docx in the GB/T 9704-2012 letter format.

The letter format (信函格式, GB/T 9704-2012 §10.1) is the one the standard names for
letters such as an opinion letter:

- the issuer's mark in red 小标宋, centred, its top edge 30 mm below the top of the
  page, with a red double rule (thick over thin) 4 mm under it, 170 mm long;
- the number (发文字号) flush with the right edge of the text block, under that rule
  (not centred under the mark, which is the rule of the document format, §7.2.4);
- the title two lines lower, the addressee one line under the title;
- a red double rule (thin over thick) 20 mm above the bottom edge of the first page;
- no page number on the first page; "— 1 —" on the others, outside edges.

The mark and the two rules live in the first-page header and footer, so the clerk
editing the body cannot disturb them and the later pages carry none.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from core.text import normalize_text
from core.typesetting import (
    LINE_PITCH,
    add_paragraph,
    balance_title,
    format_cn_date,
    new_document,
    normalize_number,
    save,
    text_width,
)
from review.articles import int_to_cn

KINDS = {
    "initial_opinion": "初审意见函",
    "review_opinion": "合法性审查意见书",
    "supplement_request": "补正材料通知",
    "extension_notice": "延长审查期限通知",
}

# Art. 17 of the 2010 Hebei rules; the phrase follows "经审查，" in the conclusion.
CONCLUSIONS = {
    "内容合法": "该文件制定主体适格，内容符合法律、法规、规章和国家政策规定，内容合法。",
    "不予制定": "该文件不符合制定规范性文件的条件，建议不予制定。",
    "暂缓制定": "该文件制定条件尚不成熟，建议暂缓制定。",
    "取消相关内容": "该文件部分内容违反上位法规定，建议取消上述相关内容。",
    "修改完善": "该文件部分内容需要修改完善，建议按照上述意见修改后按程序办理。",
}


@dataclass
class Finding:
    """One problem found in the draft, tied to an article where it has one."""

    article_label: str | None
    text: str
    legal_basis: str | None = None


@dataclass
class Section:
    """A numbered part of the letter (一、heading) with its paragraphs."""

    heading: str
    paragraphs: list[str] = field(default_factory=list)


@dataclass(kw_only=True)
class Letter:
    """Everything a letter says. Fixed wording per kind is added by `render_letter`.

    `paragraphs` replaces the default opening; `sections` come before the generated
    ones (审查依据, 审查意见, 审查结论) and share their numbering; `closing` follows them.
    `objection_days` (Art. 18, a provincial setting) adds the objection sentence to a
    review opinion. `signed_by` is recorded as the file's author: the letter format
    has no 签发人 line. `contact` is printed as the 附注 under the date.
    """

    kind: str
    issuer: str
    number: str
    title: str
    addressee: str
    document_title: str
    date: datetime.date
    paragraphs: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    conclusion: str | None = None
    findings: list[Finding] = field(default_factory=list)
    legal_basis: list[str] = field(default_factory=list)
    missing_materials: list[str] = field(default_factory=list)
    reason: str | None = None
    extension_days: int | None = None
    new_deadline: datetime.date | None = None
    objection_days: int | None = None
    closing: list[str] = field(default_factory=list)
    contact: str | None = None
    signed_by: str | None = None
    # Written after the review period ran out (Art. 16): sent, but only as advice.
    late: bool = False

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"未知的函件类型：{self.kind}")
        if self.conclusion is not None and self.conclusion not in CONCLUSIONS:
            raise ValueError(f"审查结论应为{'、'.join(CONCLUSIONS)}之一：{self.conclusion}")
        if self.kind == "supplement_request" and not self.missing_materials:
            raise ValueError("补正材料通知须列明需补正的材料")
        if self.kind == "extension_notice" and not (self.reason and self.extension_days):
            raise ValueError("延长审查期限通知须写明延期理由和延长天数")


def render_letter(letter: Letter) -> bytes:
    """The letter as a .docx file."""
    doc = new_document(first_page_letterhead=letter.issuer)
    body = doc.element.body
    add_paragraph(body, "GwNumber", runs=[(normalize_number(letter.number), {})])
    title = balance_title(letter.title.strip())
    add_paragraph(body, "GwTitle", before=2 * LINE_PITCH, runs=[(title, {})])
    add_paragraph(body, "GwAddressee", runs=[(_addressee_line(letter), {})])

    items = _compose(letter)
    for i, (style, runs) in enumerate(items):
        # The last line of text, the signature and the date stay on one page.
        add_paragraph(body, style, runs=runs, keep_next=i == len(items) - 1)

    date = format_cn_date(letter.date)
    # Sealed-letter rule (§7.3.5.1): the date 4 characters from the right edge, the
    # issuer centred over it, two blank lines above so the seal reaches the text.
    issuer_right = max(0.0, 4 + (text_width(date) - text_width(letter.issuer)) / 2)
    add_paragraph(
        body,
        "GwSignature",
        runs=[(letter.issuer, {})],
        before=2 * LINE_PITCH,
        right_chars=issuer_right,
    )
    add_paragraph(body, "GwDate", runs=[(date, {})], keep_next=bool(letter.contact))
    if letter.contact:
        add_paragraph(body, runs=[(_contact_line(letter), {})])

    props = doc.core_properties
    # Core properties are XML too: a pasted control character must not break the letter.
    props.title = normalize_text(letter.title, multiline=False)
    props.subject = KINDS[letter.kind]
    props.author = normalize_text(letter.signed_by or letter.issuer, multiline=False)
    props.last_modified_by = props.author
    return save(doc)


def preview(letter: Letter) -> list[tuple[str, str]]:
    """The letter as (part, text) lines for a page to show before it is sent; parts are
    number, title, addressee, heading, body, signature, date and contact."""
    parts = {None: "body", "GwHeading1": "heading"}
    lines = [
        ("number", normalize_number(letter.number)),
        ("title", balance_title(letter.title.strip())),
        ("addressee", _addressee_line(letter)),
    ]
    lines += [(parts[style], "".join(t for t, _f in runs)) for style, runs in _compose(letter)]
    lines += [("signature", letter.issuer), ("date", format_cn_date(letter.date))]
    return lines + ([("contact", _contact_line(letter))] if letter.contact else [])


def _addressee_line(letter: Letter) -> str:
    return f"{letter.addressee.strip().rstrip(':：')}："


def _contact_line(letter: Letter) -> str:
    return f"（{letter.contact.strip('（）()')}）"


def _compose(letter: Letter) -> list[tuple[str | None, list[tuple[str, dict]]]]:
    """The body below the addressee as (paragraph style, runs) pairs."""
    we, you = "我" + _short_name(letter.issuer), "你" + _short_name(letter.addressee)
    doc_title = letter.document_title.strip()
    if not doc_title.startswith("《"):
        doc_title = f"《{doc_title}》"
    review = "初审" if letter.kind == "initial_opinion" else "审查"
    opening = letter.paragraphs or _default_opening(letter, we, you, doc_title)
    texts = list(opening)
    if letter.kind == "supplement_request":
        texts += _numbered(letter.missing_materials)
        texts.append(
            f"请将上述材料补正后报送{we}。材料补正齐全前，审查期限不予计算；"
            f"审查期限自{we}收到齐全材料之日起计算。"
        )
    if letter.kind == "extension_notice" and letter.paragraphs:
        texts.append(_extension_sentence(letter, we))
    items: list[tuple[str | None, list[tuple[str, dict]]]] = [(None, [(t, {})]) for t in texts]

    sections = [(s.heading, [[(p, {})] for p in s.paragraphs]) for s in letter.sections]
    if letter.kind in ("initial_opinion", "review_opinion"):
        if letter.legal_basis:
            basis = [
                f"本次{review}依据下列法律、法规、规章和有关规定：",
                *_numbered(letter.legal_basis),
            ]
            sections.append((f"{review}依据", [[(t, {})] for t in basis]))
        if letter.findings:
            findings = [_finding_runs(i, f) for i, f in enumerate(letter.findings, 1)]
            sections.append((f"{review}意见", findings))
        if letter.conclusion:
            conclusion = f"经{review}，{CONCLUSIONS[letter.conclusion]}"
            sections.append((f"{review}结论", [[(conclusion, {})]]))
    for number, (heading, paragraphs) in enumerate(sections, 1):
        items.append(("GwHeading1", [(f"{int_to_cn(number)}、{heading}", {})]))
        items += [(None, runs) for runs in paragraphs]

    tail = []
    if letter.kind == "review_opinion" and letter.late:
        tail.append(
            f"本意见系审查期限届满后出具。依规定，该送审稿已视为通过合法性审查，本意见仅供{you}参考。"
        )
    elif letter.kind == "review_opinion" and letter.conclusion in ("取消相关内容", "修改完善"):
        tail.append(f"请{you}按照本意见对送审稿进行修改完善。")
    # Art. 18: an objection may be raised whatever the conclusion.
    if letter.kind == "review_opinion" and letter.objection_days and not letter.late:
        tail.append(
            f"对本意见有异议的，请自收到本意见之日起{letter.objection_days}个工作日内书面提出。"
        )
    tail += letter.closing
    tail += [_CLOSING_FORMULA[letter.kind]] if letter.kind in _CLOSING_FORMULA else []
    return items + [(None, [(t, {})]) for t in tail]


_CLOSING_FORMULA = {
    "initial_opinion": "特此函告。",
    "supplement_request": "特此通知。",
    "extension_notice": "特此通知。",
}


def _default_opening(letter: Letter, we: str, you: str, doc_title: str) -> list[str]:
    match letter.kind:
        case "initial_opinion":
            return [
                f"根据规范性文件制定的有关规定，{we}对{doc_title}进行了合法性初审。"
                "现将初审意见函告如下："
            ]
        case "review_opinion":
            return [
                f"{you}报送的{doc_title}及有关材料收悉。根据规范性文件制定的有关规定，"
                f"{we}对该文件进行了合法性审查，现提出审查意见如下："
            ]
        case "supplement_request":
            return [
                f"{you}报送的{doc_title}及有关材料收悉。经审查，报送材料不齐全。"
                "根据规范性文件制定的有关规定，请补正下列材料："
            ]
        case _:
            opening = f"{you}报送的{doc_title}，{we}正在进行合法性审查。"
            return [opening + _extension_sentence(letter, we)]


def _extension_sentence(letter: Letter, we: str) -> str:
    reason = letter.reason.rstrip("。，,")
    if not reason.startswith("因"):
        reason = f"因{reason}"
    extended = f"{reason}，经{we}负责人批准，审查期限延长{letter.extension_days}个工作日"
    if letter.new_deadline is None:
        # The new end lies in a year whose holidays are not yet published.
        return f"{extended}，届满日期待下一年度节假日安排公布后确定并另行告知。"
    return f"{extended}，至{format_cn_date(letter.new_deadline)}届满。"


def _finding_runs(index: int, finding: Finding) -> list[tuple[str, dict]]:
    lead = f"（{int_to_cn(index)}）"
    if finding.article_label:
        lead += f"关于{finding.article_label}。"
    text = _end_sentence(finding.text)
    if finding.legal_basis:
        text += f"（依据：{finding.legal_basis.rstrip('。')}）"
    return [(lead, {"style": "GwKai"}), (text, {})]


def _numbered(items: list[str]) -> list[str]:
    """1.甲；2.乙。: the third level of GB/T 9704 numbering, in 仿宋."""
    last = len(items)
    return [
        f"{i}.{item.strip().rstrip('。；;，, ')}{'。' if i == last else '；'}"
        for i, item in enumerate(items, 1)
    ]


def _end_sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith(("。", "！", "？", "；", "）")) else f"{text}。"


def _short_name(body: str) -> str:
    """市住房和城乡建设局 → 局, so the letter says 你局 / 我办 as real ones do."""
    body = body.strip().rstrip(":：")
    for suffix, short in (("办公室", "办"), ("委员会", "委"), ("人民政府", "单位")):
        if body.endswith(suffix):
            return short
    if body[-1:] in "局委办厅院署处":
        return body[-1]
    return "单位"
