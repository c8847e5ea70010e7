"""What each step of the four reviews does to the dossier.

Each function acts (records, signs, numbers, registers) and leaves a ``Decision`` on the
dossier; the flow (flows.py) reads it and alone moves the dossier to its next stage. Forms
validate what a person typed and call these; seed_demo, the admin and the tests can call
them without a form. They run inside the flow's lock and transaction: a failure changes
nothing.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from review import outgoing
from review.models import (
    CLOSING_CONCLUSIONS,
    RETURNING_CONCLUSIONS,
    Conclusion,
    Decision,
    DraftVersion,
    Finding,
    HistoryEntry,
    Material,
    MeetingDecision,
    NumberSequence,
    Opinion,
    Stage,
)
from search.models import Document
from search.numbers import number_key
from search.register import enter_issued

from . import clock

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
    names = "、".join(str(Material.Kind(k).label) for k in kinds)
    dossier.record(user, Action.SUPPLEMENT_REQUESTED, f"{names}。{comment}".strip("。") + "。")
    dossier.decide(Decision.SUPPLEMENT)


def accept_materials(dossier, user, comment=""):
    """Stage 2 on receipt: the materials are complete and the review period starts."""
    dossier.materials_complete_on = timezone.localdate()
    dossier.save(update_fields=["materials_complete_on"])
    dossier.record(user, Action.MATERIALS_COMPLETE, comment)
    dossier.decide(Decision.PROCEED)


def supply_materials(dossier, user, uploads, comment=""):
    """The drafter supplies materials: ``uploads`` maps a material kind to its file."""
    for kind, upload in uploads.items():
        Material.add(dossier, user, kind, upload)
    dossier.requested_materials = []
    dossier.save(update_fields=["requested_materials"])
    dossier.record(user, Action.SUPPLEMENTED, comment)
    dossier.decide(Decision.PROCEED)


def write_opinion(dossier, user, *, conclusion, text, legal_basis="", findings=()):
    """Stage 2: the written legality opinion (Art. 17). Revise and remove go straight back
    to the drafter under the reviewer's signature; the others wait for the head's."""
    opinion = Opinion.objects.create(
        dossier=dossier,
        stage=Stage.LEGAL_REVIEW,
        version=dossier.latest_version,
        author=user,
        conclusion=conclusion,
        text=text,
        legal_basis=legal_basis,
    )
    for row in findings:
        Finding.objects.create(opinion=opinion, **row)
    if conclusion in RETURNING_CONCLUSIONS:
        clock.pause(dossier, user, _("退回起草部门修改"))
        outgoing.sign_opinion(opinion, user)
        dossier.record(
            user, Action.OPINION_SIGNED, opinion.get_conclusion_display(), opinion=opinion
        )
        dossier.send_back(user, opinion.text)
        return opinion
    dossier.record(user, Action.OPINION_WRITTEN, opinion.get_conclusion_display(), opinion=opinion)
    dossier.decide(Decision.PROCEED)
    return opinion


def refuse_signature(dossier, user, opinion, comment):
    """The head returns the unsigned opinion to the reviewer."""
    dossier.record(user, Action.SIGNATURE_REFUSED, comment, opinion=opinion)
    dossier.decide(Decision.REFUSED)


def sign_opinion(dossier, user, opinion, comment=""):
    """The head signs: the review is answered; 不予制定 and 暂缓制定 end the dossier."""
    outgoing.sign_opinion(opinion, user)
    clock.answer(dossier, user)
    dossier.record(
        user,
        Action.OPINION_SIGNED,
        f"{opinion.number} {opinion.get_conclusion_display()} {comment}".strip(),
        opinion=opinion,
    )
    if opinion.conclusion in CLOSING_CONCLUSIONS:
        dossier.record(user, Action.CLOSED, opinion.get_conclusion_display())
        return dossier.decide(Decision.CLOSE)
    dossier.decide(Decision.PROCEED)


def record_meeting(dossier, user, *, meeting, held_on, outcome, notes=""):
    """Stage 3: the collective meeting's decision on the current version."""
    version = dossier.latest_version
    decision = MeetingDecision.objects.create(
        dossier=dossier,
        version=version,
        recorded_by=user,
        meeting=meeting,
        held_on=held_on,
        outcome=outcome,
        notes=notes,
    )
    dossier.record(user, Action.MEETING_DECIDED, str(decision), version=version)
    if outcome in (MeetingDecision.Outcome.POSTPONED, MeetingDecision.Outcome.REJECTED):
        dossier.record(user, Action.CLOSED, decision.get_outcome_display())
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


def register(dossier, user, *, published_on, published_in, signed_on=None, effective_on=None):
    """Unified registration, numbering and publication (三统一, Art. 23): the number and the
    register entry in one transaction."""
    dossier.number = _take_number(dossier, published_on.year)
    dossier.issued_on = published_on
    dossier.save(update_fields=["number", "issued_on"])
    enter_issued(
        dossier,
        published_on=published_on,
        effective_on=effective_on,
        signed_on=signed_on,
        user=user,
    )
    dossier.record(
        user,
        Action.REGISTERED,
        f"{dossier.number}，{published_on:%Y-%m-%d} {published_in}",
        version=dossier.latest_version,
    )
    dossier.decide(Decision.PROCEED)


def _take_number(dossier, year):
    """The next free number: one already in the register (an imported document) is
    skipped, since a number is never given twice."""
    while True:
        number = NumberSequence.take(dossier.number_prefix, year)
        if not Document.objects.filter(number_key=number_key(number)).exists():
            return number


def resubmit(dossier, user, upload, note, objection=""):
    """The drafter's revised draft, with a written objection (Art. 18) if they disagree;
    it returns to the stage that sent it back."""
    if dossier.returned_from in (Stage.LEGAL_REVIEW, Stage.HEAD_SIGN):
        clock.resume(dossier, user)
    version = DraftVersion.add(dossier, user, upload, note)
    if objection.strip():
        dossier.record(user, Action.OBJECTION, objection, version=version)
    dossier.record(user, Action.RESUBMITTED, note, version=version)
    dossier.decide(Decision.PROCEED)
    return version
