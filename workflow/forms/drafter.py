"""The drafting department's steps: revision, objection, negotiation and ruling."""

from django import forms
from django.utils.translation import gettext_lazy as _

from review.forms import CheckedFileField
from review.models import (
    FindingAnswer,
    Objection,
)
from review.uploads import same_as_latest, same_as_latest_message

from .. import actions, clock
from .base import FieldGroup, StepForm
from .opinion import ShownOpinion


def signed_opinion(opinion, answers=None):
    """A signed opinion as the drafting department receives it: its letter and the last
    day to object (Art. 18)."""
    return ShownOpinion.of(
        opinion,
        answers,
        number=opinion.number,
        letter=getattr(opinion, "letter", None),
        objection_end=clock.day_label(actions.objection_window_end(opinion)),
    )


class RevisionForm(StepForm):
    """The drafter revises per the opinion and resubmits, answering each finding (adopted,
    partly, not adopted, with the reason); the new version returns to the stage that sent
    it back. A written objection (Art. 18) goes through the dossier page."""

    reads_draft = False

    file = CheckedFileField(label=_("修改后的草案"))
    note = forms.CharField(label=_("修改说明"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.to_answer = actions.findings_to_answer(self.dossier)
        for f in self.to_answer:
            where = f.article or _("总体意见")
            self.fields[f"answer_{f.pk}"] = forms.ChoiceField(
                label=_("对“%(a)s”意见的采纳情况") % {"a": where},
                choices=FindingAnswer.Answer.choices,
                widget=forms.RadioSelect,
            )
            self.fields[f"reason_{f.pk}"] = forms.CharField(
                label=_("理由或修改情况（%(a)s）") % {"a": where},
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
            )
        self.placed_fields = {name for f in self.to_answer for name in self._answer(f)}

    @staticmethod
    def _answer(finding):
        return f"answer_{finding.pk}", f"reason_{finding.pk}"

    def shown_opinion(self):
        """The signed opinion that sent the draft back, each finding with its answer."""
        if not self.to_answer:
            return None
        answers = {f.pk: FieldGroup(self[name] for name in self._answer(f)) for f in self.to_answer}
        return signed_opinion(self.to_answer[0].opinion, answers)

    def clean(self):
        data = super().clean()
        for f in self.to_answer:
            answer = data.get(f"answer_{f.pk}")
            if (
                answer
                and answer != FindingAnswer.Answer.ADOPTED
                and not data.get(f"reason_{f.pk}", "").strip()
            ):
                self.add_error(f"reason_{f.pk}", _("部分采纳或不采纳的，请说明理由。"))
        if data.get("file") and (latest := same_as_latest(self.dossier, data["file"])):
            self.add_error("file", same_as_latest_message(latest))
        return data

    def perform(self):
        data = self.cleaned_data
        answers = [
            (f, data[f"answer_{f.pk}"], data[f"reason_{f.pk}"].strip()) for f in self.to_answer
        ]
        actions.resubmit(self.dossier, self.user, data["file"], data["note"], answers)


class ObjectionForm(StepForm):
    """Art. 18, after 不予制定 or 暂缓制定: the drafting department accepts the conclusion or
    objects in writing within the window; unused, the window closes the dossier."""

    reads_draft = False
    ACCEPT, OBJECT = "accept", "object"
    decision = forms.ChoiceField(
        label=_("对审查结论"),
        choices=[(ACCEPT, _("接受审查结论")), (OBJECT, _("提出书面异议"))],
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("异议内容和理由"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )

    def facts(self):
        if actions.objectable_opinion(self.dossier) is None:
            return [(_("异议期限"), _("已届满"))]
        return []

    def shown_opinion(self):
        opinion = actions.objectable_opinion(self.dossier)
        return signed_opinion(opinion) if opinion else None

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.OBJECT:
            if not data.get("text", "").strip():
                self.add_error("text", _("请写明异议的内容和理由。"))
            elif actions.objectable_opinion(self.dossier) is None:
                raise forms.ValidationError(_("异议期限已过，不能再提出异议。"))
        return data

    def perform(self):
        if self.cleaned_data["decision"] == self.OBJECT:
            return actions.object_to_closing(self.dossier, self.user, self.cleaned_data["text"])
        actions.accept_conclusion(self.dossier, self.user)


class NegotiationForm(StepForm):
    """The legal office and the department negotiate the objection (协商) and record it."""

    reads_draft = False
    outcome = forms.ChoiceField(
        label=_("协商结果"), choices=Objection.Outcome.choices, widget=forms.RadioSelect
    )
    record = forms.CharField(label=_("协商记录"), widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.objection = self.dossier.objections.filter(outcome="").last()

    def facts(self):
        o = self.objection
        return [(_("书面异议"), f"{o.raised_on:%Y-%m-%d} {o.text}")] if o else []

    def clean(self):
        data = super().clean()
        if self.objection is None:
            raise forms.ValidationError(_("没有待协商的异议。"))
        return data

    def perform(self):
        data = self.cleaned_data
        actions.negotiate(self.dossier, self.user, self.objection, data["outcome"], data["record"])


class RulingForm(StepForm):
    """The government decides an objection the two sides could not agree on (裁决)."""

    reads_draft = False
    ruling = forms.ChoiceField(
        label=_("裁决结果"), choices=Objection.Ruling.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(label=_("裁决内容"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.objection = self.dossier.objections.filter(
            outcome=Objection.Outcome.NO_AGREEMENT, ruling=""
        ).last()

    def facts(self):
        o = self.objection
        if o is None:
            return []
        return [(_("书面异议"), o.text), (_("协商记录"), o.negotiation)]

    def clean(self):
        data = super().clean()
        if self.objection is None:
            raise forms.ValidationError(_("没有待裁决的异议。"))
        return data

    def perform(self):
        data = self.cleaned_data
        actions.rule(self.dossier, self.user, self.objection, data["ruling"], data["text"])
