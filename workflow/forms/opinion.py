"""The legality opinion: findings, the reviewer's opinion, the head's signature."""

from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext_lazy as _

from review import letters, outgoing
from review.articles import NotInDraft, cite, normal_reference, parse_outline
from review.models import (
    RETURNING_CONCLUSIONS,
    REVIEW_CONCLUSIONS,
    Finding,
    Stage,
)
from search.prereview import accepted_findings

from .. import actions
from .base import FieldGroup, StepForm


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
        """The cited 条 must be in the draft, and a 款 or 项 among those it is seen to have;
        kept in its usual written form (第十二条第二款第一项)."""
        article = self.cleaned_data["article"].strip()
        if not article or not self.outline:
            return normal_reference(article) or article
        try:
            return cite(self.outline, article).label
        except NotInDraft as missing:
            raise forms.ValidationError(self._refusal(missing, article)) from None

    @staticmethod
    def _refusal(missing, article):
        if missing.count is None:
            return _("草案中没有“%(a)s”。") % {"a": article}
        has = {"article": missing.article.label, "count": missing.count, "a": article}
        if missing.unit == "款":
            return _("草案%(article)s只有%(count)s款，没有“%(a)s”。") % has
        return _("草案%(article)s只有%(count)s项，没有“%(a)s”。") % has


# As many findings as the draft needs: the page adds rows, a blank row is left out and a
# row can be struck out before submitting.
FindingFormSet = forms.formset_factory(FindingForm, extra=3, can_delete=True)
FINDING_FIELDS = FindingForm.Meta.fields


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
        # The pre-review's flags the reviewer turned into findings start the list.
        initial = accepted_findings(version) if version and not self.data else []
        self.findings = FindingFormSet(
            self.data or None,
            prefix="findings",
            initial=initial,
            form_kwargs={"outline": self.outline},
        )

    def is_valid(self):
        return super().is_valid() and self.findings.is_valid()

    def formsets(self):
        return [self.findings]

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
        return [
            {name: f.cleaned_data[name] for name in FINDING_FIELDS}
            for f in self.findings
            if f.cleaned_data.get("text") and not f.cleaned_data.get("DELETE")
        ]

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

    def shown_opinion(self):
        if self.opinion is None:
            return None
        letter = outgoing.opinion_preview(self.opinion, self.user)
        return ShownOpinion.of(
            self.opinion,
            number=outgoing.expected_number(letter.date.year),
            letter_preview=letters.preview(letter),
        )

    def letter_docx(self):
        """The preview letter as a .docx (file name, bytes), or None."""
        if self.opinion is None:
            return None
        letter = outgoing.opinion_preview(self.opinion, self.user)
        return f"{letter.title}（签发前预览）.docx", letters.render_letter(letter)

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


@dataclass
class ShownFinding:
    """A finding beside the words of the draft it cites, and the fields that answer it."""

    finding: Finding
    # The cited article's text as (before, cited, after), or None if not found.
    quote: tuple[str, str, str] | None
    fields: FieldGroup | None = None

    @property
    def partial(self):
        """The finding cites a 款 or 项, marked inside the article."""
        return self.quote is not None and any(self.quote[::2])


@dataclass
class ShownOpinion:
    """An opinion as its reader acts on it: the number it carries (or will), its findings
    beside the draft version it was written on, and its letter (sent, or a preview)."""

    opinion: object
    number: str
    findings: list[ShownFinding] = field(default_factory=list)
    letter_preview: list[tuple[str, str]] | None = None
    letter: object = None
    objection_end: object = None

    @classmethod
    def of(cls, opinion, answers=None, **kwargs):
        """``answers`` maps a finding's pk to the fields that answer it."""
        outline = parse_outline(opinion.version.text)
        rows = []
        for f in opinion.findings.all():
            try:
                quote = cite(outline, f.article).quote if f.article else None
            except NotInDraft:
                quote = None
            rows.append(ShownFinding(f, quote, (answers or {}).get(f.pk)))
        return cls(opinion, findings=rows, **kwargs)

    @property
    def signed(self):
        return self.opinion.is_signed
