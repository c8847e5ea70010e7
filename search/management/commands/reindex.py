"""manage.py reindex: rebuild the search index from the register."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from tqdm import tqdm

from search.backends import get_backend
from search.backends.base import IndexEntry, SearchUnavailable
from search.backends.embedded import IndexBusy
from search.models import Document


class Command(BaseCommand):
    help = gettext_lazy("从数据库重建检索索引（数据库是唯一的权威来源）。")

    def handle(self, verbosity, **options):
        documents = Document.objects.order_by("pk").prefetch_related("versions")
        total = documents.count()
        backend = get_backend()
        with tqdm(total=total, unit=_("件"), file=self.stderr, disable=verbosity == 0) as bar:
            try:
                backend.rebuild(
                    (IndexEntry.of(doc) for doc in documents.iterator(chunk_size=500)),
                    progress=bar.update,
                )
            except IndexBusy as error:
                holders = "、".join(map(str, error.holders)) or _("未能查明")
                raise CommandError(
                    _(
                        "检索索引正由其他进程写入（进程号：%(pids)s，锁文件：%(lock)s），请稍后再试。"
                    )
                    % {"pids": holders, "lock": error.lock}
                ) from error
            except SearchUnavailable as error:
                raise CommandError(_("检索索引暂时无法写入：%(e)s") % {"e": error}) from error
        self.stdout.write(
            _("已重建索引：%(n)s 件。%(index)s") % {"n": total, "index": backend.describe()}
        )
