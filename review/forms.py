from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.db import transaction
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.listing import listed
from core.text import normalize_cleaned_text

from . import extract, ingest
from .models import Dossier, DraftVersion, HistoryEntry, Material

DRAFT_TYPES = {"docx", "doc", "wps", "rtf"}
MATERIAL_TYPES = DRAFT_TYPES | {"pdf"}
# Django cuts a longer name to 255 characters before any form sees it (UploadedFile), and
# the name is kept in 255 (StoredFile.original_name): below that, a long name is noticed.
MAX_FILE_NAME_CHARS = 250


@dataclass
class Upload:
    """A file that passed the safety checks, with the name the user gave it."""

    name: str
    checked: ingest.Ingested

    @property
    def data(self):
        return self.checked.original

    def text(self):
        if self.checked.docx is None:
            return ""
        return extract.extract_text(self.checked.docx).text


def _accepted(allow):
    """The help under a file field, in the language of the page that shows it."""
    return gettext("支持 %(types)s，不超过 %(mb)s MB") % {
        "types": listed(sorted(allow)),
        "mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024),
    }


class CheckedFileField(forms.FileField):
    """An upload that passed the safety checks of review.ingest; cleans to ``Upload``."""

    default_error_messages = {
        "max_length": _("文件名过长：最多 %(max)d 个字符。请缩短文件名后重新上传。"),
    }

    def __init__(self, *, allow=DRAFT_TYPES, **kwargs):
        self.allow = allow
        kwargs.setdefault("max_length", MAX_FILE_NAME_CHARS)
        kwargs.setdefault("help_text", lazy(_accepted, str)(allow))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload:
            return upload
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _("文件过大：%(name)s 超过 %(mb)s MB。")
                % {"name": upload.name, "mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}
            )
        try:
            checked = ingest.inspect_upload(
                upload.read(),
                upload.name,
                max_bytes=settings.UPLOAD_MAX_BYTES,
                allow=self.allow,
                convert=False,
            )
        except ingest.UploadRejected as rejected:
            raise forms.ValidationError(str(rejected)) from rejected
        return Upload(upload.name, checked)


class DossierForm(forms.ModelForm):
    draft = CheckedFileField(label=_("草案文本"))
    # A request: the legal office decides the category when it accepts the materials.
    urgency = forms.ChoiceField(
        label=_("申请的审查类别"),
        choices=Dossier.Urgency.choices,
        initial=Dossier.Urgency.NORMAL,
        help_text=_("政府交办或紧急审查由政府法制机构在受理时决定。"),
    )

    class Meta:
        model = Dossier
        fields = ["title", "kind", "legal_basis", "urgency_reason"]
        widgets = {"legal_basis": forms.Textarea(attrs={"rows": 4})}
        # Typed here: what the draft relies on. The texts themselves are a material.
        labels = {"legal_basis": _("制定依据（法律、法规、规章名称及条款）")}
        help_texts = {
            "legal_basis": _(
                "每行一件，写明名称和条款，如：《中华人民共和国行政许可法》第十二条。"
                "依据的文本在卷宗的“送审材料”中另行上传。"
            )
        }

    def clean(self):
        data = super().clean()
        normalize_cleaned_text(self, data)
        special = data.get("urgency") not in (None, Dossier.Urgency.NORMAL)
        if special and not data.get("urgency_reason", "").strip():
            self.add_error("urgency_reason", _("申请政府交办或紧急审查时，请写明理由。"))
        return data

    @transaction.atomic
    def open_for(self, drafter):
        """The dossier, opened by ``drafter`` for their department, with the draft as its
        first version."""
        dossier = self.save(commit=False)
        dossier.urgency_requested = self.cleaned_data["urgency"]
        dossier.department = drafter.department
        dossier.created_by = drafter
        dossier.save()
        dossier.record(drafter, HistoryEntry.Action.CREATED)
        DraftVersion.add(dossier, drafter, self.cleaned_data["draft"])
        return dossier


class MaterialForm(forms.Form):
    kind = forms.ChoiceField(label=_("材料类别"), choices=Material.Kind.choices)
    file = CheckedFileField(label=_("文件"), allow=MATERIAL_TYPES)


class VersionForm(forms.Form):
    file = CheckedFileField(label=_("草案文本"))
    note = forms.CharField(
        label=_("修改说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
