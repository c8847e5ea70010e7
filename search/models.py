"""The register of normative documents (规范性文件数据库) and its cleanup campaigns (清理).

The register holds every document issued through the review and every older one imported,
with its dates, status, status history, links and versions. The database is the source of
truth; the search index is rebuilt from it (search.tasks).
"""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from review.models import Department, ImmutableModel, Role
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


class DocumentQuerySet(models.QuerySet):
    def published(self, today=None):
        """Documents made public (Art. 23, 25): their publication date has come."""
        return self.filter(published_on__lte=today or timezone.localdate())

    def nearing_lapse(self, today=None):
        """In force and lapsing within the warning period (six months by default)."""
        from workflow.workdays import add_months

        today = today or timezone.localdate()
        horizon = add_months(today, settings.REVIEW_RULES["lapse_warning_months"])
        return self.filter(
            status__in=[Status.IN_FORCE, Status.AMENDED],
            lapses_on__gte=today,
            lapses_on__lte=horizon,
        )


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
        return self.published_on is not None and self.published_on <= timezone.localdate()

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

    def set_lapse_date(self):
        """Art. 24: a normative document lapses after 5 years (2 if 暂行/试行)."""
        from workflow.workdays import validity_last_day

        if self.kind in Kind.normative() and self.effective_on:
            self.lapses_on = validity_last_day(self.effective_on, validity_years(self.title))

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


# --- Cleanup (清理) --------------------------------------------------------------------


class Decision(models.TextChoices):
    """清理意见."""

    RETAIN = "retain", _("保留")
    AMEND = "amend", _("修改")
    REPEAL = "repeal", _("废止")
    INVALID = "invalid", _("宣布失效")


# What publication does to a document's status.
DECISION_STATUS = {
    Decision.AMEND: Status.AMENDED,
    Decision.REPEAL: Status.REPEALED,
    Decision.INVALID: Status.LAPSED,
}


def can_manage_cleanup(user):
    """The government legal office runs campaigns and approves proposals."""
    return user.is_authenticated and (user.is_superuser or user.has_role(Role.HEAD, Role.REVIEWER))


class CleanupCampaign(models.Model):
    """规范性文件清理: a set of documents, each given a decision, published as lists."""

    class State(models.TextChoices):
        OPEN = "open", _("清理中")
        PUBLISHED = "published", _("已公布")

    title = models.CharField(_("清理名称"), max_length=200)
    basis = models.TextField(_("清理依据和范围"), blank=True)
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("发起时间"), default=timezone.now)
    published_on = models.DateField(_("结果公布日期"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("公布人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("清理活动")
        verbose_name_plural = _("清理活动")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("search:campaign", args=[self.pk])

    @property
    def is_open(self):
        return self.state == self.State.OPEN

    def add_documents(self, documents):
        """Put documents under review, each assigned to its own department."""
        existing = set(self.items.values_list("document_id", flat=True))
        CampaignItem.objects.bulk_create(
            CampaignItem(campaign=self, document=doc, department_id=doc.department_id)
            for doc in documents
            if doc.pk not in existing
        )

    def counts(self):
        """Approved decisions by kind, as the published lists count them."""
        counts = dict.fromkeys(Decision.values, 0)
        for item in self.items.filter(state=CampaignItem.State.APPROVED):
            counts[item.decision] += 1
        return counts

    def unfinished(self):
        return self.items.exclude(state=CampaignItem.State.APPROVED)

    @transaction.atomic
    def publish(self, user, on=None):
        """Publish the result: every decision approved, statuses changed with history."""
        if not self.is_open:
            raise ValidationError(_("清理结果已经公布。"))
        if not self.items.exists():
            raise ValidationError(_("清理活动中没有文件。"))
        if pending := self.unfinished().count():
            raise ValidationError(
                _("还有%(n)s件文件的清理意见未经法制机构审核同意，不能公布。") % {"n": pending}
            )
        on = on or timezone.localdate()
        changed = []
        for item in self.items.select_related("document"):
            status = DECISION_STATUS.get(item.decision)
            if status and item.document.change_status(
                status,
                on=on,
                reason=_("%(c)s：%(d)s。%(r)s")
                % {"c": self.title, "d": item.get_decision_display(), "r": item.reason},
                user=user,
                campaign=self,
            ):
                changed.append(item.document_id)
        self.state = self.State.PUBLISHED
        self.published_on = on
        self.published_by = user
        self.save(update_fields=["state", "published_on", "published_by"])
        return changed


class CampaignItem(models.Model):
    """One document in a campaign: the department's proposal and the legal office's answer."""

    class State(models.TextChoices):
        ASSIGNED = "assigned", _("待提出意见")
        PROPOSED = "proposed", _("待审核")
        RETURNED = "returned", _("已退回")
        APPROVED = "approved", _("已同意")

    campaign = models.ForeignKey(CleanupCampaign, on_delete=models.CASCADE, related_name="items")
    document = models.ForeignKey(
        Document, verbose_name=_("文件"), on_delete=models.PROTECT, related_name="cleanup_items"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("承办部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cleanup_items",
    )
    state = models.CharField(
        _("办理状态"), max_length=20, choices=State.choices, default=State.ASSIGNED
    )
    decision = models.CharField(_("清理意见"), max_length=20, choices=Decision.choices, blank=True)
    reason = models.TextField(_("理由"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_comment = models.TextField(_("审核意见"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("清理文件")
        verbose_name_plural = _("清理文件")
        ordering = ["campaign", "document__published_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "document"], name="cleanup_item_unique")
        ]

    def __str__(self):
        return str(self.document)

    def can_propose(self, user):
        """The assigned department's legal office or drafter, until the office agrees."""
        return (
            self.campaign.is_open
            and self.state in (self.State.ASSIGNED, self.State.RETURNED, self.State.PROPOSED)
            and self.department_id is not None
            and user.department_id == self.department_id
            and user.has_role(Role.DEPT_LEGAL, Role.DRAFTER)
        )

    def can_review(self, user):
        return (
            self.campaign.is_open and self.state == self.State.PROPOSED and can_manage_cleanup(user)
        )

    def propose(self, user, decision, reason):
        if not self.can_propose(user):
            raise ValidationError(_("只有承办部门可以对本件提出清理意见。"))
        if not (reason or "").strip():
            raise ValidationError(_("请写明清理理由。"))
        self.decision, self.reason, self.proposed_by = decision, reason.strip(), user
        self.state = self.State.PROPOSED
        self.save(update_fields=["decision", "reason", "proposed_by", "state"])
        self.log(
            user, CampaignEvent.Action.PROPOSED, f"{self.get_decision_display()}：{self.reason}"
        )

    def review(self, user, approve, comment=""):
        if not self.can_review(user):
            raise ValidationError(_("本件当前不能审核。"))
        if not approve and not comment.strip():
            raise ValidationError(_("退回时请写明理由。"))
        self.state = self.State.APPROVED if approve else self.State.RETURNED
        self.review_comment, self.reviewed_by = comment.strip(), user
        self.save(update_fields=["state", "review_comment", "reviewed_by"])
        action = CampaignEvent.Action.APPROVED if approve else CampaignEvent.Action.RETURNED
        self.log(user, action, self.review_comment)

    def assign(self, user, department):
        self.department = department
        if self.state != self.State.APPROVED:
            self.state = self.State.ASSIGNED
        self.save(update_fields=["department", "state"])
        self.log(user, CampaignEvent.Action.ASSIGNED, str(department))

    def log(self, user, action, comment):
        CampaignEvent.objects.create(item=self, actor=user, action=action, comment=comment)


class CampaignEvent(ImmutableModel):
    """办理记录 of a cleanup item: who assigned, proposed, returned or approved what."""

    class Action(models.TextChoices):
        ASSIGNED = "assigned", _("分配承办部门")
        PROPOSED = "proposed", _("提出清理意见")
        RETURNED = "returned", _("退回")
        APPROVED = "approved", _("审核同意")

    item = models.ForeignKey(CampaignItem, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("事项"), max_length=20, choices=Action.choices)
    comment = models.TextField(_("内容"), blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("清理办理记录")
        verbose_name_plural = _("清理办理记录")
        ordering = ["item", "at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()} {self.comment}"
