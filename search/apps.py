from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("文件库与检索")

    def ready(self):
        # The pre-review runs once a version's text is read, whichever way it was read.
        from review.models import DraftVersion
        from review.signals import text_extracted

        from .tasks import schedule_prereview

        post_save.connect(schedule_prereview, sender=DraftVersion, dispatch_uid="prereview-new")
        text_extracted.connect(schedule_prereview, dispatch_uid="prereview-extracted")
