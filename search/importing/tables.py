"""Registers kept as .csv or .xlsx tables, one document a row."""

import csv
import io
import re
import unicodedata
from datetime import date, datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from review.models import Department
from search.models import Document, DocumentLink, Kind, Status
from search.numbers import number_key

from .common import ImportFailed, ImportReport, Progress, error_text, link_documents, save_document

# Accepted headers per field: the Chinese one first (what the template shows), then aliases.
COLUMNS = {
    "title": ("文件名称", "标题", "title"),
    "number": ("文号", "number"),
    "issuer": ("制定机关", "发文机关", "issuer"),
    "kind": ("文件类别", "类别", "kind"),
    "department": ("起草部门", "实施部门", "department"),
    "signed_on": ("签署日期", "signed"),
    "published_on": ("公布日期", "发布日期", "published"),
    "effective_on": ("施行日期", "生效日期", "effective"),
    "lapses_on": ("有效期届满日", "有效期至", "lapses"),
    "ended_on": ("废止或失效日期", "失效日期", "ended"),
    "status": ("效力状态", "状态", "status"),
    "text": ("正文", "text"),
    "amends": ("修改的文件", "amends"),
    "repeals": ("废止的文件", "repeals"),
}
REQUIRED = ("title", "issuer")
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d")
_LIST_SEPARATORS = re.compile(r"[、，,；;\n]+")


def _choice(enum, value: str, column: str):
    value = value.strip()
    for code, label in enum.choices:
        if value in (code, str(label)):
            return code
    raise ValidationError(
        _("%(c)s“%(v)s”无法识别，可填：%(ok)s")
        % {"c": column, "v": value, "ok": "、".join(str(label) for _c, label in enum.choices)}
    )


def parse_date(value, column: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if match := re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日", text):
        try:
            return date(*map(int, match.groups()))
        except ValueError:
            pass
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValidationError(
        _("%(c)s“%(v)s”不是有效日期，请写作 2018-01-18 或 2018年1月18日") % {"c": column, "v": text}
    )


class TableImport:
    """A register kept as a spreadsheet: one header row, then one document per row.
    See the README for the columns."""

    def __init__(self, path: Path, progress: Progress):
        self.path, self.progress = path, progress
        self.report = ImportReport()

    def _rows(self) -> list[list]:
        if self.path.suffix.lower() == ".csv":
            data = self.path.read_bytes()
            for encoding in ("utf-8-sig", "gb18030"):
                try:
                    return list(csv.reader(io.StringIO(data.decode(encoding))))
                except UnicodeDecodeError:
                    continue
            raise ImportFailed(_("CSV 文件的编码无法识别，请另存为 UTF-8 编码。"))
        from openpyxl import load_workbook

        try:
            book = load_workbook(self.path, read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a damaged file
            raise ImportFailed(_("无法读取 Excel 文件：%(e)s") % {"e": error}) from error
        return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]

    def _header(self, row) -> dict[str, int]:
        names = [unicodedata.normalize("NFKC", str(c or "")).strip() for c in row]
        columns = {}
        for i, name in enumerate(names):
            for key, aliases in COLUMNS.items():
                if name in aliases or name.lower() in aliases:
                    columns.setdefault(key, i)
                    break
            else:
                if name:
                    self.report.problems.append(_("第1行：未知的列“%(c)s”，已忽略") % {"c": name})
        missing = [COLUMNS[key][0] for key in REQUIRED if key not in columns]
        if missing:
            raise ImportFailed(_("第1行（表头）缺少必填列：%(m)s。") % {"m": "、".join(missing)})
        return columns

    def run(self) -> ImportReport:
        rows = self._rows()
        if not rows:
            raise ImportFailed(_("文件是空的。"))
        columns = self._header(rows[0])
        departments = {d.name: d for d in Department.objects.all()}
        links, seen = [], {}
        body = list(enumerate(rows[1:], start=2))
        for line, row in self.progress(body, len(body)):
            values = {
                key: (row[i] if i < len(row) and row[i] is not None else "")
                for key, i in columns.items()
            }
            if not any(str(v).strip() for v in values.values()):
                continue
            try:
                with transaction.atomic():
                    document = self._row(values, departments, seen, line)
            except ValidationError as error:
                self.report.problems.append(
                    _("第%(n)s行：%(e)s") % {"n": line, "e": error_text(error)}
                )
                continue
            for key, kind in (
                ("amends", DocumentLink.Kind.AMENDS),
                ("repeals", DocumentLink.Kind.REPEALS),
            ):
                for number in _LIST_SEPARATORS.split(str(values.get(key, "")).strip()):
                    if number.strip():
                        links.append((line, document, number.strip(), kind))
        for line, document, number, kind in links:
            target = Document.objects.filter(number_key=number_key(number)).first()
            if target is None:
                self.report.problems.append(
                    _("第%(n)s行：登记表和文件库中都没有文号为“%(x)s”的文件，未建立关联")
                    % {"n": line, "x": number}
                )
                continue
            link_documents(self.report, document, target, kind)
        return self.report

    def _row(self, values, departments, seen, line) -> Document:
        text = {k: _cell(v) for k, v in values.items()}
        title, issuer = text.get("title", ""), text.get("issuer", "")
        if not title:
            raise ValidationError(_("文件名称不能为空"))
        if not issuer:
            raise ValidationError(_("制定机关不能为空"))
        number = str(values.get("number", "")).strip()
        key = number_key(number) if number else f"{title}|{issuer}"
        if key in seen:
            raise ValidationError(_("与第%(n)s行重复") % {"n": seen[key]})
        seen[key] = line
        dates = {
            name: parse_date(values.get(name), COLUMNS[name][0])
            for name in ("signed_on", "published_on", "effective_on", "lapses_on", "ended_on")
        }
        kind = (
            _choice(Kind, text["kind"], COLUMNS["kind"][0])
            if text.get("kind")
            else Kind.GOVERNMENT_NORMATIVE
        )
        department = None
        if name := text.get("department"):
            department = departments.get(name)
            if department is None:
                raise ValidationError(
                    _("起草部门“%(d)s”不存在，请先在系统中添加该部门") % {"d": name}
                )
        if text.get("status"):
            status = _choice(Status, text["status"], COLUMNS["status"][0])
        else:
            status = _status_from_dates(dates)
        fields = {
            "title": title,
            "number": number,
            "issuer": issuer,
            "kind": kind,
            "department": department,
            "status": status,
            **dates,
        }
        versions = []
        if values.get("text"):
            versions.append(
                {
                    "text": str(values["text"]).strip(),
                    "published_on": dates["published_on"],
                    "effective_on": dates["effective_on"],
                    "source": self.path.name,
                }
            )
        return save_document(self.report, f"table:{key}", fields, versions, _("从登记表导入"))


def _cell(value) -> str:
    if isinstance(value, date | datetime):
        return value.isoformat()
    return unicodedata.normalize("NFKC", str(value)).strip()


def _status_from_dates(dates) -> str:
    today = timezone.localdate()
    if dates["ended_on"] and dates["ended_on"] <= today:
        return Status.REPEALED
    if dates["lapses_on"] and dates["lapses_on"] < today:
        return Status.LAPSED
    if dates["effective_on"] and dates["effective_on"] > today:
        return Status.PENDING
    return Status.IN_FORCE
