"""The cleanup result as files: an .xlsx workbook and a .docx list in the official style.

The .docx uses the GB/T 9704 page and styles of review.letters: body 仿宋_GB2312 16 pt,
title 方正小标宋简体 22 pt centred, headings 黑体, fonts named in w:eastAsia so that a
reader's Word uses them even where they are not installed.
"""

import io

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from core.spreadsheets import append_row
from core.typesetting import add_paragraph, format_cn_date, new_document, save
from review.articles import int_to_cn
from search.cleanup import count_sentence, result_lists
from search.models import Decision

_CN_DATE = 'yyyy"年"m"月"d"日"'


def _columns():
    return [
        _("序号"),
        _("文件名称"),
        _("文号"),
        _("制定机关"),
        _("公布日期"),
        _("施行日期"),
        _("清理意见"),
        _("理由"),
    ]


def campaign_xlsx(campaign) -> bytes:
    """One sheet per list, in the order of the published result, plus a summary."""
    book = Workbook()
    summary = book.active
    summary.title = _("汇总")
    append_row(summary, [campaign.title])
    append_row(summary, [count_sentence(campaign)])
    summary["A1"].font = Font(bold=True, size=14)
    for result in result_lists(campaign):
        append_row(summary, [result.title, len(result.items)])
        sheet = book.create_sheet(result.title[:31])
        append_row(sheet, _columns())
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for n, item in enumerate(result.items, start=1):
            doc = item.document
            append_row(
                sheet,
                [
                    n,
                    doc.title,
                    doc.number,
                    doc.issuer,
                    doc.published_on,
                    doc.effective_on,
                    item.get_decision_display(),
                    item.reason,
                ],
            )
        for row in sheet.iter_rows(min_row=2):
            for cell in row[4:6]:
                cell.number_format = _CN_DATE
            row[7].alignment = Alignment(wrap_text=True, vertical="top")
        for letter, width in zip("ABCDEFGH", (6, 48, 22, 24, 16, 16, 10, 48), strict=True):
            sheet.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def campaign_docx(campaign) -> bytes:
    """The result as published: title, the count sentence, then the four lists."""
    doc = new_document()
    body = doc.element.body
    add_paragraph(body, "GwTitle", runs=[(_("%(t)s结果") % {"t": campaign.title}, {})])
    add_paragraph(body, runs=[("", {})])
    lists = result_lists(campaign)
    total = sum(len(r.items) for r in lists)
    add_paragraph(
        body,
        runs=[
            (
                _("经清理，共审查规范性文件%(n)s件，其中%(counts)s。现将清理结果公布如下。")
                % {"n": total, "counts": count_sentence(campaign)},
                {},
            )
        ],
    )
    for number, result in enumerate(lists, start=1):
        add_paragraph(
            body,
            "GwHeading1",
            keep_next=True,
            runs=[(f"{int_to_cn(number)}、{result.title}（{len(result.items)}件）", {})],
        )
        if not result.items:
            add_paragraph(body, runs=[(_("无。"), {})])
        for n, item in enumerate(result.items, start=1):
            add_paragraph(body, runs=[(_entry(n, item), {})])
    add_paragraph(body, runs=[("", {})])
    add_paragraph(body, "GwSignature", runs=[(settings.GOVERNMENT_NAME, {})])
    if campaign.published_on:
        add_paragraph(body, "GwDate", runs=[(format_cn_date(campaign.published_on), {})])
    return save(doc)


def _entry(n, item) -> str:
    doc = item.document
    facts = [doc.number] if doc.number else []
    if doc.published_on:
        facts.append(_("%(d)s公布") % {"d": format_cn_date(doc.published_on)})
    text = f"{n}. 《{doc.title}》"
    if facts:
        text += f"（{'，'.join(facts)}）"
    if item.decision != Decision.RETAIN and item.reason:
        text += _("。理由：%(r)s") % {"r": item.reason.rstrip("。")} + "。"
    return text
