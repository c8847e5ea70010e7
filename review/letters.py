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
import io
import math
import re
from dataclasses import dataclass, field

from docx import Document
from docx.document import Document as DocumentObject
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm

from review.articles import int_to_cn

FANGSONG = "仿宋_GB2312"
KAITI = "楷体_GB2312"
HEITI = "黑体"
XIAOBIAOSONG = "方正小标宋简体"
SONG = "宋体"

# Where a reader lacks the font the standard names, Word tries these in turn.
_FONT_FALLBACKS = {
    FANGSONG: "仿宋,FangSong",
    KAITI: "楷体,KaiTi",
    HEITI: "SimHei",
    XIAOBIAOSONG: "方正小标宋_GBK,宋体,SimSun",
    SONG: "SimSun",
}

RED = "FF0000"

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
TOP_MARGIN, BOTTOM_MARGIN = Mm(37), Mm(35)
LEFT_MARGIN, RIGHT_MARGIN = Mm(28), Mm(26)
BODY_SIZE_PT = 16  # 3号
TITLE_SIZE_PT = 22  # 2号
PAGE_NUMBER_SIZE_PT = 14  # 4号

# 225 mm / 22 lines = 28.99 pt; 579 twips (28.95 pt) is the largest whole-twip
# pitch that still fits 22 lines in the 12,756-twip text block.
LINE_PITCH = 579
CHAR = BODY_SIZE_PT * 20  # one 3号 character, in twips
# 28 characters of 16 pt need 448 pt; the text block is 442.25 pt. Word would squeeze
# them onto a character grid (docGrid linesAndChars, negative charSpace), but
# LibreOffice then gives every character two grid cells (13 a line). Condensing each
# character by 0.25 pt gives 28 a line in both.
CONDENSE_TWIPS = -5

_TITLE_CHARS_PER_LINE = math.floor(
    (PAGE_WIDTH - LEFT_MARGIN - RIGHT_MARGIN) / 12700 / (TITLE_SIZE_PT + CONDENSE_TWIPS / 20)
)

# Letter-format rules are 170 mm long against a 156 mm text block.
_RULE_OVERHANG = Mm(7).twips

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

_YEAR_BRACKETS = re.compile(r"[\[(（【［〔]\s*(\d{4})\s*[\])）】］〕]")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


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

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"未知的函件类型：{self.kind}")
        if self.conclusion is not None and self.conclusion not in CONCLUSIONS:
            raise ValueError(f"审查结论应为{'、'.join(CONCLUSIONS)}之一：{self.conclusion}")
        if self.kind == "supplement_request" and not self.missing_materials:
            raise ValueError("补正材料通知须列明需补正的材料")
        if self.kind == "extension_notice" and not (
            self.reason and self.extension_days and self.new_deadline
        ):
            raise ValueError("延长审查期限通知须写明延期理由、延长天数和届满日期")


def format_cn_date(date: datetime.date) -> str:
    """2026年1月8日: Arabic numerals, no padding (GB/T 9704-2012 §7.3.5.1)."""
    return f"{date.year}年{date.month}月{date.day}日"


def render_letter(letter: Letter) -> bytes:
    """The letter as a .docx file."""
    doc = new_document(first_page_letterhead=letter.issuer)
    body = doc.element.body
    add_paragraph(body, "GwNumber", runs=[(_normalize_number(letter.number), {})])
    title = _balance_title(letter.title.strip())
    add_paragraph(body, "GwTitle", before=2 * LINE_PITCH, runs=[(title, {})])
    addressee = letter.addressee.strip().rstrip(":：")
    add_paragraph(body, "GwAddressee", runs=[(f"{addressee}：", {})])

    items = _compose(letter)
    for i, (style, runs) in enumerate(items):
        # The last line of text, the signature and the date stay on one page.
        add_paragraph(body, style, runs=runs, keep_next=i == len(items) - 1)

    date = format_cn_date(letter.date)
    # Sealed-letter rule (§7.3.5.1): the date 4 characters from the right edge, the
    # issuer centred over it, two blank lines above so the seal reaches the text.
    issuer_right = max(0.0, 4 + (_text_width(date) - _text_width(letter.issuer)) / 2)
    add_paragraph(
        body,
        "GwSignature",
        runs=[(letter.issuer, {})],
        before=2 * LINE_PITCH,
        right_chars=issuer_right,
    )
    add_paragraph(body, "GwDate", runs=[(date, {})], keep_next=bool(letter.contact))
    if letter.contact:
        add_paragraph(body, runs=[(f"（{letter.contact.strip('（）()')}）", {})])

    props = doc.core_properties
    props.title = letter.title
    props.subject = KINDS[letter.kind]
    props.author = letter.signed_by or letter.issuer
    props.last_modified_by = props.author
    return save(doc)


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
    if letter.kind == "review_opinion" and letter.conclusion not in (None, "内容合法"):
        if letter.conclusion in ("取消相关内容", "修改完善"):
            tail.append(f"请{you}按照本意见对送审稿进行修改完善。")
        if letter.objection_days:
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
    return (
        f"{reason}，经{we}负责人批准，审查期限延长{letter.extension_days}个工作日，"
        f"至{format_cn_date(letter.new_deadline)}届满。"
    )


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


def _normalize_number(number: str) -> str:
    """衡法审[2026]12号 → 衡法审〔2026〕12号: the year takes 〔〕 (U+3014/U+3015)."""
    return _YEAR_BRACKETS.sub(r"〔\1〕", number.strip())


def _balance_title(title: str) -> str:
    """Break a two-line title where the words allow (§7.3.2: 词意完整, 排列对称).

    Word would wrap at the 21st character, often inside a word (送\n审稿). Break
    instead before 《 （ 的 or after 》 ）, at the place that evens the two lines out.
    A title the caller already broke with "\n", or that fits a line, is left alone.
    """
    if "\n" in title or _text_width(title) <= _TITLE_CHARS_PER_LINE:
        return title
    candidates = [i for i in range(1, len(title)) if title[i] in "《（的" or title[i - 1] in "》）"]
    fitting = [
        i
        for i in candidates
        if max(_text_width(title[:i]), _text_width(title[i:])) <= _TITLE_CHARS_PER_LINE
    ]
    if not fitting:
        return title
    best = min(fitting, key=lambda i: abs(_text_width(title[:i]) - _text_width(title[i:])))
    return f"{title[:best]}\n{title[best:]}"


def _text_width(text: str) -> float:
    """Width in 3号 characters: ASCII is half-width in the Chinese fonts."""
    return sum(0.5 if ord(c) < 128 else 1 for c in text)


# --- Building blocks shared with the redline --------------------------------------------


def new_document(first_page_letterhead: str | None = None) -> DocumentObject:
    """An empty GB/T 9704 page: A4, margins, 22 x 28 grid, styles, fonts, page numbers.

    With `first_page_letterhead`, that issuer's letter-format head and the two red
    rules go on the first page, which then carries no page number (§10.1).
    """
    doc = Document()
    _install_styles(doc)
    _install_font_table(doc)
    settings = doc.settings.element
    settings.find(qn("w:themeFontLang")).set(qn("w:eastAsia"), "zh-CN")
    doc.settings.odd_and_even_pages_header_footer = True

    section = doc.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = TOP_MARGIN, BOTTOM_MARGIN
    section.left_margin, section.right_margin = LEFT_MARGIN, RIGHT_MARGIN
    section.header_distance, section.footer_distance = Mm(30), Mm(20)
    grid = doc.element.body.find(qn("w:sectPr")).find(qn("w:docGrid"))
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH))

    # Headers stay one point high on pages 2+: an empty header of body height would
    # hang below the 37 mm margin (it starts at 30 mm) and push the text down.
    for header in (section.header, section.even_page_header):
        _fill(header.part.element, [_empty_line(20)])
    _fill(section.footer.part.element, [_page_number("right")])
    _fill(section.even_page_footer.part.element, [_page_number("left")])
    if first_page_letterhead:
        section.different_first_page_header_footer = True
        _fill(section.first_page_header.part.element, _letterhead(first_page_letterhead))
        _fill(section.first_page_footer.part.element, [_bottom_rule()])
    return doc


def save(doc: DocumentObject) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def add_paragraph(
    parent,
    style: str | None = None,
    *,
    runs=(),
    keep_next: bool = False,
    before: int | None = None,
    right_chars: float | None = None,
):
    """Append a w:p to `parent` (before a body's w:sectPr); runs are (text, add_run kwargs)."""
    p = OxmlElement("w:p")
    props = []
    if style:
        props.append(_w("w:pStyle", val=style))
    if keep_next:
        props.append(_w("w:keepNext"))
    if before is not None:
        props.append(_w("w:spacing", before=before))
    if right_chars is not None:
        props.append(
            _w("w:ind", rightChars=round(right_chars * 100), right=round(right_chars * CHAR))
        )
    if props:
        p.get_or_add_pPr().extend(props)
    for text, fmt in runs:
        add_run(p, text, **fmt)
    sect_pr = parent.find(qn("w:sectPr"))
    if sect_pr is not None:
        sect_pr.addprevious(p)
    else:
        parent.append(p)
    return p


def add_run(
    parent,
    text: str,
    *,
    style: str | None = None,
    bold: bool = False,
    font: str | None = None,
    size_pt: float | None = None,
    color: str | None = None,
    text_tag: str = "w:t",
):
    """Append a w:r; "\\n" becomes a line break. `text_tag="w:delText"` inside a w:del."""
    r = OxmlElement("w:r")
    props = []
    if style:
        props.append(_w("w:rStyle", val=style))
    if font:
        props.append(_w("w:rFonts", **dict.fromkeys(("ascii", "hAnsi", "eastAsia", "cs"), font)))
    if bold:
        props += [_w("w:b"), _w("w:bCs")]
    if color:
        props.append(_w("w:color", val=color))
    if size_pt:
        props += [_w("w:sz", val=round(size_pt * 2)), _w("w:szCs", val=round(size_pt * 2))]
    if props:
        rpr = OxmlElement("w:rPr")
        rpr.extend(props)
        r.append(rpr)
    for i, line in enumerate(_CONTROL_CHARS.sub("", text).split("\n")):
        if i:
            r.append(OxmlElement("w:br"))
        if line:
            t = OxmlElement(text_tag)
            t.set(qn("xml:space"), "preserve")
            t.text = line
            r.append(t)
    parent.append(r)
    return r


def _w(tag: str, **attrs):
    return OxmlElement(tag, {qn(f"w:{k}"): str(v) for k, v in attrs.items()})


def _rfonts(name: str) -> str:
    """All four slots, so Word uses the font for Chinese, Latin and digits alike."""
    return f'<w:rFonts w:ascii="{name}" w:hAnsi="{name}" w:eastAsia="{name}" w:cs="{name}"/>'


def _fill(root, paragraphs) -> None:
    for child in list(root):
        root.remove(child)
    root.extend(paragraphs)


def _p(xml: str):
    return parse_xml(f"<w:p {nsdecls('w')}>{xml}</w:p>")


def _empty_line(height_twips: int):
    return _p(
        f'<w:pPr><w:snapToGrid w:val="0"/>'
        f'<w:spacing w:line="{height_twips}" w:lineRule="exact"/>'
        f'<w:ind w:firstLineChars="0" w:firstLine="0"/></w:pPr>'
    )


def _letterhead(issuer: str) -> list:
    # The mark must fit the text block; 30 pt suits the usual 8-14 character names.
    size = min(30.0, math.floor(Mm(156).pt / max(_text_width(issuer), 1)))
    mark = _p(
        f'<w:pPr><w:pStyle w:val="GwIssuer"/>'
        f'<w:spacing w:line="{round(size * 20)}" w:lineRule="exact"/></w:pPr>'
    )
    add_run(mark, issuer, size_pt=size)
    # 4 mm under the mark; thick over thin.
    rule = _p(
        f'<w:pPr><w:pBdr><w:bottom w:val="thickThinSmallGap" w:sz="24" w:space="0" '
        f'w:color="{RED}"/></w:pBdr><w:snapToGrid w:val="0"/>'
        f'<w:spacing w:line="{Mm(4).twips}" w:lineRule="exact"/>'
        f'<w:ind w:left="-{_RULE_OVERHANG}" w:right="-{_RULE_OVERHANG}" '
        f'w:firstLineChars="0" w:firstLine="0"/></w:pPr>'
    )
    return [mark, rule]


def _bottom_rule():
    """Thin over thick, 20 mm above the bottom edge (the footer distance)."""
    return _p(
        f'<w:pPr><w:pBdr><w:bottom w:val="thinThickSmallGap" w:sz="24" w:space="0" '
        f'w:color="{RED}"/></w:pBdr><w:snapToGrid w:val="0"/>'
        f'<w:spacing w:line="20" w:lineRule="exact"/>'
        f'<w:ind w:left="-{_RULE_OVERHANG}" w:right="-{_RULE_OVERHANG}" '
        f'w:firstLineChars="0" w:firstLine="0"/></w:pPr>'
    )


def _page_number(side: str):
    """— 1 — in 4号 宋体, one character in from the outside edge (§7.5)."""
    indent = "rightChars" if side == "right" else "leftChars"
    twips_attr = "right" if side == "right" else "left"
    p = _p(
        f'<w:pPr><w:pStyle w:val="GwPageNumber"/>'
        f'<w:ind w:{indent}="100" w:{twips_attr}="{PAGE_NUMBER_SIZE_PT * 20}"/>'
        f'<w:jc w:val="{side}"/></w:pPr>'
    )
    add_run(p, "— ")
    for xml in (
        '<w:fldChar w:fldCharType="begin"/>',
        '<w:instrText xml:space="preserve"> PAGE </w:instrText>',
        '<w:fldChar w:fldCharType="separate"/>',
        "<w:t>1</w:t>",
        '<w:fldChar w:fldCharType="end"/>',
    ):
        p.append(parse_xml(f"<w:r {nsdecls('w')}>{xml}</w:r>"))
    add_run(p, " —")
    return p


_NO_INDENT = '<w:ind w:firstLineChars="0" w:firstLine="0"/>'
_NO_GRID = '<w:snapToGrid w:val="0"/>'
_RIGHT_4 = f'<w:ind w:right="{4 * CHAR}" w:rightChars="400" w:firstLineChars="0" w:firstLine="0"/>'

# (styleId, name, type, pPr, rPr), all based on Normal. IDs are ASCII for tools; names
# are what the clerk sees in Word's style pane.
_STYLES = [
    ("GwIssuer", "发文机关标志", "paragraph", _NO_GRID + _NO_INDENT + '<w:jc w:val="center"/>',
     f'{_rfonts(XIAOBIAOSONG)}<w:color w:val="{RED}"/>'),
    ("GwNumber", "发文字号", "paragraph", _NO_INDENT + '<w:jc w:val="right"/>', ""),
    ("GwTitle", "公文标题", "paragraph",
     '<w:keepNext/>' + _NO_GRID + _NO_INDENT + '<w:jc w:val="center"/><w:outlineLvl w:val="0"/>',
     f'{_rfonts(XIAOBIAOSONG)}<w:sz w:val="{TITLE_SIZE_PT * 2}"/>'
     f'<w:szCs w:val="{TITLE_SIZE_PT * 2}"/>'),
    ("GwSubtitle", "副标题", "paragraph", '<w:keepNext/>' + _NO_INDENT + '<w:jc w:val="center"/>',
     _rfonts(KAITI)),
    ("GwAddressee", "主送机关", "paragraph",
     f'<w:spacing w:before="{LINE_PITCH}"/>{_NO_INDENT}<w:jc w:val="left"/>', ""),
    ("GwHeading1", "一级标题", "paragraph", '<w:keepNext/><w:outlineLvl w:val="1"/>',
     _rfonts(HEITI)),
    ("GwKai", "二级标题字符", "character", "", _rfonts(KAITI)),
    ("GwSignature", "发文机关署名", "paragraph", '<w:keepNext/>' + _RIGHT_4 + '<w:jc w:val="right"/>',
     ""),
    ("GwDate", "成文日期", "paragraph", _RIGHT_4 + '<w:jc w:val="right"/>', ""),
    # 3 mm over the 20 mm footer distance: the number's top is 7 mm under the text block.
    ("GwPageNumber", "页码", "paragraph",
     f'{_NO_GRID}<w:spacing w:after="{Mm(3).twips}" w:line="{PAGE_NUMBER_SIZE_PT * 20}" '
     f'w:lineRule="exact"/>{_NO_INDENT}',
     f'{_rfonts(SONG)}<w:sz w:val="{PAGE_NUMBER_SIZE_PT * 2}"/>'
     f'<w:szCs w:val="{PAGE_NUMBER_SIZE_PT * 2}"/>'),
    ("GwTableText", "表格文字", "paragraph",
     f'{_NO_GRID}<w:spacing w:before="60" w:after="60" w:line="240" w:lineRule="auto"/>'
     f'{_NO_INDENT}<w:jc w:val="center"/>',
     f'<w:sz w:val="{PAGE_NUMBER_SIZE_PT * 2}"/><w:szCs w:val="{PAGE_NUMBER_SIZE_PT * 2}"/>'),
]  # fmt: skip


def _install_styles(doc: DocumentObject) -> None:
    styles = doc.styles.element
    size = BODY_SIZE_PT * 2
    styles.replace(
        styles.find(qn("w:docDefaults")),
        parse_xml(
            f"<w:docDefaults {nsdecls('w')}><w:rPrDefault><w:rPr>{_rfonts(FANGSONG)}"
            f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>'
            '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>'
            "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr/></w:pPrDefault></w:docDefaults>"
        ),
    )
    # Body text: justified, first line in by two characters, exactly on the line grid.
    _add_style(
        styles, "Normal", "Normal", "paragraph",
        # No automatic gap between Chinese and Latin or digits: 〔2026〕12号, not 〔2026〕12 号.
        '<w:widowControl w:val="0"/><w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>'
        f'<w:spacing w:before="0" w:after="0" w:line="{LINE_PITCH}" w:lineRule="exact"/>'
        f'<w:ind w:firstLineChars="200" w:firstLine="{2 * CHAR}"/><w:jc w:val="both"/>',
        f'{_rfonts(FANGSONG)}<w:spacing w:val="{CONDENSE_TWIPS}"/>'
        f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>',
    )  # fmt: skip
    for style_id, name, kind, ppr, rpr in _STYLES:
        _add_style(styles, style_id, name, kind, ppr, rpr)


def _add_style(styles, style_id: str, name: str, kind: str, ppr: str, rpr: str) -> None:
    based = '<w:basedOn w:val="Normal"/>' if kind == "paragraph" and style_id != "Normal" else ""
    default = ' w:default="1"' if style_id == "Normal" else ""
    element = parse_xml(
        f'<w:style {nsdecls("w")} w:type="{kind}"{default} w:styleId="{style_id}">'
        f'<w:name w:val="{name}"/>{based}<w:qFormat/>'
        f"{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{f'<w:rPr>{rpr}</w:rPr>' if rpr else ''}"
        "</w:style>"
    )
    old = styles.find(f"{qn('w:style')}[@{qn('w:styleId')}='{style_id}']")
    if old is not None:
        styles.replace(old, element)
    else:
        styles.append(element)


def _install_font_table(doc: DocumentObject) -> None:
    """Declare the standard's fonts as Chinese (GB2312) fonts with fallbacks, so a
    reader without them gets a Chinese face rather than a Latin one."""
    fonts = "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
        f'<w:family w:val="{"modern" if name in (FANGSONG, KAITI, HEITI) else "roman"}"/>'
        '<w:pitch w:val="variable"/></w:font>'
        for name, alt in _FONT_FALLBACKS.items()
    )
    blob = (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        f"<w:fonts {nsdecls('w')}>{fonts}</w:fonts>"
    ).encode()
    part = doc.part
    for r_id, rel in list(part.rels.items()):
        if rel.reltype == RT.FONT_TABLE:
            part.drop_rel(r_id)
    part.relate_to(
        Part(PackURI("/word/fontTable.xml"), CT.WML_FONT_TABLE, blob, part.package),
        RT.FONT_TABLE,
    )
