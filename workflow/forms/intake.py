"""Stage 1 and the receipt at stage 2: the department's check, completeness, supplements."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from review.forms import MATERIAL_TYPES, CheckedFileField
from review.models import (
    Dossier,
    Material,
)

from .. import actions
from .base import PassOrReturnForm, StepForm


class DeptCheckForm(PassOrReturnForm):
    """Stage 1: the department's legal office passes the draft with a written initial
    opinion (初审意见), or returns it."""

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.PASS and not data.get("comment", "").strip():
            self.add_error("comment", _("通过时请填写初审意见。"))
        return data

    def perform(self):
        if self.cleaned_data["decision"] == self.SEND_BACK:
            return self.send_back()
        actions.pass_dept_check(self.dossier, self.user, self.cleaned_data["comment"])


class CompletenessForm(StepForm):
    """Stage 2, on receipt: are the Art. 12 materials complete? The legal office decides
    the category of review the drafter asked for (Art. 16); the review period runs from
    the day the complete materials arrived."""

    COMPLETE, SUPPLEMENT, SEND_BACK = "complete", "supplement", "send_back"
    decision = forms.ChoiceField(
        label=_("审查结果"),
        choices=[
            (COMPLETE, _("材料齐全，受理审查")),
            (SUPPLEMENT, _("材料不齐，要求补正")),
            (SEND_BACK, _("退回起草部门")),
        ],
        widget=forms.RadioSelect,
    )
    urgency = forms.ChoiceField(
        label=_("审查类别"), choices=Dossier.Urgency.choices, required=False
    )
    emergency_working_days = forms.IntegerField(
        label=_("紧急审查所需工作日"),
        required=False,
        min_value=settings.REVIEW_RULES["emergency_min_working_days"],
        max_value=settings.REVIEW_RULES["emergency_max_working_days"],
        help_text=_("确定为紧急审查时填写，审查期限自收到齐全材料之日起按此计算。"),
    )
    missing = forms.MultipleChoiceField(
        label=_("需补正的材料"),
        choices=Material.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    comment = forms.CharField(
        label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["missing"].initial = self.outstanding()
        self.fields["urgency"].initial = self.dossier.urgency_requested

    def outstanding(self):
        """Required materials missing, and what a supplement request asked for and did not
        get: both must arrive before the review can start."""
        return list(
            dict.fromkeys(self.dossier.missing_materials() + self.dossier.requested_materials)
        )

    def facts(self):
        d = self.dossier
        facts = [(_("申请的审查类别"), d.get_urgency_requested_display())]
        if d.urgency_reason:
            facts.append((_("申请理由"), d.urgency_reason))
        if d.requested_materials:
            names = Material.Kind.listed(d.requested_materials)
            facts.append((_("要求补正尚未收到的材料"), names))
        return facts

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if decision == self.COMPLETE and (outstanding := self.outstanding()):
            names = Material.Kind.listed(outstanding)
            raise forms.ValidationError(
                _("材料不齐全，尚缺：%(names)s。请要求补正。") % {"names": names}
            )
        urgency = data.get("urgency") or self.dossier.urgency_requested
        if (
            decision == self.COMPLETE
            and urgency == Dossier.Urgency.EMERGENCY
            and not data.get("emergency_working_days")
        ):
            self.add_error(
                "emergency_working_days", _("确定为紧急审查时，请填写审查所需的工作日数。")
            )
        if decision == self.SUPPLEMENT and not data.get("missing"):
            self.add_error("missing", _("请选择需要补正的材料。"))
        if decision == self.SEND_BACK and not data.get("comment", "").strip():
            self.add_error("comment", _("退回时请写明理由。"))
        return data

    def perform(self):
        decision = self.cleaned_data["decision"]
        comment = self.cleaned_data["comment"]
        if decision == self.SEND_BACK:
            return actions.send_back(self.dossier, self.user, comment)
        if decision == self.SUPPLEMENT:
            return actions.request_supplement(
                self.dossier, self.user, self.cleaned_data["missing"], comment
            )
        actions.accept_materials(
            self.dossier,
            self.user,
            comment,
            urgency=self.cleaned_data["urgency"] or None,
            emergency_days=self.cleaned_data["emergency_working_days"],
        )


class SupplementForm(StepForm):
    """The drafter supplies the materials the reviewer asked for."""

    reads_draft = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        asked = self.dossier.requested_materials + self.dossier.missing_materials()
        requested = list(dict.fromkeys(asked)) or [Material.Kind.OTHER]
        for kind in requested:
            self.fields[kind] = CheckedFileField(
                label=Material.Kind(kind).label, allow=MATERIAL_TYPES, required=False
            )
        self.fields["comment"] = forms.CharField(
            label=_("补正说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False
        )

    def facts(self):
        asked = self.dossier.requested_materials
        names = Material.Kind.listed(asked) or "—"
        return [(_("政府法制机构要求补正的材料"), names)]

    def clean(self):
        data = super().clean()
        if not any(data.get(kind) for kind in Material.Kind.values):
            raise forms.ValidationError(_("请至少上传一份补正材料。"))
        return data

    def perform(self):
        uploads = {
            kind: self.cleaned_data[kind]
            for kind in Material.Kind.values
            if self.cleaned_data.get(kind)
        }
        actions.supply_materials(self.dossier, self.user, uploads, self.cleaned_data["comment"])
