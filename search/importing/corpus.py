"""The laws corpus layout: folders of Markdown files per category with SQLite catalogues."""

import re
import sqlite3
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from review.clauses import stated_effective_date
from search.backends.base import NATIONAL_PREFIX
from search.citations import stated_repeals, title_keys
from search.models import Document, DocumentLink, Kind, StatedRepeal, Status
from search.numbers import number_key

from .common import ImportFailed, ImportReport, Progress, error_text, link_documents, save_document

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
                    f"{group[0].path.relative_to(self.root)}：{error_text(error)}"
                )
        self.link_documents(documents)
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
        known = Document.objects.filter(source=f"laws:{key}").first()
        if last.expired or known and known.status == Status.REPEALED and known.ended_on:
            # Expired in the catalogue, or repealed by a later text's own clause.
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
        return save_document(self.report, source, fields, rows, _("从法律法规库导入"))

    def link_documents(self, documents: dict[str, Document]):
        """Amendments (修正案, 关于修改《…》的决定) and repeals (《…》同时废止) between
        documents both in the corpus. A repeal the repealing text states is learnt even
        where the catalogue still marks the old document in force (法规规章备案审查条例
        Art. 26 repeals 法规规章备案条例), and kept for a title the corpus lacks."""
        by_key = {}
        for key, doc in documents.items():
            by_key[key] = doc
            by_key.setdefault(key.removeprefix(NATIONAL_PREFIX), doc)
            for other in title_keys(doc.title):
                by_key.setdefault(other, doc)
        for key, doc in documents.items():
            targets = []
            if match := re.match(r"^(.+?)修正案", key):
                targets.append((match[1], DocumentLink.Kind.AMENDS))
            for title in re.findall(r"关于修改《([^》]+)》", key):
                targets.append((title_key(title), DocumentLink.Kind.AMENDS))
            for title, kind in targets:
                target = by_key.get(title) or by_key.get(title.removeprefix(NATIONAL_PREFIX))
                if target and target.pk != doc.pk:
                    link_documents(self.report, doc, target, kind)
            for title in stated_repeals(doc.text):
                target = next(filter(None, map(by_key.get, title_keys(title))), None)
                if target is not None and target.pk == doc.pk:
                    continue  # a new text of the same name replacing its predecessor
                with transaction.atomic():
                    self._stated_repeal(doc, title, target)

    def _stated_repeal(self, doc: Document, title: str, target: Document | None):
        StatedRepeal.objects.update_or_create(
            repealing=doc, title=title, defaults={"target": target}
        )
        if target is None:
            return
        link_documents(self.report, doc, target, DocumentLink.Kind.REPEALS)
        # The clause takes effect with the text that states it (本条例自…起施行).
        day = stated_effective_date(doc.text) or doc.effective_on or doc.published_on
        if target.status in Status.ended() or day is None or day > timezone.localdate():
            return
        target.change_status(
            Status.REPEALED,
            on=day,
            reason=_("《%(t)s》规定同时废止") % {"t": doc.title},
        )
        self.report.changed_ids.add(target.pk)
