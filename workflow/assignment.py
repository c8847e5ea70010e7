"""Who holds a task (承办人): claiming it from the pool, releasing it, handing it over.

Each runs under the flow's lock and reads the task again inside it, so two colleagues
acting at once give one result; a refusal raises ValidationError and changes nothing.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from viewflow.workflow.status import STATUS

from review.models import HistoryEntry, Note, Stage, User

from .notifications import notify

Action = HistoryEntry.Action


def _refuse_if_closed(current):
    if current.status not in (STATUS.NEW, STATUS.ASSIGNED):
        raise ValidationError(_("该任务已经办理完毕。"))


def claim(task, user):
    """Take an unclaimed task: from now on only ``user`` may do it."""
    with task.activation() as activation:
        current = activation.task
        _refuse_if_closed(current)
        if current.owner_id == user.pk:
            return
        if current.owner_id is not None:
            raise ValidationError(_("该任务已由%(name)s领取。") % {"name": current.owner})
        if not current.flow_task.allows(user, current.process.dossier):
            raise ValidationError(_("您没有办理此任务的权限。"))
        activation.assign(user)
        current.process.dossier.record(user, Action.CLAIMED)


def release(task, user):
    """Give a task one holds back to the pool (退回待领取)."""
    with task.activation() as activation:
        current = activation.task
        _refuse_if_closed(current)
        if current.owner_id != user.pk:
            raise ValidationError(_("只有承办人可以退回该任务。"))
        activation.unassign()
        current.process.dossier.record(user, Action.RELEASED)


def hand_over(task, from_user, to_user, note=""):
    """转办: the holder passes the task to a colleague who may do it, and tells them."""
    with task.activation() as activation:
        current = activation.task
        _refuse_if_closed(current)
        if current.owner_id != from_user.pk:
            raise ValidationError(_("只有承办人可以转办该任务。"))
        dossier = current.process.dossier
        if not (
            to_user is not None
            and to_user.is_active
            and to_user.pk != from_user.pk
            and current.flow_task.allows(to_user, dossier)
        ):
            raise ValidationError(_("请选择可以办理该环节的在岗同事。"))
        activation.reassign(to_user)
        handed = Note(gettext_noop("转交%(name)s办理。%(note)s"), name=str(to_user), note=note)
        dossier.record(from_user, Action.HANDED_OVER, handed)
        message = Note(
            gettext_noop("%(name)s将《%(title)s》的%(step)s转交您办理。%(note)s"),
            name=str(from_user),
            title=dossier.title,
            step=Stage(current.flow_task.stage),
            note=Note(gettext_noop("附言：%(note)s"), note=note) if note else "",
        )
        notify(
            [to_user],
            message,
            key=f"handover:{current.pk}:{timezone.now().timestamp()}",
            dossier=dossier,
        )


def colleagues(task, user):
    """The active people other than ``user`` who may act on the task's step."""
    dossier = task.process.dossier
    roles, own_department = task.flow_task.actors(dossier)
    people = User.objects.filter(is_active=True, groups__name__in=roles).exclude(pk=user.pk)
    if own_department:
        people = people.filter(department_id=dossier.department_id)
    return list(people.distinct().order_by("last_name", "first_name", "username"))
