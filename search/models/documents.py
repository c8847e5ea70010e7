"""The register of normative documents (规范性文件数据库): every document issued through the
review and every older one imported, with its dates, status, status history, links and
versions. The database is the source of truth; the search index is rebuilt from it
(search.indexing)."""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import ImmutableModel
from core.workdays import add_months, validity_last_day
from review.models import Department, Role
from search.numbers import number_key

ONE_DAY = timedelta(days=1)


class Status(models.TextChoices):
    """效力状态 (BRIEF.md, "The register and cleanup")."""

    IN_FORCE = "in_force", _("有效")
    PENDING = "pending", _("尚未生效")
    AMENDED = "amended", _("已修改")
    REPEALED = "repealed", _("已废止")
    LAPSED = "lapsed", _("失效")

    @classmethod
    def ended(cls):
        """Statuses after which the document no longer applies."""
        return {cls.REPEALED, cls.LAPSED}


class Kind(models.TextChoices):
    """文件类别: the level of the document."""

    CONSTITUTION = "constitution", _("宪法")
    LAW = "law", _("法律")
    ADMINISTRATIVE_REGULATION = "administrative_regulation", _("行政法规")
    JUDICIAL_INTERPRETATION = "judicial_interpretation", _("司法解释")
    DEPARTMENTAL_RULE = "departmental_rule", _("部门规章")
    LOCAL_REGULATION = "local_regulation", _("地方性法规")
    LOCAL_RULE = "local_rule", _("地方政府规章")
    GOVERNMENT_NORMATIVE = "government_normative", _("政府规范性文件")
    DEPARTMENT_NORMATIVE = "department_normative", _("部门规范性文件")
    OTHER = "other", _("其他")

    @classmethod
    def normative(cls):
        """The kinds that carry a validity period (Art. 24)."""
        return {cls.GOVERNMENT_NORMATIVE, cls.DEPARTMENT_NORMATIVE}


def validity_years(title: str) -> int:
    """Art. 24: at most 5 years, 2 for documents marked 暂行 or 试行."""
    rules = settings.REVIEW_RULES
    if "暂行" in title or "试行" in title:
        return rules["provisional_validity_years"]
    return rules["validity_years"]


def sees_unpublished(user):
    """The government legal office reviews, numbers and registers documents before they are
    published, so it sees every entry; other staff see only their own department's before
    publication."""
    return user.is_superuser or user.has_role(
        Role.REVIEWER, Role.HEAD, Role.DEPUTY_HEAD, Role.CLERK
    )


class DocumentQuerySet(models.QuerySet):
    def published(self, today=None):
        """Documents made public (Art. 23, 25), every entry but the unpublished ones: their
        publication date has come, or they have none and are not pending (an imported law
        in force whose publication date nobody recorded is public like any other)."""
        today = today or timezone.localdate()
        return self.filter(
            Q(published_on__lte=today) | Q(published_on__isnull=True) & ~Q(status=Status.PENDING)
        )

    def unpublished(self, today=None):
        """Entries not yet made public: their publication date is still to come, or they have
        none and are not yet in force. An imported document in force, amended or ended with
        no known date was published; only the day is unknown."""
        today = today or timezone.localdate()
        return self.filter(
            Q(published_on__gt=today) | Q(published_on__isnull=True, status=Status.PENDING)
        )

    def hidden_from(self, user, today=None):
        """The unpublished entries this member of staff may not see (see sees_unpublished)."""
        if sees_unpublished(user):
            return self.none()
        hidden = self.unpublished(today)
        if user.department_id:
            hidden = hidden.exclude(department_id=user.department_id)
        return hidden

    def visible_to(self, user, today=None):
        return self.exclude(pk__in=self.hidden_from(user, today).values("pk"))

    def nearing_lapse(self, today=None):
        """In force and lapsing within the warning period (six months by default)."""
        today = today or timezone.localdate()
        horizon = add_months(today, settings.REVIEW_RULES["lapse_warning_months"])
        return self.filter(
            status__in=[Status.IN_FORCE, Status.AMENDED],
            lapses_on__gte=today,
            lapses_on__lte=horizon,
        )


class EarlyEffect(models.TextChoices):
    """The exceptions of Art. 22 to taking effect 30 days after publication."""

    ANNOUNCEMENT = "announcement", _("公告、通告")
    HINDERS_LAW = "hinders_law", _("推迟施行将有碍法律、法规、规章的执行")
    PUBLIC_INTEREST = "public_interest", _("推迟施行将危害国家安全或者重大公共利益")


class Document(models.Model):
    """登记的规范性文件: one entry of the register, with its versions and history."""

    title = models.CharField(_("文件名称"), max_length=300)
    number = models.CharField(_("文号"), max_length=100, blank=True)
    # The number as every bracket spelling of it is looked up (search.numbers).
    number_key = models.CharField(max_length=100, blank=True, editable=False, db_index=True)
    issuer = models.CharField(_("制定机关"), max_length=200)
    department = models.ForeignKey(
        Department,
        verbose_name=_("起草（实施）部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="register_documents",
        help_text=_("清理时由该部门提出处理意见。"),
    )
    kind = models.CharField(_("文件类别"), max_length=30, choices=Kind.choices)
    signed_on = models.DateField(_("签署日期"), null=True, blank=True)
    published_on = models.DateField(_("公布日期"), null=True, blank=True)
    effective_on = models.DateField(_("施行日期"), null=True, blank=True)
    lapses_on = models.DateField(
        _("有效期届满日"), null=True, blank=True, help_text=_("有效期的最后一日，次日起失效。")
    )
    status = models.CharField(_("效力状态"), max_length=20, choices=Status.choices)
    ended_on = models.DateField(
        _("废止或失效日期"), null=True, blank=True, help_text=_("自该日起不再有效。")
    )
    lapse_flagged_on = models.DateField(_("到期提醒日期"), null=True, blank=True)
    # A published cleanup decided "修改": still in force, listed as to be amended (拟修改)
    # until an amending document is registered.
    amendment_due_since = models.DateField(_("拟修改（清理决定日期）"), null=True, blank=True)
    # Why it took effect sooner than 30 days after publication (Art. 22), where it did.
    early_effect_ground = models.CharField(
        _("提前施行的理由"), max_length=30, choices=EarlyEffect.choices, blank=True
    )
    dossier = models.OneToOneField(
        "review.Dossier",
        verbose_name=_("送审卷宗"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="register_entry",
    )
    # Where an imported document came from; a second import of the same source updates it.
    source = models.CharField(_("来源"), max_length=300, blank=True, editable=False)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now, editable=False)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("登记文件")
        verbose_name_plural = _("规范性文件数据库")
        ordering = ["-published_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["number_key"], condition=~Q(number_key=""), name="register_number_unique"
            ),
            models.UniqueConstraint(
                fields=["source"], condition=~Q(source=""), name="register_source_unique"
            ),
        ]

    def __str__(self):
        return f"{self.title}（{self.number}）" if self.number else self.title

    def save(self, *args, **kwargs):
        self.number_key = number_key(self.number) if self.number else ""
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("search:document", args=[self.pk])

    def clean(self):
        others = Document.objects.filter(number_key=number_key(self.number)).exclude(pk=self.pk)
        if self.number and others.exists():
            raise ValidationError({"number": _("文号“%(n)s”已登记。") % {"n": self.number}})
        for earlier, later, message in (
            (self.signed_on, self.published_on, _("公布日期不能早于签署日期。")),
            (self.published_on, self.effective_on, _("施行日期不能早于公布日期。")),
            (self.effective_on, self.lapses_on, _("有效期届满日不能早于施行日期。")),
        ):
            if earlier and later and later < earlier:
                raise ValidationError(message)

    # --- dates and force -------------------------------------------------------------

    @property
    def is_published(self):
        if self.published_on is None:
            return self.status != Status.PENDING
        return self.published_on <= timezone.localdate()

    @property
    def takes_effect_on(self) -> date | None:
        """The day a published text not yet in force will take effect, else None."""
        start, _end = self.in_force_span()
        if self.status == Status.PENDING and start != date.max and start > timezone.localdate():
            return start
        return None

    def in_force_span(self) -> tuple[date, date]:
        """The first day in force and the first day no longer in force.

        The start is the document's effective date (its first version's, if unknown). A document not yet in
        force with no date is in force on no day; one that ended on an unknown date (an
        imported repealed law) is treated as in force on no day either, rather than
        guessing when it ended.
        """
        versions = self.ordered_versions()
        start = self.effective_on or (versions[0].effective_on if versions else None)
        start = start or self.published_on
        if start is None:
            start = date.max if self.status == Status.PENDING else date.min
        if self.status in Status.ended():
            return start, self.ended_on or date.min
        return start, date.max

    def in_force_on(self, day: date) -> bool:
        start, end = self.in_force_span()
        return start <= day < end

    def version_on(self, day: date):
        """The version whose text was in force on `day`, or None."""
        if not self.in_force_on(day):
            return None
        candidates = [v for v in self.ordered_versions() if v.starts_on <= day]
        return candidates[-1] if candidates else None

    def ordered_versions(self):
        # Sorted in Python so that a prefetch_related("versions") is used.
        return sorted(self.versions.all(), key=lambda v: v.number)

    @property
    def current_version(self):
        versions = self.ordered_versions()
        return versions[-1] if versions else None

    @property
    def text(self):
        version = self.current_version
        return version.text if version else ""

    def set_lapse_date(self, years=None):
        """Art. 24: a normative document lapses after its stated validity, at most 5 years
        (2 if 暂行/试行); without a stated one, after the maximum."""
        if self.kind in Kind.normative() and self.effective_on:
            self.lapses_on = validity_last_day(
                self.effective_on, years or validity_years(self.title)
            )

    # --- status ----------------------------------------------------------------------

    def change_status(self, status, *, on, reason, user=None, campaign=None):
        """Move to `status` as of `on`, with a line in the status history.

        Repeal and lapse end the document's force from `on`; a repealed or lapsed
        document does not come back into force (a new document is issued instead).
        """
        if status == self.status:
            return None
        if self.status in Status.ended():
            raise ValidationError(
                _("《%(t)s》的效力状态为“%(s)s”，不能再变更。")
                % {"t": self.title, "s": self.get_status_display()}
            )
        change = StatusChange.objects.create(
            document=self,
            old_status=self.status,
            new_status=status,
            changed_on=on,
            reason=reason,
            actor=user,
            campaign=campaign,
        )
        self.status = status
        if status in Status.ended():
            self.ended_on = on
        self.save(update_fields=["status", "ended_on"])
        return change

    def add_version(self, text, *, published_on=None, effective_on=None, source="", note=""):
        """Record a new text; the previous one is superseded from the new effective date."""
        previous = self.current_version
        version = DocumentVersion.objects.create(
            document=self,
            number=(previous.number + 1) if previous else 1,
            text=text,
            published_on=published_on,
            effective_on=effective_on,
            source=source,
            note=note,
        )
        if previous:
            previous.superseded_on = effective_on or published_on or previous.superseded_on
            previous.save(update_fields=["superseded_on"])
        return version


class DocumentVersion(models.Model):
    """文本版本: the text of a document as published on one date."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本序号"))
    text = models.TextField(_("正文"), blank=True)
    published_on = models.DateField(_("公布日期"), null=True, blank=True)
    effective_on = models.DateField(_("施行日期"), null=True, blank=True)
    superseded_on = models.DateField(_("被新版本取代日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    source = models.CharField(_("来源"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("文本版本")
        verbose_name_plural = _("文本版本")
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="register_version_unique")
        ]

    def __str__(self):
        return _("第%(n)s版") % {"n": self.number}

    @property
    def starts_on(self) -> date:
        return self.effective_on or self.published_on or date.min

    @property
    def is_superseded(self):
        return self.superseded_on is not None


class StatusChange(ImmutableModel):
    """效力状态变更记录: never edited, so the history stays what happened."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="status_changes")
    old_status = models.CharField(_("原状态"), max_length=20, choices=Status.choices, blank=True)
    new_status = models.CharField(_("新状态"), max_length=20, choices=Status.choices)
    changed_on = models.DateField(_("变更日期"))
    reason = models.CharField(_("依据或理由"), max_length=500)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    campaign = models.ForeignKey(
        "CleanupCampaign",
        verbose_name=_("清理活动"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    class Meta:
        verbose_name = _("效力状态变更")
        verbose_name_plural = _("效力状态变更")
        ordering = ["document", "recorded_at", "pk"]

    def __str__(self):
        return (
            f"{self.changed_on} {self.get_old_status_display()} → {self.get_new_status_display()}"
        )


class DocumentLink(models.Model):
    """文件之间的修改、废止关系: `source` amends or repeals `target`."""

    class Kind(models.TextChoices):
        AMENDS = "amends", _("修改")
        REPEALS = "repeals", _("废止")

    source = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="outgoing_links")
    target = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="incoming_links")
    kind = models.CharField(_("关系"), max_length=10, choices=Kind.choices)

    class Meta:
        verbose_name = _("文件关系")
        verbose_name_plural = _("文件关系")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target", "kind"], name="register_link_unique"
            )
        ]

    def __str__(self):
        return f"{self.source.title} {self.get_kind_display()} {self.target.title}"


class PlannedChange(models.Model):
    """A register document that a dossier under review will amend or repeal once it is
    issued; at registration it becomes a DocumentLink and the target's status changes."""

    dossier = models.ForeignKey(
        "review.Dossier", on_delete=models.CASCADE, related_name="planned_changes"
    )
    target = models.ForeignKey(
        Document, verbose_name=_("被修改或废止的文件"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("关系"), max_length=10, choices=DocumentLink.Kind.choices)

    class Meta:
        verbose_name = _("拟修改或废止的文件")
        verbose_name_plural = _("拟修改或废止的文件")
        constraints = [
            models.UniqueConstraint(fields=["dossier", "target"], name="planned_change_unique")
        ]

    def __str__(self):
        return f"{self.get_kind_display()}《{self.target.title}》"
