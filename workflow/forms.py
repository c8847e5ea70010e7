"""One form per step of the flow: it validates what the person typed, and ``perform()``
hands the cleaned data to the step's domain function (actions.py), inside the flow's lock
and transaction."""

import re
from datetime import timedelta

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from core.text import normalize_cleaned_text
from review.articles import find_article, parse_outline
from review.clauses import stated_effective_date, stated_validity_years
from review.compare import compare_texts, render_inline_html
from review.forms import MATERIAL_TYPES, CheckedFileField
from review.models import (
    RETURNING_CONCLUSIONS,
    REVIEW_CONCLUSIONS,
    Conclusion,
    Dossier,
    Finding,
    FindingAnswer,
    Material,
    MeetingDecision,
    Objection,
    Stage,
)
from search.models import Document, EarlyEffect, validity_years
from search.numbers import number_key

from . import actions, clock


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
        normalize_cleaned_text(self, data)
        version = self.dossier.latest_version
        sending_back = data.get("decision") == "send_back"
        if self.reads_draft and not sending_back and version and version.unreadable:
            raise forms.ValidationError(version.unreadable)
        return data

    def perform(self):
        raise NotImplementedError

    def facts(self):
        """(label, text) pairs the task page shows above the form: what the person acts on."""
        return []


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
                help_text=f.text,
                choices=FindingAnswer.Answer.choices,
                widget=forms.RadioSelect,
            )
            self.fields[f"reason_{f.pk}"] = forms.CharField(
                label=_("理由或修改情况（%(a)s）") % {"a": where},
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
            )

    def facts(self):
        opinion = self.to_answer[0].opinion if self.to_answer else None
        if opinion is None:
            return []
        end = actions.objection_window_end(opinion)
        return [
            (_("审查意见"), f"{opinion.number} {opinion.get_conclusion_display()}：{opinion.text}"),
            (_("提出书面异议的期限"), clock.day_label(end) if end else "—"),
        ]

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
        opinion = actions.objectable_opinion(self.dossier)
        if opinion is None:
            return [(_("异议期限"), _("已届满"))]
        end = actions.objection_window_end(opinion)
        return [
            (_("审查意见"), f"{opinion.number} {opinion.get_conclusion_display()}：{opinion.text}"),
            (_("提出书面异议的期限"), clock.day_label(end) if end else "—"),
        ]

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
