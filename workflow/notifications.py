"""Notifications: in the app and by email, each sent once.

``notify`` writes the notices in the caller's transaction; once it commits, a Celery task
keyed by the notice mails it (``mail``), retried when the mail server fails, and queued again
by a periodic pass when the broker was down or a worker died. Below, who is told of what:
the workflow's events are read from the dossier's history and the flow's new tasks, so the
steps themselves need not remember to tell anybody.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_noop
from viewflow.workflow.models import Task

from review.models import (
    RETURNING_CONCLUSIONS,
    Conclusion,
    HistoryEntry,
    Note,
    Role,
    Stage,
    User,
)
from search.models.cleanup import PROPOSER_ROLES, CampaignItem

from .models import Notification
from .nodes import Step

logger = logging.getLogger(__name__)

Action = HistoryEntry.Action


def people_with(*roles, department=None):
    """The active users who hold any of ``roles`` (in ``department`` when given): whom a
    notice about their work goes to."""
    people = User.objects.filter(groups__name__in=roles, is_active=True)
    if department is not None:
        people = people.filter(department=department)
    return list(people.distinct())


def notify(users, message, *, key, dossier=None):
    """Tell each user ``message`` (a Note, which each reader reads in their own language)
    once: ``key`` names the occasion, so a job that runs again (or a worker that died after
    sending) does not repeat it."""
    parts = message.parts
    message = Truncator(message.official()).chars(
        Notification._meta.get_field("message").max_length
    )
    sent = []
    for user in users:
        if user is None or not user.is_active:
            continue
        try:
            with transaction.atomic():
                note = Notification.objects.create(
                    user=user,
                    dossier=dossier,
                    message=message,
                    note=parts,
                    key=f"{key}:{user.pk}",
                )
        except IntegrityError:
            continue
        if user.email:
            # After commit: a rolled-back transaction must not have mailed anybody.
            transaction.on_commit(lambda pk=note.pk: queue_mail(pk))
        sent.append(note)
    return sent


def queue_mail(pk, *, retry=True):
    """Hand the notice to the mail task. The change that made it is committed by now: a
    broker that is down must not turn it into an error page; the periodic pass queues the
    notice again."""
    from .tasks import mail_notification  # tasks.py imports this module

    try:
        mail_notification.delay(pk, retry=retry)
    except Exception:
        logger.exception("Notification %s not queued for mailing; the periodic pass will", pk)


def mail(pk):
    """Mail notice ``pk`` unless it was mailed: True when sent now. Each try is counted; the
    mail server's error is raised after the count is saved.

    The notice's row stays locked while the mail goes out, so a second worker (or the
    periodic pass) waits and then finds it mailed; a worker that dies mid-way leaves it
    unmailed, for the periodic pass.
    """
    failure = None
    with transaction.atomic():
        note = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(pk=pk, mailed_at__isnull=True)
            .first()
        )
        if note is None or not note.user.email:
            return False
        note.mail_attempts += 1
        try:
            send_mail(
                Truncator(note.message).chars(60),
                note.message,
                settings.DEFAULT_FROM_EMAIL,
                [note.user.email],
            )
        except Exception as error:  # counted whatever it is, so the periodic pass stops
            failure = error
        else:
            note.mailed_at = timezone.now()
        note.save(update_fields=["mail_attempts", "mailed_at"])
    if failure is not None:
        raise failure
    return True


def unmailed(now=None):
    """Notices whose mail should have gone by now and may be tried again."""
    rules = settings.NOTIFICATION_MAIL
    now = now or timezone.now()
    return (
        Notification.objects.filter(
            mailed_at__isnull=True,
            mail_attempts__lt=rules["max_attempts"],
            created_at__lt=now - timedelta(minutes=rules["requeue_minutes"]),
            # Older ones stay in the app only: made before mailing was recorded, or the
            # mail server has been down for days and the news is stale.
            created_at__gte=now - timedelta(hours=rules["expire_hours"]),
        )
        .exclude(user__email="")
        .values_list("pk", flat=True)
    )


# --- Who is told of what --------------------------------------------------------------

# A draft sent back by the head's signature or by the collective decision: the signed
# opinion or the decision, told with it, says so.
SENT_BACK_WITH_NEWS = (Stage.HEAD_SIGN, Stage.MEETING)


def history_recorded(sender, instance, created, raw=False, **kwargs):
    """A new history entry: tell those it gives work or news, never the person who acted."""
    if not created or raw:
        return
    told = _told_of(instance)
    if told:
        people, message = told
        people = [p for p in _distinct(people) if p.pk != instance.actor_id]
        notify(people, message, key=f"history:{instance.pk}", dossier=instance.dossier)


def _told_of(entry):
    """(people, message) for an entry that is news to somebody, else None."""
    dossier = entry.dossier
    drafter = [dossier.created_by]
    title = dossier.title
    reason = _reason(entry)
    match entry.action:
        case Action.SENT_BACK if entry.stage not in SENT_BACK_WITH_NEWS:
            message = Note(
                gettext_noop("《%(title)s》已退回起草部门修改，请修改后重新报送。"), title=title
            )
            if reason:
                message = _then(message, Note(gettext_noop("退回理由：%(reason)s"), reason=reason))
            return drafter, message
        case Action.SUPPLEMENT_REQUESTED:
            message = gettext_noop("《%(title)s》的送审材料不齐全，请补正：%(what)s")
            return drafter, Note(message, title=title, what=reason)
        case Action.OPINION_SIGNED:
            return drafter, _opinion_signed(dossier, entry.opinion)
        case Action.MEETING_DECIDED:
            message = gettext_noop("《%(title)s》已经集体审议：%(decision)s。")
            return drafter, Note(message, title=title, decision=reason)
        case Action.REGISTERED:
            department = people_with(
                Role.DRAFTER, Role.DEPT_LEGAL, department=dossier.department_id
            )
            message = gettext_noop("《%(title)s》已统一登记，编号为%(number)s，并已公布。")
            return drafter + department, Note(message, title=title, number=dossier.number)
        case Action.NEGOTIATED:
            message = gettext_noop("《%(title)s》的异议协商结果已记录：%(outcome)s")
            return drafter, Note(message, title=title, outcome=reason)
        case Action.RULED:
            message = gettext_noop("政府已就《%(title)s》的异议作出裁决：%(ruling)s")
            legal_office = people_with(Role.REVIEWER, Role.HEAD)
            return drafter + legal_office, Note(message, title=title, ruling=reason)
        case Action.FILING_REPLY:
            message = gettext_noop("《%(title)s》（%(number)s）收到备案审查答复：%(reply)s")
            return drafter, Note(message, title=title, number=dossier.number, reply=reason)
    return None


def _reason(entry):
    """The entry's comment as part of a notice: what the system wrote, read in each reader's
    language; what a person typed, as typed and cut short."""
    if entry.note:
        return Note.recorded(entry.note)
    return Truncator(entry.comment.strip()).chars(200)


def _opinion_signed(dossier, opinion):
    values = {"title": dossier.title, "number": opinion.number}
    if opinion.late:
        late = gettext_noop("《%(title)s》的审查意见（%(number)s）已签发，系逾期出具，仅供参考。")
        return Note(late, **values)
    message = Note(
        gettext_noop("《%(title)s》的审查意见（%(number)s）已签发，结论为“%(conclusion)s”。"),
        conclusion=Conclusion(opinion.conclusion),
        **values,
    )
    if opinion.conclusion in RETURNING_CONCLUSIONS:
        message = _then(message, Note(gettext_noop("请按审查意见修改后重新报送。")))
    days = settings.REVIEW_RULES["objection_working_days"]
    objection = Note(gettext_noop("如有异议，可在%(days)s个工作日内书面提出。"), days=days)
    return _then(message, objection)


def task_created(sender, instance, action, reverse, pk_set, **kwargs):
    """A task of the flow is linked to the tasks that led to it (just after it is made, in
    the same transaction): tell its holder, or everyone who may take it. The drafter's
    steps are left out: the news that opened them (sent back, supplement requested, opinion
    signed) has told the drafter, with the reason."""
    if action != "post_add" or reverse or instance.flow_task_type != "HUMAN":
        return
    node = instance.flow_task
    if not isinstance(node, Step) or Role.DRAFTER in node.roles:
        return
    dossier = instance.process.dossier
    if instance.owner_id:
        people = [instance.owner]
    else:
        roles, own_department = node.actors(dossier)
        people = people_with(*roles, department=dossier.department_id if own_department else None)
    actors = _actors(pk_set)
    message = Note(
        gettext_noop("《%(title)s》已转入“%(step)s”环节，请及时办理。"),
        title=dossier.title,
        step=Stage(node.stage),
    )
    people = [p for p in people if p.pk not in actors]
    notify(people, message, key=f"task:{instance.pk}", dossier=dossier)


def _actors(task_pks):
    """Who did the human steps that led to these tasks; the gates between are nobody's."""
    tasks = list(Task.objects.filter(pk__in=task_pks))
    actors = {t.owner_id for t in tasks if t.flow_task_type == "HUMAN" and t.owner_id}
    gates = [t.pk for t in tasks if t.flow_task_type != "HUMAN"]
    if gates:
        actors |= _actors(Task.objects.filter(leading__in=gates).values_list("pk", flat=True))
    return actors


def cleanup_assigned(sender, campaign, department, count, **kwargs):
    """A cleanup campaign gave a department documents: those who may propose are told."""
    # The latest item and record of the department's share name this assignment: a later
    # one adds items or records, and so gets a key of its own.
    latest = CampaignItem.objects.filter(campaign=campaign, department=department).aggregate(
        item=Max("pk"), record=Max("events__pk")
    )
    message = Note(
        gettext_noop("“%(campaign)s”已分配%(count)s件文件由本部门提出清理意见。"),
        campaign=campaign.title,
        count=count,
    )
    if campaign.reply_due:
        reply = Note(gettext_noop("答复期限为%(day)s。"), day=campaign.reply_due)
        message = _then(message, reply)
    notify(
        people_with(*PROPOSER_ROLES, department=department.pk),
        message,
        key=f"cleanup:{campaign.pk}:{department.pk}:{latest['item']}:{latest['record']}",
    )


def _then(sentence, next_sentence):
    # Translators: one sentence after another: nothing between them in Chinese, a space in English.
    return Note(gettext_noop("%(sentence)s%(next)s"), sentence=sentence, next=next_sentence)


def _distinct(people):
    return list({p.pk: p for p in people if p is not None}.values())
