"""manage.py import_register PATH: the laws corpus folder, or a .csv / .xlsx register."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from tqdm import tqdm

from search.importing import ImportFailed, import_register


class Command(BaseCommand):
    help = (
        "导入规范性文件登记数据：法律法规库文件夹（含 db.sqlite3 目录库），或 .xlsx / .csv 登记表。"
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help=gettext_lazy("法律法规库文件夹，或 .xlsx / .csv 文件"))

    def handle(self, path, verbosity, **options):
        def progress(items, total):
            return tqdm(items, total=total, unit=_("件"), file=self.stderr, disable=verbosity == 0)

        try:
            report = import_register(path, progress)
        except ImportFailed as error:
            raise CommandError(str(error)) from error
        for problem in report.problems:
            self.stderr.write(problem)
        self.stdout.write(
            _(
                "新增 %(created)s 件，更新 %(updated)s 件，未变 %(unchanged)s 件，"
                "跳过非规范性文件 %(skipped)s 件，新建文件关联 %(links)s 条，"
                "问题 %(problems)s 条；%(queued)s 件已加入检索索引队列。"
            )
            % {
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "skipped": report.skipped,
                "links": report.links,
                "problems": len(report.problems),
                "queued": len(report.changed_ids),
            }
        )
