"""Importing registers: the laws corpus layout, and .csv / .xlsx tables.

Both are idempotent: a document is known by its source key (the corpus title, or the
table's number, else title and issuer), so importing the same thing twice changes nothing
and importing a corrected file updates what changed. A bad row is reported with its row
number and skipped; the good rows are kept, each in its own transaction.
"""

import csv
import io
import re
import sqlite3
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from review.models import Department
from search.backends.base import NATIONAL_PREFIX
from search.models import Document, DocumentLink, Kind, Status, StatusChange
from search.numbers import number_key
from search.tasks import schedule_indexing

Progress = Callable[[Iterable, int], Iterable]


def _no_progress(items, total):
    return items


class ImportFailed(Exception):
    """The input as a whole cannot be read; nothing was imported."""


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    links: int = 0
    problems: list[str] = field(default_factory=list)
    changed_ids: set[int] = field(default_factory=set)

    def count(self, outcome: str, document: Document):
        setattr(self, outcome, getattr(self, outcome) + 1)
        if outcome != "unchanged":
            self.changed_ids.add(document.pk)


def import_register(path, progress: Progress = _no_progress) -> ImportReport:
    """Import a laws-corpus folder or a .csv / .xlsx register, then index what changed."""
    path = Path(path)
    if path.is_dir():
        report = CorpusImport(path, progress).run()
    elif path.suffix.lower() in (".csv", ".xlsx"):
        report = TableImport(path, progress).run()
    elif not path.exists():
        raise ImportFailed(_("找不到 %(p)s。") % {"p": path})
    else:
        raise ImportFailed(
            _("无法导入 %(p)s：请提供法律法规库文件夹，或 .xlsx、.csv 格式的登记表。") % {"p": path}
        )
    schedule_indexing(report.changed_ids)
    return report


# --- shared ----------------------------------------------------------------------------


def _save(report: ImportReport, source: str, fields: dict, versions: list[dict], note: str):
    """Create or update the document known by `source`, with exactly these versions."""
    document = Document.objects.filter(source=source).first()
    outcome = "created"
    if document is not None:
        current = [
            (v.published_on, v.effective_on, v.superseded_on, v.text, v.source)
            for v in document.ordered_versions()
        ]
        wanted = [
            (v["published_on"], v["effective_on"], v.get("superseded_on"), v["text"], v["source"])
            for v in versions
        ]
        same = all(getattr(document, name) == value for name, value in fields.items())
        if same and current == wanted:
            report.count("unchanged", document)
            return document
        outcome = "updated"
    old_status = document.status if document else ""
    document = document or Document(source=source)
    for name, value in fields.items():
        setattr(document, name, value)
    document.full_clean(exclude=["dossier"])
    document.save()
    document.versions.all().delete()
    for number, version in enumerate(versions, start=1):
        document.versions.create(number=number, **version)
    if document.status != old_status:
        StatusChange.objects.create(
            document=document,
            old_status=old_status,
            new_status=document.status,
            changed_on=timezone.localdate(),
            reason=note,
        )
    report.count(outcome, document)
    return document


def _link(report: ImportReport, source: Document, target: Document, kind: str):
    if DocumentLink.objects.get_or_create(source=source, target=target, kind=kind)[1]:
        report.links += 1


def _message(error: ValidationError) -> str:
    return "；".join(error.messages)


# --- the laws corpus -------------------------------------------------------------------

_LEVELS = {
    "宪法": Kind.CONSTITUTION,
    "法律": Kind.LAW,
    "行政法规": Kind.ADMINISTRATIVE_REGULATION,
    "司法解释": Kind.JUDICIAL_INTERPRETATION,
    "部门规章": Kind.DEPARTMENTAL_RULE,
    "地方性法规": Kind.LOCAL_REGULATION,
    "地方政府规章": Kind.LOCAL_RULE,
    "其他": Kind.OTHER,
}
# Court cases (司法案例) are kept beside the laws but are not normative documents.
_NOT_DOCUMENTS = {"案例"}
_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_FILE_DATE = re.compile(r"^(?P<stem>.*?)\((?P<date>\d{4}-\d{2}-\d{2})\)$")
_TERM = re.compile(r"第[一二三四五六七八九十百零〇\d]+届")
_NUMBER = re.compile(
    r"(?:^|[\s,，、以(（])(?P<n>[\u4e00-\u9fff]{1,20}?(?:令第\d+号|[〔\[]\d{4}[〕\]]\d+号))"
)
_INFO_END = "<!-- INFO END -->"
_MUNICIPALITIES = {"北京", "上海", "天津", "重庆"}


@dataclass
class CorpusFile:
    path: Path
    title: str
    kind: str
    issuer: str
    number: str
    published_on: date | None
    effective_on: date | None
    first_event_on: date | None
    expired: bool
    text: str


def _date(text) -> date | None:
    match = _DATE.search(text)
    if not match:
        return None
    try:
        return date(*map(int, match.groups()))
    except ValueError:
        return None


def _iso(value) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def issuer_from_events(events: list[str], level: str, category: str) -> str:
    """The issuing body, read from the first "date event" line, else from the level."""
    first = _TERM.sub("", _DATE.sub(" ", events[0], count=1)) if events else ""
    first = first.replace(NATIONAL_PREFIX, "")
    for body in ("人民代表大会常务委员会", "人民代表大会"):
        if body in first:
            place = first[: first.index(body)].split()
            return (place[-1] if place else "") + body
    for body in ("最高人民法院、最高人民检察院", "最高人民法院", "最高人民检察院", "国务院"):
        if body in first:
            return body
    if match := re.search(
        r"([\u4e00-\u9fff]{2,20}?)(?:令第|部长办公会议|局务会议|委务会议)", first
    ):
        return match[1]
    if level == "法律":
        return "全国人民代表大会常务委员会"
    if level == "宪法":
        return "全国人民代表大会"
    if level == "行政法规":
        return "国务院"
    if level == "司法解释":
        return "最高人民法院"
    if level == "部门规章":
        return category.removesuffix("规章")
    if level == "地方性法规":
        return f"{category}{'市' if category in _MUNICIPALITIES else '省'}人民代表大会常务委员会"
    return _("未注明")


def parse_corpus_file(path: Path, row: dict | None, top_folder: str, category: str):
    """One Markdown file of the corpus: title, events before INFO END, then the text."""
    raw = path.read_text(encoding="utf-8")
    if _INFO_END not in raw:
        raise ValueError(_("缺少 %(m)s 标记") % {"m": _INFO_END})
    head, body = raw.split(_INFO_END, 1)
    lines = [line.strip() for line in head.splitlines() if line.strip()]
    headings = [line.lstrip("#").strip() for line in lines if line.startswith("# ")]
    if not headings:
        raise ValueError(_("缺少标题行"))
    # Dates and numbers are read from the normalised lines (full-width digits in some files);
    # the title and text keep their own characters, full-width brackets included.
    events = [e for e in (unicodedata.normalize("NFKC", line) for line in lines) if _DATE.match(e)]
    level = (row or {}).get("level") or top_folder
    kind = _LEVELS.get(level) or _LEVELS.get(top_folder, Kind.LAW)
    file_date = _FILE_DATE.match(path.stem)
    published = _iso((row or {}).get("publish")) or (_iso(file_date["date"]) if file_date else None)
    if published is None and events:
        published = _date(events[-1])
    effective = _iso((row or {}).get("valid_from"))
    if effective is None:
        in_force = [e for e in events if "施行" in e]
        effective = _date(in_force[-1]) if in_force else published
    number = ""
    for event in events:
        if match := _NUMBER.search(_DATE.sub(" ", event, count=1).replace(NATIONAL_PREFIX, " ")):
            number = number_key(match["n"])
            break
    text = re.sub(r"<!--.*?-->", "", body, flags=re.S)
    text = re.sub(r"^#+\s*", "", text, flags=re.M).strip()
    return CorpusFile(
        path=path,
        title=" ".join(headings[:2]),
        kind=kind,
        issuer=issuer_from_events(events, level, category),
        number=number,
        published_on=published,
        effective_on=effective,
        first_event_on=_date(events[0]) if events else None,
        expired=bool((row or {}).get("expired")),
        text=text,
    )


def _original_dates(first: CorpusFile) -> tuple[date | None, date | None]:
    """When the document itself was published and took effect.

    The catalogue's valid_from is the date the law first took effect, also on the row of
    a later amended version; when it precedes the row's publication date, the document was
    first published with its original adoption, the first event line (通过).
    """
    published, effective = first.published_on, first.effective_on
    if published and effective and effective < published:
        adopted = first.first_event_on
        published = adopted if adopted and adopted <= effective else effective
    return published or first.first_event_on, effective


def title_key(title: str) -> str:
    return re.sub(r"\s+", "", title)


class CorpusImport:
    """The layout of shared/corpus/laws: collections, each a db.sqlite3 catalogue (tables
    `law` and `category`) and one Markdown file per version, `title(YYYY-MM-DD).md`.
    Files of one title become one document; the older files are its superseded versions.
    """

    def __init__(self, root: Path, progress: Progress):
        self.root, self.progress = root, progress
        self.report = ImportReport()

    def run(self) -> ImportReport:
        catalogues = sorted(self.root.rglob("db.sqlite3"))
        if not catalogues:
            raise ImportFailed(_("%(p)s 中没有 db.sqlite3 目录库。") % {"p": self.root})
        files = []
        for catalogue in catalogues:
            files.extend(self._collection(catalogue))
        groups = defaultdict(list)
        for item in self.progress(files, len(files)):
            if isinstance(item, str):
                self.report.problems.append(item)
                continue
            path, row, top, category = item
            try:
                parsed = parse_corpus_file(path, row, top, category)
            except (ValueError, UnicodeDecodeError) as error:
                self.report.problems.append(f"{path.relative_to(self.root)}：{error}")
                continue
            groups[title_key(parsed.title)].append(parsed)
        documents = {}
        for key, group in groups.items():
            try:
                with transaction.atomic():
                    documents[key] = self._document(key, group)
            except ValidationError as error:
                self.report.problems.append(
                    f"{group[0].path.relative_to(self.root)}：{_message(error)}"
                )
        self._link(documents)
        return self.report

    def _collection(self, catalogue: Path):
        """(path, catalogue row, top folder, category) for each file; a str for a problem."""
        base = catalogue.parent
        try:
            with sqlite3.connect(f"file:{catalogue}?mode=ro", uri=True) as db:
                db.row_factory = sqlite3.Row
                categories = {r["id"]: dict(r) for r in db.execute("SELECT * FROM category")}
                rows = [dict(r) for r in db.execute("SELECT rowid AS n, * FROM law")]
        except sqlite3.DatabaseError as error:
            return [f"{catalogue.relative_to(self.root)}：{error}"]
        by_file, by_name = {}, defaultdict(list)
        for row in rows:
            folder = categories.get(row["category_id"], {}).get("folder", "")
            stem = row.get("filename") or row["name"]
            if row.get("publish"):
                by_file[(folder, f"{stem}({row['publish']})")] = row
            by_file.setdefault((folder, stem), row)
            by_name[row["name"]].append(row)
        out, seen = [], set()
        for category in categories.values():
            folder = category["folder"]
            top = folder.split("/")[0]
            if top in _NOT_DOCUMENTS:
                self.report.skipped += sum(
                    1 for p in (base / folder).glob("*.md") if p.name != "_index.md"
                )
                continue
            for path in sorted((base / folder).glob("*.md")):
                if path.name == "_index.md":
                    continue
                row = by_file.get((folder, path.stem))
                if row is None:
                    match = _FILE_DATE.match(path.stem)
                    stem, day = (match["stem"], match["date"]) if match else (path.stem, None)
                    candidates = [r for r in by_name.get(stem, []) if r.get("publish") == day]
                    row = candidates[0] if candidates else None
                if row is not None:
                    seen.add(row["n"])
                out.append((path, row, top, category["name"]))
        for row in rows:
            folder = categories.get(row["category_id"], {}).get("folder", "")
            if row["n"] not in seen and folder.split("/")[0] not in _NOT_DOCUMENTS:
                out.append(
                    _("%(c)s 第%(n)s行（%(t)s）：找不到对应的文本文件")
                    % {"c": catalogue.relative_to(self.root), "n": row["n"], "t": row["name"]}
                )
        return out

    def _document(self, key: str, group: list[CorpusFile]) -> Document:
        by_date = {}
        for item in sorted(group, key=lambda f: (f.published_on or date.min, str(f.path))):
            by_date.setdefault(item.published_on, item)  # the same law filed twice
        versions = list(by_date.values())
        first, last = versions[0], versions[-1]
        today = timezone.localdate()
        if last.expired:
            status = Status.REPEALED
        elif len(versions) == 1 and last.effective_on and last.effective_on > today:
            status = Status.PENDING
        else:
            status = Status.IN_FORCE
        number = next((v.number for v in versions if v.number), "")
        source = f"laws:{key}"
        if number and Document.objects.filter(number_key=number).exclude(source=source).exists():
            number = ""  # an order that promulgated several documents: keep it on the first
        published_on, effective_on = _original_dates(first)
        fields = {
            "title": last.title,
            "number": number,
            "issuer": first.issuer,
            "kind": last.kind,
            "published_on": published_on,
            "effective_on": effective_on,
            "status": status,
        }
        rows = []
        for version, successor in zip(versions, versions[1:] + [None], strict=True):
            effective = version.effective_on
            if effective and version.published_on and effective < version.published_on:
                effective = version.published_on
            rows.append(
                {
                    "text": version.text,
                    "published_on": version.published_on,
                    "effective_on": effective,
                    "superseded_on": successor
                    and (successor.effective_on or successor.published_on),
                    "source": str(version.path.relative_to(self.root)),
                }
            )
        return _save(self.report, source, fields, rows, _("从法律法规库导入"))

    def _link(self, documents: dict[str, Document]):
        """Amendments (修正案, 关于修改《…》的决定) and repeals (《…》同时废止) between
        documents both in the corpus."""
        by_key = {}
        for key, doc in documents.items():
            by_key[key] = doc
            by_key.setdefault(key.removeprefix(NATIONAL_PREFIX), doc)
        for key, doc in documents.items():
            targets = []
            if match := re.match(r"^(.+?)修正案", key):
                targets.append((match[1], DocumentLink.Kind.AMENDS))
            for title in re.findall(r"关于修改《([^》]+)》", key):
                targets.append((title_key(title), DocumentLink.Kind.AMENDS))
            for title in re.findall(r"《([^》]{2,80})》(?:同时)?废止", doc.text[-3000:]):
                targets.append((title_key(title), DocumentLink.Kind.REPEALS))
            for title, kind in targets:
                target = by_key.get(title) or by_key.get(title.removeprefix(NATIONAL_PREFIX))
                if target and target.pk != doc.pk:
                    _link(self.report, doc, target, kind)


# --- .csv / .xlsx registers ----------------------------------------------------------------

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
                    _("第%(n)s行：%(e)s") % {"n": line, "e": _message(error)}
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
            _link(self.report, document, target, kind)
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
        return _save(self.report, f"table:{key}", fields, versions, _("从登记表导入"))


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
