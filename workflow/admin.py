"""Administrators keep the working-day calendar: corrections and the years entered in full."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext as _

from core.admin import ReadOnlyAdmin

from .models import CalendarYear, ClockEvent, Notification, WorkdayOverride, work_calendar


class CalendarWarningMixin:
    """Say on the calendar pages which coming year nobody has entered yet."""

    def changelist_view(self, request, extra_context=None):
        next_year = timezone.localdate().year + 1
        if not work_calendar().is_year_known(next_year):
            messages.warning(
                request,
                _(
                    "尚无%(year)s年的节假日安排：请录入该年全部节假日和调休上班日，再在“节假日年度”中确认全年已录入。"
                )
                % {"year": next_year},
            )
        return super().changelist_view(request, extra_context)


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(CalendarWarningMixin, admin.ModelAdmin):
    list_display = ("day", "is_working_day", "note")
    list_filter = ("is_working_day",)
    date_hierarchy = "day"


@admin.register(CalendarYear)
class CalendarYearAdmin(CalendarWarningMixin, admin.ModelAdmin):
    list_display = ("year", "complete")


@admin.register(ClockEvent)
class ClockEventAdmin(ReadOnlyAdmin):
    list_display = ("dossier", "kind", "on", "working_days", "by")
    list_filter = ("kind",)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("user", "message", "created_at", "read_at")
    list_filter = ("read_at",)
