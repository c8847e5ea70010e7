"""The year's figures as files: a Word section in the official body style, to go into the
annual report, and a workbook with every figure."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from core import typesetting
from core.spreadsheets import append_row
from review.articles import int_to_cn

from .figures import GROUPS, per_month
from .wording import documents, sections


def title(scope):
    return _("%(year)s年度规范性文件合法性审查工作情况") % {"year": scope.year}


def scope_line(scope):
    """The department and issuer asked for, as "（衡水市市场监督管理局）"; else empty."""
    parts = [p for p in (scope.department and scope.department.name, scope.issuer) if p]
    return f"（{'　'.join(parts)}）" if parts else ""


def docx(scope, groups):
    """Title, headings 一、二、… in 黑体 and paragraphs in 仿宋 (GB/T 9704), one sentence
    group per heading, then where the figures come from."""
    doc = typesetting.new_document()
    body = doc.element.body
    typesetting.add_paragraph(body, "GwTitle", runs=[(title(scope), {})])
    if scope_line(scope):
        typesetting.add_paragraph(body, "GwSubtitle", runs=[(scope_line(scope), {})])
    for number, section in enumerate(sections(scope, groups), 1):
        heading = f"{int_to_cn(number)}、{section.heading}"
        # One blank line between the title and the text (GB/T 9704 §7.3.3).
        before = typesetting.LINE_PITCH if number == 1 else None
        typesetting.add_paragraph(body, "GwHeading1", runs=[(heading, {})], before=before)
        for paragraph in section.paragraphs:
            typesetting.add_paragraph(body, runs=[(paragraph, {})])
    note = _("（以上数据由规范性文件合法性审查系统于%(day)s统计。）") % {
        "day": typesetting.format_cn_date(timezone.localdate())
    }
    typesetting.add_paragraph(body, runs=[(note, {})])
    doc.core_properties.title = title(scope)
    return typesetting.save(doc)


def xlsx(scope, groups):
    """Sheets: every count by group; time per stage; the months."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("年度统计")
    bold = Font(bold=True)
    append_row(sheet, [title(scope) + scope_line(scope)])
    sheet["A1"].font = Font(bold=True, size=14)
    append_row(sheet, [_("统计范围：%(documents)s") % {"documents": documents(scope)}])
    append_row(sheet, [_("统计日期"), timezone.localdate()])
    sheet["B3"].number_format = 'yyyy"年"m"月"d"日"'
    sheet["B3"].alignment = Alignment(horizontal="left")
    append_row(sheet, [])
    append_row(sheet, [_("类别"), _("项目"), _("数量")])
    for cell in sheet[5]:
        cell.font = bold
    for group, (label, _function) in GROUPS.items():
        if group == "times":
            continue
        for figure in groups[group].values():
            append_row(sheet, [str(label), str(figure.label), figure.count])
    _widths(sheet, [22, 30, 10])

    times = book.create_sheet(_("各环节用时"))
    append_row(times, [_("环节"), _("办结次数"), _("中位数（工作日）"), _("最长（工作日）")])
    for time in groups["times"].values():
        append_row(times, [str(time.label), time.count, time.median, time.maximum])
    _widths(times, [22, 12, 18, 16])

    months = book.create_sheet(_("逐月情况"))
    throughput = groups["throughput"]
    columns = [throughput[name] for name in ("received", "reviewed", "issued")]
    append_row(months, [_("月份")] + [str(figure.label) for figure in columns])
    counts = [per_month(figure) for figure in columns]
    for month in range(12):
        append_row(months, [_("%(month)s月") % {"month": month + 1}] + [c[month] for c in counts])
    _widths(months, [10, 16, 16, 22])
    for extra in (times, months):
        for cell in extra[1]:
            cell.font = bold

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _widths(sheet, widths):
    for column, width in zip("ABCDEFG", widths, strict=False):
        sheet.column_dimensions[column].width = width
