"""The official letters read back from the .docx: GB/T 9704-2012 letter format."""

import io
from datetime import date

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Emu, Mm

from core.typesetting import (
    CONDENSE_TWIPS,
    FANGSONG,
    HEITI,
    KAITI,
    LINE_PITCH,
    SONG,
    XIAOBIAOSONG,
    format_cn_date,
)
from review.letters import Finding, Letter, Section, render_letter

ISSUER = "衡水市人民政府法制办公室"
DRAFT = "衡水市市区住房保障管理办法（送审稿）"


def opinion(**overrides) -> Letter:
    fields = {
        "kind": "review_opinion",
        "issuer": ISSUER,
        "number": "衡法审[2026]12号",
        "title": "关于《衡水市市区住房保障管理办法（送审稿）》的合法性审查意见书",
        "addressee": "市住房和城乡建设局",
        "document_title": DRAFT,
        "date": date(2026, 1, 8),
        "sections": [Section("基本情况", ["该办法共五章四十二条。"])],
        "legal_basis": ["《中华人民共和国行政许可法》", "《河北省规范性文件制定规定》"],
        "findings": [
            Finding(
                "第十二条",
                "第十二条规定“申请人须取得住房保障资格证后方可申请”，实际设定了行政许可，"
                "与《中华人民共和国行政许可法》第十四条不一致，建议删除",
                "《中华人民共和国行政许可法》第十四条",
            ),
            Finding(None, "部分条款表述不够严谨，建议修改完善。"),
        ],
        "conclusion": "修改完善",
        "objection_days": 5,
        "contact": "联系人：王芳，联系电话：0318-2123456",
        "signed_by": "李明",
    }
    fields.update(overrides)
    return Letter(**fields)


def read(letter: Letter):
    return Document(io.BytesIO(render_letter(letter)))


def texts(doc) -> list[str]:
    return [p.text for p in doc.paragraphs]


def paragraph(doc, text: str):
    return next(p for p in doc.paragraphs if p.text == text)


def style_element(doc, style_id: str):
    styles = doc.styles.element
    return styles.find(f"{qn('w:style')}[@{qn('w:styleId')}='{style_id}']")


def prop(element, path: str, attr: str):
    """An attribute of the first element at `path` (w:-prefixed tags, "/" separated)."""
    for tag in path.split("/"):
        element = element.find(qn(f"w:{tag}")) if element is not None else None
    return None if element is None else element.get(qn(f"w:{attr}"))


def assert_fonts(rpr_owner, name: str):
    fonts = rpr_owner.find(qn("w:rPr")).find(qn("w:rFonts"))
    for slot in ("eastAsia", "ascii", "hAnsi"):
        assert fonts.get(qn(f"w:{slot}")) == name, slot


@pytest.fixture(scope="module")
def doc():
    return read(opinion())


def test_page_is_a4_with_the_standard_margins_and_text_block(doc):
    section = doc.sections[0]
    assert section.page_width.mm == pytest.approx(210, abs=0.05)
    assert section.page_height.mm == pytest.approx(297, abs=0.05)
    assert section.top_margin.mm == pytest.approx(37, abs=0.05)
    assert section.left_margin.mm == pytest.approx(28, abs=0.05)
    assert section.right_margin.mm == pytest.approx(26, abs=0.05)
    assert section.bottom_margin.mm == pytest.approx(35, abs=0.05)
    block_w = Emu(section.page_width - section.left_margin - section.right_margin)
    block_h = Emu(section.page_height - section.top_margin - section.bottom_margin)
    assert block_w.mm == pytest.approx(156, abs=0.1)
    assert block_h.mm == pytest.approx(225, abs=0.1)


def test_twenty_two_lines_of_twenty_eight_characters_fit(doc):
    section = doc.sections[0]
    grid = doc.element.body.find(qn("w:sectPr")).find(qn("w:docGrid"))
    assert grid.get(qn("w:linePitch")) == str(LINE_PITCH)
    block_h = section.page_height.twips - section.top_margin.twips - section.bottom_margin.twips
    assert 22 * LINE_PITCH <= block_h < 23 * LINE_PITCH
    # A 16 pt character condensed by CONDENSE_TWIPS: 28 fit on a line, 29 do not.
    block_w = section.page_width.twips - section.left_margin.twips - section.right_margin.twips
    pitch = 16 * 20 + CONDENSE_TWIPS
    assert 28 * pitch <= block_w < 29 * pitch


def test_body_is_3hao_fangsong_exact_28_95pt_lines_indented_two_characters(doc):
    normal = style_element(doc, "Normal")
    assert_fonts(normal, FANGSONG)
    assert prop(normal, "rPr/sz", "val") == "32"
    assert prop(normal, "pPr/spacing", "line") == str(LINE_PITCH)
    assert prop(normal, "pPr/spacing", "lineRule") == "exact"
    assert prop(normal, "pPr/ind", "firstLineChars") == "200"
    assert prop(normal, "pPr/ind", "firstLine") == "640"
    assert prop(normal, "pPr/jc", "val") == "both"
    body = paragraph(doc, "该办法共五章四十二条。")
    assert body.style.style_id == "Normal"
    # The fonts are named even though no such font is installed, with Word fallbacks.
    font_table = doc.part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable"
    ).blob.decode()
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋,FangSong"/>' in font_table


def test_title_is_2hao_xiaobiaosong_centred_and_broken_between_words(doc):
    title = next(p for p in doc.paragraphs if p.style.style_id == "GwTitle")
    assert title.text == "关于《衡水市市区住房保障管理办法\n（送审稿）》的合法性审查意见书"
    style = style_element(doc, "GwTitle")
    assert prop(style, "pPr/jc", "val") == "center"
    assert prop(style, "pPr/ind", "firstLineChars") == "0"
    assert prop(style, "rPr/sz", "val") == "44"
    assert_fonts(style, XIAOBIAOSONG)


def test_number_is_normalised_and_right_aligned_under_the_red_rule(doc):
    first = doc.paragraphs[0]
    assert first.text == "衡法审〔2026〕12号"
    assert "\u3014" in first.text and "\u3015" in first.text
    assert prop(style_element(doc, "GwNumber"), "pPr/jc", "val") == "right"


def test_letterhead_is_red_xiaobiaosong_with_red_double_rules_on_the_first_page_only(doc):
    section = doc.sections[0]
    assert section.different_first_page_header_footer
    mark, rule = section.first_page_header.paragraphs
    assert mark.text == ISSUER
    issuer_style = style_element(doc, "GwIssuer")
    assert prop(issuer_style, "rPr/color", "val") == "FF0000"
    assert_fonts(issuer_style, XIAOBIAOSONG)
    assert prop(rule._p.pPr, "pBdr/bottom", "val") == "thickThinSmallGap"
    assert prop(rule._p.pPr, "pBdr/bottom", "color") == "FF0000"
    # 170 mm long: 7 mm beyond the 156 mm text block on each side.
    assert prop(rule._p.pPr, "ind", "left") == str(-Mm(7).twips)
    bottom_rule = section.first_page_footer.paragraphs[0]
    assert prop(bottom_rule._p.pPr, "pBdr/bottom", "val") == "thinThickSmallGap"
    assert section.header.paragraphs[0].text == ""


def test_addressee_flush_left_ending_in_a_full_width_colon(doc):
    addressee = paragraph(doc, "市住房和城乡建设局：")
    assert addressee.style.style_id == "GwAddressee"
    style = style_element(doc, "GwAddressee")
    assert prop(style, "pPr/ind", "firstLineChars") == "0"
    assert prop(style, "pPr/jc", "val") == "left"
    colon_typed = read(opinion(addressee="市住房和城乡建设局:"))
    assert "市住房和城乡建设局：" in texts(colon_typed)


def test_headings_heiti_then_kaiti_then_fangsong(doc):
    headings = [p.text for p in doc.paragraphs if p.style.style_id == "GwHeading1"]
    assert headings == ["一、基本情况", "二、审查依据", "三、审查意见", "四、审查结论"]
    assert_fonts(style_element(doc, "GwHeading1"), HEITI)
    finding = next(p for p in doc.paragraphs if p.text.startswith("（一）"))
    lead, text = finding.runs
    assert lead.text == "（一）关于第十二条。"
    assert lead.style.style_id == "GwKai"
    assert_fonts(style_element(doc, "GwKai"), KAITI)
    assert text.style.style_id != "GwKai"
    assert "1.《中华人民共和国行政许可法》；" in texts(doc)
    assert "2.《河北省规范性文件制定规定》。" in texts(doc)


def test_findings_by_article_with_their_legal_basis_and_the_conclusion(doc):
    body = "\n".join(texts(doc))
    assert (
        "（一）关于第十二条。第十二条规定“申请人须取得住房保障资格证后方可申请”，"
        "实际设定了行政许可，与《中华人民共和国行政许可法》第十四条不一致，建议删除。"
        "（依据：《中华人民共和国行政许可法》第十四条）"
    ) in body
    assert "（二）部分条款表述不够严谨，建议修改完善。" in body
    assert "经审查，该文件部分内容需要修改完善，建议按照上述意见修改后按程序办理。" in body
    assert "你局报送的《衡水市市区住房保障管理办法（送审稿）》及有关材料收悉。" in body
    assert "我办对该文件进行了合法性审查" in body
    assert "请自收到本意见之日起5个工作日内书面提出。" in body


def test_issuer_above_an_unpadded_date_four_characters_from_the_right(doc):
    all_texts = texts(doc)
    date_index = all_texts.index("2026年1月8日")
    assert all_texts[date_index - 1] == ISSUER
    date_style = style_element(doc, "GwDate")
    assert prop(date_style, "pPr/jc", "val") == "right"
    assert prop(date_style, "pPr/ind", "rightChars") == "400"
    # The issuer (12 characters) is centred over the date (6): 4 + (6 - 12) / 2 = 1.
    signature = doc.paragraphs[date_index - 1]
    assert prop(signature._p.pPr, "ind", "rightChars") == "100"
    assert all_texts[date_index + 1] == "（联系人：王芳，联系电话：0318-2123456）"
    # The last line of text, the issuer and the date are kept on one page.
    assert doc.paragraphs[date_index - 2].paragraph_format.keep_with_next


def test_format_cn_date_has_no_padding():
    assert format_cn_date(date(2026, 1, 8)) == "2026年1月8日"
    assert format_cn_date(date(2025, 10, 18)) == "2025年10月18日"


def test_page_numbers_are_page_fields_in_4hao_song_on_the_outside_edges(doc):
    section = doc.sections[0]
    assert doc.settings.odd_and_even_pages_header_footer
    for footer, side in ((section.footer, "right"), (section.even_page_footer, "left")):
        p = footer.paragraphs[0]
        assert p.style.style_id == "GwPageNumber"
        assert prop(p._p.pPr, "jc", "val") == side
        instr = "".join(t.text for t in p._p.iter(qn("w:instrText")))
        assert instr.strip() == "PAGE"
        assert p.text.startswith("— ") and p.text.endswith(" —")
    style = style_element(doc, "GwPageNumber")
    assert_fonts(style, SONG)
    assert prop(style, "rPr/sz", "val") == "28"
    first_footer = section.first_page_footer.paragraphs[0]
    assert not list(first_footer._p.iter(qn("w:instrText")))


def test_signed_by_is_the_file_author(doc):
    assert doc.core_properties.author == "李明"
    assert doc.core_properties.subject == "合法性审查意见书"


def test_supplement_request_lists_the_missing_materials_and_stops_the_clock():
    doc = read(
        opinion(
            kind="supplement_request",
            number="衡法审〔2026〕13号",
            title="关于补正《衡水市市区住房保障管理办法（送审稿）》审查材料的通知",
            sections=[],
            findings=[],
            legal_basis=[],
            conclusion=None,
            missing_materials=[
                "起草说明",
                "征求意见及采纳情况的书面材料；",
                "社会稳定风险评估报告",
            ],
        )
    )
    body = texts(doc)
    assert body[body.index("市住房和城乡建设局：") + 1].endswith("请补正下列材料：")
    assert "1.起草说明；" in body
    assert "2.征求意见及采纳情况的书面材料；" in body
    assert "3.社会稳定风险评估报告。" in body
    assert any("材料补正齐全前，审查期限不予计算" in t for t in body)
    assert "特此通知。" in body
    assert not any(p.style.style_id == "GwHeading1" for p in doc.paragraphs)


def test_initial_opinion_and_extension_notice():
    initial = texts(
        read(
            opinion(
                kind="initial_opinion",
                issuer="衡水市住房和城乡建设局",
                addressee="市人民政府法制办公室",
                sections=[],
                conclusion="内容合法",
                objection_days=None,
            )
        )
    )
    assert "一、初审依据" in initial and "二、初审意见" in initial and "三、初审结论" in initial
    assert any(t.startswith("经初审，该文件制定主体适格") for t in initial)
    assert "特此函告。" in initial
    assert any(
        "我局对《衡水市市区住房保障管理办法（送审稿）》进行了合法性初审" in t for t in initial
    )

    notice = texts(
        read(
            opinion(
                kind="extension_notice",
                sections=[],
                findings=[],
                legal_basis=[],
                conclusion=None,
                reason="该文件涉及面广，需征求市财政局等部门意见",
                extension_days=10,
                new_deadline=date(2026, 2, 10),
            )
        )
    )
    assert any(
        "因该文件涉及面广，需征求市财政局等部门意见，经我办负责人批准，"
        "审查期限延长10个工作日，至2026年2月10日届满。" in t
        for t in notice
    )


@pytest.mark.parametrize(
    "overrides",
    [
        {"kind": "memo"},
        {"conclusion": "合法"},
        {"kind": "supplement_request", "missing_materials": []},
        {"kind": "extension_notice", "reason": None},
    ],
)
def test_incomplete_letters_are_refused(overrides):
    with pytest.raises(ValueError):
        opinion(**overrides)
