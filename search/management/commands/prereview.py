"""manage.py prereview FILE [--on YYYY-MM-DD] [--drafted YYYY-MM-DD] [--json]: the citations
of a Word draft checked against the register, and the articles Art. 7 asks about."""

import json
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from review.extract import extract_text
from review.management.files import EXIT_REJECTED, read_upload
from search.citations import STATUSES
from search.prereview import prereview


def _day(value):
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("日期格式应为 YYYY-MM-DD：%(v)s") % {"v": value}) from None


class Command(BaseCommand):
    help = gettext_lazy("预审草案：核对所引法律文件的效力，提示第七条所列事项。")

    def add_arguments(self, parser):
        parser.add_argument("file", help=gettext_lazy("草案文件（.docx / .doc）"))
        parser.add_argument("--on", help=gettext_lazy("核对效力的日期，默认今天"))
        parser.add_argument("--drafted", help=gettext_lazy("草案日期，默认从正文读取"))
        parser.add_argument("--json", action="store_true", help=gettext_lazy("以 JSON 输出"))

    def handle(self, *args, **options):
        path = Path(options["file"])
        ingested = read_upload(path)
        if ingested.docx is None:
            raise CommandError(_("PDF 文件不提取正文。"), returncode=EXIT_REJECTED)
        text = extract_text(ingested.docx).text
        on = _day(options["on"]) if options["on"] else timezone.localdate()
        drafted = _day(options["drafted"]) if options["drafted"] else None
        result = prereview(text, on=on, drafted_on=drafted, title=path.stem)
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        out = self.stdout.write
        out(
            _("草案日期：%(d)s　核对日期：%(o)s")
            % {"d": result["drafted_on"] or "—", "o": result["on"]}
        )
        for row in result["citations"]:
            replaced = "、".join(f"《{r['title']}》" for r in row["replaced_by"])
            out(
                f"{row['text']}　{STATUSES[row['status']]}"
                + (f"（{replaced}）" if replaced else "")
            )
        for row in result["articles"]:
            if row["flags"]:
                out(f"{row['article']}　{', '.join(row['flags'])}　{row['why']}")
