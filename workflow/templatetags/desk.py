"""The desk's pieces for any page: who holds a task and what one may do with it
(``{% task_holder task user %}``), and where a dossier stands in the four reviews
(``{% stage_bar dossier %}``)."""

from dataclasses import dataclass

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from viewflow.workflow.status import STATUS

from review.models import Role, Stage
from workflow import actions, assignment

register = template.Library()

# The four reviews and the registration, each with the stages the flow passes in it.
PHASES = (
    (gettext_lazy("部门初审"), (Stage.DEPT_CHECK,)),
    (
        gettext_lazy("政府法制机构审查"),
        (
            Stage.COMPLETENESS,
            Stage.SUPPLEMENT,
            Stage.LEGAL_REVIEW,
            Stage.HEAD_SIGN,
            Stage.OBJECTION,
            Stage.NEGOTIATION,
            Stage.RULING,
        ),
    ),
    (gettext_lazy("集体审议"), (Stage.MEETING,)),
    (gettext_lazy("发文前复核"), (Stage.RECHECK,)),
    (gettext_lazy("登记公布"), (Stage.REGISTRATION,)),
)


@dataclass
class Phase:
    label: str
    state: str  # done, current, returned, closed or todo
    detail: str = ""


def _phase_of(stage):
    for index, (_label, stages) in enumerate(PHASES):
        if stage in stages:
            return index
    return None


def _last_reached(dossier):
    """The last stage of the review a closed dossier was in."""
    return (
        dossier.history.exclude(stage__in=[Stage.CLOSED, Stage.REVISION, Stage.DRAFT])
        .order_by("-at", "-pk")
        .values_list("stage", flat=True)
        .first()
    )


def phases(dossier):
    """The five phases with the state of each for this dossier."""
    stage = dossier.stage
    if stage == Stage.ISSUED:
        return [Phase(label, "done") for label, _stages in PHASES]
    if stage == Stage.REVISION:
        at, state = _phase_of(dossier.returned_from or Stage.DEPT_CHECK), "returned"
    elif stage == Stage.CLOSED:
        at, state = _phase_of(_last_reached(dossier)), "closed"
    else:
        at, state = _phase_of(stage), "current"
    result = []
    for index, (label, _stages) in enumerate(PHASES):
        if at is None or index > at:
            result.append(Phase(label, "todo"))
        elif index < at:
            result.append(Phase(label, "done"))
        else:
            result.append(Phase(label, state, dossier.get_stage_display()))
    return result


def holder(task):
    """Who holds the task now, as the pages say it."""
    if task.owner is not None:
        return str(task.owner)
    roles, _own = task.flow_task.actors(task.process.dossier)
    return _("待领取（%(roles)s）") % {"roles": "、".join(str(Role(r).label) for r in roles)}


@register.inclusion_tag("workflow/includes/stage_bar.html")
def stage_bar(dossier):
    task = None
    if dossier.process_id is not None:
        task = actions.open_tasks(dossier).select_related("owner", "process").first()
    return {"phases": phases(dossier), "holder": holder(task) if task else ""}


@register.inclusion_tag("workflow/includes/holder_box.html", takes_context=True)
def task_holder(context, task, user):
    """The task's holder (承办人) and the user's buttons: claim, release, hand over."""
    open_ = task.status in (STATUS.NEW, STATUS.ASSIGNED)
    mine = open_ and task.owner_id == user.pk
    return {
        "task": task,
        "holder": holder(task),
        "open": open_,
        "mine": mine,
        "can_claim": open_
        and task.owner_id is None
        and task.flow_task.allows(user, task.process.dossier),
        "colleagues": assignment.colleagues(task, user) if mine else [],
        "csrf_token": context.get("csrf_token"),
    }
