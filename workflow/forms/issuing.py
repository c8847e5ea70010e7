"""The collective decision, the recheck before issue and registration."""

import re
from datetime import timedelta

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from review.clauses import stated_effective_date, stated_validity_years
from review.compare import compare_texts, render_inline_html
from review.models import (
    Conclusion,
    Finding,
    MeetingDecision,
    Stage,
)
from search.models import Document, EarlyEffect, validity_years
from search.numbers import number_key

from .. import actions, clock
from .base import PassOrReturnForm, StepForm


class MeetingForm(StepForm):
    """Stage 3: the collective decision (Art. 20), recorded by the government office for a
    government document and by the department for its own."""

    # Left empty, the usual body for the kind: the executive or the office meeting.
    body = forms.ChoiceField(
        label=_("集体审议方式"), choices=MeetingDecision.Body.choices, required=False
    )
    meeting = forms.CharField(
        label=_("会议名称或决定文件"),
        max_length=100,
        help_text=_("如：市政府第12次常务会议；局第5次办公会议"),
    )
    held_on = forms.DateField(
        label=_("会议或决定日期"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    outcome = forms.ChoiceField(
        label=_("决定"), choices=MeetingDecision.Outcome.choices, widget=forms.RadioSelect
    )
    notes = forms.CharField(
        label=_("会议意见"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bodies = MeetingDecision.Body.for_kind(self.dossier.kind)
        self.fields["body"].choices = [(b.value, b.label) for b in bodies]
        self.fields["body"].initial = bodies[0]

    def deemed_passed(self):
        return clock.is_deemed_passed(self.dossier)

    def facts(self):
        """What the meeting is told: the legal office's conclusion, and where the drafting
        department did not adopt it."""
        lawful = self._lawful_opinion()
        if self.deemed_passed():
            facts = [(_("合法性审查"), _("审查期限届满未出具书面意见，依规定视为审查通过"))]
        elif lawful:
            facts = [(_("合法性审查结论"), f"{lawful.get_conclusion_display()}（{lawful.number}）")]
        else:
            facts = []
        facts += [
            (
                _("未采纳的审查意见：%(a)s") % {"a": a.finding.article or _("总体")},
                f"{a.finding.text} —— {a.get_answer_display()}：{a.reason}",
            )
            for a in actions.findings_not_adopted(self.dossier)
        ]
        return facts

    def _lawful_opinion(self):
        return self.dossier.opinions.filter(
            stage=Stage.LEGAL_REVIEW,
            conclusion=Conclusion.LAWFUL,
            signed_at__isnull=False,
            late=False,
        ).last()

    def clean(self):
        data = super().clean()
        if not (self._lawful_opinion() or self.deemed_passed()):
            raise forms.ValidationError(_("未经合法性审查通过的草案不得提请集体审议。"))
        if data.get("held_on") and data["held_on"] > timezone.localdate():
            self.add_error("held_on", _("会议日期不能晚于今天。"))
        if (
            data.get("outcome") == MeetingDecision.Outcome.AMEND
            and not data.get("notes", "").strip()
        ):
            self.add_error("notes", _("请写明会议要求修改的内容。"))
        return data

    def clean_body(self):
        return self.cleaned_data["body"] or MeetingDecision.Body.for_kind(self.dossier.kind)[0]

    def perform(self):
        fields = ("body", "meeting", "held_on", "outcome", "notes")
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

    def facts(self):
        """Every finding of the legality opinions with the department's answer: the recheck
        confirms adoption against them."""
        findings = Finding.objects.filter(
            opinion__dossier=self.dossier, opinion__signed_at__isnull=False
        ).prefetch_related("answers")
        facts = []
        for f in findings:
            answers = list(f.answers.all())
            answer = answers[-1] if answers else None
            said = (
                f"{answer.get_answer_display()}：{answer.reason}".rstrip("：")
                if answer
                else _("未答复")
            )
            facts.append((f.article or _("总体"), f"{f.text} —— {said}"))
        return facts

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
    """Unified registration, numbering and publication (三统一, Art. 23): the issuer's 代字,
    a publication date after the collective decision and not in the future, the effective
    date of Art. 22 (sooner only on one of its grounds), the validity the document states
    (Art. 24), and the register documents it amends or repeals."""

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
    early_effect_ground = forms.ChoiceField(
        label=_("提前施行的理由"),
        choices=[("", "—"), *EarlyEffect.choices],
        required=False,
        help_text=_("施行日期早于公布后30日的，须属于下列情形之一（第二十二条）。"),
    )
    # Left empty, what the text states, else the maximum.
    validity_years = forms.IntegerField(label=_("有效期（年）"), min_value=1, required=False)
    amends = forms.CharField(
        label=_("本文件修改的文件（文号）"),
        required=False,
        help_text=_("多个文号用顿号、逗号或换行分隔"),
    )
    repeals = forms.CharField(label=_("本文件废止的文件（文号）"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rules = settings.REVIEW_RULES
        self.fields["effective_on"].help_text = _("不填则自公布之日起%(days)s日后施行") % {
            "days": rules["effective_after_days"]
        }
        self.max_years = validity_years(self.dossier.title)
        self.fields["validity_years"].max_value = self.max_years
        self.fields["validity_years"].validators.append(MaxValueValidator(self.max_years))
        self.fields["validity_years"].widget.attrs["max"] = self.max_years
        text = self.dossier.latest_version.text if self.dossier.latest_version else ""
        stated_effective = stated_effective_date(text)
        if stated_effective and stated_effective >= timezone.localdate():
            # A date already past (a text reissued unchanged) is no suggestion.
            self.fields["effective_on"].initial = stated_effective
        stated = stated_validity_years(text, stated_effective)
        self.fields["validity_years"].initial = min(stated or self.max_years, self.max_years)
        self.fields["validity_years"].help_text = _(
            "最长%(n)s年（暂行、试行的最长2年）；已按草案文本建议。"
        ) % {"n": self.max_years}

    def facts(self):
        prefix = self.dossier.number_prefix
        return [
            (_("发文代字"), prefix or _("未设置，请管理员设置后再登记")),
            (_("集体审议"), str(self._decision()) if self._decision() else "—"),
        ]

    def _decision(self):
        return self.dossier.meetings.order_by("-held_on", "-pk").first()

    def clean_validity_years(self):
        return self.cleaned_data["validity_years"] or self.fields["validity_years"].initial

    def _documents(self, field):
        numbers = [n for n in re.split(r"[、，,；;\s]+", self.cleaned_data.get(field, "")) if n]
        found = []
        for number in numbers:
            document = Document.objects.filter(number_key=number_key(number)).first()
            if document is None:
                self.add_error(field, _("登记库中没有文号为“%(n)s”的文件。") % {"n": number})
            else:
                found.append(document)
        return found

    def clean(self):
        data = super().clean()
        if not self.dossier.number_prefix:
            raise forms.ValidationError(
                _("“%(d)s”尚未设置发文代字，不能编号。请管理员在“部门”中设置其发文代字。")
                % {"d": self.dossier.department.name}
            )
        published, effective = data.get("published_on"), data.get("effective_on")
        decision = self._decision()
        if published and published > timezone.localdate():
            self.add_error("published_on", _("公布日期不能晚于今天。"))
        if published and decision and published < decision.held_on:
            self.add_error(
                "published_on",
                _("公布日期不能早于集体审议决定的日期（%(d)s）。") % {"d": decision.held_on},
            )
        if published and effective and effective < published:
            self.add_error("effective_on", _("施行日期不能早于公布日期。"))
        soonest = (
            published + timedelta(days=settings.REVIEW_RULES["effective_after_days"])
            if published
            else None
        )
        if effective and soonest and effective < soonest and not data.get("early_effect_ground"):
            self.add_error(
                "early_effect_ground",
                _("施行日期早于公布后30日，请选择提前施行的理由。"),
            )
        if published and data.get("signed_on") and data["signed_on"] > published:
            self.add_error("signed_on", _("签署日期不能晚于公布日期。"))
        data["amends"] = self._documents("amends")
        data["repeals"] = self._documents("repeals")
        return data

    def perform(self):
        fields = (
            "published_on",
            "published_in",
            "signed_on",
            "effective_on",
            "validity_years",
            "early_effect_ground",
            "amends",
            "repeals",
        )
        actions.register(self.dossier, self.user, **{k: self.cleaned_data[k] for k in fields})
