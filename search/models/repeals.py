"""Repeals a document states in its own closing provisions (“…《X》同时废止”)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .documents import Document


class StatedRepeal(models.Model):
    """A title the closing provisions of `repealing` repeal. `target` is the register's
    document of that title, when the register has one; a title it lacks (《物权法》, repealed
    by the Civil Code) is still known to be repealed, and by what."""

    repealing = models.ForeignKey(
        Document,
        verbose_name=_("废止它的文件"),
        on_delete=models.CASCADE,
        related_name="stated_repeals",
    )
    title = models.CharField(_("被废止文件名称"), max_length=300)
    target = models.ForeignKey(
        Document,
        verbose_name=_("被废止的登记文件"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("文件所载废止条款")
        verbose_name_plural = _("文件所载废止条款")
        constraints = [
            models.UniqueConstraint(fields=["repealing", "title"], name="stated_repeal_unique")
        ]

    def __str__(self):
        return f"《{self.repealing.title}》废止《{self.title}》"
