"""The legality opinion: findings, the reviewer's opinion, the head's signature."""

from django import forms
from django.utils.translation import gettext_lazy as _

from review.articles import find_article, parse_outline
from review.models import (
    RETURNING_CONCLUSIONS,
    REVIEW_CONCLUSIONS,
    Finding,
    Stage,
)

from .. import actions
from .base import StepForm


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


class LateOpinionForm(forms.Form):
    """An opinion after the draft was deemed passed (dossier page): advisory, for signature."""

    conclusion = forms.ChoiceField(
        label=_("审查结论"), choices=[(c.value, c.label) for c in REVIEW_CONCLUSIONS]
    )
    text = forms.CharField(label=_("审查意见"), widget=forms.Textarea(attrs={"rows": 5}))
    legal_basis = forms.CharField(
        label=_("审查依据"), widget=forms.Textarea(attrs={"rows": 2}), required=False
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

    def facts(self):
        if self.opinion is None:
            return []
        o = self.opinion
        facts = [(_("审查结论"), o.get_conclusion_display()), (_("审查意见"), o.text)]
        facts += [
            (
                f.article or _("总体"),
                f"{f.text}" + (f"（{_('依据')}：{f.legal_basis}）" if f.legal_basis else ""),
            )
            for f in o.findings.all()
        ]
        if o.legal_basis:
            facts.append((_("审查依据"), o.legal_basis))
        return facts

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
