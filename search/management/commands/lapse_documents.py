"""manage.py lapse_documents [--date YYYY-MM-DD]: the daily pass of search.register."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from search.register import run_daily


class Command(BaseCommand):
    help = gettext_lazy(
        "将届满有效期的规范性文件标为失效、到施行日期的标为有效，并列出六个月内到期的文件。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help=gettext_lazy("按该日期处理（默认今天），格式 2018-01-18")
        )

    def handle(self, **options):
        try:
            today = date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError as error:
            raise CommandError(_("日期格式应为 2018-01-18。")) from error
        report = run_daily(today)
        for label, documents in (
            (_("已施行"), report.became_effective),
            (_("已失效"), report.lapsed),
            (_("即将到期（六个月内）"), report.flagged),
        ):
            self.stdout.write(_("%(label)s：%(n)s 件") % {"label": label, "n": len(documents)})
            for doc in documents:
                self.stdout.write(
                    "  "
                    + _("%(doc)s　有效期至 %(day)s") % {"doc": doc, "day": doc.lapses_on or "—"}
                )
