"""The four reviews (四审) as one viewflow flow.

Each step's form does the domain work and leaves a routing decision on the dossier; the
gateways read it. A draft sent back goes to the drafter and returns to the stage that
sent it back.
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.flow import Flow

from review.models import Dossier, HistoryEntry, Role, Stage

from . import forms
from .models import ReviewProcess
from .nodes import Step


def decided(*decisions):
    return lambda activation: activation.process.dossier.decision in decisions


def returns_to(*stages):
    return lambda activation: activation.process.dossier.returned_from in stages


class ReviewFlow(Flow):
    process_class = ReviewProcess
    # Two people completing one task at once must give one transition: the process row
    # is locked (SELECT ... FOR UPDATE on PostgreSQL; SQLite serialises writers itself).
    lock_impl = lock.select_for_update_lock
    process_title = _("规范性文件合法性审查")
    process_description = _("部门初审、政府法制机构审查、常务会议审议、发文前复核")

    start = flow.StartHandle(this.start_review).Next(this.dept_check)

    dept_check = Step(
        Stage.DEPT_CHECK, forms.DeptCheckForm, Role.DEPT_LEGAL, own_department=True
    ).Next(this.after_dept_check)
    after_dept_check = (
        flow.Switch().Case(this.revision, decided("send_back")).Default(this.completeness)
    )

    completeness = Step(Stage.COMPLETENESS, forms.CompletenessForm, Role.REVIEWER).Next(
        this.after_completeness
    )
    after_completeness = (
        flow.Switch()
        .Case(this.revision, decided("send_back"))
        .Case(this.supplement, decided("supplement"))
        .Default(this.legal_review)
    )
    supplement = Step(Stage.SUPPLEMENT, forms.SupplementForm, Role.DRAFTER).Next(this.completeness)

    legal_review = Step(Stage.LEGAL_REVIEW, forms.LegalReviewForm, Role.REVIEWER).Next(
        this.after_legal_review
    )
    after_legal_review = (
        flow.Switch().Case(this.revision, decided("send_back")).Default(this.head_sign)
    )
    head_sign = Step(Stage.HEAD_SIGN, forms.HeadSignForm, Role.HEAD).Next(this.after_head_sign)
    after_head_sign = (
        flow.Switch()
        .Case(this.legal_review, decided("refused"))
        .Case(this.closed, decided("close"))
        .Default(this.meeting)
    )

    meeting = Step(Stage.MEETING, forms.MeetingForm, Role.SECRETARY).Next(this.after_meeting)
    after_meeting = (
        flow.Switch()
        .Case(this.revision, decided("send_back"))
        .Case(this.closed, decided("close"))
        .Default(this.recheck)
    )

    recheck = Step(Stage.RECHECK, forms.RecheckForm, Role.CLERK).Next(this.after_recheck)
    after_recheck = (
        flow.Switch().Case(this.revision, decided("send_back")).Default(this.registration)
    )
    registration = Step(Stage.REGISTRATION, forms.RegistrationForm, Role.CLERK).Next(this.issued)

    revision = Step(Stage.REVISION, forms.RevisionForm, Role.DRAFTER).Next(this.after_revision)
    after_revision = (
        flow.Switch()
        .Case(this.completeness, returns_to(Stage.COMPLETENESS))
        .Case(this.legal_review, returns_to(Stage.LEGAL_REVIEW, Stage.HEAD_SIGN))
        .Case(this.recheck, returns_to(Stage.MEETING, Stage.RECHECK))
        .Default(this.dept_check)
    )

    issued = flow.End()
    closed = flow.End()

    def start_review(self, activation, dossier):
        activation.process.save()
        dossier.process = activation.process
        dossier.save(update_fields=["process"])
        return activation.process


def submit_dossier(dossier, user):
    """Start the review of a drafted dossier at stage 1. False if it was already submitted
    (a second click, or a colleague at the same moment)."""
    with transaction.atomic():
        if not Dossier.objects.filter(pk=dossier.pk, process__isnull=True).update(
            stage=Stage.DEPT_CHECK
        ):
            return False
        dossier.record(user, HistoryEntry.Action.SUBMITTED, version=dossier.latest_version)
        ReviewFlow.start.run(dossier=dossier)
    dossier.refresh_from_db()
    return True


def complete_open_task(dossier, user, data, files=None):
    """Do the dossier's open step as ``user`` with form ``data``, as the task page would.

    Used by seed_demo and the tests; raises ValueError with the form's messages if the
    data would be refused on the page.
    """
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    task = Task.objects.get(
        process_id=dossier.process_id,
        flow_task_type="HUMAN",
        status__in=[STATUS.NEW, STATUS.ASSIGNED],
    )
    dossier.refresh_from_db()
    form = task.flow_task.form_class(data, files or {}, dossier=dossier, user=user)
    if not form.is_valid():
        findings = getattr(form, "findings", None)
        problems = [form.errors.as_text()]
        problems += [errors.as_text() for errors in (findings.errors if findings else []) if errors]
        raise ValueError("\n".join(problems))
    task.flow_task.execute(task.pk, user, form)
    dossier.refresh_from_db()
    return dossier
