"""The four reviews (四审) as one viewflow flow.

Each step's domain function (actions.py) leaves a ``Decision`` on the dossier; the gates
read it, and only the flow's nodes set the dossier's stage. A draft sent back goes to the
drafter and returns to the stage that sent it back.
"""

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.flow import Flow

from review.models import Decision, Dossier, HistoryEntry, Role, Stage

from . import forms
from .models import ReviewProcess
from .nodes import Finish, Step
from .views.step import task as task_page


def decided(*decisions):
    return lambda activation: activation.process.dossier.decision in decisions


def step(stage, form_class, role, **options):
    return Step(task_page, stage, form_class, role, **options)


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

    dept_check = step(
        Stage.DEPT_CHECK, forms.DeptCheckForm, Role.DEPT_LEGAL, own_department=True
    ).Next(this.after_dept_check)
    after_dept_check = (
        flow.If(decided(Decision.SEND_BACK)).Then(this.revision).Else(this.completeness)
    )

    completeness = step(Stage.COMPLETENESS, forms.CompletenessForm, Role.REVIEWER).Next(
        this.after_completeness
    )
    after_completeness = (
        flow.Switch()
        .Case(this.revision, decided(Decision.SEND_BACK))
        .Case(this.supplement, decided(Decision.SUPPLEMENT))
        .Default(this.legal_review)
    )
    supplement = step(Stage.SUPPLEMENT, forms.SupplementForm, Role.DRAFTER).Next(this.completeness)

    legal_review = step(Stage.LEGAL_REVIEW, forms.LegalReviewForm, Role.REVIEWER).Next(
        this.after_legal_review
    )
    after_legal_review = (
        flow.Switch().Case(this.meeting, decided(Decision.DEEMED_PASSED)).Default(this.head_sign)
    )
    head_sign = step(
        Stage.HEAD_SIGN, forms.HeadSignForm, tuple(settings.OPINION_SIGNER_ROLES)
    ).Next(this.after_head_sign)
    after_head_sign = (
        flow.Switch()
        .Case(this.legal_review, decided(Decision.REFUSED))
        .Case(this.revision, decided(Decision.SEND_BACK))
        .Case(this.objection, decided(Decision.CLOSE))
        .Default(this.meeting)
    )

    # Art. 18: a closing conclusion takes effect once the window passes unused or the
    # objection is settled by agreement or by the government's decision.
    objection = step(Stage.OBJECTION, forms.ObjectionForm, Role.DRAFTER).Next(this.after_objection)
    after_objection = flow.If(decided(Decision.OBJECTED)).Then(this.negotiation).Else(this.closed)
    negotiation = step(Stage.NEGOTIATION, forms.NegotiationForm, Role.REVIEWER).Next(
        this.after_settling
    )
    ruling = step(Stage.RULING, forms.RulingForm, Role.SECRETARY).Next(this.after_settling)
    after_settling = (
        flow.Switch()
        .Case(this.ruling, decided(Decision.REFERRED))
        .Case(this.legal_review, decided(Decision.REVIEW_AGAIN))
        .Default(this.closed)
    )

    # Art. 20: the government's executive meeting or heads for its documents, the
    # department's office meeting or heads for the department's, recorded by each.
    meeting = step(
        Stage.MEETING,
        forms.MeetingForm,
        Role.SECRETARY,
        by_kind={Dossier.Kind.DEPARTMENT: ((Role.DEPT_LEGAL,), True)},
    ).Next(this.after_meeting)
    after_meeting = (
        flow.Switch()
        .Case(this.revision, decided(Decision.SEND_BACK))
        .Case(this.closed, decided(Decision.CLOSE))
        .Default(this.recheck)
    )

    recheck = step(Stage.RECHECK, forms.RecheckForm, Role.CLERK).Next(this.after_recheck)
    after_recheck = flow.If(decided(Decision.SEND_BACK)).Then(this.revision).Else(this.registration)
    registration = step(Stage.REGISTRATION, forms.RegistrationForm, Role.CLERK).Next(this.issued)

    revision = step(Stage.REVISION, forms.RevisionForm, Role.DRAFTER).Next(this.after_revision)
    after_revision = (
        flow.Switch()
        .Case(this.completeness, returns_to(Stage.COMPLETENESS))
        .Case(this.legal_review, returns_to(Stage.LEGAL_REVIEW, Stage.HEAD_SIGN))
        .Case(this.recheck, returns_to(Stage.MEETING, Stage.RECHECK))
        .Default(this.dept_check)
    )

    issued = Finish(Stage.ISSUED)
    closed = Finish(Stage.CLOSED)

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
