"""The flow's nodes: the human step, whose actor is decided by role and department, and the
end that leaves the dossier at its final stage."""

from django.db.models import Q
from django.utils.translation import gettext as _
from viewflow.workflow import flow
from viewflow.workflow.activation import Activation
from viewflow.workflow.models import Task
from viewflow.workflow.nodes.end import EndActivation
from viewflow.workflow.status import STATUS

from review.models import Dossier, Opinion, Role, Stage

# Steps that come back to the reviewer (承办人) who wrote the dossier's last legality
# opinion: a second round, or the negotiation of an objection to that opinion.
KEPT_BY_REVIEWER = (Stage.LEGAL_REVIEW, Stage.NEGOTIATION)


class StaleTask(Exception):
    """The task moved on between showing the form and submitting it."""


def enter_stage(dossier, stage):
    """The flow alone moves the dossier: each node it enters sets the stage."""
    dossier.stage = stage
    dossier.decision = ""
    dossier.save(update_fields=["stage", "decision", "returned_from"])


class Step(flow.View):
    """A task done by a person in one of ``roles`` through ``form_class`` on the page ``view``.

    ``own_department`` limits it to people of the dossier's drafting department; drafter
    steps are assigned to whoever opened the dossier. ``by_kind`` gives other actors for a
    kind of dossier: {kind: (roles, own_department)} (Art. 20: a department decides on its
    own documents).
    """

    def __init__(self, view, stage, form_class, roles, *, own_department=False, by_kind=None):
        super().__init__(view)
        self.stage = stage
        self.form_class = form_class
        self.roles = (roles,) if isinstance(roles, str) else tuple(roles)
        self.own_department = own_department or Role.DRAFTER in self.roles
        self.by_kind = by_kind or {}
        if Role.DRAFTER in self.roles:
            self.Assign(lambda activation: activation.process.dossier.created_by)
        elif stage in KEPT_BY_REVIEWER:
            self.Assign(self.previous_reviewer)
        self.onCreate(self.enter_stage)

    @property
    def all_roles(self):
        """Every role that may act on this step for some dossier."""
        return {*self.roles, *(role for roles, _own in self.by_kind.values() for role in roles)}

    def actors(self, dossier):
        """(roles, own_department) for this dossier."""
        return self.actors_for(dossier.kind)

    def actors_for(self, kind):
        return self.by_kind.get(kind, (self.roles, self.own_department))

    def previous_reviewer(self, activation):
        """The author of the dossier's last legality opinion, if still active and allowed
        to act here; None leaves the task to the pool."""
        dossier = activation.process.dossier
        opinion = (
            Opinion.objects.filter(dossier=dossier, stage=Stage.LEGAL_REVIEW)
            .select_related("author")
            .order_by("-created_at", "-pk")
            .first()
        )
        if opinion and opinion.author.is_active and self.allows(opinion.author, dossier):
            return opinion.author
        return None

    def enter_stage(self, activation):
        dossier = activation.process.dossier
        if Role.DRAFTER not in self.roles:
            # The resubmission has been routed back; forget where it came from.
            dossier.returned_from = ""
        enter_stage(dossier, self.stage)

    @property
    def stage_label(self):
        return Stage(self.stage).label

    def allows(self, user, dossier):
        roles, own_department = self.actors(dossier)
        if not user.is_authenticated or not user.has_role(*roles):
            return False
        return not own_department or user.department_id == dossier.department_id

    def takeable_by(self, user):
        """This step's tasks ``user`` may take, as a filter on tasks (``allows`` for every
        kind of dossier), so a desk need not read the tasks it would refuse."""
        may = Q(pk__in=[])
        for kind in Dossier.Kind.values:
            roles, own_department = self.actors_for(kind)
            if user.has_role(*roles):
                allowed = Q(flow_task=self, process__dossier__kind=kind)
                if own_department:
                    allowed &= Q(process__dossier__department_id=user.department_id)
                may |= allowed
        return may

    def can_assign(self, user, task):
        return task.owner_id is None and self.allows(user, task.process.dossier)

    def can_execute(self, user, task):
        return task.owner_id == user.pk and self.allows(user, task.process.dossier)

    def execute(self, task_pk, user, form, *, claim=True):
        """Start and complete the task under the flow's lock, or change nothing.

        The task's holder (承办人) completes it; with ``claim`` (the default, used by the task
        page, the demo and scripts) an unclaimed task is taken and done at once under the
        lock, and with ``claim=False`` only the holder may submit. The task page offers its
        form only to the holder, so the default changes nothing a person sees. The task is read again
        inside the lock: a second submission, a stale page or a colleague who got there
        first raises StaleTask.
        """
        task = Task.objects.get(pk=task_pk)
        with task.activation() as activation:
            current = activation.task
            if current.status == STATUS.NEW and self.can_assign(user, current):
                if not claim:
                    raise StaleTask(_("请先领取该任务再办理，您的提交未被保存。"))
                activation.assign(user)
            elif not (current.status == STATUS.ASSIGNED and current.owner_id == user.pk):
                raise StaleTask(_("该任务已由他人办理或已不在当前环节，您的提交未被保存。"))
            activation.start(None)
            # The gateways read the dossier cached on the process: work on that one.
            form.dossier = current.process.dossier
            form.dossier.refresh_from_db()
            form.perform()
            activation.execute()

    def complete_as_system(self, task_pk, act):
        """The system does the step because a period ran out (deemed passed, an objection
        window unused): ``act(dossier)`` records what happened and leaves the decision.
        Under the flow's lock; a task already done by someone raises StaleTask."""
        task = Task.objects.get(pk=task_pk)
        with task.activation() as activation:
            current = activation.task
            if current.status not in (STATUS.NEW, STATUS.ASSIGNED):
                raise StaleTask(_("该任务已由他人办理。"))
            if current.status == STATUS.NEW:
                activation.assign(None)
            activation.start(None)
            dossier = current.process.dossier
            dossier.refresh_from_db()
            act(dossier)
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
