"""What each step of the four reviews does to the dossier.

Each function acts (records, signs, numbers, registers) and leaves a ``Decision`` on the
dossier; the flow (flows.py) reads it and alone moves the dossier to its next stage. Forms
validate what a person typed and call these; seed_demo, the admin and the tests can call
them without a form. They run inside the flow's lock and transaction: a failure changes
nothing.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from review import outgoing
from review.models import (
    CLOSING_CONCLUSIONS,
    RETURNING_CONCLUSIONS,
    Conclusion,
    Decision,
    Dossier,
    DraftVersion,
    Finding,
    FindingAnswer,
    HistoryEntry,
    Material,
    Meeting,
    MeetingDecision,
    Minutes,
    Note,
    Objection,
    Opinion,
    Role,
    Stage,
)
from search.models import Document, DocumentLink, Kind, PlannedChange
from search.register import enter_issued, take_number

from . import clock
from .models import ClockEvent, work_calendar
from .notifications import notify, people_with

Action = HistoryEntry.Action


def send_back(dossier, user, reason):
    """Return the draft to the drafter; the resubmission comes back to this stage."""
    dossier.send_back(user, reason)


def pass_dept_check(dossier, user, opinion_text):
    """Stage 1: the department's legal office passes the draft with its initial opinion."""
    opinion = Opinion.objects.create(
        dossier=dossier,
        stage=Stage.DEPT_CHECK,
        version=dossier.latest_version,
        author=user,
        conclusion=Conclusion.PASS,
        text=opinion_text,
    )
    outgoing.sign_opinion(opinion, user)
    dossier.record(user, Action.PASSED, opinion.text, opinion=opinion)
    dossier.decide(Decision.PROCEED)
    return opinion


def request_supplement(dossier, user, kinds, comment=""):
    """Stage 2 on receipt: the materials are incomplete; ask for ``kinds`` by letter."""
    outgoing.supplement_request(dossier, user, kinds, comment)
    dossier.requested_materials = list(kinds)
    dossier.save(update_fields=["requested_materials"])
    kinds = [Material.Kind(k) for k in kinds]
    note = Note(gettext_noop("%(kinds)s。%(comment)s"), kinds=kinds, comment=comment)
    dossier.record(user, Action.SUPPLEMENT_REQUESTED, note)
    dossier.decide(Decision.SUPPLEMENT)


def received_on(dossier):
    """The day the legal office received the materials now complete (Art. 16): the stage-1
    pass, or the later arrival of a supplement or a resubmission. The completeness check
    itself does not move it."""
    last = (
        dossier.history.filter(action__in=[Action.PASSED, Action.SUPPLEMENTED, Action.RESUBMITTED])
        .order_by("-at")
        .first()
    )
    return timezone.localdate(last.at) if last else timezone.localdate()


def accept_materials(dossier, user, comment="", urgency=None, emergency_days=None):
    """Stage 2 on receipt: the materials are complete. The legal office decides the
    category the drafter asked for (Art. 16), and for an emergency the working days it
    needs; the review period runs from the day the complete materials arrived."""
    dossier.urgency = urgency or dossier.urgency_requested
    is_emergency = dossier.urgency == dossier.Urgency.EMERGENCY
    dossier.emergency_working_days = emergency_days if is_emergency else None
    dossier.materials_complete_on = received_on(dossier)
    dossier.save(update_fields=["urgency", "emergency_working_days", "materials_complete_on"])
    clock.keep_due_date(dossier)
    parts = {
        "category": Dossier.Urgency(dossier.urgency),
        "received": dossier.materials_complete_on,
        "comment": comment,
    }
    if is_emergency:
        message = gettext_noop(
            "审查类别：%(category)s，%(days)s个工作日；收到齐全材料之日：%(received)s。%(comment)s"
        )
        parts["days"] = clock.allowance(dossier)
    else:
        message = gettext_noop(
            "审查类别：%(category)s；收到齐全材料之日：%(received)s。%(comment)s"
        )
    dossier.record(user, Action.MATERIALS_COMPLETE, Note(message, **parts))
    dossier.decide(Decision.PROCEED)


def supply_materials(dossier, user, uploads, comment=""):
    """The drafter supplies materials: ``uploads`` maps a material kind to its file. What
    was asked for and not sent stays outstanding, on the record and on the reviewer's page."""
    for kind, upload in uploads.items():
        Material.add(dossier, user, kind, upload)
    outstanding = [k for k in dossier.requested_materials if k not in uploads]
    dossier.requested_materials = outstanding
    dossier.save(update_fields=["requested_materials"])
    if outstanding:
        kinds = [Material.Kind(k) for k in outstanding]
        comment = Note(
            gettext_noop("%(comment)s（尚未补正：%(kinds)s）"), comment=comment, kinds=kinds
        )
    dossier.record(user, Action.SUPPLEMENTED, comment)
    dossier.decide(Decision.PROCEED)


def write_opinion(dossier, user, *, conclusion, text, legal_basis="", findings=()):
    """Stage 2: the written legality opinion (Art. 17), for the head's signature whatever
    its conclusion. Written after the period ran out, it is kept as late and advisory and
    the draft, deemed passed, goes on to collective deliberation."""
    late = _deemed_passed(dossier)
    opinion = _legal_opinion(dossier, user, conclusion, text, legal_basis, late=late)
    for row in findings:
        Finding.objects.create(opinion=opinion, **row)
    action = Action.LATE_OPINION if late else Action.OPINION_WRITTEN
    dossier.record(user, action, _conclusion_note(opinion), opinion=opinion)
    dossier.decide(Decision.DEEMED_PASSED if late else Decision.PROCEED)
    return opinion


def _conclusion_note(opinion, comment=""):
    number = opinion.number if opinion.is_signed else ""
    return Note(
        gettext_noop("%(number)s %(conclusion)s %(comment)s"),
        number=number,
        conclusion=Conclusion(opinion.conclusion),
        comment=comment,
    )


def _legal_opinion(dossier, user, conclusion, text, legal_basis, *, late):
    return Opinion.objects.create(
        dossier=dossier,
        stage=Stage.LEGAL_REVIEW,
        version=dossier.latest_version,
        author=user,
        conclusion=conclusion,
        text=text,
        legal_basis=legal_basis,
        late=late,
    )


def _deemed_passed(dossier, today=None):
    """Record a review period that ran out (Art. 16); True when the draft is deemed passed."""
    clock.record_deemed_passed(dossier, today)
    return clock.is_deemed_passed(dossier)


def refuse_signature(dossier, user, opinion, comment):
    """The head returns the unsigned opinion to the reviewer."""
    dossier.record(user, Action.SIGNATURE_REFUSED, comment, opinion=opinion)
    dossier.decide(Decision.REFUSED)


def sign_opinion(dossier, user, opinion, comment=""):
    """The head signs the opinion in the legal office's name and it is sent. Revise and
    remove return the draft to the drafter (the clock stops meanwhile); 不予制定 and 暂缓制定
    close the dossier once the objection window has passed or the objection is settled
    (Art. 18). Signed after the period ran out, it is advisory: the draft, deemed passed,
    goes on to collective deliberation."""
    late = _deemed_passed(dossier)
    if late and not opinion.late:
        opinion.late = True
        opinion.save(update_fields=["late"])
    outgoing.sign_opinion(opinion, user)
    returning = opinion.conclusion in RETURNING_CONCLUSIONS and not late
    if not returning:
        clock.answer(dossier, user)
    dossier.record(user, Action.OPINION_SIGNED, _conclusion_note(opinion, comment), opinion=opinion)
    if late:
        return dossier.decide(Decision.DEEMED_PASSED)
    if returning:
        # The time with the drafter for revision does not count (Art. 16 para 2).
        clock.pause(dossier, user, opinion.text[:200], ClockEvent.Ground.REVISION)
        return dossier.send_back(user, opinion.text)
    if opinion.conclusion in CLOSING_CONCLUSIONS:
        return dossier.decide(Decision.CLOSE)
    dossier.decide(Decision.PROCEED)


def sign_late_opinion(dossier, user, opinion):
    """The head signs an opinion written after the draft was deemed passed: it is sent to
    the drafter as advice and changes nothing in the process."""
    if not opinion.late or opinion.is_signed:
        raise ValidationError(_("只有逾期出具、尚未签发的审查意见可以在此签发。"))
    outgoing.sign_opinion(opinion, user)
    clock.answer(dossier, user)
    note = Note(gettext_noop("%(number)s 逾期，仅供参考"), number=opinion.number)
    dossier.record(user, Action.OPINION_SIGNED, note, opinion=opinion)


def write_late_opinion(dossier, user, *, conclusion, text, legal_basis=""):
    """After the draft was deemed passed the legal office may still give its opinion: kept,
    for the head's signature, and advisory whatever it concludes."""
    if not clock.is_deemed_passed(dossier):
        raise ValidationError(_("审查期限未届满，请在合法性审查环节出具意见。"))
    opinion = _legal_opinion(dossier, user, conclusion, text, legal_basis, late=True)
    dossier.record(user, Action.LATE_OPINION, _conclusion_note(opinion), opinion=opinion)
    return opinion


def pass_by_deadline(dossier, today=None):
    """The review period ran out without a written opinion: record the legal fact and move
    the dossier on to collective deliberation, as the system (Art. 16). An opinion still
    unsigned is kept, marked late and advisory. Returns True when it moved the dossier."""
    if not _deemed_passed(dossier, today):
        return False
    dossier.refresh_from_db()
    if dossier.stage not in (Stage.LEGAL_REVIEW, Stage.HEAD_SIGN):
        return False
    task = open_task(dossier)
    if task is None:
        return False

    def deemed(current):
        current.opinions.filter(stage=Stage.LEGAL_REVIEW, signed_at__isnull=True).update(late=True)
        current.decide(Decision.DEEMED_PASSED)

    task.flow_task.complete_as_system(task.pk, deemed)
    return True


def open_tasks(dossier):
    """The dossier's human tasks waiting for someone."""
    return Task.objects.filter(
        process_id=dossier.process_id,
        flow_task_type="HUMAN",
        status__in=[STATUS.NEW, STATUS.ASSIGNED],
    )


def open_task(dossier):
    """The dossier's open human task, if any."""
    return open_tasks(dossier).first()


def open_reevaluation(document, user, drafter):
    """Art. 24: before a document lapses the legal office opens, for its department, the
    dossier in which it is evaluated and, to continue, reviewed, decided and published
    again; once issued, the new text supersedes the old."""
    # Two clicks at once would open two dossiers: the document's row serialises them.
    Document.objects.select_for_update().filter(pk=document.pk).exists()
    planned = PlannedChange.objects.filter(target=document)
    if planned.exclude(dossier__stage__in=Stage.ended()).exists():
        raise ValidationError(_("该文件已有正在办理的重新评估卷宗。"))
    if drafter.department_id != document.department_id or not drafter.has_role(Role.DRAFTER):
        raise ValidationError(_("请选择该文件起草部门的经办人。"))
    government = document.kind == Kind.GOVERNMENT_NORMATIVE
    dossier = Dossier.objects.create(
        title=_("%(t)s（草案）") % {"t": document.title},
        department=document.department,
        kind=Dossier.Kind.GOVERNMENT if government else Dossier.Kind.DEPARTMENT,
        legal_basis=_("《%(t)s》（%(n)s），有效期至%(d)s")
        % {"t": document.title, "n": document.number, "d": clock.day_label(document.lapses_on)},
        created_by=drafter,
    )
    PlannedChange.objects.create(dossier=dossier, target=document, kind=DocumentLink.Kind.AMENDS)
    why = Note(
        gettext_noop("有效期届满前重新评估《%(title)s》（%(number)s）"),
        title=document.title,
        number=document.number,
    )
    dossier.record(user, Action.CREATED, why)
    notify(
        [drafter],
        Note(
            gettext_noop(
                "政府法制机构已开立《%(t)s》的重新评估卷宗，请评估后上传拟继续施行的文本并报送。"
            ),
            t=document.title,
        ),
        key=f"reevaluation:{dossier.pk}",
        dossier=dossier,
    )
    return dossier


# --- Art. 18: the objection -----------------------------------------------------------


def objection_window_end(opinion):
    """The last day to object: 5 working days after the signed opinion was received (the
    day it was signed and sent). None while that day lies in a year nobody has entered."""
    days = settings.REVIEW_RULES["objection_working_days"]
    try:
        return work_calendar().add_working_days(timezone.localdate(opinion.signed_at), days)
    except clock.UnknownCalendarYear:
        return None


def objectable_opinion(dossier):
    """The signed legality opinion the drafter may still object to today, or None."""
    opinion = (
        dossier.opinions.filter(stage=Stage.LEGAL_REVIEW, signed_at__isnull=False, late=False)
        .order_by("-signed_at")
        .first()
    )
    if opinion is None or Objection.objects.filter(opinion=opinion).exists():
        return None
    end = objection_window_end(opinion)
    if end is not None and timezone.localdate() > end:
        return None
    return opinion


def raise_objection(dossier, user, text):
    """The drafting department objects in writing to the signed opinion (Art. 18)."""
    opinion = objectable_opinion(dossier)
    if opinion is None:
        raise ValidationError(_("异议期限已过，或该审查意见已提出过异议。"))
    objection = Objection.objects.create(
        dossier=dossier,
        opinion=opinion,
        text=text,
        raised_by=user,
        raised_on=timezone.localdate(),
    )
    dossier.record(user, Action.OBJECTION, text, opinion=opinion)
    notify(
        people_with(Role.REVIEWER, Role.HEAD),
        Note(
            gettext_noop("起草部门对《%(title)s》的审查意见（%(number)s）提出书面异议，请协商。"),
            title=dossier.title,
            number=opinion.number,
        ),
        key=f"objection:{objection.pk}",
        dossier=dossier,
    )
    return objection


def object_to_closing(dossier, user, text):
    """The drafter objects to 不予制定 or 暂缓制定 within the window: the dossier stays open
    for the 协商."""
    objection = raise_objection(dossier, user, text)
    dossier.decide(Decision.OBJECTED)
    return objection


def accept_conclusion(dossier, user=None):
    """The drafter accepts a closing conclusion, or lets the window pass (``user`` None):
    the dossier closes."""
    action = Action.OBJECTION_ACCEPTED if user else Action.OBJECTION_WINDOW_PASSED
    dossier.record(user, action)
    _close(dossier, user, gettext_noop("%(conclusion)s（审查结论生效）"))


def negotiate(dossier, user, objection, outcome, record):
    """The legal office records the 协商 with the department and its outcome."""
    if objection.outcome:
        raise ValidationError(_("该异议已记录协商结果。"))
    objection.outcome, objection.negotiation = outcome, record
    objection.negotiated_on = timezone.localdate()
    objection.save(update_fields=["outcome", "negotiation", "negotiated_on"])
    note = Note(
        gettext_noop("%(outcome)s：%(record)s"),
        outcome=Objection.Outcome(outcome),
        record=record,
    )
    dossier.record(user, Action.NEGOTIATED, note)
    if dossier.stage != Stage.NEGOTIATION:
        return None  # an objection to an opinion that closes nothing: recorded, not routed
    if outcome == Objection.Outcome.NO_AGREEMENT:
        return dossier.decide(Decision.REFERRED)
    _settle(dossier, user, review_again=outcome == Objection.Outcome.OPINION_CHANGED)


def rule(dossier, user, objection, ruling, text):
    """The government decides an objection the two sides did not agree on (裁决)."""
    if objection.outcome != Objection.Outcome.NO_AGREEMENT or objection.ruling:
        raise ValidationError(_("该异议无需或已经作出裁决。"))
    objection.ruling, objection.ruling_text = ruling, text
    objection.ruled_on = timezone.localdate()
    objection.save(update_fields=["ruling", "ruling_text", "ruled_on"])
    note = Note(gettext_noop("%(ruling)s：%(text)s"), ruling=Objection.Ruling(ruling), text=text)
    dossier.record(user, Action.RULED, note)
    if dossier.stage != Stage.RULING:
        return None
    _settle(dossier, user, review_again=ruling == Objection.Ruling.OBJECTION_UPHELD)


def _settle(dossier, user, *, review_again):
    if review_again:
        return dossier.decide(Decision.REVIEW_AGAIN)
    _close(dossier, user, gettext_noop("%(conclusion)s（异议处理完毕，维持审查意见）"))


def _close(dossier, user, message):
    """Close on the last signed opinion; ``message`` names its %(conclusion)s."""
    opinion = dossier.opinions.filter(signed_at__isnull=False).order_by("-signed_at").first()
    conclusion = Conclusion(opinion.conclusion) if opinion else ""
    dossier.record(user, Action.CLOSED, Note(message, conclusion=conclusion))
    dossier.decide(Decision.CLOSE)


def hold_meeting(user, *, body, meeting, held_on, minutes=None):
    """The meeting (or the heads' decision) at which drafts are decided, with its minutes
    (``minutes``: a checked upload). Recorded once: drafts decided at it one by one, or
    together from the agenda, share it; minutes uploaded again are kept beside the first."""
    session, _created = Meeting.objects.get_or_create(
        body=body, name=meeting, held_on=held_on, defaults={"recorded_by": user}
    )
    if minutes is not None:
        record = Minutes(meeting=session, uploaded_by=user)
        record.set_content(minutes.name, minutes.data)
        record.save()
    return session


def record_meeting(dossier, user, *, body, meeting, held_on, outcome, notes="", minutes=None):
    """Stage 3: the collective decision on the current version (Art. 20): by the body the
    issuer's kind calls for, which the record names."""
    if body not in MeetingDecision.Body.for_kind(dossier.kind):
        raise ValidationError(_("该类文件不能以此方式作出集体审议决定。"))
    session = hold_meeting(user, body=body, meeting=meeting, held_on=held_on, minutes=minutes)
    version = dossier.latest_version
    MeetingDecision.objects.create(
        dossier=dossier,
        session=session,
        version=version,
        recorded_by=user,
        body=body,
        meeting=meeting,
        held_on=held_on,
        outcome=outcome,
        notes=notes,
    )
    note = Note(
        gettext_noop("%(body)s（%(meeting)s，%(day)s）：%(outcome)s %(notes)s"),
        body=MeetingDecision.Body(body),
        meeting=meeting,
        day=held_on,
        outcome=MeetingDecision.Outcome(outcome),
        notes=notes,
    )
    dossier.record(user, Action.MEETING_DECIDED, note, version=version)
    if outcome in (MeetingDecision.Outcome.POSTPONED, MeetingDecision.Outcome.REJECTED):
        closed = Note("%(outcome)s", outcome=MeetingDecision.Outcome(outcome))
        dossier.record(user, Action.CLOSED, closed)
        return dossier.decide(Decision.CLOSE)
    dossier.approved_version = version
    dossier.save(update_fields=["approved_version"])
    if outcome == MeetingDecision.Outcome.AMEND:
        return dossier.send_back(user, notes)
    dossier.decide(Decision.PROCEED)


def recheck(dossier, user, comment=""):
    """Stage 4: the text to be issued is the approved one, or every change is justified."""
    dossier.record(user, Action.RECHECKED, comment, version=dossier.latest_version)
    dossier.decide(Decision.PROCEED)


def register(
    dossier,
    user,
    *,
    published_on,
    published_in,
    series="",
    signed_on=None,
    effective_on=None,
    validity_years=None,
    early_effect_ground="",
    amends=(),
    repeals=(),
):
    """Unified registration, numbering and publication (三统一, Art. 23): the number under
    the chosen 代字 (``series``, a prefix of ``dossier.number_series()``; by default the
    first), the register entry and the status of the documents it amends or repeals, in one
    transaction. Returns the number taken."""
    chosen = issuing_series(dossier, series)
    for kind, targets in ((DocumentLink.Kind.AMENDS, amends), (DocumentLink.Kind.REPEALS, repeals)):
        for target in targets:
            PlannedChange.objects.update_or_create(
                dossier=dossier, target=target, defaults={"kind": kind}
            )
    dossier.number = take_number(chosen.prefix, published_on.year)
    dossier.issued_on = published_on
    dossier.save(update_fields=["number", "issued_on"])
    enter_issued(
        dossier,
        published_on=published_on,
        effective_on=effective_on,
        signed_on=signed_on,
        validity_years=validity_years,
        early_effect_ground=early_effect_ground,
        issuer=chosen.issuer,
        user=user,
    )
    note = Note(
        gettext_noop("%(number)s，%(day)s %(published_in)s"),
        number=dossier.number,
        day=published_on,
        published_in=published_in,
    )
    dossier.record(user, Action.REGISTERED, note, version=dossier.latest_version)
    dossier.decide(Decision.PROCEED)
    return dossier.number


def issuing_series(dossier, prefix=""):
    """The series ``prefix`` names among the dossier's, or its default; refused with where
    to set one when the issuer has none."""
    series = dossier.number_series()
    if not series:
        raise ValidationError(
            _("“%(d)s”尚未设置发文代字，不能编号。请管理员在“部门”中设置其发文代字。")
            % {"d": dossier.department.name}
        )
    chosen = next((s for s in series if s.prefix == prefix), None) if prefix else series[0]
    if chosen is None:
        raise ValidationError(_("“%(p)s”不是该文件可用的发文代字。") % {"p": prefix})
    return chosen


def resubmit(dossier, user, upload, note, answers=()):
    """The drafter's revised draft, returning to the stage that sent it back, with an
    answer to each finding of the opinion: (finding, answer, reason) triples."""
    if dossier.returned_from in (Stage.LEGAL_REVIEW, Stage.HEAD_SIGN):
        clock.resume(dossier, user)
    version = DraftVersion.add(dossier, user, upload, note)
    for finding, answer, reason in answers:
        FindingAnswer.objects.create(
            finding=finding, version=version, answer=answer, reason=reason, answered_by=user
        )
    if answers:
        dossier.record(user, Action.FINDINGS_ANSWERED, answer_summary(answers), version=version)
    dossier.record(user, Action.RESUBMITTED, note, version=version)
    dossier.decide(Decision.PROCEED)
    return version


def answer_summary(answers):
    """How many findings each answer got, as a note: 采纳2条；不采纳1条."""
    counts = dict.fromkeys(FindingAnswer.Answer, 0)
    for _finding, answer, _reason in answers:
        counts[FindingAnswer.Answer(answer)] += 1
    counted = [
        Note(gettext_noop("%(answer)s%(n)s条"), answer=choice, n=n)
        for choice, n in counts.items()
        if n
    ]
    return Note("%(counts)s", counts=counted)


def findings_to_answer(dossier):
    """The findings of the opinion that sent the draft back, not yet answered."""
    opinion = (
        dossier.opinions.filter(
            stage=Stage.LEGAL_REVIEW,
            signed_at__isnull=False,
            conclusion__in=RETURNING_CONCLUSIONS,
        )
        .order_by("-signed_at")
        .first()
    )
    if opinion is None:
        return []
    return list(opinion.findings.filter(answers__isnull=True))


def findings_not_adopted(dossier):
    """Answers that did not adopt a finding in full: the meeting is told (BRIEF, 集体审)."""
    return list(answers_not_adopted([dossier]))


def answers_not_adopted(dossiers):
    """The answers of ``dossiers`` that did not adopt a finding in full, in one query."""
    return (
        FindingAnswer.objects.filter(finding__opinion__dossier__in=dossiers)
        .exclude(answer=FindingAnswer.Answer.ADOPTED)
        .select_related("finding", "finding__opinion")
    )
