"""Checks on what the drafting department uploads or takes back, shared by the dossier page
(review.views) and the revision step (workflow.actions.resubmit)."""

import hashlib

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Dossier, HistoryEntry, Material


def same_as_latest(dossier, upload):
    """The dossier's latest version when ``upload`` (a review.forms.Upload) is byte for byte
    the same file, else None: an identical re-upload is no new version."""
    latest = dossier.latest_version
    if latest is not None and hashlib.sha256(upload.data).hexdigest() == latest.sha256:
        return latest
    return None


def same_as_latest_message(version):
    return _("与当前版本（%(version)s）内容完全相同，未作为新版本保存。") % {"version": version}


def may_remove_materials(dossier, user):
    """Whether the dossier page offers ``user`` to remove its materials."""
    return dossier.process_id is None and dossier.can_submit(user)


def remove_material(dossier, user, material_pk):
    """Take back a material before the dossier is submitted. False if it is already gone
    (a second click, or a colleague at the same moment), which changes nothing; refused
    once the dossier is submitted, since the reviewers rely on what they received."""
    if not dossier.can_submit(user):
        raise PermissionDenied(_("只有起草部门经办人可以删除送审材料。"))
    with transaction.atomic():
        # The lock orders a removal and a submission: whichever comes second sees the first.
        unsubmitted = Dossier.objects.select_for_update().filter(
            pk=dossier.pk, process__isnull=True
        )
        if not unsubmitted.exists():
            raise PermissionDenied(_("卷宗已提交审查，送审材料不能再删除。"))
        material = Material.objects.filter(dossier=dossier, pk=material_pk).first()
        if material is None:
            return False
        stored = material.file.name
        material.delete()
        dossier.record(user, HistoryEntry.Action.MATERIAL_REMOVED, material.note())
        transaction.on_commit(lambda: material.file.storage.delete(stored))
    return True
