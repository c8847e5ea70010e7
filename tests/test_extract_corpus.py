"""Nothing visible in a draft is lost or doubled when its text is read."""

import io
import re
import subprocess
import tempfile
import zipfile
from collections import Counter
from pathlib import Path

import docx
import pytest
from django.conf import settings
from lxml import etree

from review.articles import parse_outline
from review.extract import extract_text
from review.ingest import UploadRejected, inspect_upload

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
POLICIES = CORPUS / "policies"
LIMIT = 20 * 1024 * 1024
WORD = {"docx", "doc", "wps", "rtf"}

DOCX_FILES = sorted(p for p in CORPUS.rglob("*.docx") if "laws" not in p.parts)
DOC_FILES = sorted(p for p in POLICIES.rglob("*.doc") if not p.name.startswith("._"))
# A real draft that carries a VBA project (Macros storage, an ActiveX control).
MACRO_DOCS = {"印发《东莞市重大疾病医疗保险试行办法》的通知2016.doc"}
W_T = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"
FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def run_texts(docx_bytes: bytes) -> list[str]:
    """The text of every w:t in the body, read independently of the extractor."""
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    texts = []
    for t in root.iter(W_T):
        # mc:Fallback repeats its mc:Choice for older readers: Word shows one of them.
        if any(a.tag == FALLBACK for a in t.iterancestors()):
            continue
        texts.append(t.text or "")
    return texts


def squeeze(text: str) -> str:
    # Whitespace, and soft hyphens (U+00AD), which Word shows only at a line's end.
    return re.sub(r"[\s\u00ad]+", "", text)


def assert_covers(extracted: str, runs: list[str], name: str, *, exact: bool = True) -> None:
    """Every run's text is read, in order; with `exact`, nothing else is (nothing doubled)."""
    flat = squeeze(extracted)
    expected = Counter(squeeze("".join(runs)))
    got = Counter(flat)
    if exact:
        assert got - expected == Counter(), f"{name}: characters read twice or invented"
    assert expected - got == Counter(), f"{name}: characters lost"
    cursor = 0
    for run in runs:
        piece = squeeze(run)
        if not piece:
            continue
        found = flat.find(piece, cursor)
        assert found >= 0, f"{name}: {piece!r} missing or out of order"
        cursor = found + len(piece)


def test_the_corpus_has_docx_and_doc_files():
    assert len([p for p in DOCX_FILES if POLICIES in p.parents]) >= 60
    assert len(DOC_FILES) >= 10


@pytest.mark.parametrize("path", DOCX_FILES, ids=lambda p: p.name)
def test_every_corpus_docx_reads_every_run_once_in_order(path):
    ingested = inspect_upload(path.read_bytes(), path.name, max_bytes=LIMIT, allow=WORD)
    extracted = extract_text(ingested.docx)
    assert extracted.text == "\n".join(extracted.paragraphs)
    assert all(p == p.strip() and p for p in extracted.paragraphs)
    assert_covers(extracted.text, run_texts(ingested.docx), path.name)


def test_text_kept_in_layout_tables_is_read():
    path = POLICIES / "天津" / "关于落实《天津市限价商品住房管理暂行办法》有关问题的通知.docx"
    phrase = "限价商品住房申请人家庭人均年收入线标准为2.5万元"
    # python-docx's paragraphs miss it: the whole notice sits in a table cell.
    assert phrase not in "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert phrase in extract_text(path.read_bytes()).text


def test_line_breaks_inside_a_paragraph_become_lines():
    path = POLICIES / "重庆" / "重庆市2016年全国普通高等学校招生工作实施办法.docx"
    paragraphs = extract_text(path.read_bytes()).paragraphs
    assert "2.下列人员不得报名：" in paragraphs


def lo_plain_text(path: Path) -> str:
    """LibreOffice's own plain-text export: a reading of the .doc independent of ours."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / ("input" + path.suffix)
        source.write_bytes(path.read_bytes())
        subprocess.run(
            [
                settings.SOFFICE_BINARY,
                f"-env:UserInstallation={(Path(tmp) / 'profile').as_uri()}",
                "--headless",
                "--convert-to",
                "txt:Text (encoded):UTF8",
                "--outdir",
                tmp,
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        return (Path(tmp) / "input.txt").read_text(encoding="utf-8-sig")


@pytest.mark.libreoffice
@pytest.mark.parametrize("path", DOC_FILES, ids=lambda p: p.name)
def test_every_corpus_doc_converts_and_reads_everything(path):
    data = path.read_bytes()
    if path.name in MACRO_DOCS:
        with pytest.raises(UploadRejected, match="宏"):
            inspect_upload(data, path.name, max_bytes=LIMIT, allow=WORD)
        return
    if data.lstrip().startswith(b"<!DOCTYPE"):
        # Web pages saved with a .doc name: refused, with a message saying so.
        with pytest.raises(UploadRejected, match="网页"):
            inspect_upload(data, path.name, max_bytes=LIMIT, allow=WORD)
        return
    ingested = inspect_upload(data, path.name, max_bytes=LIMIT, allow=WORD)
    assert ingested.kind == "doc"
    extracted = extract_text(ingested.docx)
    # Automatic list labels (第一章, （一）) are in no run: LibreOffice's own text export,
    # which writes them out, is the reference for the characters.
    assert_covers(extracted.text, run_texts(ingested.docx), path.name, exact=False)
    assert Counter(squeeze(extracted.text)) == Counter(squeeze(lo_plain_text(path)))


def build_docx(document: docx.document.Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)


def xml(fragment: str) -> etree._Element:
    return etree.fromstring(f"<w:wrap {NS}>{fragment}</w:wrap>")[0]


def text_box_run(text: str) -> etree._Element:
    """A run holding a text box the way Word writes it: DrawingML, with a VML fallback."""
    box = f"<w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent>"
    return xml(
        "<w:r><mc:AlternateContent>"
        f'<mc:Choice Requires="wps"><w:drawing><wps:txbx>{box}</wps:txbx></w:drawing></mc:Choice>'
        f"<mc:Fallback><w:pict><v:shape><v:textbox>{box}</v:textbox></v:shape></w:pict>"
        "</mc:Fallback></mc:AlternateContent></w:r>"
    )


def test_tables_nested_tables_merged_cells_and_text_boxes_in_reading_order():
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "页眉不是正文"
    anchor = document.add_paragraph("锚定段落")
    anchor._p.append(text_box_run("文本框内容"))
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).text = "甲"
    merged = table.cell(0, 1).merge(table.cell(0, 2))
    merged.text = "合并单元格"
    table.cell(1, 0).text = "乙"
    nested = table.cell(1, 1).add_table(rows=1, cols=2)
    nested.cell(0, 0).text = "嵌套一"
    nested.cell(0, 1).text = "嵌套二"
    table.cell(1, 2).text = "丙"
    vertical = document.add_table(rows=2, cols=1)
    vertical.cell(0, 0).merge(vertical.cell(1, 0)).text = "纵向合并"
    document.add_paragraph("表后段落")

    extracted = extract_text(build_docx(document))

    assert extracted.paragraphs == [
        "锚定段落",
        "文本框内容",
        "甲",
        "合并单元格",
        "乙",
        "嵌套一",
        "嵌套二",
        "丙",
        "纵向合并",
        "表后段落",
    ]
    assert (extracted.tables, extracted.text_boxes) == (3, 1)


def test_content_controls_hyperlinks_fields_and_revisions():
    document = docx.Document()
    body = document.element.body
    paragraphs = [
        "<w:sdt><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>控件内容</w:t></w:r></w:p>"
        "</w:sdtContent></w:sdt>",
        '<w:p><w:hyperlink r:id="rId99"><w:r><w:t>链接文字</w:t></w:r></w:hyperlink></w:p>',
        '<w:p><w:r><w:t xml:space="preserve">见第</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        "<w:r><w:instrText> PAGEREF _Toc1 \\h </w:instrText></w:r>"
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t>页</w:t></w:r></w:p>',
        '<w:p><w:fldSimple w:instr=" DATE "><w:r><w:t>2018年1月18日</w:t></w:r></w:fldSimple></w:p>',
        "<w:p><w:r><w:t>保留</w:t></w:r><w:del><w:r><w:delText>删去</w:delText></w:r></w:del>"
        "<w:ins><w:r><w:t>新增</w:t></w:r></w:ins></w:p>",
        "<w:p><w:r><w:t>第一行</w:t><w:br/><w:t>第二行</w:t><w:tab/><w:t>制表</w:t></w:r></w:p>",
    ]
    for fragment in paragraphs:
        body.insert(len(body) - 1, xml(fragment))

    extracted = extract_text(build_docx(document))

    assert extracted.paragraphs == [
        "控件内容",
        "链接文字",
        "见第3页",
        "2018年1月18日",
        "保留新增",
        "第一行",
        "第二行\t制表",
    ]
    assert "PAGEREF" not in extracted.text


def test_automatic_list_numbers_are_read_as_labels():
    document = docx.Document()
    numbering = document.part.numbering_part.element
    definition = xml(
        '<w:abstractNum w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="第%1条"/><w:suff w:val="space"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="（%2）"/><w:suff w:val="nothing"/></w:lvl>'
        "</w:abstractNum>"
    )
    numbering.insert(0, definition)
    numbering.append(xml('<w:num w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    lines = [(0, "为了规范管理，制定本办法。"), (0, "下列事项应当公开："), (1, "收费标准；")]
    lines += [(1, "办理时限。"), *[(0, f"内容{k}。") for k in range(8)]]
    for ilvl, text in lines:
        paragraph = document.add_paragraph(text)
        paragraph._p.get_or_add_pPr().append(
            xml(f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="90"/></w:numPr>')
        )

    extracted = extract_text(build_docx(document))

    assert extracted.paragraphs[:4] == [
        "第一条 为了规范管理，制定本办法。",
        "第二条 下列事项应当公开：",
        "（一）收费标准；",
        "（二）办理时限。",
    ]
    assert extracted.paragraphs[-1] == "第十条 内容7。"
    outline = parse_outline(extracted.text)
    assert [a.label for a in outline][:3] == ["第一条", "第二条", "第三条"]
    assert [i.label for i in outline[1].items] == ["（一）", "（二）"]
