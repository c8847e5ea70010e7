"""Cleanup campaigns (规范性文件清理): documents assigned to departments, each given a
decision, reviewed, and published as lists."""

from collections import Counter
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import ImmutableModel
from review.models import Department, Role
from search.signals import items_assigned

from .documents import Document, Status


class Decision(models.TextChoices):
    """清理意见."""

    RETAIN = "retain", _("保留")
    AMEND = "amend", _("修改")
    REPEAL = "repeal", _("废止")
    INVALID = "invalid", _("宣布失效")


# What publication does to a document's status.
# What publication does to a document's status. "修改" changes none: the document stays in
# force, listed as to be amended, until an amending document is registered.
DECISION_STATUS = {
    Decision.REPEAL: Status.REPEALED,
    Decision.INVALID: Status.LAPSED,
}


# CleanupCampaign.State.PUBLISHED, for the guards defined before that class.
PUBLISHED = "published"
NOT_CHANGED = _("清理结果已经公布，不能修改。")
NOT_DELETED = _("清理结果已经公布，不能删除。")


class PublishedGuardQuerySet(models.QuerySet):
    """Bulk changes would bypass the per-row guard: refuse them where a published campaign is
    touched. ``published_lookup`` names the campaign's state from this model."""

    published_lookup = "state"

    def _touches_published(self):
        return self.filter(**{self.published_lookup: PUBLISHED}).exists()

    def update(self, **kwargs):
        if self._touches_published():
            raise ValidationError(NOT_CHANGED)
        return super().update(**kwargs)

    def delete(self):
        if self._touches_published():
            raise ValidationError(NOT_DELETED)
        return super().delete()


class CampaignItemQuerySet(PublishedGuardQuerySet):
    published_lookup = "campaign__state"

    @transaction.atomic
    def propose(self, user, decision, reason, seen=None):
        """One decision and reason for every item, in one transaction, at a cost that does
        not grow with their number. ``seen``: the last CampaignEvent the proposer's page
        showed; an item with a later record (a colleague proposed, the office answered) is
        left as it is and returned among the skipped. If any other item may not be proposed,
        nothing changes. Returns (proposed, skipped)."""
        reason = (reason or "").strip()
        if decision not in Decision.values:
            raise ValidationError(_("请选择清理意见。"))
        if not reason:
            raise ValidationError(_("请写明清理理由。"))
        # Only the items' rows: PostgreSQL cannot lock the nullable side of an outer join.
        related = self.select_related("campaign", "department", "document")
        items = list(related.select_for_update(of=("self",)))
        changed = set()
        if seen is not None:
            changed = set(
                CampaignEvent.objects.filter(item__in=items, pk__gt=seen).values_list(
                    "item_id", flat=True
                )
            )
        proposed = [item for item in items if item.pk not in changed]
        for item in proposed:
            if refusal := item.why_not_propose(user):
                raise ValidationError(
                    _("《%(t)s》：%(r)s") % {"t": item.document.title, "r": refusal}
                )
        fields = {"decision": decision, "reason": reason, "proposed_by": user}
        CampaignItem.objects.filter(pk__in=[item.pk for item in proposed]).update(
            state=CampaignItem.State.PROPOSED, **fields
        )
        comment = f"{Decision(decision).label}：{reason}"
        CampaignEvent.objects.bulk_create(
            CampaignEvent(
                item=item, actor=user, action=CampaignEvent.Action.PROPOSED, comment=comment
            )
            for item in proposed
        )
        return proposed, [item for item in items if item.pk in changed]

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        campaigns = {obj.campaign_id for obj in objs}
        if CleanupCampaign.objects.filter(pk__in=campaigns, state=PUBLISHED).exists():
            raise ValidationError(NOT_CHANGED)
        return super().bulk_create(objs, *args, **kwargs)


# Who runs campaigns and approves proposals (the government legal office's head and
# reviewers), and who proposes for an assigned department.
MANAGER_ROLES = (Role.HEAD, Role.REVIEWER)
PROPOSER_ROLES = (Role.DEPT_LEGAL, Role.DRAFTER)


def either(roles):
    """Two roles as "A或B": refusals name who may act, which is true whoever reads them."""
    first, second = roles
    return _("%(a)s或%(b)s") % {"a": first.label, "b": second.label}


def can_manage_cleanup(user):
    return user.is_authenticated and (user.is_superuser or user.has_role(*MANAGER_ROLES))


def cleanup_manager_refusal(act):
    """Why someone without a manager's role is refused ``act`` (发起清理, 公布清理结果…)."""
    return _("%(act)s须具有%(roles)s角色。") % {"act": act, "roles": either(MANAGER_ROLES)}


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
    # Null for campaigns entered before deadlines were asked for (and in the demo's past).
    reply_due = models.DateField(_("答复期限"), null=True, blank=True)
    published_on = models.DateField(_("结果公布日期"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("公布人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    # Once published, the result is final (like a signed opinion): nothing of the campaign,
    # its items or their records is changed or deleted, by the pages, the admin or code.
    objects = PublishedGuardQuerySet.as_manager()

    class Meta:
        verbose_name = _("清理活动")
        verbose_name_plural = _("清理活动")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.is_published_in_db():
            raise ValidationError(NOT_CHANGED)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("search:campaign", args=[self.pk])

    def delete(self, *args, **kwargs):
        if not self.is_open or self.is_published_in_db():
            raise ValidationError(NOT_DELETED)
        return super().delete(*args, **kwargs)

    def is_published_in_db(self):
        """What the database holds, not this (perhaps stale) copy."""
        return (
            not self._state.adding
            and CleanupCampaign.objects.filter(pk=self.pk, state=PUBLISHED).exists()
        )

    @property
    def is_open(self):
        return self.state == self.State.OPEN

    def is_overdue(self, today=None):
        return bool(self.reply_due) and self.reply_due < (today or timezone.localdate())

    def add_documents(self, documents):
        """Put documents under review, each assigned to its own department."""
        existing = set(self.items.values_list("document_id", flat=True))
        created = CampaignItem.objects.bulk_create(
            CampaignItem(campaign=self, document=doc, department_id=doc.department_id)
            for doc in documents
            if doc.pk not in existing
        )
        self._announce(Counter(item.department_id for item in created))

    def assign(self, user, items, department):
        """分配承办部门: the ticked items go to one department, which is told once."""
        items = list(items)
        for item in items:
            item.assign(user, department)
        self._announce({department.pk: len(items)})

    def _announce(self, counts):
        """Tell each department how many documents it was given, once the assignment is
        committed: a notice of a rolled-back assignment would send people to nothing."""
        departments = Department.objects.in_bulk([pk for pk, n in counts.items() if pk and n])
        for pk, department in departments.items():
            transaction.on_commit(
                partial(
                    items_assigned.send,
                    sender=CleanupCampaign,
                    campaign=self,
                    department=department,
                    count=counts[pk],
                )
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
            if item.decision == Decision.AMEND and not item.document.amendment_due_since:
                item.document.amendment_due_since = on
                item.document.save(update_fields=["amendment_due_since"])
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

    objects = CampaignItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("清理文件")
        verbose_name_plural = _("清理文件")
        ordering = ["campaign", "document__published_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "document"], name="cleanup_item_unique")
        ]

    def __str__(self):
        return str(self.document)

    def save(self, *args, **kwargs):
        if self.campaign_published():
            raise ValidationError(NOT_CHANGED)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        # Deleting an item would also delete its records (CampaignEvent) by cascade.
        if self.campaign_published():
            raise ValidationError(NOT_DELETED)
        return super().delete(*args, **kwargs)

    def campaign_published(self):
        return CleanupCampaign.objects.filter(pk=self.campaign_id, state=PUBLISHED).exists()

    def why_not_propose(self, user):
        """None when ``user`` may propose (the assigned department's legal office or drafter,
        until the legal office agrees), else why not, in terms true for that user."""
        if not self.campaign.is_open:
            return NOT_CHANGED
        if self.state == self.State.APPROVED:
            return _("本件的清理意见已经审核同意，不能再修改。")
        if self.department_id is None:
            return _("本件尚未分配承办部门。")
        if user.department_id != self.department_id:
            return _("本件由%(d)s承办，只有该部门可以提出清理意见。") % {"d": self.department}
        if not user.has_role(*PROPOSER_ROLES):
            return _("提出清理意见须具有%(roles)s角色。") % {"roles": either(PROPOSER_ROLES)}
        return None

    def can_propose(self, user):
        return self.why_not_propose(user) is None

    def why_not_review(self, user):
        if not can_manage_cleanup(user):
            return cleanup_manager_refusal(_("审核清理意见"))
        if not self.campaign.is_open:
            return NOT_CHANGED
        if self.state != self.State.PROPOSED:
            return _("本件当前不是待审核状态。")
        return None

    def can_review(self, user):
        return self.why_not_review(user) is None

    def propose(self, user, decision, reason):
        CampaignItem.objects.filter(pk=self.pk).propose(user, decision, reason)
        self.refresh_from_db(fields=["decision", "reason", "proposed_by", "state"])

    def review(self, user, approve, comment=""):
        if refusal := self.why_not_review(user):
            raise ValidationError(refusal)
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

    def save(self, *args, **kwargs):
        # No record is added to a published result either.
        if self._state.adding and self.item.campaign_published():
            raise ValidationError(NOT_CHANGED)
        super().save(*args, **kwargs)
