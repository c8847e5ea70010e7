"""Records that are written once and never changed or deleted: submitted versions, signed
opinions, history entries, status changes, published cleanup results."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImmutableQuerySet(models.QuerySet):
    """Bulk update and delete would bypass the per-row guard."""

    def update(self, **kwargs):
        raise ValidationError(_("已提交的记录不能修改。"))

    def delete(self):
        raise ValidationError(_("已提交的记录不能删除。"))


class ImmutableModel(models.Model):
    """A record that is written once and never changed or deleted. Only ``derived_fields``
    (computed from what was stored, like the text read from a file) may be filled in later."""

    derived_fields = frozenset()

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, update_fields=None, **kwargs):
        derived_only = update_fields is not None and set(update_fields) <= self.derived_fields
        if not self._state.adding and not derived_only:
            raise ValidationError(_("已提交的记录不能修改。"))
        super().save(*args, update_fields=update_fields, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("已提交的记录不能删除。"))
