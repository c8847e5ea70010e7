"""Entering issued documents in the register, and the daily pass over their dates.

`enter_issued` is called by the workflow inside its registration transaction (三统一,
Art. 23); `run_daily` by Celery beat once a day (and by `manage.py lapse_documents`).
"""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from review.models import NumberSequence
from search.indexing import schedule_indexing
from search.models import ONE_DAY, Document, DocumentLink, Kind, Status, StatusChange
from search.numbers import number_key

# What a draft's title carries until it is issued: 办法（草案）, 办法（送审稿）.
_DRAFT_SUFFIX = re.compile(r"\s*[（(](?:草案|送审稿|征求意见稿|修订草案)[）)]\s*$")


def issued_title(draft_title: str) -> str:
    return _DRAFT_SUFFIX.sub("", draft_title).strip()


def _in_register(number):
    return Document.objects.filter(number_key=number_key(number)).exists()


def take_number(prefix, year):
    """The next free number under ``prefix`` for ``year``, taken: one already in the
    register (an imported document) is skipped, since a number is never given twice."""
    while True:
        number = NumberSequence.take(prefix, year)
        if not _in_register(number):
            return number


def next_number(prefix, year):
    """The number ``take_number`` would give now, without taking it."""
    n = NumberSequence.last_taken(prefix, year) + 1
    while _in_register(NumberSequence.format(prefix, year, n)):
        n += 1
    return NumberSequence.format(prefix, year, n)


def default_effective_on(published_on):
    """Art. 22: in force 30 days after publication, unless the document says otherwise."""
    return published_on + timedelta(days=settings.REVIEW_RULES["effective_after_days"])


@transaction.atomic
def enter_issued(
    dossier,
    *,
    published_on: date,
    effective_on=None,
    signed_on=None,
    validity_years=None,
    early_effect_ground="",
    issuer="",
    user,
):
    """Register a document issued through the review (统一登记) and return it.

    It takes effect `effective_after_days` (30) after publication unless `effective_on`
    says otherwise (Art. 22, with its ground when sooner), is "not yet in force" until
    then, and lapses after its stated validity period (Art. 24: at most 5 years, 2 for
    暂行/试行). ``issuer`` is the body it is issued by (the government's general office
    for a 衡政办规 document); by default the government or the drafting department. The
    text is the dossier's latest version. The documents the dossier amends
    or repeals change status in the same transaction, linked both ways. The search index is
    updated once the caller's transaction commits.
    """
    if Document.objects.filter(dossier=dossier).exists():
        raise ValidationError(_("该文件已登记入库，不能重复登记。"))
    if not dossier.number:
        raise ValidationError(_("文件尚未编号，不能登记入库。"))
    version = dossier.latest_version
    if version is None:
        raise ValidationError(_("卷宗中没有文件文本，不能登记入库。"))
    effective_on = effective_on or default_effective_on(published_on)
    government = dossier.kind == dossier.Kind.GOVERNMENT
    default_issuer = settings.GOVERNMENT_NAME if government else dossier.department.name
    document = Document(
        title=issued_title(dossier.title),
        number=dossier.number,
        issuer=issuer or default_issuer,
        department=dossier.department,
        kind=Kind.GOVERNMENT_NORMATIVE if government else Kind.DEPARTMENT_NORMATIVE,
        signed_on=signed_on,
        published_on=published_on,
        effective_on=effective_on,
        status=Status.PENDING if effective_on > timezone.localdate() else Status.IN_FORCE,
        early_effect_ground=early_effect_ground,
        dossier=dossier,
    )
    document.set_lapse_date(validity_years)
    document.full_clean()
    document.save()
    document.add_version(version.text, published_on=published_on, effective_on=effective_on)
    StatusChange.objects.create(
        document=document,
        new_status=document.status,
        changed_on=published_on,
        reason=_("统一登记、编号、公布"),
        actor=user,
    )
    changed = [document.pk, *_apply_planned_changes(dossier, document, user)]
    schedule_indexing(changed)
    return document


def _apply_planned_changes(dossier, document, user):
    """The targets the new document amends (已修改, the new one their successor) or repeals
    (已废止), from the day it takes effect."""
    changed = []
    for planned in dossier.planned_changes.select_related("target"):
        target = planned.target
        DocumentLink.objects.get_or_create(source=document, target=target, kind=planned.kind)
        amends = planned.kind == DocumentLink.Kind.AMENDS
        verb = _("修改") if amends else _("废止")
        target.change_status(
            Status.AMENDED if amends else Status.REPEALED,
            on=document.effective_on,
            reason=_("被《%(title)s》（%(number)s）%(verb)s")
            % {"title": document.title, "number": document.number, "verb": verb},
            user=user,
        )
        if target.amendment_due_since:
            target.amendment_due_since = None
            target.save(update_fields=["amendment_due_since"])
        changed.append(target.pk)
    return changed


@dataclass
class DailyReport:
    """What the daily pass changed, and what it flags (有效期届满前六个月提醒)."""

    became_effective: list[Document] = field(default_factory=list)
    lapsed: list[Document] = field(default_factory=list)
    newly_flagged: list[Document] = field(default_factory=list)
    flagged: list[Document] = field(default_factory=list)


@transaction.atomic
def run_daily(today: date | None = None) -> DailyReport:
    """Bring statuses up to `today`: documents whose effective date has come are in force;
    documents past their validity have lapsed (Art. 24: at the end of the last day).
    Documents lapsing within the warning period are flagged, each once."""
    today = today or timezone.localdate()
    report = DailyReport()
    for doc in Document.objects.filter(status=Status.PENDING, effective_on__lte=today):
        doc.change_status(Status.IN_FORCE, on=doc.effective_on, reason=_("施行日期已到"))
        report.became_effective.append(doc)
    lapsing = Document.objects.filter(
        status__in=[Status.IN_FORCE, Status.AMENDED], lapses_on__lt=today
    )
    for doc in lapsing:
        doc.change_status(
            Status.LAPSED,
            on=doc.lapses_on + ONE_DAY,
            reason=_("有效期届满，自行失效"),
        )
        report.lapsed.append(doc)
    report.flagged = list(Document.objects.nearing_lapse(today).order_by("lapses_on"))
    report.newly_flagged = [doc for doc in report.flagged if doc.lapse_flagged_on is None]
    Document.objects.filter(pk__in=[doc.pk for doc in report.newly_flagged]).update(
        lapse_flagged_on=today
    )
    schedule_indexing([doc.pk for doc in report.became_effective + report.lapsed])
    return report
