"""The 公文 typesetting kit of GB/T 9704-2012: page, grid, fonts, styles, the letter-format
head and rules, page numbers, dates and document numbers.

Letters (review/letters.py), the redline, the cleanup lists and the annual report all set
their text with it, so every document the office sends looks the same.
"""

from __future__ import annotations

import datetime
import io
import math
import re

from docx import Document
from docx.document import Document as DocumentObject
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm

from core.text import normalize_text

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

TITLE_CHARS_PER_LINE = math.floor(
    (PAGE_WIDTH - LEFT_MARGIN - RIGHT_MARGIN) / 12700 / (TITLE_SIZE_PT + CONDENSE_TWIPS / 20)
)

# Letter-format rules are 170 mm long against a 156 mm text block.
_RULE_OVERHANG = Mm(7).twips

_YEAR_BRACKETS = re.compile(r"[\[(（【［〔]\s*(\d{4})\s*[\])）】］〕]")


def format_cn_date(date: datetime.date) -> str:
    """2026年1月8日: Arabic numerals, no padding (GB/T 9704-2012 §7.3.5.1)."""
    return f"{date.year}年{date.month}月{date.day}日"


def normalize_number(number: str) -> str:
    """衡法审[2026]12号 → 衡法审〔2026〕12号: the year takes 〔〕 (U+3014/U+3015)."""
    return _YEAR_BRACKETS.sub(r"〔\1〕", number.strip())


def balance_title(title: str) -> str:
    """Break a two-line title where the words allow (§7.3.2: 词意完整, 排列对称).

    Word would wrap at the 21st character, often inside a word (送\n审稿). Break
    instead before 《 （ 的 or after 》 ）, at the place that evens the two lines out.
    A title the caller already broke with "\n", or that fits a line, is left alone.
    """
    if "\n" in title or text_width(title) <= TITLE_CHARS_PER_LINE:
        return title
    candidates = [i for i in range(1, len(title)) if title[i] in "《（的" or title[i - 1] in "》）"]
    fitting = [
        i
        for i in candidates
        if max(text_width(title[:i]), text_width(title[i:])) <= TITLE_CHARS_PER_LINE
    ]
    if not fitting:
        return title
    best = min(fitting, key=lambda i: abs(text_width(title[:i]) - text_width(title[i:])))
    return f"{title[:best]}\n{title[best:]}"


def text_width(text: str) -> float:
    """Width in 3号 characters: ASCII is half-width in the Chinese fonts."""
    return sum(0.5 if ord(c) < 128 else 1 for c in text)


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
    """Append a w:r; "\\n" (or Word's own \\x0b) becomes a line break, and characters XML
    cannot carry are left out. `text_tag="w:delText"` inside a w:del."""
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
    for i, line in enumerate(normalize_text(text).split("\n")):
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
    size = min(30.0, math.floor(Mm(156).pt / max(text_width(issuer), 1)))
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
