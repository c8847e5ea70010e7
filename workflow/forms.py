"""One form per step of the flow: it validates what the person typed, and ``perform()``
hands the cleaned data to the step's domain function (actions.py), inside the flow's lock
and transaction."""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from review.articles import find_article, parse_outline
from review.compare import compare_texts, render_inline_html
from review.forms import MATERIAL_TYPES, CheckedFileField
from review.models import (
    RETURNING_CONCLUSIONS,
    REVIEW_CONCLUSIONS,
    Conclusion,
    Finding,
    Material,
    MeetingDecision,
    Stage,
)

from . import actions


class StepForm(forms.Form):
    """A step's form; subclasses implement ``perform``."""

    # Steps that judge the draft need its text; the drafter's own steps do not.
    reads_draft = True

    def __init__(self, *args, dossier, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.dossier = dossier
        self.user = user

    def clean(self):
        data = super().clean()
        version = self.dossier.latest_version
        sending_back = data.get("decision") == "send_back"
        if self.reads_draft and not sending_back and version and version.unreadable:
            raise forms.ValidationError(version.unreadable)
        return data

    def perform(self):
        raise NotImplementedError


class PassOrReturnForm(StepForm):
    """A step that passes the dossier on or sends it back with reasons."""

    PASS, SEND_BACK = "pass", "send_back"
    decision = forms.ChoiceField(
        label=_("办理结果"),
        choices=[(PASS, _("通过")), (SEND_BACK, _("退回起草部门修改"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("意见或退回理由"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.SEND_BACK and not data.get("comment", "").strip():
            self.add_error("comment", _("退回时请写明理由。"))
        return data

    def send_back(self):
        actions.send_back(self.dossier, self.user, self.cleaned_data["comment"])


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
    """Stage 2, on receipt: are the Art. 12 materials complete? The review period starts
    only when they are."""

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
        self.fields["missing"].initial = self.dossier.missing_materials()

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if decision == self.COMPLETE and self.dossier.missing_materials():
            names = "、".join(str(Material.Kind(k).label) for k in self.dossier.missing_materials())
            raise forms.ValidationError(
                _("材料不齐全，尚缺：%(names)s。请要求补正。") % {"names": names}
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
        actions.accept_materials(self.dossier, self.user, comment)


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


class FindingForm(forms.ModelForm):
    """One finding; its article must be one the reviewed draft has."""

    class Meta:
        model = Finding
        fields = ["article", "point", "text", "legal_basis"]
        widgets = {
            "article": forms.TextInput(attrs={"list": "draft-articles", "autocomplete": "off"}),
            "text": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, outline=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.outline = outline

    def clean_article(self):
        article = self.cleaned_data["article"].strip()
        if article and self.outline:
            found = find_article(self.outline, article)
            if found is None:
                raise forms.ValidationError(_("草案中没有“%(a)s”。") % {"a": article})
            article = found.label
        return article


FindingFormSet = forms.formset_factory(FindingForm, extra=3, max_num=30)


class LegalReviewForm(StepForm):
    """Stage 2: the written legality review opinion with one of the conclusions of
    Art. 17. "Revise" and "remove" go straight back to the drafter; the others go to the
    head for signature."""

    conclusion = forms.ChoiceField(
        label=_("审查结论"),
        choices=[(c.value, c.label) for c in REVIEW_CONCLUSIONS],
        widget=forms.RadioSelect,
    )
    text = forms.CharField(label=_("审查意见"), widget=forms.Textarea(attrs={"rows": 6}))
    legal_basis = forms.CharField(
        label=_("审查依据"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        version = self.dossier.latest_version
        self.outline = parse_outline(version.text) if version else []
        self.findings = FindingFormSet(
            self.data or None, prefix="findings", form_kwargs={"outline": self.outline}
        )

    def is_valid(self):
        return super().is_valid() and self.findings.is_valid()

    def clean(self):
        data = super().clean()
        if data.get("conclusion") in RETURNING_CONCLUSIONS and not self._finding_rows():
            raise forms.ValidationError(
                _("结论为修改或取消相关内容时，请至少针对一个条款写明审查意见。")
            )
        return data

    def _finding_rows(self):
        if not self.findings.is_valid():
            return []
        return [f.cleaned_data for f in self.findings if f.cleaned_data.get("text")]

    def perform(self):
        actions.write_opinion(
            self.dossier,
            self.user,
            conclusion=self.cleaned_data["conclusion"],
            text=self.cleaned_data["text"],
            legal_basis=self.cleaned_data["legal_basis"],
            findings=self._finding_rows(),
        )


class HeadSignForm(StepForm):
    """The head of the legal office signs the opinion, or returns it to the reviewer."""

    SIGN, REFUSE = "sign", "refuse"
    decision = forms.ChoiceField(
        label=_("签发"),
        choices=[(SIGN, _("同意签发")), (REFUSE, _("退回审查人员"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("批示"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.opinion = self.dossier.opinions.filter(
            stage=Stage.LEGAL_REVIEW, signed_at__isnull=True
        ).last()

    def clean(self):
        data = super().clean()
        if self.opinion is None:
            raise forms.ValidationError(_("没有待签发的审查意见。"))
        if data.get("decision") == self.REFUSE and not data.get("comment", "").strip():
            self.add_error("comment", _("退回时请写明理由。"))
        return data

    def perform(self):
        comment = self.cleaned_data["comment"]
        if self.cleaned_data["decision"] == self.REFUSE:
            return actions.refuse_signature(self.dossier, self.user, self.opinion, comment)
        actions.sign_opinion(self.dossier, self.user, self.opinion, comment)


class MeetingForm(StepForm):
    """Stage 3: the executive meeting's decision, recorded by its secretary."""

    meeting = forms.CharField(
        label=_("会议名称"), max_length=100, help_text=_("如：市政府第12次常务会议")
    )
    held_on = forms.DateField(
        label=_("会议日期"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    outcome = forms.ChoiceField(
        label=_("会议决定"), choices=MeetingDecision.Outcome.choices, widget=forms.RadioSelect
    )
    notes = forms.CharField(
        label=_("会议意见"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def clean(self):
        data = super().clean()
        lawful = self.dossier.opinions.filter(
            stage=Stage.LEGAL_REVIEW, conclusion=Conclusion.LAWFUL, signed_at__isnull=False
        )
        if not lawful.exists():
            raise forms.ValidationError(_("未经合法性审查通过的草案不得提请常务会议审议。"))
        if data.get("held_on") and data["held_on"] > timezone.localdate():
            self.add_error("held_on", _("会议日期不能晚于今天。"))
        if (
            data.get("outcome") == MeetingDecision.Outcome.AMEND
            and not data.get("notes", "").strip()
        ):
            self.add_error("notes", _("请写明会议要求修改的内容。"))
        return data

    def perform(self):
        fields = ("meeting", "held_on", "outcome", "notes")
        actions.record_meeting(self.dossier, self.user, **{k: self.cleaned_data[k] for k in fields})


class RecheckForm(PassOrReturnForm):
    """Stage 4: the text to be issued against the text the meeting approved. Every change
    since must be justified, and the adoption of the legal opinion confirmed."""

    opinion_adopted = forms.BooleanField(label=_("已确认审查意见的采纳情况"), required=False)

    @property
    def changed(self):
        return self.dossier.latest_version != self.dossier.approved_version

    @cached_property
    def comparison(self):
        """The text to be issued against the text the meeting approved."""
        return compare_texts(self.dossier.approved_version.text, self.dossier.latest_version.text)

    def comparison_html(self):
        return render_inline_html(self.comparison)

    def clean(self):
        data = super().clean()
        if data.get("decision") != self.PASS:
            return data
        if not data.get("opinion_adopted"):
            self.add_error("opinion_adopted", _("请确认审查意见的采纳情况。"))
        if self.changed and not data.get("comment", "").strip():
            self.add_error(
                "comment", _("拟发布文本与常务会议审议通过的文本不一致，请说明每处修改的理由。")
            )
        return data

    def perform(self):
        if self.cleaned_data["decision"] == self.SEND_BACK:
            return self.send_back()
        actions.recheck(self.dossier, self.user, self.cleaned_data["comment"])


class RegistrationForm(StepForm):
    """Unified registration, numbering and publication (三统一, Art. 23)."""

    published_on = forms.DateField(
        label=_("公布日期"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        initial=timezone.localdate,
    )
    published_in = forms.CharField(
        label=_("公布载体"), max_length=100, initial=_("政府门户网站、政府公报")
    )
    signed_on = forms.DateField(
        label=_("签署日期"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        required=False,
    )
    effective_on = forms.DateField(
        label=_("施行日期"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["effective_on"].help_text = _("不填则自公布之日起%(days)s日后施行") % {
            "days": settings.REVIEW_RULES["effective_after_days"]
        }

    def clean(self):
        data = super().clean()
        published, effective = data.get("published_on"), data.get("effective_on")
        if published and effective and effective < published:
            self.add_error("effective_on", _("施行日期不能早于公布日期。"))
        if published and data.get("signed_on") and data["signed_on"] > published:
            self.add_error("signed_on", _("签署日期不能晚于公布日期。"))
        return data

    def perform(self):
        fields = ("published_on", "published_in", "signed_on", "effective_on")
        actions.register(self.dossier, self.user, **{k: self.cleaned_data[k] for k in fields})


class RevisionForm(StepForm):
    """The drafter revises per the opinion and resubmits; the new version returns to the
    stage that sent it back. A written objection (Art. 18) can go with it."""

    reads_draft = False

    file = CheckedFileField(label=_("修改后的草案"))
    note = forms.CharField(label=_("修改说明"), widget=forms.Textarea(attrs={"rows": 4}))
    objection = forms.CharField(
        label=_("书面异议（如不同意审查意见）"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def perform(self):
        data = self.cleaned_data
        actions.resubmit(self.dossier, self.user, data["file"], data["note"], data["objection"])
