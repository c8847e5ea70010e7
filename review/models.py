"""Dossiers, versions, materials, opinions and their history.

A dossier (送审卷宗) is one draft normative document on its way through the four reviews.
What was submitted or signed is never edited: a change is a new version or a new opinion.
"""

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_noop, override
from django.utils.translation import gettext_lazy as _

from core.models import ImmutableModel

from . import extract, ingest
from .tasks import extract_version


class Role(models.TextChoices):
    """The people of BRIEF.md; each is a Django group of the same name."""

    DRAFTER = "drafter", _("起草部门经办人")
    DEPT_LEGAL = "dept_legal", _("部门法制机构")
    REVIEWER = "reviewer", _("政府法制机构审查人员")
    HEAD = "head", _("法制机构负责人")
    # May sign opinions only where OPINION_SIGNER_ROLES delegates it.
    DEPUTY_HEAD = "deputy_head", _("法制机构副职负责人")
    SECRETARY = "secretary", _("政府办公室会议秘书")
    CLERK = "clerk", _("登记编号人员")


# The government legal office's staff: they see every dossier submitted to it.
LEGAL_OFFICE_ROLES = {Role.REVIEWER, Role.HEAD, Role.DEPUTY_HEAD, Role.CLERK}
# Those who write and sign its opinions: they alone see a draft opinion before signature
# and the office's internal steps.
REVIEWING_ROLES = {Role.REVIEWER, Role.HEAD, Role.DEPUTY_HEAD}


class Department(models.Model):
    """A drafting department (起草部门) or the government legal office (政府法制机构)."""

    class Kind(models.TextChoices):
        DRAFTING = "drafting", _("起草部门")
        LEGAL_OFFICE = "legal_office", _("政府法制机构")
        GOVERNMENT_OFFICE = "government_office", _("政府办公室")

    name = models.CharField(_("名称"), max_length=100, unique=True)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    number_prefix = models.CharField(
        _("发文代字"),
        max_length=100,
        blank=True,
        help_text=_(
            "本机关规范性文件的文号代字，如：衡住建规；有多个的用顿号分隔，第一个为默认。"
            "政府办公室的代字（如：衡政办规）用于以其名义印发的政府规范性文件。"
        ),
    )
    letter_prefix = models.CharField(
        _("发函代字"), max_length=30, blank=True, help_text=_("部门函件的代字，如：衡住建函")
    )

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name

    @property
    def number_prefixes(self):
        return [p for p in re.split(r"[、，,；;\s]+", self.number_prefix) if p]


@dataclass(frozen=True)
class NumberSeries:
    """A 代字 and the body in whose name the documents it numbers are issued."""

    prefix: str
    issuer: str


class User(AbstractUser):
    department = models.ForeignKey(
        Department,
        verbose_name=_("所在部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def roles(self):
        if not hasattr(self, "_roles"):
            self._roles = set(self.groups.values_list("name", flat=True))
        return self._roles

    def has_role(self, *roles):
        return bool(self.roles.intersection(roles))

    @property
    def is_legal_office(self):
        return self.has_role(*LEGAL_OFFICE_ROLES)

    @property
    def reviews(self):
        """Writes or signs the legal office's opinions."""
        return self.is_superuser or self.has_role(*REVIEWING_ROLES)

    @property
    def records_meetings(self):
        """Records collective decisions (Art. 20): the government office for government
        documents, a department's legal office for its own (the flow's meeting step)."""
        return self.has_role(Role.SECRETARY, Role.DEPT_LEGAL)


class DossierQuerySet(models.QuerySet):
    def visible_to(self, user):
        """What a user may see: drafters and their legal office see their department's
        dossiers; the government legal office sees what was submitted to it."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser or user.is_legal_office:
            return self.exclude(stage=Stage.DRAFT)
        own = Q(pk__in=[])
        if user.has_role(Role.DRAFTER, Role.DEPT_LEGAL) and user.department_id:
            own = Q(department_id=user.department_id)
        if user.has_role(Role.SECRETARY):
            # The government office sees what the government decides: its own documents from
            # the collective deliberation on, and objections referred for its ruling.
            decided = Q(kind=Dossier.Kind.GOVERNMENT) & (
                Q(stage=Stage.MEETING) | Q(pk__in=MeetingDecision.objects.values("dossier"))
            )
            own |= decided | Q(stage=Stage.RULING)
        return self.filter(own)


class Stage(models.TextChoices):
    """Where a dossier stands. The order is the order of the four reviews."""

    DRAFT = "draft", _("起草中")
    DEPT_CHECK = "dept_check", _("部门初审")
    COMPLETENESS = "completeness", _("材料齐全性审查")
    SUPPLEMENT = "supplement", _("待补正材料")
    LEGAL_REVIEW = "legal_review", _("合法性审查")
    HEAD_SIGN = "head_sign", _("负责人签发审查意见")
    MEETING = "meeting", _("集体审议")
    OBJECTION = "objection", _("异议期")
    NEGOTIATION = "negotiation", _("异议协商")
    RULING = "ruling", _("报请政府裁决")
    RECHECK = "recheck", _("发文前复核")
    REGISTRATION = "registration", _("统一登记、编号、公布")
    REVISION = "revision", _("退回起草部门修改")
    ISSUED = "issued", _("已公布")
    CLOSED = "closed", _("已办结（不予制定/暂缓/未通过）")

    @classmethod
    def ended(cls):
        return (cls.ISSUED, cls.CLOSED)


class Decision(models.TextChoices):
    """What a step decided, as the flow's gateways read it (workflow/flows.py)."""

    PROCEED = "proceed", _("通过，进入下一环节")
    SEND_BACK = "send_back", _("退回起草部门")
    SUPPLEMENT = "supplement", _("要求补正材料")
    REFUSED = "refused", _("负责人退回审查人员")
    CLOSE = "close", _("办结，不再制定")
    DEEMED_PASSED = "deemed_passed", _("期限届满，视为审查通过")
    OBJECTED = "objected", _("起草部门提出书面异议")
    REVIEW_AGAIN = "review_again", _("重新审查")
    REFERRED = "referred", _("协商不成，报请政府裁决")


class FilingReply(models.TextChoices):
    NO_OBJECTION = "no_objection", _("无异议")
    CORRECTION = "correction", _("要求纠正")


class Dossier(models.Model):
    """送审卷宗: one draft normative document and everything said about it."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("政府规范性文件")
        DEPARTMENT = "department", _("部门规范性文件")

    class Urgency(models.TextChoices):
        """The category of review (Art. 16), which sets its time limit."""

        NORMAL = "normal", _("一般")
        HANDED_DOWN = "handed_down", _("政府交办")
        EMERGENCY = "emergency", _("紧急")

    title = models.CharField(_("文件名称"), max_length=200)
    department = models.ForeignKey(
        Department, verbose_name=_("起草部门"), on_delete=models.PROTECT, related_name="dossiers"
    )
    kind = models.CharField(_("文件类别"), max_length=20, choices=Kind.choices)
    # The drafter asks; the legal office decides at the completeness check (Art. 16).
    urgency_requested = models.CharField(
        _("申请的审查类别"), max_length=20, choices=Urgency.choices, default=Urgency.NORMAL
    )
    urgency_reason = models.CharField(_("申请理由"), max_length=300, blank=True)
    urgency = models.CharField(
        _("审查类别"), max_length=20, choices=Urgency.choices, default=Urgency.NORMAL
    )
    # The time an emergency review needs, set by the legal office when it confirms one.
    emergency_working_days = models.PositiveSmallIntegerField(
        _("紧急审查所需工作日"), null=True, blank=True
    )
    legal_basis = models.TextField(_("制定依据"), help_text=_("所依据的法律、法规、规章，每行一件"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    stage = models.CharField(
        _("所处环节"), max_length=20, choices=Stage.choices, default=Stage.DRAFT
    )
    # The stage that sent the dossier back, so the resubmission returns there.
    returned_from = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    # What the last completed step decided, read by the flow's gateways.
    decision = models.CharField(max_length=30, choices=Decision.choices, blank=True)
    process = models.OneToOneField(
        "viewflow.Process",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dossier",
    )
    materials_complete_on = models.DateField(_("材料齐全日"), null=True, blank=True)
    # The Art. 16 period's last day as the clock stands, frozen when it stops; None before
    # it starts, while paused, or in a year nobody entered. Kept by workflow.clock from the
    # clock's events, so lists order and count by it in the database.
    review_due_on = models.DateField(_("审查期限届满日"), null=True, blank=True, editable=False)
    # What the reviewer asked the drafter to supply (补正), until it arrives.
    requested_materials = models.JSONField(default=list, blank=True)
    approved_version = models.ForeignKey(
        "DraftVersion",
        verbose_name=_("常务会议审议通过的版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    number = models.CharField(_("文号"), max_length=50, blank=True)
    issued_on = models.DateField(_("公布日期"), null=True, blank=True)
    filed_on = models.DateField(_("报送备案日期"), null=True, blank=True)
    # The higher government's reply to the filing (Art. 11, 19).
    filing_reply = models.CharField(
        _("备案审查结果"), max_length=20, choices=FilingReply.choices, blank=True
    )
    filing_reply_on = models.DateField(_("备案审查答复日期"), null=True, blank=True)
    filing_reply_text = models.TextField(_("备案审查答复内容"), blank=True)

    objects = DossierQuerySet.as_manager()

    class Meta:
        verbose_name = _("送审卷宗")
        verbose_name_plural = _("送审卷宗")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["number"], condition=~Q(number=""), name="dossier_number_unique"
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("dossiers:detail", args=[self.pk])

    @property
    def is_open(self):
        return self.stage not in Stage.ended()

    def opinions_for(self, user):
        """The legal office's drafts stay inside it until signed."""
        opinions = self.opinions.select_related("author", "signed_by", "version")
        if not user.reviews:
            opinions = opinions.filter(signed_at__isnull=False)
        return opinions.prefetch_related("findings")

    def history_for(self, user):
        history = self.history.select_related("actor", "version", "opinion")
        if not user.reviews:
            history = history.exclude(action__in=HistoryEntry.INTERNAL)
        return history

    def can_submit(self, user):
        return user.has_role(Role.DRAFTER) and user.department_id == self.department_id

    def can_add_material(self, user):
        return self.can_submit(user) and self.stage in (Stage.DRAFT, Stage.REVISION)

    def can_add_version(self, user):
        """After submission a new version comes only through the revision step."""
        return self.can_submit(user) and self.stage == Stage.DRAFT

    @property
    def latest_version(self):
        return self.versions.order_by("-number").first()

    def latest_materials(self):
        """The newest upload of each material kind."""
        latest = {}
        for material in self.materials.order_by("uploaded_at", "pk"):
            latest[material.kind] = material
        return latest

    def missing_materials(self):
        """The Art. 12 materials not yet supplied, in checklist order."""
        present = set(self.latest_materials())
        return [kind for kind in Material.Kind.required() if kind not in present]

    def record(self, actor, action, comment="", version=None, opinion=None):
        """A history entry. ``comment`` is what a person typed, or a ``Note`` the system
        composes, which each reader then reads in their own language."""
        note = comment if isinstance(comment, Note) else None
        return HistoryEntry.objects.create(
            dossier=self,
            actor=actor,
            action=action,
            stage=self.stage,
            comment=note.official() if note else comment,
            note=note.parts if note else {},
            version=version,
            opinion=opinion,
        )

    def decide(self, decision):
        """Leave the step's decision for the flow, which alone moves the dossier on."""
        self.decision = decision
        self.save(update_fields=["decision", "returned_from"])

    def number_series(self):
        """The 代字 the document may be numbered under, the default first (Art. 23: each
        issuing body has its own): a government document is issued by the government or by
        its general office, each under its own 代字; a department's under the department's."""
        if self.kind == self.Kind.DEPARTMENT:
            department = self.department
            return [NumberSeries(p, department.name) for p in department.number_prefixes]
        offices = Department.objects.filter(kind=Department.Kind.GOVERNMENT_OFFICE)
        return [
            NumberSeries(settings.GOVERNMENT_NUMBER_PREFIX, settings.GOVERNMENT_NAME),
            *(NumberSeries(p, office.name) for office in offices for p in office.number_prefixes),
        ]

    @property
    def number_prefix(self):
        """The issuer's default 代字; "" if none is set."""
        series = self.number_series()
        return series[0].prefix if series else ""

    @transaction.atomic
    def record_filing(self, user, filed_on):
        """The clerk records the filing with the higher government (报送备案, Art. 11).
        Once: False when it was already recorded (a second click, a colleague at the same
        moment), which changes nothing."""
        unfiled = Dossier.objects.filter(pk=self.pk, stage=Stage.ISSUED, filed_on__isnull=True)
        if not unfiled.update(filed_on=filed_on):
            return False
        self.filed_on = filed_on
        self.record(user, HistoryEntry.Action.FILED, Note("%(day)s", day=filed_on))
        return True

    @transaction.atomic
    def record_filing_reply(self, user, reply, replied_on, text=""):
        """The higher government's filing review reply (Art. 11, 19), kept with the dossier;
        recorded once (False when it already was)."""
        text = text.strip()
        unanswered = Dossier.objects.filter(pk=self.pk, filed_on__isnull=False, filing_reply="")
        if not unanswered.update(
            filing_reply=reply, filing_reply_on=replied_on, filing_reply_text=text
        ):
            return False
        self.filing_reply, self.filing_reply_on, self.filing_reply_text = reply, replied_on, text
        note = Note(
            gettext_noop("%(reply)s（%(day)s）%(text)s"),
            reply=FilingReply(reply),
            day=replied_on,
            text=text,
        )
        self.record(user, HistoryEntry.Action.FILING_REPLY, note)
        return True

    def send_back(self, actor, reason):
        """Any stage may return the draft to the drafter; it comes back to the same stage."""
        self.returned_from = self.stage
        self.record(actor, HistoryEntry.Action.SENT_BACK, reason)
        self.decide(Decision.SEND_BACK)


def upload_path(instance, filename):
    return f"dossiers/{instance.dossier_id}/{instance.sha256[:2]}/{instance.sha256}{PurePath(filename).suffix.lower()}"


class StoredFile(ImmutableModel):
    """An uploaded file with its hash, kept as it was received."""

    file = models.FileField(_("文件"), upload_to=upload_path, max_length=300)
    original_name = models.CharField(_("原文件名"), max_length=255)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        abstract = True

    def set_content(self, name, data):
        self.sha256 = hashlib.sha256(data).hexdigest()
        self.size = len(data)
        self.original_name = PurePath(name).name[:255]
        self.file.save(self.original_name, ContentFile(data), save=False)


class DraftVersion(StoredFile):
    """草案版本: one submission of the draft's text."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    stage = models.CharField(_("提交环节"), max_length=20, choices=Stage.choices)
    note = models.TextField(_("修改说明"), blank=True)
    # Read from the file: at once for .docx, in the background for .doc/.wps/.rtf.
    text = models.TextField(_("正文文本"), blank=True)
    extracted_at = models.DateTimeField(_("文本提取时间"), null=True, blank=True)
    extraction_error = models.CharField(_("文本提取失败原因"), max_length=300, blank=True)
    # When the conversion was last queued: the time limit runs from here.
    conversion_queued_at = models.DateTimeField(null=True, blank=True)

    derived_fields = frozenset({"text", "extracted_at", "extraction_error", "conversion_queued_at"})

    class Meta:
        verbose_name = _("草案版本")
        verbose_name_plural = _("草案版本")
        ordering = ["dossier", "number"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "number"], name="version_number_unique")
        ]

    def __str__(self):
        return _("第%(n)s稿") % {"n": self.number}

    @classmethod
    @transaction.atomic
    def add(cls, dossier, user, upload, note=""):
        """Store ``upload`` (a checked review.forms.Upload) as the next version."""
        ready = upload.checked.docx is not None
        # Two uploads at once would both take the same next number.
        Dossier.objects.select_for_update().filter(pk=dossier.pk).exists()
        version = cls(
            dossier=dossier,
            uploaded_by=user,
            stage=dossier.stage,
            note=note,
            text=upload.text() if ready else "",
            extracted_at=timezone.now() if ready else None,
            conversion_queued_at=None if ready else timezone.now(),
            number=(dossier.versions.aggregate(n=models.Max("number"))["n"] or 0) + 1,
        )
        version.set_content(upload.name, upload.data)
        version.save()
        dossier.record(user, HistoryEntry.Action.VERSION_ADDED, note, version=version)
        if not ready:
            transaction.on_commit(lambda: extract_version.delay(version.pk))
        return version

    @property
    def processing(self):
        return self.extracted_at is None and not self.extraction_error

    @property
    def unreadable(self):
        """Why nobody can review this version's text yet, or ""."""
        if self.processing:
            return _("草案文本正在转换，请稍候片刻再办理。")
        if self.extraction_error:
            return _("无法读取草案文本（%(error)s），请起草部门重新上传。") % {
                "error": self.extraction_error
            }
        return ""

    def retry_extraction(self):
        """Clear a failed conversion and queue it again (the drafter's "retry")."""
        if self.extracted_at or not self.extraction_error:
            return False
        self.extraction_error = ""
        self.conversion_queued_at = timezone.now()
        self.save(update_fields=["extraction_error", "conversion_queued_at"])
        transaction.on_commit(lambda: extract_version.delay(self.pk))
        return True

    def extract(self):
        """Convert and read the stored file (a .doc takes LibreOffice about a second)."""
        if self.extracted_at:
            return
        with self.file.open("rb") as stored:
            data = stored.read()
        kind = PurePath(self.original_name).suffix.lower().lstrip(".")
        try:
            docx = ingest.convert_to_docx(data, kind)
            ingest.check_docx(docx)
        except ingest.UploadRejected as rejected:
            self.extraction_error = str(rejected)[:300]
            self.save(update_fields=["extraction_error"])
            return
        self.text = extract.extract_text(docx).text
        self.extracted_at = timezone.now()
        self.save(update_fields=["text", "extracted_at"])


class Material(StoredFile):
    """送审材料 of Art. 12. A second upload of a kind supersedes the first; both are kept."""

    class Kind(models.TextChoices):
        COVER_LETTER = "cover_letter", _("报送审查的公函")
        INITIAL_OPINION = "initial_opinion", _("部门法制机构初审意见函")
        EXPLANATION = "explanation", _("起草说明")
        LEGAL_BASIS = "legal_basis", _("制定依据（法律、法规、规章）")
        CONSULTATION = "consultation", _("征求意见及采纳情况")
        RISK_ASSESSMENT = "risk_assessment", _("社会稳定风险评估报告")
        OTHER = "other", _("其他材料")

        @classmethod
        def listed(cls, kinds):
            """The kinds' names as a Chinese list: 起草说明、制定依据."""
            return "、".join(str(cls(k).label) for k in kinds)

        @classmethod
        def required(cls):
            return [
                cls.COVER_LETTER,
                cls.EXPLANATION,
                cls.LEGAL_BASIS,
                cls.CONSULTATION,
            ]

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="materials")
    kind = models.CharField(_("材料类别"), max_length=30, choices=Kind.choices)

    class Meta:
        verbose_name = _("送审材料")
        verbose_name_plural = _("送审材料")
        ordering = ["dossier", "kind", "uploaded_at"]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.original_name}"

    def delete(self, *args, **kwargs):
        """Until its dossier is submitted a material is the drafter's working copy and may be
        taken back; after, it is a record the reviewers rely on and is never deleted."""
        if self.dossier.process_id is not None:
            return super().delete(*args, **kwargs)
        return models.Model.delete(self, *args, **kwargs)

    @classmethod
    def add(cls, dossier, user, kind, upload):
        material = cls(dossier=dossier, uploaded_by=user, kind=kind)
        material.set_content(upload.name, upload.data)
        material.save()
        dossier.record(user, HistoryEntry.Action.MATERIAL_ADDED, material.note())
        return material

    def note(self):
        """The material as the dossier's history names it."""
        return Note(
            gettext_noop("%(kind)s：%(name)s"),
            kind=self.Kind(self.kind),
            name=self.original_name,
        )


class Conclusion(models.TextChoices):
    """The conclusions of a written opinion (Art. 17) and of the initial check."""

    PASS = "pass", _("同意报送")
    LAWFUL = "lawful", _("内容合法")
    DO_NOT_MAKE = "do_not_make", _("不予制定")
    POSTPONE = "postpone", _("暂缓制定")
    REMOVE = "remove", _("取消相关内容")
    REVISE = "revise", _("修改完善")


REVIEW_CONCLUSIONS = [
    Conclusion.LAWFUL,
    Conclusion.REVISE,
    Conclusion.REMOVE,
    Conclusion.POSTPONE,
    Conclusion.DO_NOT_MAKE,
]
# Conclusions that go back to the drafter for revision without the head's signature.
RETURNING_CONCLUSIONS = {Conclusion.REVISE, Conclusion.REMOVE}
CLOSING_CONCLUSIONS = {Conclusion.DO_NOT_MAKE, Conclusion.POSTPONE}


class SignedGuardQuerySet(models.QuerySet):
    """Bulk changes would bypass the per-row guard: refuse them where a signed opinion is
    touched. ``signed_lookup`` names the signature field from this model."""

    signed_lookup = "signed_at__isnull"

    def _touches_signed(self):
        return self.filter(**{self.signed_lookup: False}).exists()

    def update(self, **kwargs):
        if self._touches_signed():
            raise ValidationError(_("已签发的审查意见不能修改。"))
        return super().update(**kwargs)

    def delete(self):
        if self._touches_signed():
            raise ValidationError(_("已签发的审查意见不能删除。"))
        return super().delete()


class FindingQuerySet(SignedGuardQuerySet):
    signed_lookup = "opinion__signed_at__isnull"


class Opinion(models.Model):
    """审查意见: the written opinion of one stage. Editable as a draft, frozen once signed."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="opinions")
    stage = models.CharField(_("审查环节"), max_length=20, choices=Stage.choices)
    version = models.ForeignKey(
        DraftVersion, verbose_name=_("所审版本"), on_delete=models.PROTECT, related_name="opinions"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撰写人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    conclusion = models.CharField(_("审查结论"), max_length=20, choices=Conclusion.choices)
    text = models.TextField(_("意见正文"))
    legal_basis = models.TextField(_("审查依据"), blank=True)
    number = models.CharField(_("意见书编号"), max_length=50, blank=True)
    created_at = models.DateTimeField(_("撰写时间"), default=timezone.now)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签发人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("签发时间"), null=True, blank=True)
    # Written after the review period ran out: the draft was deemed passed (Art. 16), so
    # the opinion is kept and sent, but only as advice.
    late = models.BooleanField(_("逾期出具，仅供参考"), default=False)

    objects = SignedGuardQuerySet.as_manager()

    class Meta:
        verbose_name = _("审查意见")
        verbose_name_plural = _("审查意见")
        ordering = ["dossier", "created_at"]

    def __str__(self):
        return f"{self.get_stage_display()}：{self.get_conclusion_display()}"

    def save(self, *args, **kwargs):
        if (
            not self._state.adding
            and Opinion.objects.filter(pk=self.pk, signed_at__isnull=False).exists()
        ):
            raise ValidationError(_("已签发的审查意见不能修改。"))
        super().save(*args, **kwargs)

    @property
    def is_signed(self):
        return self.signed_at is not None

    def delete(self, *args, **kwargs):
        if self.is_signed:
            raise ValidationError(_("已签发的审查意见不能删除。"))
        super().delete(*args, **kwargs)

    def sign(self, user):
        """Freeze the opinion under the signer's name. The government legal office's
        opinions take its yearly number; a department's initial opinion goes out under the
        department's own letter. review.outgoing.sign_opinion also writes that letter."""
        if self.is_signed:
            raise ValidationError(_("该审查意见已经签发。"))
        now = timezone.now()
        if self.stage != Stage.DEPT_CHECK:
            self.number = NumberSequence.take(
                settings.OPINION_NUMBER_PREFIX, timezone.localdate(now).year
            )
        self.signed_by = user
        self.signed_at = now
        super().save()


class Finding(models.Model):
    """One finding of an opinion, pointing at an article of the reviewed draft."""

    class Point(models.TextChoices):
        AUTHORITY = "authority", _("制定主体和权限")
        CONFLICT = "conflict", _("与上位法抵触")
        PROHIBITED = "prohibited", _("违法设定禁止事项")
        PROCEDURE = "procedure", _("制定程序")
        FAIR_COMPETITION = "fair_competition", _("公平竞争审查")
        OTHER = "other", _("其他")

    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="findings")
    article = models.CharField(_("条款"), max_length=30, blank=True, help_text=_("如：第十二条"))
    point = models.CharField(_("审查要点"), max_length=20, choices=Point.choices)
    text = models.TextField(_("具体意见"))
    legal_basis = models.CharField(_("依据"), max_length=300, blank=True)

    objects = FindingQuerySet.as_manager()

    class Meta:
        verbose_name = _("审查发现")
        verbose_name_plural = _("审查发现")
        ordering = ["opinion", "pk"]

    def __str__(self):
        return f"{self.article or _('总体')}：{self.text[:30]}"

    def save(self, *args, **kwargs):
        if self.opinion.is_signed:
            raise ValidationError(_("已签发的审查意见不能修改。"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.opinion.is_signed:
            raise ValidationError(_("已签发的审查意见不能修改。"))
        return super().delete(*args, **kwargs)


class FindingAnswer(ImmutableModel):
    """The drafting department's answer to one finding, given with its revised draft."""

    class Answer(models.TextChoices):
        ADOPTED = "adopted", _("采纳")
        PARTLY = "partly", _("部分采纳")
        NOT_ADOPTED = "not_adopted", _("不采纳")

    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="answers")
    version = models.ForeignKey(
        DraftVersion, verbose_name=_("修改稿"), on_delete=models.PROTECT, related_name="+"
    )
    answer = models.CharField(_("采纳情况"), max_length=20, choices=Answer.choices)
    reason = models.TextField(_("理由"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("审查意见采纳情况")
        verbose_name_plural = _("审查意见采纳情况")
        ordering = ["finding", "answered_at"]

    def __str__(self):
        return f"{self.finding}：{self.get_answer_display()}"

    @property
    def adopted_in_full(self):
        return self.answer == self.Answer.ADOPTED


class Objection(models.Model):
    """A written objection to a signed opinion (Art. 18): raised by the drafting department
    within the window, negotiated (协商) with the legal office, and if no agreement is
    reached referred to the government, which decides (裁决)."""

    class Outcome(models.TextChoices):
        OPINION_STANDS = "opinion_stands", _("协商一致，维持审查意见")
        OPINION_CHANGED = "opinion_changed", _("协商一致，重新审查")
        NO_AGREEMENT = "no_agreement", _("协商不成，报请政府裁决")

    class Ruling(models.TextChoices):
        OPINION_UPHELD = "opinion_upheld", _("维持审查意见")
        OBJECTION_UPHELD = "objection_upheld", _("支持异议，重新审查")

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="objections")
    opinion = models.ForeignKey(
        Opinion, verbose_name=_("异议针对的审查意见"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("异议内容"))
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    raised_on = models.DateField(_("提出日期"))
    outcome = models.CharField(_("协商结果"), max_length=20, choices=Outcome.choices, blank=True)
    negotiation = models.TextField(_("协商记录"), blank=True)
    negotiated_on = models.DateField(_("协商日期"), null=True, blank=True)
    ruling = models.CharField(_("政府裁决"), max_length=20, choices=Ruling.choices, blank=True)
    ruling_text = models.TextField(_("裁决内容"), blank=True)
    ruled_on = models.DateField(_("裁决日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("书面异议")
        verbose_name_plural = _("书面异议")
        ordering = ["dossier", "raised_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["opinion"], name="one_objection_per_opinion")
        ]

    def __str__(self):
        return f"{self.opinion.number}：{self.text[:30]}"

    @property
    def settled(self):
        """Nothing is left to decide: agreed, or ruled by the government."""
        return bool(self.ruling) or self.outcome in (
            self.Outcome.OPINION_STANDS,
            self.Outcome.OPINION_CHANGED,
        )

    @property
    def state_label(self):
        if self.ruling:
            return self.get_ruling_display()
        if self.outcome:
            return self.get_outcome_display()
        return _("协商中")


class Note:
    """What the system writes in a history entry: a message (marked with gettext_noop) and
    its parts, kept as such so that each reader reads it in their own language. A part is
    text kept as typed, a date, a choice of the record (a conclusion, a material kind…) or a
    list of them."""

    def __init__(self, message, **parts):
        self.parts = {"message": message, **{k: _note_part(v) for k, v in parts.items()}}

    @classmethod
    def recorded(cls, parts):
        """A note kept in the record (``HistoryEntry.note``), to be part of another."""
        note = cls(parts["message"])
        note.parts = parts
        return note

    def official(self):
        """In the language of the record, as the comment every reader of the raw record
        (reports, notices) takes."""
        with override(settings.LANGUAGE_CODE):
            return compose_note(self.parts)


def _note_part(value):
    if isinstance(value, Note):
        return {"note": value.parts}
    if isinstance(value, models.Choices):
        return {type(value).__qualname__: value.value}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, (list, tuple)):
        return {"list": [_note_part(v) for v in value]}
    return str(value)


def _read_part(part):
    if isinstance(part, str):
        return part
    ((kind, value),) = part.items()
    if kind == "date":
        return date_format(date.fromisoformat(value), "DATE_FORMAT")
    if kind == "note":
        return compose_note(value)
    if kind == "list":
        return listed(_read_part(v) for v in value)
    return str(NOTE_CHOICES[kind](value).label)


def listed(items):
    """Items as a list in a sentence, in the active language: 甲、乙、丙 or a, b, c."""
    items = list(items)
    for item in items[1:]:
        items[0] = gettext("%(list)s、%(item)s") % {"list": items[0], "item": item}
    return items[0] if items else ""


def compose_note(parts):
    """The note in the active language; spaces left by empty parts are dropped."""
    values = {k: _read_part(v) for k, v in parts.items() if k != "message"}
    return re.sub(" +", " ", gettext(parts["message"]) % values).strip()


class HistoryEntry(ImmutableModel):
    """The dossier's timeline: who did what, when, on which version and opinion."""

    class Action(models.TextChoices):
        CREATED = "created", _("创建卷宗")
        SUBMITTED = "submitted", _("提交审查")
        RESUBMITTED = "resubmitted", _("修改后重新报送")
        MATERIAL_ADDED = "material_added", _("上传材料")
        MATERIAL_REMOVED = "material_removed", _("删除未提交的材料")
        VERSION_ADDED = "version_added", _("上传新版本")
        PASSED = "passed", _("审查通过")
        SENT_BACK = "sent_back", _("退回修改")
        SUPPLEMENT_REQUESTED = "supplement_requested", _("要求补正材料")
        SUPPLEMENTED = "supplemented", _("补正材料")
        MATERIALS_COMPLETE = "materials_complete", _("材料齐全，开始计算审查期限")
        OPINION_WRITTEN = "opinion_written", _("出具审查意见")
        OPINION_SIGNED = "opinion_signed", _("签发审查意见")
        SIGNATURE_REFUSED = "signature_refused", _("退回审查人员重新审查")
        MEETING_DECIDED = "meeting_decided", _("常务会议作出决定")
        RECHECKED = "rechecked", _("发文前复核通过")
        REGISTERED = "registered", _("登记、编号并公布")
        CLOSED = "closed", _("办结")
        OBJECTION = "objection", _("提出书面异议")
        CLOCK_PAUSED = "clock_paused", _("暂停计算审查期限")
        CLOCK_RESUMED = "clock_resumed", _("恢复计算审查期限")
        DEADLINE_EXTENDED = "deadline_extended", _("延长审查期限")
        DEEMED_PASSED = "deemed_passed", _("逾期视为审查通过")
        FILED = "filed", _("报送备案")
        FILING_REPLY = "filing_reply", _("收到备案审查答复")
        FINDINGS_ANSWERED = "findings_answered", _("答复审查意见采纳情况")
        OBJECTION_ACCEPTED = "objection_accepted", _("接受审查结论，不提出异议")
        OBJECTION_WINDOW_PASSED = "objection_window_passed", _("异议期限届满未提出异议")
        NEGOTIATED = "negotiated", _("就异议进行协商")
        RULED = "ruled", _("政府作出裁决")
        LATE_OPINION = "late_opinion", _("逾期出具审查意见（仅供参考）")
        CLAIMED = "claimed", _("领取办理")
        RELEASED = "released", _("退回待领取")
        HANDED_OVER = "handed_over", _("转办")

    # Steps inside the legal office, not shown to the drafting department: who of the
    # office handles a step is the office's own business.
    INTERNAL = (
        Action.OPINION_WRITTEN,
        Action.SIGNATURE_REFUSED,
        Action.LATE_OPINION,
        Action.CLAIMED,
        Action.RELEASED,
        Action.HANDED_OVER,
    )

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="history")
    at = models.DateTimeField(_("时间"), default=timezone.now)
    # Empty when the system acted: a deadline that ran out is nobody's act.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办理人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("事项"), max_length=30, choices=Action.choices)
    stage = models.CharField(_("环节"), max_length=20, choices=Stage.choices)
    # In the record's language; for a system note, ``note`` keeps its parts.
    comment = models.TextField(_("说明"), blank=True)
    note = models.JSONField(_("系统说明"), default=dict, blank=True)
    version = models.ForeignKey(
        DraftVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    opinion = models.ForeignKey(
        Opinion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["dossier", "at", "pk"]
        # The statistics count one kind of entry in a year (received, sent back).
        indexes = [models.Index(fields=["action", "at"], name="history_action_at")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}"

    @property
    def text(self):
        """The explanation in the reader's language: what the system wrote composed now,
        what a person typed as typed."""
        return compose_note(self.note) if self.note else self.comment


class MeetingDecision(models.Model):
    """The collective decision on a dossier (stage 3, Art. 20)."""

    class Outcome(models.TextChoices):
        ADOPTED = "adopted", _("审议通过")
        AMEND = "amend", _("原则通过，按会议意见修改")
        POSTPONED = "postponed", _("暂缓审议")
        REJECTED = "rejected", _("未通过")

    class Body(models.TextChoices):
        """Who decides (Art. 20): the government for its documents, the department for its."""

        EXECUTIVE_MEETING = "executive_meeting", _("政府常务会议")
        GOVERNMENT_HEADS = "government_heads", _("政府分管负责人和主要负责人决定")
        OFFICE_MEETING = "office_meeting", _("部门办公会议")
        DEPARTMENT_HEADS = "department_heads", _("部门分管负责人和主要负责人决定")

        @classmethod
        def for_kind(cls, kind):
            if kind == Dossier.Kind.GOVERNMENT:
                return [cls.EXECUTIVE_MEETING, cls.GOVERNMENT_HEADS]
            return [cls.OFFICE_MEETING, cls.DEPARTMENT_HEADS]

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="meetings")
    # The meeting with its minutes; body, name and date are kept on each decision as well,
    # as recorded (decisions recorded before meetings were kept have none).
    session = models.ForeignKey(
        "Meeting",
        verbose_name=_("会议"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    body = models.CharField(
        _("决定方式"), max_length=30, choices=Body.choices, default=Body.EXECUTIVE_MEETING
    )
    meeting = models.CharField(
        _("会议名称"), max_length=100, help_text=_("如：市政府第12次常务会议")
    )
    held_on = models.DateField(_("会议日期"))
    outcome = models.CharField(_("会议决定"), max_length=20, choices=Outcome.choices)
    notes = models.TextField(_("会议意见"), blank=True)
    version = models.ForeignKey(
        DraftVersion, verbose_name=_("审议版本"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("集体审议决定")
        verbose_name_plural = _("集体审议决定")
        ordering = ["dossier", "held_on"]

    def __str__(self):
        return _("%(body)s（%(meeting)s）：%(outcome)s") % {
            "body": self.get_body_display(),
            "meeting": self.meeting,
            "outcome": self.get_outcome_display(),
        }


class Meeting(models.Model):
    """A meeting, or a decision of the heads, at which one or more drafts were decided
    (Art. 20), with its minutes (会议纪要) or decision document."""

    body = models.CharField(_("决定方式"), max_length=30, choices=MeetingDecision.Body.choices)
    name = models.CharField(_("会议名称或决定文件"), max_length=100)
    held_on = models.DateField(_("会议日期"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["body", "name", "held_on"], name="one_meeting")
        ]

    def __str__(self):
        return _("%(name)s（%(day)s）") % {
            "name": self.name,
            "day": date_format(self.held_on, "DATE_FORMAT"),
        }


def minutes_path(instance, filename):
    return f"meetings/{instance.sha256[:2]}/{instance.sha256}{PurePath(filename).suffix.lower()}"


class Minutes(StoredFile):
    """会议纪要 (or the heads' decision document), kept as uploaded; a later upload for the
    same meeting is kept beside it."""

    EXTENSIONS = ("docx", "doc", "pdf")

    file = models.FileField(_("文件"), upload_to=minutes_path, max_length=300)
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="minutes")

    class Meta:
        verbose_name = _("会议纪要")
        verbose_name_plural = _("会议纪要")
        ordering = ["meeting", "uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


class NumberSequence(models.Model):
    """The last number given per 代字 and year, for document numbers (文号, 三统一) and
    opinion numbers alike: unique and gapless, because the increment commits or rolls back
    with the registration that takes it, and the UPDATE locks the row against a second
    clerk until then."""

    prefix = models.CharField(_("机关代字"), max_length=30)
    year = models.PositiveIntegerField(_("年份"))
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="prefix_year_unique")
        ]

    def __str__(self):
        return f"{self.prefix}〔{self.year}〕{self.last}"

    @staticmethod
    def format(prefix, year, n):
        return f"{prefix}〔{year}〕{n}号"

    @classmethod
    def take(cls, prefix, year):
        """The next number, formatted as 代字〔年〕N号."""
        with transaction.atomic():
            cls.objects.get_or_create(prefix=prefix, year=year)
            cls.objects.filter(prefix=prefix, year=year).update(last=F("last") + 1)
            n = cls.objects.get(prefix=prefix, year=year).last
        return cls.format(prefix, year, n)

    @classmethod
    def last_taken(cls, prefix, year):
        """The last number given, without taking one (0 before the first)."""
        found = cls.objects.filter(prefix=prefix, year=year).values_list("last", flat=True)
        return found.first() or 0


class OutgoingLetter(StoredFile):
    """A letter the system wrote (初审意见函, 合法性审查意见书, 补正材料通知, 延长审查期限通知),
    kept as sent: a later change makes a new letter, never a new file under the old one."""

    class Kind(models.TextChoices):
        INITIAL_OPINION = "initial_opinion", _("初审意见函")
        REVIEW_OPINION = "review_opinion", _("合法性审查意见书")
        SUPPLEMENT_REQUEST = "supplement_request", _("补正材料通知")
        EXTENSION_NOTICE = "extension_notice", _("延长审查期限通知")

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField(_("函件类别"), max_length=30, choices=Kind.choices)
    number = models.CharField(_("文号"), max_length=50)
    opinion = models.OneToOneField(
        Opinion, null=True, blank=True, on_delete=models.PROTECT, related_name="letter"
    )

    class Meta:
        verbose_name = _("发出的函件")
        verbose_name_plural = _("发出的函件")
        ordering = ["dossier", "uploaded_at"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"


# The choices a history note may name, by their class's name (see Note).
NOTE_CHOICES = {
    choices.__qualname__: choices
    for choices in (
        Conclusion,
        Dossier.Urgency,
        Material.Kind,
        MeetingDecision.Body,
        MeetingDecision.Outcome,
        Objection.Outcome,
        Objection.Ruling,
        FilingReply,
        FindingAnswer.Answer,
        Stage,
    )
}
