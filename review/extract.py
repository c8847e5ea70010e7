"""The text of a .docx in reading order, read from word/document.xml.

python-docx's `document.paragraphs` skips tables, text boxes and content controls, and
many drafts keep their whole text in layout tables; so this walks the XML itself. Labels
that Word numbers automatically (第一章, 第一条, （一）) are not in the text runs either:
they are rebuilt from word/numbering.xml, or the outline would miss those articles.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from lxml import etree

from .articles import int_to_cn

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"

P, TBL, T, TAB, PTAB, BR, CR = (W + n for n in ("p", "tbl", "t", "tab", "ptab", "br", "cr"))
TXBX = W + "txbxContent"
NO_BREAK_HYPHEN = W + "noBreakHyphen"
ALTERNATE, CHOICE, FALLBACK = MC + "AlternateContent", MC + "Choice", MC + "Fallback"
MATH_T = M + "t"
# Deleted and moved-away revisions, field codes and property blocks show no text.
SKIPPED = frozenset(
    W + n
    for n in (
        "del",
        "moveFrom",
        "delText",
        "instrText",
        "delInstrText",
        "pPr",
        "rPr",
        "sectPr",
        "tblPr",
        "tblGrid",
        "trPr",
        "tcPr",
        "sdtPr",
        "sdtEndPr",
    )
)

PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    huge_tree=False,
    remove_comments=True,
    remove_pis=True,
)


@dataclass(frozen=True)
class Extracted:
    text: str
    paragraphs: list[str]
    tables: int
    text_boxes: int


def extract_text(docx_bytes: bytes) -> Extracted:
    """Read the body of a .docx that passed `ingest.inspect_upload`; headers and footers excluded."""
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"), parser=PARSER)
        numbering = _Numbering(
            _part(archive, "word/numbering.xml"), _part(archive, "word/styles.xml")
        )
    reader = _Reader(numbering)
    body = root.find(W + "body")
    reader.block(root if body is None else body)
    return Extracted(
        text="\n".join(reader.paragraphs),
        paragraphs=reader.paragraphs,
        tables=reader.tables,
        text_boxes=reader.text_boxes,
    )


def _branch(alternate: etree._Element) -> etree._Element | None:
    """One branch of mc:AlternateContent: both hold the same text, so reading both doubles it."""
    choice = alternate.find(CHOICE)
    return choice if choice is not None else alternate.find(FALLBACK)


class _Reader:
    def __init__(self, numbering: _Numbering) -> None:
        self.numbering = numbering
        self.paragraphs: list[str] = []
        self.tables = 0
        self.text_boxes = 0

    def block(self, container: etree._Element) -> None:
        """Body-level content: paragraphs, tables (rows, cells, nested tables) and wrappers."""
        for child in container:
            tag = child.tag
            if tag == P:
                self.paragraph(child)
            elif tag in SKIPPED or not isinstance(tag, str):
                continue
            elif tag == ALTERNATE:
                branch = _branch(child)
                if branch is not None:
                    self.block(branch)
            else:
                if tag == TBL:
                    self.tables += 1
                # Rows, cells, w:sdt and w:customXml wrappers are walked in document order.
                self.block(child)

    def paragraph(self, p: etree._Element) -> None:
        parts: list[str] = [self.numbering.label(p)]
        boxes: list[etree._Element] = []
        self.inline(p, parts, boxes)
        for line in "".join(parts).split("\n"):
            line = line.strip()
            if line:
                self.paragraphs.append(line)
        # A text box is anchored inside a run; its paragraphs follow the anchoring one, whole.
        for box in boxes:
            self.text_boxes += 1
            self.block(box)

    def inline(self, element: etree._Element, parts: list[str], boxes: list) -> None:
        for child in element:
            tag = child.tag
            if tag in (T, MATH_T):
                if child.text:
                    parts.append(child.text)
            elif tag in SKIPPED or not isinstance(tag, str):
                continue
            elif tag in (TAB, PTAB):
                parts.append("\t")
            elif tag in (BR, CR):
                parts.append("\n")
            elif tag == NO_BREAK_HYPHEN:
                parts.append("-")
            elif tag == TXBX:
                boxes.append(child)
            elif tag == ALTERNATE:
                branch = _branch(child)
                if branch is not None:
                    self.inline(branch, parts, boxes)
            else:
                self.inline(child, parts, boxes)


def _part(archive: zipfile.ZipFile, name: str) -> etree._Element | None:
    try:
        return etree.fromstring(archive.read(name), parser=PARSER)
    except KeyError:
        return None


def _val(element: etree._Element | None, child: str) -> str | None:
    found = None if element is None else element.find(W + child)
    return None if found is None else found.get(W + "val")


@dataclass(frozen=True)
class _Level:
    start: int
    fmt: str
    text: str
    suffix: str
    legal: bool
    style: str | None

    @classmethod
    def parse(cls, lvl: etree._Element) -> _Level:
        start = _val(lvl, "start")
        return cls(
            start=int(start) if start and start.lstrip("-").isdigit() else 1,
            fmt=_val(lvl, "numFmt") or "decimal",
            text=_val(lvl, "lvlText") or "",
            suffix={"space": " ", "nothing": ""}.get(_val(lvl, "suff") or "tab", "\t"),
            legal=lvl.find(W + "isLgl") is not None and _val(lvl, "isLgl") not in ("0", "false"),
            style=_val(lvl, "pStyle"),
        )


LEVEL_PLACEHOLDER = re.compile(r"%([1-9])")
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
LEGAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
EARTHLY_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
ROMAN: tuple[tuple[int, str], ...]
ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"))
ROMAN += ((50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def _format_number(value: int, fmt: str) -> str:
    """A list counter as Word shows it in the given w:numFmt."""
    if fmt in ("none", "bullet"):
        return ""
    if value <= 0 or value >= 10000:
        return str(value)
    if "Counting" in fmt or fmt in ("chineseLegalSimplified", "ideographLegalTraditional"):
        text = int_to_cn(value)
        if fmt in ("chineseLegalSimplified", "ideographLegalTraditional"):
            text = text.translate(
                str.maketrans("一二三四五六七八九十百千", "壹贰叁肆伍陆柒捌玖拾佰仟")
            )
        return text
    if fmt == "ideographDigital":
        return "".join("〇一二三四五六七八九"[int(d)] for d in str(value))
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and value <= 20:
        return CIRCLED[value - 1]
    if fmt == "decimalEnclosedParen" and value <= 20:
        return chr(0x2473 + value)
    if fmt == "decimalEnclosedFullstop" and value <= 20:
        return chr(0x2487 + value)
    if fmt in ("ideographTraditional", "ideographZodiac"):
        cycle = HEAVENLY_STEMS if fmt == "ideographTraditional" else EARTHLY_BRANCHES
        return cycle[(value - 1) % len(cycle)]
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return "".join(chr(0xFF10 + int(d)) for d in str(value))
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt in ("upperLetter", "lowerLetter"):
        letter = chr(ord("A") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman"):
        roman = ""
        for amount, symbol in ROMAN:
            count, value = divmod(value, amount)
            roman += symbol * count
        return roman if fmt == "upperRoman" else roman.lower()
    return str(value)


class _Numbering:
    """Counts Word's automatic list numbers in document order and renders their labels."""

    def __init__(self, numbering: etree._Element | None, styles: etree._Element | None):
        self.abstract: dict[str, dict[int, _Level]] = {}
        # numId -> (abstractNumId, which a malformed w:num may lack; level overrides; restarts).
        self.nums: dict[str, tuple[str | None, dict[int, _Level], dict[int, int]]] = {}
        self.style_numbering: dict[str, tuple[str | None, int | None]] = {}
        self.default_style: str | None = None
        # Word continues a list across every w:num that shares its abstract definition.
        # Keyed by abstractNumId; None gathers the (malformed) nums that lack one.
        self.counters: dict[str | None, dict[int, int]] = {}
        self.started: set[str] = set()
        if numbering is not None:
            self._read_numbering(numbering)
        if styles is not None and self.nums:
            self._read_styles(styles)

    def _read_numbering(self, root: etree._Element) -> None:
        for abstract in root.iter(W + "abstractNum"):
            levels = {}
            for lvl in abstract.iter(W + "lvl"):
                levels[int(lvl.get(W + "ilvl", "0"))] = _Level.parse(lvl)
            self.abstract[abstract.get(W + "abstractNumId")] = levels
        for num in root.iter(W + "num"):
            levels, starts = {}, {}
            for override in num.iter(W + "lvlOverride"):
                ilvl = int(override.get(W + "ilvl", "0"))
                lvl = override.find(W + "lvl")
                if lvl is not None:
                    levels[ilvl] = _Level.parse(lvl)
                start = _val(override, "startOverride")
                if start and start.isdigit():
                    starts[ilvl] = int(start)
            self.nums[num.get(W + "numId")] = (_val(num, "abstractNumId"), levels, starts)

    def _read_styles(self, root: etree._Element) -> None:
        own: dict[str, tuple[str | None, int | None, str | None]] = {}
        for style in root.iter(W + "style"):
            if style.get(W + "type") != "paragraph":
                continue
            style_id = style.get(W + "styleId")
            if style.get(W + "default") in ("1", "true"):
                self.default_style = style_id
            num_pr = style.find(f"{W}pPr/{W}numPr")
            ilvl_text = _val(num_pr, "ilvl")
            own[style_id] = (
                _val(num_pr, "numId"),
                int(ilvl_text) if ilvl_text else None,
                _val(style, "basedOn"),
            )
        for style_id in own:
            num_id: str | None = None
            ilvl: int | None = None
            seen: set[str] = set()
            current: str | None = style_id
            while current in own and current not in seen and num_id is None:
                seen.add(current)
                num_id, ilvl, current = own[current]
            self.style_numbering[style_id] = (num_id, ilvl)

    def label(self, p: etree._Element) -> str:
        if not self.nums:
            return ""
        p_pr = p.find(W + "pPr")
        num_pr = None if p_pr is None else p_pr.find(W + "numPr")
        style_id = _val(p_pr, "pStyle") or self.default_style
        style_num, style_ilvl = (
            self.style_numbering.get(style_id, (None, None))
            if style_id is not None
            else (None, None)
        )
        num_id = _val(num_pr, "numId") or style_num
        if num_id is None or num_id not in self.nums:
            return ""
        abstract_id, overrides, starts = self.nums[num_id]
        inherited = self.abstract.get(abstract_id, {}) if abstract_id is not None else {}
        levels = {**inherited, **overrides}
        ilvl_text = _val(num_pr, "ilvl")
        if ilvl_text is not None and ilvl_text.isdigit():
            ilvl = int(ilvl_text)
        elif style_ilvl is not None:
            ilvl = style_ilvl
        else:
            ilvl = next((k for k, lv in levels.items() if lv.style and lv.style == style_id), 0)
        level = levels.get(ilvl)
        if level is None or level.fmt == "bullet":
            return ""
        counters = self.counters.setdefault(abstract_id, {})
        if num_id not in self.started:
            self.started.add(num_id)
            for restart_level, start in starts.items():
                counters[restart_level] = start - 1
        counters[ilvl] = counters.get(ilvl, level.start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]

        def render(match: re.Match) -> str:
            k = int(match.group(1)) - 1
            lv = levels.get(k, level)
            value = counters.get(k, lv.start)
            return _format_number(value, "decimal" if level.legal else lv.fmt)

        text = LEVEL_PLACEHOLDER.sub(render, level.text)
        return text + level.suffix if text else ""
