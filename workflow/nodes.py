"""The flow's nodes: the human step, whose actor is decided by role and department, and the
end that leaves the dossier at its final stage."""

from django.utils.translation import gettext as _
from viewflow.workflow import flow
from viewflow.workflow.activation import Activation
from viewflow.workflow.models import Task
from viewflow.workflow.nodes.end import EndActivation
from viewflow.workflow.status import STATUS

from review.models import Role, Stage


class StaleTask(Exception):
    """The task moved on between showing the form and submitting it."""


def enter_stage(dossier, stage):
    """The flow alone moves the dossier: each node it enters sets the stage."""
    dossier.stage = stage
    dossier.decision = ""
    dossier.save(update_fields=["stage", "decision", "returned_from"])


class Step(flow.View):
    """A task done by a person in ``role`` through ``form_class`` on the page ``view``.

    ``own_department`` limits it to people of the dossier's drafting department;
    drafter steps are assigned to whoever opened the dossier.
    """

    def __init__(self, view, stage, form_class, role, *, own_department=False):
        super().__init__(view)
        self.stage = stage
        self.form_class = form_class
        self.role = role
        self.own_department = own_department or role == Role.DRAFTER
        if role == Role.DRAFTER:
            self.Assign(lambda activation: activation.process.dossier.created_by)
        self.onCreate(self.enter_stage)

    def enter_stage(self, activation):
        dossier = activation.process.dossier
        if self.role != Role.DRAFTER:
            # The resubmission has been routed back; forget where it came from.
            dossier.returned_from = ""
        enter_stage(dossier, self.stage)

    @property
    def stage_label(self):
        return Stage(self.stage).label

    def allows(self, user, dossier):
        if not user.is_authenticated or not user.has_role(self.role):
            return False
        return not self.own_department or user.department_id == dossier.department_id

    def can_assign(self, user, task):
        return task.owner_id is None and self.allows(user, task.process.dossier)

    def can_execute(self, user, task):
        return task.owner_id == user.pk and self.allows(user, task.process.dossier)

    def execute(self, task_pk, user, form):
        """Take, start and complete the task under the flow's lock, or change nothing.

        The task is read again inside the lock: a second submission, a stale page or a
        colleague who got there first finds it done and raises StaleTask.
        """
        task = Task.objects.get(pk=task_pk)
        with task.activation() as activation:
            current = activation.task
            if current.status == STATUS.NEW and self.can_assign(user, current):
                activation.assign(user)
            elif not (current.status == STATUS.ASSIGNED and current.owner_id == user.pk):
                raise StaleTask(_("该任务已由他人办理或已不在当前环节，您的提交未被保存。"))
            activation.start(None)
            # The gateways read the dossier cached on the process: work on that one.
            form.dossier = current.process.dossier
            form.dossier.refresh_from_db()
            form.perform()
            activation.execute()


class FinishActivation(EndActivation):
    @Activation.status.super()
    def activate(self):
        enter_stage(self.process.dossier, self.flow_task.stage)
        super().activate.original()


class Finish(flow.End):
    """The end of the review, leaving the dossier issued or closed."""

    activation_class = FinishActivation

    def __init__(self, stage):
        super().__init__()
        self.stage = stage
