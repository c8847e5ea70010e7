"""Show what the system reads from a Word file, for support staff checking a user's report."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from review.articles import parse_outline
from review.extract import extract_text
from review.management.files import read_upload

PREVIEW_LINES = 20


class Command(BaseCommand):
    help = gettext_lazy("显示系统从 Word 文件（.docx，或经转换的 .doc/.wps/.rtf）中读到的内容。")

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("要检查的文件"))
        parser.add_argument("--json", action="store_true", help=_("以 JSON 输出全文和条款大纲"))

    def handle(self, *args, **options):
        path = Path(options["file"])
        ingested = read_upload(path)

        extracted = extract_text(ingested.docx) if ingested.docx is not None else None
        text = extracted.text if extracted else ""
        outline = parse_outline(text)
        if options["json"]:
            self.stdout.write(
                json.dumps(_as_json(ingested, extracted, outline), ensure_ascii=False)
            )
        else:
            self._summary(path, ingested, extracted, outline)

    def _summary(self, path, ingested, extracted, outline):
        out = self.stdout.write
        out(_("文件：%(name)s") % {"name": path.name})
        kind = ingested.kind
        if ingested.converted:
            kind = _("%(kind)s（已用 LibreOffice 转换为 .docx 读取）") % {"kind": kind}
        out(_("类型：%(kind)s") % {"kind": kind})
        out(
            _("大小：%(human)s（%(bytes)s 字节）")
            % {"human": filesizeformat(ingested.size), "bytes": f"{ingested.size:,}"}
        )
        out(f"SHA-256：{ingested.sha256}")
        if extracted is None:
            out(_("PDF 文件不提取正文。"))
            return
        out(
            _("字符：%(chars)s　段落：%(paragraphs)s　表格：%(tables)s　文本框：%(boxes)s")
            % {
                "chars": f"{len(extracted.text):,}",
                "paragraphs": len(extracted.paragraphs),
                "tables": extracted.tables,
                "boxes": extracted.text_boxes,
            }
        )
        out(
            {
                "article": _("结构：按条（第X条），共 %(count)s 条"),
                "section": _("结构：未见“第X条”，按“一、”“（一）”等标题分节，共 %(count)s 节"),
                "none": _("结构：未识别出条款或分节标题"),
            }[outline.unit]
            % {"count": len(outline)}
        )
        headings: tuple[str, ...] = ()
        for article in outline:
            for depth, heading in enumerate(article.headings):
                if headings[: depth + 1] != article.headings[: depth + 1]:
                    out("  " * (depth + 1) + heading)
            headings = article.headings
            indent = "  " * (len(article.headings) + 1)
            first_line = article.body.split("\n", 1)[0]
            out(f"{indent}{article.label} {_shorten(first_line)}")
            for item in article.items:
                out(f"{indent}  {'  ' * (item.level - 1)}{_shorten(item.text)}")
        out(_("正文开头："))
        for line in extracted.paragraphs[:PREVIEW_LINES]:
            out(f"  {line}")


def _shorten(line: str, width: int = 40) -> str:
    return line if len(line) <= width else line[: width - 1] + "…"


def _as_json(ingested, extracted, outline) -> dict:
    return {
        "file": ingested.filename,
        "kind": ingested.kind,
        "converted": ingested.converted,
        "size": ingested.size,
        "sha256": ingested.sha256,
        "characters": len(extracted.text) if extracted else 0,
        "paragraph_count": len(extracted.paragraphs) if extracted else 0,
        "table_count": extracted.tables if extracted else 0,
        "text_box_count": extracted.text_boxes if extracted else 0,
        "unit": outline.unit,
        "articles": [
            {
                "number": a.number,
                "label": a.label,
                "chapter": a.chapter,
                "headings": list(a.headings),
                "start": a.start,
                "end": a.end,
                "text": a.text,
                "clauses": [
                    {"number": c.number, "start": c.start, "end": c.end, "text": c.text}
                    for c in a.clauses
                ],
                "items": [
                    {
                        "label": i.label,
                        "number": i.number,
                        "level": i.level,
                        "start": i.start,
                        "end": i.end,
                        "text": i.text,
                    }
                    for i in a.items
                ],
            }
            for a in outline
        ],
        "text": extracted.text if extracted else "",
    }
