"""The year's figures exported: a Word section in the official style, worded like the seed
report, and a workbook with every figure."""

import io

import openpyxl
import pytest
from docx import Document

from reports import figures

from .reports_year import EXPECTED, YEAR, build


@pytest.fixture
def year(people):
    return build(people)


def download(client, people, url):
    client.force_login(people["reviewer"])
    response = client.get(url)
    assert response.status_code == 200
    return response, b"".join(response.streaming_content)


def test_word_section_says_every_figure_in_the_report_s_words(year, people, client):
    response, data = download(client, people, f"/reports/export.docx?year={YEAR}")
    assert "2025" in response["Content-Disposition"] and ".docx" in response["Content-Disposition"]
    doc = Document(io.BytesIO(data))
    paragraphs = [(p.style.style_id, p.text) for p in doc.paragraphs]
    assert paragraphs[0] == ("GwTitle", "2025年度规范性文件合法性审查工作情况")
    assert [text for style, text in paragraphs if style == "GwHeading1"] == [
        "一、审查工作总体情况",
        "二、审查期限执行情况",
        "三、集体审议和报送备案情况",
        "四、文件库和清理情况",
    ]
    text = "\n".join(text for _style, text in paragraphs)
    for sentence in (
        "2025年，衡水市人民政府法制办公室共收到报送审查的规范性文件6件，"
        "全年共审查规范性文件6件（其中出具书面审查意见后审结5件，审查期限届满视为审查通过1件），出具书面审查意见6件，其中内容合法4件、修改完善1件、不予制定1件。"
        "统一登记、编号、公布规范性文件2件。",
        "审查中退回起草部门修改3件次，其中部门初审1件次、合法性审查1件次、集体审议1件次；"
        "要求补正材料1件次。",
        "已审结的6件中，按期出具书面审查意见5件，经法制机构负责人批准延长审查期限1件，"
        "逾期未出具书面审查意见1件，其中依规定视为审查通过1件。",
        "合法性审查中位数4个工作日、最长20个工作日；负责人签发审查意见中位数1个工作日、最长3个工作日",
        "提请政府常务会议审议4件，其中审议通过1件、原则通过并按会议意见修改1件、暂缓审议1件、未通过1件。",
        "公布的2件规范性文件中，按时报送备案1件，逾期报送备案1件，尚未报送备案0件。",
        "规范性文件数据库登记2025年底前公布的文件8件，其中有效6件、已废止1件、失效1件。",
        "开展规范性文件清理，共清理文件5件，其中保留2件、修改1件、废止1件、宣布失效1件。",
    ):
        assert sentence in text, sentence
    # A report leaves out what did not happen.
    assert "取消相关内容" not in text and "尚未生效" not in text


def test_word_section_is_in_the_official_body_style(year, people, client):
    _response, data = download(client, people, f"/reports/export.docx?year={YEAR}")
    doc = Document(io.BytesIO(data))
    section = doc.sections[0]
    assert (round(section.top_margin.mm), round(section.left_margin.mm)) == (37, 28)
    normal = doc.styles["Normal"]
    assert normal.font.size.pt == 16
    assert (
        normal.element.rPr.rFonts.get(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
        )
        == "仿宋_GB2312"
    )
    body = [p for p in doc.paragraphs if p.style.style_id == "Normal"]
    assert body and all(p.text.endswith(("。", "）")) for p in body)


def test_word_section_names_the_department_asked_for(year, people, client):
    market = people["drafter2"].department
    _response, data = download(
        client, people, f"/reports/export.docx?year={YEAR}&department={market.pk}"
    )
    doc = Document(io.BytesIO(data))
    assert doc.paragraphs[1].text == "（衡水市市场监督管理局）"
    assert "共收到报送审查的衡水市市场监督管理局起草的规范性文件3件" in doc.paragraphs[3].text


def test_workbook_has_every_figure(year, people, client):
    response, data = download(client, people, f"/reports/export.xlsx?year={YEAR}")
    assert ".xlsx" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["年度统计", "各环节用时", "逐月情况"]
    rows = list(book["年度统计"].iter_rows(min_row=6, values_only=True))
    found = figures.compute(figures.Scope(YEAR))
    labels = figures.labels()
    expected = [
        (str(labels[group]), str(found[group][name].label), count)
        for group, counts in EXPECTED.items()
        if group != "times"
        for name, count in counts.items()
    ]
    assert rows == expected
    times = {row[0]: row[1:] for row in book["各环节用时"].iter_rows(min_row=2, values_only=True)}
    assert times["合法性审查"] == (6, 4, 20)
    assert times["负责人签发审查意见"] == (6, 1, 3)
    assert {
        name: times[str(found["times"][name].label)][0] for name in EXPECTED["times"]
    } == EXPECTED["times"]
    months = list(book["逐月情况"].iter_rows(min_row=2, values_only=True))
    assert months[0] == ("1月", 1, 2, 0) and months[2] == ("3月", 1, 1, 1)
    assert [sum(column) for column in zip(*(m[1:] for m in months), strict=True)] == [6, 6, 2]
