from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "workflow"
    verbose_name = _("审查流程")

    def ready(self):
        # Notices follow from what is recorded, whichever page, job or script recorded it.
        from viewflow.workflow.models import Task

        from review.models import HistoryEntry
        from search.signals import items_assigned

        from . import clock, notifications
        from .models import CalendarYear, WorkdayOverride

        post_save.connect(
            notifications.history_recorded, sender=HistoryEntry, dispatch_uid="notify-history"
        )
        m2m_changed.connect(
            notifications.task_created, sender=Task.previous.through, dispatch_uid="notify-task"
        )
        items_assigned.connect(notifications.cleanup_assigned, dispatch_uid="notify-cleanup")
        for model in (CalendarYear, WorkdayOverride):
            for signal in (post_save, post_delete):
                signal.connect(clock.calendar_changed, sender=model, dispatch_uid="due-dates")
