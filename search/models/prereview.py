"""The pre-review of a draft version (预审): its citations and flagged articles, computed
once its text is read and kept with the version, and what the reviewer did with each
flag: turned into a finding of the opinion, or dismissed with a reason."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from review.models import Finding


class PreReview(models.Model):
    version = models.OneToOneField(
        "review.DraftVersion",
        verbose_name=_("草案版本"),
        on_delete=models.CASCADE,
        related_name="prereview",
    )
    # The statuses are those of this day; "amended since" counts from drafted_on.
    checked_on = models.DateField(_("核对日期"))
    drafted_on = models.DateField(_("草案日期"), null=True, blank=True)
    citations = models.JSONField(_("引用的文件"), default=list)
    articles = models.JSONField(_("提示的条款"), default=list)
    computed_at = models.DateTimeField(_("生成时间"), default=timezone.now)
    elapsed_ms = models.PositiveIntegerField(_("用时（毫秒）"), default=0)

    class Meta:
        verbose_name = _("草案预审")
        verbose_name_plural = _("草案预审")

    def __str__(self):
        return f"{self.version}：{len(self.citations)} / {len(self.articles)}"

    @property
    def flagged_articles(self):
        return [a for a in self.articles if a.get("flags")]


class FlagDecision(models.Model):
    """转为审查意见 or 不予采纳 for one flag: recorded once, by whoever acted first."""

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", _("转为审查意见")
        DISMISSED = "dismissed", _("不予采纳")

    prereview = models.ForeignKey(PreReview, on_delete=models.CASCADE, related_name="decisions")
    # "第十二条:licensing" for an article's flag, "citation:3" for the fourth citation.
    key = models.CharField(max_length=80)
    article = models.CharField(_("条款"), max_length=30, blank=True)
    decision = models.CharField(_("处理"), max_length=20, choices=Decision.choices)
    reason = models.TextField(_("不予采纳的理由"), blank=True)
    point = models.CharField(
        _("审查要点"), max_length=20, choices=Finding.Point.choices, blank=True
    )
    text = models.TextField(_("具体意见"), blank=True)
    legal_basis = models.CharField(_("依据"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("处理时间"), default=timezone.now)

    class Meta:
        verbose_name = _("预审提示的处理")
        verbose_name_plural = _("预审提示的处理")
        ordering = ["prereview", "decided_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["prereview", "key"], name="flag_decision_once")
        ]

    def __str__(self):
        return f"{self.key}：{self.get_decision_display()}"

    @classmethod
    def record(cls, prereview, key, user, **fields):
        """Record the decision; a flag already decided (by a colleague a moment ago)
        is refused, and nothing changes."""
        if (
            fields.get("decision") == cls.Decision.DISMISSED
            and not fields.get("reason", "").strip()
        ):
            raise ValidationError(_("不予采纳时请写明理由。"))
        try:
            with transaction.atomic():
                return cls.objects.create(prereview=prereview, key=key, decided_by=user, **fields)
        except IntegrityError:
            raise ValidationError(_("该提示已经处理。")) from None
