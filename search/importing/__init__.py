"""Importing registers: the laws corpus layout, and .csv / .xlsx tables.

Both are idempotent: a document is known by its source key (the corpus title, or the
table's number, else title and issuer), so importing the same thing twice changes nothing
and importing a corrected file updates what changed. A bad row is reported with its row
number and skipped; the good rows are kept, each in its own transaction.
"""

from pathlib import Path

from django.utils.translation import gettext as _

from search.indexing import schedule_indexing

from .common import ImportFailed, ImportReport, Progress, _no_progress
from .corpus import CorpusImport
from .tables import TableImport

__all__ = ["ImportFailed", "ImportReport", "import_register"]


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
