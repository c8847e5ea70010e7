from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Notification, work_calendar


def unread_notifications(request):
    if not request.user.is_authenticated:
        return {}
    return {
        "unread_notifications": Notification.objects.filter(
            user=request.user, read_at__isnull=True
        ).count()
    }


def calendar_banner(request):
    """From November the legal office is warned while next year's holidays are missing:
    every review period crossing the new year waits on them."""
    user = request.user
    if not user.is_authenticated or not (user.is_superuser or user.is_legal_office):
        return {}
    today = timezone.localdate()
    next_year = today.year + 1
    if today.month < settings.REVIEW_RULES["calendar_warning_month"]:
        return {}
    if work_calendar().is_year_known(next_year):
        return {}
    return {
        "calendar_banner": _(
            "尚未录入%(year)s年的节假日和调休安排：跨年的审查期限届满日暂无法确定。"
            "请管理员在“节假日调整”中录入并确认全年安排。"
        )
        % {"year": next_year}
    }
